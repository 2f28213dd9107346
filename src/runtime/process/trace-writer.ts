/**
 * The event writer of one agent (the main thread or a worker thread) of a run process (runtime v2).
 *
 * Events are int32 words (the trace wire format of src/shared/trace/schema.ts: stack events as packed negative words,
 * everything else `[kind, …args]` with a clock reading before it) written into a ring of `SEGMENT_INTS` segments in
 * shared memory. Whoever sends holds the process-wide pipe lock and writes one frame per range on the trace pipe
 * (fd 4), so frames never interleave and each agent's frames stay in order:
 * - a full segment (or one 20 ms old) is sealed and left to the drain thread (drain.ts), which sends it when the
 *   agent pauses, half the ring is sealed or ~100 ms passed: the agent goes on in the next segment instead of
 *   waiting for the pipe and the host behind it (measured on a loaded 2-core machine: a traced fib(27) took
 *   35–60 ms when it wrote the pipe the host reads, 13–17 ms when it wrote /dev/null). A run without a drain
 *   thread (drain.ts) leaves them sealed for its own next flush;
 * - `flush()` sends everything now, from this thread (console output, errors, Atomics.wait, exit), and so does a
 *   full ring or a batch that carries strings (they live in this thread's memory only);
 * - the write position of the open segment (`Head`) is published by every event but the packed stack words, which
 *   follow it (at most ~1024, until the next clock reading publishes again). Every int not yet written is 0 (a
 *   segment is zeroed when it is freed), and a packed word is negative, so the drain finds the tail of an agent that
 *   stopped writing by reading on from `Head` while the words are negative (`writtenEnd`) — a run killed in
 *   `while (true) {}` still shows the function it was looping in.
 * The hot path (`packed`) never allocates and stores one int: publishing the position there too cost a fifth of a
 * traced fib's time.
 *
 * Frame layout (little-endian int32 header, then payload): [type, agent, nInts, nStringBytes] + ints +
 * UTF-8 JSON array of strings. Type 1 is a batch, type 2 a control message (JSON object in the string part).
 * The host treats every frame as untrusted (launcher.ts validates it); lesson code in the same process can write to
 * the pipe too.
 */
import { writeSync as fsWriteSync } from 'node:fs';

// Captured before the preload wraps Atomics for the trace (the tracer must not trace itself), and before the lesson
// can replace what the tracer calls while it sends: a lesson may replace JSON.stringify, Buffer.from or
// Array.prototype.push, or put a toJSON on Object.prototype; the tracer must never call lesson code (it would print
// what plain node does not, and a lesson's own JSON.stringify, run from inside a flush, re-entered the tracer until
// the stack overflowed: the polluted built-ins payload).
const { add: atomicsAdd, compareExchange, wait: atomicsWait, store: atomicsStore, load: atomicsLoad, notify: atomicsNotify } = Atomics;
const { stringify } = JSON;
const writeSync = fsWriteSync;
// Typed arrays are read through %TypedArray%.prototype's own accessors and `fill`, captured too: a lesson may replace
// `fill` or redefine `length` there, and `subarray` would ask the lesson's `constructor[Symbol.species]` for the array
// it makes. Node's own code that sends a frame reads them as properties — Buffer.from (`length`, `buffer`) and
// fs.writeSync (`buffer.byteLength`, lib/fs.js validateOffsetLengthWrite): text is encoded by TextEncoder's `encode`
// (native, reads nothing of the lesson's), and each view handed to writeSync carries its real size as its own
// `byteLength`, which shadows the prototype's accessor (the write itself takes the view's memory natively). A lesson
// that redefined those accessors kept printing in plain node and ended the traced run with a RangeError (exit 7).
const apply = Reflect.apply;
// The clock: a lesson may replace Math.round, globalThis.performance or Performance.prototype.now (the tracer reads it
// every 1,024 events). The time origin is fixed for the process.
const perf = performance;
const perfNow = perf.now;
const timeOrigin = perf.timeOrigin;
const { round } = Math;
const { defineProperty } = Object;
const encoder = new TextEncoder();
const encodeUtf8 = TextEncoder.prototype.encode;
const U8 = Uint8Array;
const TypedArrayProto = Object.getPrototypeOf(Int32Array.prototype) as object;
const accessor = (key: string): (() => unknown) => Object.getOwnPropertyDescriptor(TypedArrayProto, key)!.get! as () => unknown;
const taLength = accessor('length');
const taBuffer = accessor('buffer');
const taOffset = accessor('byteOffset');
const taByteLength = accessor('byteLength');
const taFill = (TypedArrayProto as Int32Array).fill;
const stringSlice = String.prototype.slice;
const lengthOf = (a: ArrayBufferView): number => apply(taLength, a, []) as number;
/** Ints [from, to) of `a` as bytes, a view on the same memory. */
function bytesOf(a: Int32Array, from: number, to: number): Uint8Array {
  return new U8(apply(taBuffer, a, []) as ArrayBuffer, (apply(taOffset, a, []) as number) + 4 * from, 4 * (to - from));
}
/** Zeroes ints [0, to) of `a`. */
function zero(a: Int32Array, to: number): void {
  apply(taFill, a, [0, 0, to]);
}

