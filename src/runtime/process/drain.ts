/**
 * The drain thread of a run process (runtime v2): a small worker thread, started by the preload before the lesson,
 * that sends what the agents' trace writers leave in their rings (trace-writer.ts) while they run on:
 * - sealed segments, as soon as a writer seals one (it wakes this thread), so no agent waits for the pipe;
 * - the unsent tail of an agent that stopped writing — idle, blocked, or spinning in `while (true) {}` — once its
 *   write position (the published one and the packed stack words after it: trace-writer.ts `writtenEnd`) stayed the
 *   same for two ticks (10 ms each). When the host then kills the run, its trace already
 *   ends with what the agent did last. (Two unchanged ticks also make the agent's plain stores long visible.)
 * Agents register their ring on a BroadcastChannel whose name the preload keeps in worker environment data. The
 * lesson can read that name and post rings of its own: all that reaches is the trace pipe, which lesson code can
 * write anyway and the host validates. No lesson code runs on this thread.
 *
 * A run whose trace nobody watches live or keeps (`loopscope run` without -o) has no drain thread (launcher.ts
 * `drainThread`): every agent sends everything itself (console output at once, the rest when its ring fills, before
 * it blocks and at its exit), the lesson does not wait for the thread's start (~70–100 ms here), and the process
 * holds no thread plain node would not have — nor what creating one leaves to the event loop: the main thread's
 * loop then turns once after the script even when plain node's would not, and an unref'd timer due by then fires.
 */
import { BroadcastChannel, Worker, setEnvironmentData } from 'node:worker_threads';
import { LaunchFlag, readLaunchFlags } from './control.ts';
import { Ctl, MAIN_SEGMENTS, RingSender, SEGMENT_INTS, SHARED_SLOTS, SharedSlot, allocRing, ctlSlots, writtenEnd, type Ring } from './trace-writer.ts';

const { load } = Atomics;
const TICK_MS = 10;
/** The drain's token for the pipe lock (agents use their id + 1: 1–256). */
const DRAIN_TOKEN = 0x7fff;

export interface DrainData {
  readonly shared: SharedArrayBuffer;
  readonly channel: string;
  /** Rings known when the thread starts (the main agent's); later agents register on the channel. */
  readonly rings: Ring[];
}

/** What the drain posts on the channel once it listens: agents that registered before it did register again. */
export const DRAIN_READY = 'loopscope.drain-ready';
/** Worker environment data: the drain's channel and thread id (JSON), for every agent. */
export const DRAIN_KEY = 'loopscope.drain';
/** Worker environment data, set only while the drain thread is created: entry.cjs runs `runDrain` in that thread. */
export const DRAIN_BOOT_KEY = 'loopscope.drain-boot';

/** What the main thread's tracer takes over from `startDrainThread`: the process-wide words, its own ring, and the
 * launcher's `LaunchFlag` bits. */
export interface DrainBoot {
  readonly shared: Int32Array;
  readonly ring: Ring;
  readonly flags: number;
}
/** Where `startDrainThread` leaves its DrainBoot for the tracer, which is another bundle (until `takeDrainBoot`). */
const BOOT_GLOBAL = Symbol.for('loopscope.drain-boot');

/**
 * The main thread's first step (entry.cjs, before the tracer's bundle loads): the drain thread is created now, so it
 * boots while the tracer loads — a cold run's lesson waits for it (preload.ts), and starting it after the tracer
 * loaded made that wait ~50 ms longer.
 * It is a worker thread, so it takes thread id 1: lesson workers are numbered from 2 by Node, and everything the
 * lesson sees (`worker.threadId`, `threadId` inside a worker) and the trace's agent ids are shifted back by one
 * (preload.ts `threadShift`) so they match plain node.
 * Its stdout and stderr are its own (`stdout: true`): piped to the process's, as by default, they made Node create
 * process.stdout and process.stderr before the lesson, which plain node creates at the lesson's first console.log —
 * and those few milliseconds decide whether a top-level 3 ms timer beats setImmediate (plain node: always).
 */
