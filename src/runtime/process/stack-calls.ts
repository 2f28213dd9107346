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
  /**
   * The larger of `mainTop` and `rootInstance` (`setRoots`): the fast exit takes only instances above it. Every frame
   * entered after a module's top level or a task's root call has a larger instance, so this one comparison keeps
   * both off the fast path; an older frame below it goes to the slow path, which handles any instance.
   */
  floor: number;
}

/** A new stack state: no lesson frame yet (`depth` 0), or `depth` frames already on the stack. */
export function stackState(depth = 0): StackState {
  return { depth, inst: 0, mainTop: 0, rootInstance: 0, floor: 0 };
}

/** The agent's only way to change `mainTop` and `rootInstance`: it keeps `floor` right. */
export function setRoots(st: StackState, mainTop: number, rootInstance: number): void {
  st.mainTop = mainTop;
  st.rootInstance = rootInstance;
  st.floor = mainTop > rootInstance ? mainTop : rootInstance;
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
  // Small — under the 100 bytes of bytecode up to which V8's mid tier (Maglev) inlines a call — with one check that
  // rejects every forged argument: `flavor[fid]` is undefined for anything but a frame id. Everything else is in
  // `enterOther`, out of line.
  function enter(fid: number): number {
    const s = st;
    if (typeof fid === 'number' && flavor[fid] === 0 && s.depth !== 0) { // a plain function called by lesson code: one word
      s.depth++;
      w.packed(~(fid << 2));
      return ++s.inst;
    }
    return enterOther(fid);
  }
  function enterOther(fid: number): number {
    const fl = typeof fid === 'number' ? flavor[fid] : undefined;
    return fl === undefined ? 0 : slow.enter(fid, fl);
  }
  function exit(i: number): void {
    // A plain function's exit — a positive instance handed out, above the module top level and the callback root
    // (`floor`), that packs — on a stack that holds it: one word.
    const s = st;
    if (typeof i === 'number' && i > s.floor && i <= s.inst && i < PACKED_LIMIT && s.depth > 0) {
      s.depth--;
      w.packed(~(i << 2 | 1));
    } else slow.exit(i);
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
    const st = stackState(1);
    setRoots(st, -1, -1);
    // Slow paths that only count: their call sites see a callee that is not the agent's, as they will in the run
    // (two different ones, so the sites are already generic and the agent's does not undo optimized code).
    const slowPaths: StackSlowPaths[] = [
      { enter: () => -++st.inst, exit: () => {} },
      { enter: (fid: number) => -fid - ++st.inst, exit: (s: number) => { setRoots(st, -1, s | -1); } },
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