/** The batch's strings as a JSON array, without a call a lesson could have replaced (a primitive string has no toJSON). */
function stringsJson(strings: readonly string[]): string {
  let out = '[';
  for (let i = 0; i < strings.length; i++) out += (i === 0 ? '' : ',') + stringify(strings[i]);
  return out + ']';
}

export const TRACE_FD = 4;
export const FRAME_BATCH = 1;
export const FRAME_CONTROL = 2;
export const SEGMENT_INTS = 1 << 16;
const STACK_EVENTS_PER_CLOCK = 1024; // schema.ts TIME_EVERY_STACK_EVENTS
const ROOM = 2 * STACK_EVENTS_PER_CLOCK + 64;
export const PACKED_LIMIT = 1 << 29;
/** Segments per ring: the main agent can have 8 MB in flight, each worker 2 MB (untouched memory costs nothing). */
export const MAIN_SEGMENTS = 32;
export const WORKER_SEGMENTS = 8;

/** Shared by all threads of a run process: [0] the pipe lock, [1] workers started, [2] the drain is up, [3] drain wake-ups. */
export const SHARED_SLOTS = 8;
export const SharedSlot = { Lock: 0, Workers: 1, DrainUp: 2, Wake: 3 } as const;

/**
 * A ring's control words (Int32Array on its own SharedArrayBuffer): the open segment's published write position
 * (`Head`), the open segment (`Cur`), the oldest segment not yet sent (`Tail`), how many strings the open segment's
 * events name (`Strings`; only the owning thread can send those), then per segment its state (0 free/open, 1 sealed),
 * sealed length and how much of it was already sent.
 */
export const Ctl = { Head: 0, Cur: 1, Tail: 2, Strings: 3, State: 8 } as const;
export const ctlSlots = (segments: number): number => Ctl.State + 3 * segments;

/** One agent's ring as both its writer and the drain thread see it. */
export interface Ring {
  readonly agent: number;
  readonly segments: number;
  readonly data: SharedArrayBuffer;
  readonly ctl: SharedArrayBuffer;
}

export function allocRing(agent: number, segments: number): Ring {
  return { agent, segments, data: new SharedArrayBuffer(4 * SEGMENT_INTS * segments), ctl: new SharedArrayBuffer(4 * ctlSlots(segments)) };
}

/**
 * The end of what the writer has written in `seg` from `head` (its published position): the packed stack words it
 * wrote since are negative, and everything after them is still 0.
 */
export function writtenEnd(seg: Int32Array, head: number): number {
  let i = head;
  while (i < seg.length && seg[i]! < 0) i++;
  return i;
}

/**
 * Sends ranges of rings on the trace pipe. Every method expects the caller to hold the process-wide lock
 * (`lock`/`unlock`), which orders every frame of every agent. The lock word holds its holder's token (one per
 * thread), and a thread that holds it may take it again (a parent holds it while it terminates a worker: preload.ts).
 */
export class RingSender {
  private readonly header = new Int32Array(4);
  private readonly shared: Int32Array;
  private readonly token: number;
  private depth = 0;
  /**
   * Asked while this thread waits for the lock: whether the thread whose token holds it is gone. A worker stopped by
   * its `resourceLimits` (out of memory) stops wherever it is — no `finally` runs — and may have held the lock; its
   * parent knows (preload.ts), and takes the lock back from it.
   */
  holderGone: ((token: number) => boolean) | null = null;

  /** `token`: this thread's own nonzero number for the lock word. */
  constructor(shared: Int32Array, token: number) {
    this.shared = shared;
    this.token = token;
  }

  lock(): void {
    if (this.depth++ > 0) return;
    const s = this.shared;
    for (;;) {
      const holder = compareExchange(s, SharedSlot.Lock, 0, this.token);
      if (holder === 0) return;
      if (atomicsWait(s, SharedSlot.Lock, holder, 5) === 'timed-out' && this.holderGone?.(holder)) this.releaseHeldBy(holder);
    }
  }