export function startDrainThread(): void {
  const shared = new Int32Array(new SharedArrayBuffer(4 * SHARED_SLOTS));
  const ring = allocRing(0, MAIN_SEGMENTS);
  // The launcher says whether this run has a drain thread at all (control.ts; launcher.ts `drainThread`).
  const flags = readLaunchFlags();
  if (flags & LaunchFlag.DrainThread) {
    const data: DrainData = { shared: shared.buffer as SharedArrayBuffer, channel: `loopscope.drain.${process.pid}.${Math.random().toString(36).slice(2)}`, rings: [ring] };
    try {
      setEnvironmentData(DRAIN_BOOT_KEY, true);
      const drain = new Worker('', { eval: true, workerData: data, name: 'loopscope drain', stdout: true, stderr: true });
      drain.unref();
      drain.on('error', () => { /* the agents send everything themselves then */ });
      setEnvironmentData(DRAIN_KEY, JSON.stringify({ channel: data.channel, threadId: drain.threadId }));
    } catch {
      /* no drain thread: every agent sends everything itself */
    } finally {
      setEnvironmentData(DRAIN_BOOT_KEY, undefined);
    }
  }
  Object.defineProperty(globalThis, BOOT_GLOBAL, { value: { shared, ring, flags } satisfies DrainBoot, configurable: true, enumerable: false, writable: false });
}

/** The main thread's tracer: what `startDrainThread` made (it runs it now if entry.cjs did not), gone from globalThis. */
export function takeDrainBoot(): DrainBoot {
  if (!Object.hasOwn(globalThis, BOOT_GLOBAL)) startDrainThread();
  const boot = (globalThis as Record<symbol, DrainBoot>)[BOOT_GLOBAL]!;
  delete (globalThis as Record<symbol, unknown>)[BOOT_GLOBAL];
  return boot;
}

interface Drained {
  readonly agent: number;
  readonly segs: Int32Array[];
  readonly ctl: Int32Array;
  /** Segments whose pages this thread has already faulted in (see `faultIn`). */
  readonly faulted: Uint8Array;
  lastCur: number;
  lastHead: number;
  /** Ticks the oldest sealed segment has waited. */
  waited: number;
}

/**
 * A busy agent's sealed segments wait until it pauses, half its ring is sealed, or the oldest waited this many ticks:
 * sending them (and the host parsing them, and the app drawing them) while the lesson computes takes CPU from the
 * lesson on a small machine. Live views see a busy agent's events up to ~100 ms late; a pause, console output or
 * the end sends everything at once.
 */
const MAX_WAIT_TICKS = 10;

/**
 * A ring's memory is a fresh SharedArrayBuffer: its pages are mapped at the first write, and on this machine the
 * first write to each 4 KiB page cost ~9 µs — more than the writing itself (a traced fib(27) writes 1.26 M words into
 * 5 MB: 19 ms with fresh pages, 8 ms with pages already in; plain node 4 ms). So this thread faults the pages in
 * ahead of the writer: the main agent's whole ring when it starts (while a warm process waits for its lesson, or on
 * this second core while a cold one starts), and for every agent the first segments when it registers and the two
 * after the one it writes at every tick. `Atomics.add(…, 0)` is a write that never changes a word, whatever the writer does to it meanwhile.
 */
const PAGE_INTS = 1024;
const FAULT_AHEAD = 2;
function faultIn(r: Drained, seg: number): void {
  if (r.faulted[seg]) return;
  r.faulted[seg] = 1;
  const a = r.segs[seg]!;
  for (let i = 0; i < SEGMENT_INTS; i += PAGE_INTS) Atomics.add(a, i, 0);
}

