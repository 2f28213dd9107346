/**
 * The calls instrumented code makes most (instrument/index.ts): `enter` and `exit` around every call of a lesson
 * function, and `statement` before each statement in statement mode. Their fast paths write one packed word
 * (trace-writer.ts); everything else — the first frame of a task, async functions, module top levels, a callback's
 * root call, forged arguments — goes to the agent's slow paths (agent.ts), which share `StackState` with them.
 *
 * They live apart from the agent so that V8 can optimize them before a lesson arrives (`warmUpStackCalls`). Every
 * set of closures `stackCalls` makes shares one feedback vector per function, and with it the code V8 optimized from
 * that feedback. A short lesson runs mostly before V8 has optimized it, and interpreted, each of these calls costs
 * about as much as the lesson function that makes it: with them optimized ahead, a lesson that starts cold only
 * runs its own code cold.
 */
import { PACKED_LIMIT, SHARED_SLOTS, TraceWriter } from './trace-writer.ts';

/** What the fast paths share with the agent's slow paths. */
export interface StackState {
  /** Lesson frames on the real stack now (suspended async functions and generators are off it). */
  depth: number;
  /** The last call instance handed out (instances count from 1). */
  inst: number;
  /** The innermost module top level still open (0: none): its exit also pops the agent's module stack. */
  mainTop: number;
  /** The instance of the call that opened the current callback's task (0: none): its exit closes the task. */
  rootInstance: number;
}

/** The agent's handling of everything but a plain function's entry and exit. */
export interface StackSlowPaths {
  enter(fid: number, flavor: number): number;
  exit(s: number): void;
}

export interface StackCalls {
  /** A lesson function is entered: returns its instance (negative for a frame that can suspend; 0: nothing). */
  enter(fid: number): number;
  exit(s: number): void;
  statement(loc: number): void;
}

/** `flavor[fid]`: 0 for a plain function's frame, another digit for other frames, undefined for anything but a frame id. */
export function stackCalls(w: TraceWriter, flavor: Uint8Array, st: StackState, slow: StackSlowPaths): StackCalls {
  // Small, so that V8 inlines them early, with one check that rejects every forged argument: `flavor[fid]` is
  // undefined for anything but a frame id.
  function enter(fid: number): number {
    const fl = typeof fid === 'number' ? flavor[fid] : undefined;
    if (fl === 0 && st.depth !== 0) { // a plain function called by lesson code: one word
      st.depth++;
      w.packed(~(fid << 2));
      return ++st.inst;
    }
    return fl === undefined ? 0 : slow.enter(fid, fl);
  }
  function exit(s: number): void {
    // A plain function's exit (a positive instance that packs, not a module's top level, not a callback's root
    // call): one word.
    if (typeof s === 'number' && s > 0 && s <= st.inst && s < PACKED_LIMIT && s !== st.mainTop && s !== st.rootInstance) {
      if (st.depth > 0) st.depth--;
      w.packed(~(s << 2 | 1));
    } else slow.exit(s);
  }
  function statement(loc: number): void {
    // `loc` is a statement's frame id (instrument/walker.ts): the same one-load check as `enter`.
    if (typeof loc === 'number' && flavor[loc] !== undefined) w.packed(~(loc << 2 | 2));
  }
  return { enter, exit, statement };
}

/** The scratch writer's event arities: it never writes an event but stack words. */
const NO_EVENTS: readonly number[] = [];
/** A scratch ring's segments: more than a set can seal (below). */
const SCRATCH_SEGMENTS = 8;
/**
 * Calls per set, ~3 words each: long enough for V8 to optimize the calls with its top tier. They fill three segments
 * after the first, which is sealed at once; a stall of 20 ms seals one more (a segment that old is sealed).
 */
const WARM_UP_CALLS = 80_000;
/** A set stops after this long, whatever it has done. */
const WARM_UP_MS = 12;

/**
 * Runs the fast paths — and the slow paths' call sites, and a segment's seal — on scratch memory until V8 has had
 * them hot (it optimizes them on another thread meanwhile), so that a lesson's first calls do not run them cold, nor
 * throw away their optimized code at a path the warm-up never took. Two sets, so that V8 sees the functions have
 * many closures and optimizes code every later set can use (code specialized to one closure's context is that
 * closure's only). Up to ~25 ms of a process that waits for its lesson (launcher.ts `warmTracer`).
 *
 * Nothing reaches the trace pipe: each set has its own lock word and ring, with a drain that never comes — a sealed
 * segment just stays sealed — and the writer only sends from its own thread when the next segment is still sealed,
 * which takes more seals than a set makes.
 */
export function warmUpStackCalls(): void {
  const clock = performance;
  // Code V8 optimizes while no ArrayBuffer was ever detached leaves out the checks for one, and is thrown away at the
  // first detach — which Node's TypeScript type stripper makes when it starts (its WebAssembly memory grows), in a
  // warm process after the warm-up (preload.ts) or in a lesson. One detach now, so that nothing optimized here
  // depends on it.
  new ArrayBuffer(0).transfer();
  for (let set = 0; set < 2; set++) {
    // A run that started a minute ago: its first segment is sealed at the first clock reading, for being 20 ms old.
    const w = new TraceWriter(0, new Int32Array(new SharedArrayBuffer(4 * SHARED_SLOTS)), clock.timeOrigin + clock.now() - 60_000, NO_EVENTS, SCRATCH_SEGMENTS);
    w.useDrain();
    // Every field written with another value, as the agent does (V8 treats a field never changed as a constant).
    const st: StackState = { depth: 1, inst: 0, mainTop: 0, rootInstance: 0 };
    st.mainTop = -1;
    st.rootInstance = -1;
    // Slow paths that only count: their call sites see a callee that is not the agent's, as they will in the run
    // (two different ones, so the sites are already generic and the agent's does not undo optimized code).
    const slowPaths: StackSlowPaths[] = [
      { enter: () => -++st.inst, exit: () => {} },
      { enter: (fid: number) => -fid - ++st.inst, exit: (s: number) => { st.rootInstance = s | -1; } },
    ];
    const calls = stackCalls(w, new Uint8Array([0, 1]), st, slowPaths[set]!);
    const end = clock.now() + WARM_UP_MS;
    for (let i = 0; i < WARM_UP_CALLS && ((i & 255) !== 0 || clock.now() < end); i++) {
      const s = calls.enter(0);
      calls.statement(0);
      calls.exit(s);
      if ((i & 255) === 0) calls.exit(calls.enter(1)); // a frame that can suspend: the slow paths
    }
  }
}