  /** Frees the lock if the thread with `token` holds it (that thread is gone: it will never let go). */
  releaseHeldBy(token: number): void {
    if (token === this.token || compareExchange(this.shared, SharedSlot.Lock, token, 0) !== token) return;
    atomicsNotify(this.shared, SharedSlot.Lock, 1);
  }

  unlock(): void {
    if (this.depth === 0 || --this.depth > 0) return;
    atomicsStore(this.shared, SharedSlot.Lock, 0);
    atomicsNotify(this.shared, SharedSlot.Lock, 1);
  }

  /** Lets go of the lock however often this thread took it. */
  unlockAll(): void {
    if (this.depth === 0) return;
    this.depth = 1;
    this.unlock();
  }

  /** `ints`: the frame's ints as bytes (`bytesOf`), or null. */
  frame(type: number, agent: number, ints: Uint8Array | null, payload: string): void {
    if (!stackRoom(STACK_ROOM_CALLS)) throw new RangeErrorCtor('Maximum call stack size exceeded');
    const text = apply(encodeUtf8, encoder, [payload]) as Uint8Array;
    const h = this.header;
    const intBytes = ints ? lengthOf(ints) : 0;
    const textBytes = lengthOf(text);
    h[0] = type; h[1] = agent; h[2] = intBytes / 4; h[3] = textBytes;
    writeAll(bytesOf(h, 0, 4), 16);
    if (ints && intBytes) writeAll(ints, intBytes);
    if (textBytes) writeAll(text, textBytes);
  }

  /** A batch of ints [from, to) of `seg` (no strings unless given). The host counts its events (launcher.ts). */
  batch(agent: number, seg: Int32Array, from: number, to: number, strings: readonly string[] = []): void {
    if (to <= from) return;
    this.frame(FRAME_BATCH, agent, bytesOf(seg, from, to), strings.length ? stringsJson(strings) : '[]');
  }

  /** Every sealed segment of a ring, oldest first; frees them. */
  sealed(agent: number, segs: readonly Int32Array[], ctl: Int32Array): void {
    const n = segs.length;
    let t = ctl[Ctl.Tail]!;
    while (atomicsLoad(ctl, Ctl.State + t) === 1) {
      const length = ctl[Ctl.State + n + t]!;
      this.batch(agent, segs[t]!, ctl[Ctl.State + 2 * n + t]!, length);
      zero(segs[t]!, length); // freed: unwritten ints are 0 (writtenEnd)
      ctl[Ctl.State + 2 * n + t] = 0;
      atomicsStore(ctl, Ctl.State + t, 0);
      t = (t + 1) % n;
    }
    ctl[Ctl.Tail] = t;
  }
}

export class TraceWriter {
  /** The open segment. */
  ibuf: Int32Array;
  p = 0;
  private strings: string[] = [];
  private limit = SEGMENT_INTS - ROOM;
  nextClockAt = STACK_EVENTS_PER_CLOCK;
  private lastFlushUs = 0;
  /** Set once the process is exiting: every event is flushed at once (nothing runs after the last exit listener). */
  exiting = false;
  private readonly shared: Int32Array;
  readonly agent: number;
  private readonly timeOriginMs: number;
  private readonly sender: RingSender;
  private readonly arity: readonly number[];
  readonly ring: Ring;
  // ES-private: the tracer's agent is reachable from the lesson's globals (frozen), and a lesson that walks every
  // object it can reach (the reachability payload) must not list the ring's millions of indices, which plain node
  // does not have (it ran out of heap). The open segment (`ibuf`) stays visible, as the single buffer was before.
  readonly #segs: Int32Array[];
  private readonly ctl: Int32Array;
  private cur = 0;
  /** A drain thread sends sealed segments (drain.ts); without one, every flush is sent from here. */
  private drained = false;

  /** `ring`: memory allocated ahead (the main agent's, handed to the drain thread before the lesson arrived). */
  constructor(agent: number, shared: Int32Array, runStartMs: number, arity: readonly number[], segments = MAIN_SEGMENTS, ring?: Ring) {
    this.agent = agent;
    this.shared = shared;
    this.timeOriginMs = runStartMs;
    this.sender = new RingSender(shared, agent + 1);
    this.arity = arity;
    this.ring = ring && ring.agent === agent ? ring : allocRing(agent, segments);
    segments = this.ring.segments;
    this.#segs = Array.from({ length: segments }, (_, i) => new Int32Array(this.ring.data, 4 * SEGMENT_INTS * i, SEGMENT_INTS));
    this.ctl = new Int32Array(this.ring.ctl);
    this.ibuf = this.#segs[0]!;
  }