function validRing(m: unknown): m is Ring {
  if (!m || typeof m !== 'object') return false;
  const r = m as Ring;
  return Number.isInteger(r.agent) && r.agent >= 0 && r.agent <= 255 && Number.isInteger(r.segments) && r.segments >= 2 && r.segments <= 64
    && r.data instanceof SharedArrayBuffer && r.data.byteLength === 4 * SEGMENT_INTS * r.segments
    && r.ctl instanceof SharedArrayBuffer && r.ctl.byteLength === 4 * ctlSlots(r.segments);
}

export function runDrain(data: DrainData): void {
  const shared = new Int32Array(data.shared);
  const sender = new RingSender(shared, DRAIN_TOKEN);
  const rings: Drained[] = [];
  const channel = new BroadcastChannel(data.channel);
  const add = (m: unknown): void => {
    // One ring per agent, the first that came (a second one from the lesson changes nothing).
    if (!validRing(m) || rings.length >= 256 || rings.some((r) => r.agent === m.agent)) return;
    const r: Drained = {
      agent: m.agent, ctl: new Int32Array(m.ctl), lastCur: -1, lastHead: -1, waited: 0, faulted: new Uint8Array(m.segments),
      segs: Array.from({ length: m.segments }, (_, i) => new Int32Array(m.data, 4 * SEGMENT_INTS * i, SEGMENT_INTS)),
    };
    rings.push(r);
    for (let k = 0; k <= FAULT_AHEAD; k++) faultIn(r, k);
  };
  for (const ring of Array.isArray(data.rings) ? data.rings : []) add(ring);
  channel.onmessage = (event: unknown) => add((event as { data?: unknown }).data);
  channel.postMessage(DRAIN_READY);
  Atomics.store(shared, SharedSlot.DrainUp, 1); // the main thread lets the lesson start (preload.ts)
  Atomics.notify(shared, SharedSlot.DrainUp);
  for (const r of rings) for (let k = 0; k < r.segs.length; k++) faultIn(r, k);

  function service(r: Drained): void {
    const ctl = r.ctl;
    const n = r.segs.length;
    const cur = load(ctl, Ctl.Cur);
    if (!(cur >= 0 && cur < n)) return; // the control words are in memory the lesson could reach
    for (let k = 1; k <= FAULT_AHEAD; k++) faultIn(r, (cur + k) % n);
    const head = writtenEnd(r.segs[cur]!, load(ctl, Ctl.Head));
    const stalled = cur === r.lastCur && head === r.lastHead;
    r.lastCur = cur;
    r.lastHead = head;
    const tail = load(ctl, Ctl.Tail);
    if (load(ctl, Ctl.State + tail) !== 1) r.waited = 0;
    else r.waited++;
    const sealed = r.waited === 0 ? 0 : (cur - tail + n) % n;
    if (!stalled && (r.waited === 0 || (r.waited < MAX_WAIT_TICKS && sealed < n / 2))) return;
    r.waited = 0;
    sender.lock();
    try {
      sender.sealed(r.agent, r.segs, ctl);
      if (!stalled) return;
      // The open segment's tail: only if it is still open and nothing of this agent's is waiting before it, and
      // its events name no strings (those live in the agent's own memory; it sends them itself).
      const c = load(ctl, Ctl.Cur);
      const h = writtenEnd(r.segs[c]!, load(ctl, Ctl.Head));
      const sent = Ctl.State + 2 * n + c;
      if (load(ctl, Ctl.Cur) !== c || load(ctl, Ctl.State + c) !== 0 || load(ctl, Ctl.Tail) !== c || load(ctl, Ctl.Strings) !== 0) return;
      if (h > ctl[sent]! && h <= SEGMENT_INTS) {
        sender.batch(r.agent, r.segs[c]!, ctl[sent]!, h);
        ctl[sent] = h;
      }
    } finally {
      sender.unlock();
    }
  }

  const wake = SharedSlot.Wake;
  const loop = (): void => {
    const seen = load(shared, wake);
    for (const r of rings) service(r);
    const w = Atomics.waitAsync(shared, wake, seen, TICK_MS);
    if (w.async) void w.value.then(loop);
    else setTimeout(loop, 0);
  };
  loop();
}