  /**
   * Holds the trace pipe's lock until `releasePipe` (reentrant: this thread's own frames still go out). A worker
   * terminated while it held the lock would leave it held — V8 stops its JavaScript wherever it is, and no `finally`
   * runs — and every thread's next frame would wait forever: the parent holds the lock while it terminates one.
   */
  holdPipe(): void {
    this.sender.lock();
  }

  releasePipe(): void {
    this.sender.unlock();
  }

  /**
   * The worker `agent` is gone (its 'exit'), or `gone(agent)` says so while this thread waits for the pipe's lock: a
   * lock it held is freed. Only its parent knows when it is gone (preload.ts).
   */
  releasePipeOf(agent: number): void {
    this.sender.releaseHeldBy(agent + 1);
  }
  whenPipeStuck(gone: (agent: number) => boolean): void {
    this.sender.holderGone = (token) => gone(token - 1);
  }

  /**
   * This thread is about to block (`Atomics.wait`): it lets go of the pipe's lock it holds for workers it terminates,
   * since the thread it waits for may have to print first. (Their holds are over; a later `releasePipe` does nothing.)
   */
  beforeBlocking(): void {
    this.sender.unlockAll();
  }

  /** From now on the drain thread sends sealed segments and the tail of a stopped agent. */
  useDrain(): void {
    this.drained = true;
  }

  now(): number {
    return round((timeOrigin + (apply(perfNow, perf, []) as number) - this.timeOriginMs) * 1000);
  }

  control(message: Record<string, unknown>): void {
    this.flush();
    this.sender.lock();
    try { this.sender.frame(FRAME_CONTROL, this.agent, null, stringify({ __proto__: null, ...message })); } finally { this.sender.unlock(); } // no inherited toJSON
  }

  /** Sends everything this agent wrote, now, from this thread. */
  flush(): void {
    const ctl = this.ctl;
    if (this.p === 0 && ctl[Ctl.Tail] === this.cur) return;
    const s = this.sender;
    s.lock();
    try {
      s.sealed(this.agent, this.#segs, ctl);
      const sent = Ctl.State + 2 * this.#segs.length + this.cur;
      s.batch(this.agent, this.ibuf, ctl[sent]!, this.p, this.strings);
      zero(this.ibuf, this.p); // written again from 0: unwritten ints are 0 (writtenEnd)
      ctl[sent] = 0;
      this.p = 0;
      ctl[Ctl.Head] = 0;
      ctl[Ctl.Strings] = 0;
    } finally {
      s.unlock();
    }
    this.strings = [];
    this.nextClockAt = STACK_EVENTS_PER_CLOCK;
    this.lastFlushUs = this.now();
  }

  /**
   * The open segment is full (or old): seal it and go on in the next one, or send it all from here when the ring is
   * full. A drain thread sends sealed segments meanwhile; without one they wait for this agent's next flush (console
   * output, a wait, the exit, a full ring). Sending each full segment at once cost a busy lesson more than its own
   * work: a traced fib(27) under `loopscope run` without -o took 40–51 ms (plain node 3–5 ms), ~2 ms per segment
   * spent waiting for the CLI to read 256 KiB through the pipe.
   */
  private seal(): void {
    const n = this.#segs.length;
    const next = (this.cur + 1) % n;
    const ctl = this.ctl;
    if (this.strings.length || this.exiting || atomicsLoad(ctl, Ctl.State + next) !== 0) { this.flush(); return; }
    ctl[Ctl.State + n + this.cur] = this.p;
    atomicsStore(ctl, Ctl.State + this.cur, 1);
    this.cur = next;
    this.ibuf = this.#segs[next]!;
    this.p = 0;
    ctl[Ctl.Head] = 0;
    atomicsStore(ctl, Ctl.Cur, next); // after Head: a drain that sees the new segment sees its position too
    if (this.drained && (next - atomicsLoad(ctl, Ctl.Tail) + n) % n >= n / 2) { // half the ring waits: wake the drain (drain.ts)
      atomicsAdd(this.shared, SharedSlot.Wake, 1);
      atomicsNotify(this.shared, SharedSlot.Wake, 1);
    }
    this.nextClockAt = STACK_EVENTS_PER_CLOCK;
    this.lastFlushUs = this.now();
  }

  /** A clock reading; never flushes (a caller may hold batch-local string indices). */
  clock(): void {
    const t = this.now();
    this.ibuf[this.p] = 0; this.ibuf[this.p + 1] = t | 0;
    this.p += 2;
  }

  /** About every 1024 stack events: a clock reading, and a seal when the segment is nearly full or 20 ms passed. */
  stackClock(): void {
    this.clock();
    this.ctl[Ctl.Head] = this.p;
    if (this.p > this.limit || this.now() - this.lastFlushUs > 20000) this.seal();
    this.nextClockAt = this.p + STACK_EVENTS_PER_CLOCK;
  }

  private str(s: string): number {
    if (s.length > 65535) s = (apply(stringSlice, s, [0, 65532]) as string) + '…';
    const at = this.strings.length;
    this.strings[at] = s; // not push: a lesson may have replaced Array.prototype.push
    this.ctl[Ctl.Strings] = at + 1; // before the event is published: the drain leaves this batch alone
    return at;
  }

  /** One non-stack event with its clock reading; string args are interned into this batch. */
  emit(kind: number, a?: number | string, b?: number | string, c?: number | string, d?: number | string, e?: number, f?: number): void {
    if (this.p > this.limit) this.seal();
    if (typeof a === 'string') a = this.str(a);
    if (typeof b === 'string') b = this.str(b);
    if (typeof c === 'string') c = this.str(c);
    if (typeof d === 'string') d = this.str(d);
    this.clock();
    const buf = this.ibuf;
    buf[this.p++] = kind;
    const n = this.arity[kind]!;
    if (n > 0) buf[this.p++] = a as number; if (n > 1) buf[this.p++] = b as number; if (n > 2) buf[this.p++] = c as number;
    if (n > 3) buf[this.p++] = d as number; if (n > 4) buf[this.p++] = e as number; if (n > 5) buf[this.p++] = f as number;
    this.ctl[Ctl.Head] = this.p;
    if (this.exiting) this.flush();
  }

  /** A packed stack word (Enter, Exit or Statement). */
  packed(word: number): void {
    if (this.p >= this.nextClockAt) this.stackClock();
    this.ibuf[this.p++] = word; // not published: the drain reads on from Head while words are negative (writtenEnd)
  }

  /** An Exit of an instance too large to pack. */
  wideExit(kindExit: number, instance: number): void {
    if (this.p >= this.nextClockAt) this.stackClock();
    this.ibuf[this.p] = kindExit; this.ibuf[this.p + 1] = instance;
    this.p += 2;
    this.ctl[Ctl.Head] = this.p;
  }
}

/**
 * A frame is written whole or not at all. Near the stack limit (a lesson's console.log deep in a recursion), a write
 * could fail after part of the frame went out — Node's own error for a full pipe cannot be made there — and the host
 * then read the next frame's bytes as this one's ("a trace frame whose strings are not JSON": the stack-overflow
 * payloads, 1 run in 4). So a frame is only begun with room for this many nested calls left; otherwise the caller
 * gets the RangeError a call at the stack limit gets, and its events stay in the ring for the next send.
 */
const STACK_ROOM_CALLS = 64;
const RangeErrorCtor = RangeError;
function stackRoom(calls: number): boolean {
  try {
    return calls <= 0 || stackRoom(calls - 1);
  } catch {
    return false;
  }
}

/** Gives a view its real size as its own `byteLength` (see the top of the file). */
function ownByteLength(bytes: Uint8Array): void {
  defineProperty(bytes, 'byteLength', { value: apply(taByteLength, bytes, []) as number, configurable: true });
}
// The first own property any Uint8Array gets moves Uint8Arrays off the map V8 had marked stable, and V8 throws away
// every optimized function that relied on that — the hot path among them (stack-calls.ts reads frame flavors from a
// Uint8Array). It happened at a run's first send, in the middle of the lesson: a traced fib(27) lost its optimized
// `enter` and `statement`, prepared while the process waited (`warmUpStackCalls`), and V8 compiled them again while
// fib ran. Done once now, before anything is optimized, it costs nothing later.
ownByteLength(new U8(0));

function writeAll(bytes: Uint8Array, length: number): void {
  ownByteLength(bytes);
  let off = 0;
  while (off < length) {
    try {
      off += writeSync(TRACE_FD, bytes, off, length - off);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      if ((err as NodeJS.ErrnoException).code === 'EPIPE' || (err as NodeJS.ErrnoException).code === 'EBADF') return; // the host is gone
      throw err;
    }
  }
}
