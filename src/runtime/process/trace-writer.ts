/**
 * The event writer of one agent (the main thread or a worker thread) of a run process (runtime v2).
 *
 * Events are int32 words in a buffer of `SEGMENT_INTS` (the trace wire format of src/shared/trace/schema.ts: stack
 * events as packed negative words, everything else `[kind, …args]` with a clock reading before it). A flush writes
 * the filled part, with the batch's strings, as one frame on the trace pipe (fd 4) — `writeSync` under a lock
 * shared by every thread of the process, so frames of different agents never interleave. This thread never
 * allocates per event; it only pays a copy into the pipe per 64 Ki ints, which is what kept the v1 ring fast.
 *
 * Frame layout (little-endian int32 header, then payload): [type, agent, nInts, nStringBytes, events] + ints +
 * UTF-8 JSON array of strings. Type 1 is a batch, type 2 a control message (JSON object in the string part).
 * The host treats every frame as untrusted (launcher.ts validates it); lesson code in the same process can write to
 * the pipe too.
 */
import { writeSync } from 'node:fs';

// Captured before the preload wraps Atomics for the trace (the tracer must not trace itself).
const { add: atomicsAdd, compareExchange, wait: atomicsWait, store: atomicsStore, notify: atomicsNotify } = Atomics;
// Captured before lesson code runs: a lesson may replace JSON.stringify or Array.prototype.push, or put a toJSON on
// Object.prototype; the tracer must never call lesson code (it would print what plain node does not, and recurse).
const { stringify } = JSON;

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

/** Shared by all threads of a run process: [0] the pipe lock, [1] workers started, [2] events written. */
export const SHARED_SLOTS = 8;
export const SharedSlot = { Lock: 0, Workers: 1, Events: 2 } as const;

export class TraceWriter {
  readonly ibuf = new Int32Array(SEGMENT_INTS);
  p = 0;
  private strings: string[] = [];
  private wideInts = 0;
  private wideEvents = 0;
  private limit = SEGMENT_INTS - ROOM;
  nextClockAt = STACK_EVENTS_PER_CLOCK;
  private lastFlushUs = 0;
  /** Set once the process is exiting: every event is flushed at once (nothing runs after the last exit listener). */
  exiting = false;
  private readonly header = new Int32Array(5);
  private readonly shared: Int32Array;
  readonly agent: number;
  private readonly timeOriginMs: number;
  private readonly arity: readonly number[];

  constructor(agent: number, shared: Int32Array, runStartMs: number, arity: readonly number[]) {
    this.agent = agent;
    this.shared = shared;
    this.timeOriginMs = runStartMs;
    this.arity = arity;
  }

  now(): number {
    return Math.round((performance.timeOrigin + performance.now() - this.timeOriginMs) * 1000);
  }

  /** Writes one frame on the trace pipe, under the process-wide lock. */
  private writeFrame(type: number, ints: Int32Array | null, payload: string, events: number): void {
    const text = Buffer.from(payload, 'utf8');
    const h = this.header;
    h[0] = type; h[1] = this.agent; h[2] = ints ? ints.length : 0; h[3] = text.length; h[4] = events;
    const lock = this.shared;
    while (compareExchange(lock, SharedSlot.Lock, 0, 1) !== 0) atomicsWait(lock, SharedSlot.Lock, 1, 5);
    try {
      writeAll(new Uint8Array(h.buffer));
      if (ints && ints.length) writeAll(new Uint8Array(ints.buffer, ints.byteOffset, ints.byteLength));
      if (text.length) writeAll(text);
    } finally {
      atomicsStore(lock, SharedSlot.Lock, 0);
      atomicsNotify(lock, SharedSlot.Lock, 1);
    }
  }

  control(message: Record<string, unknown>): void {
    this.flush();
    this.writeFrame(FRAME_CONTROL, null, stringify({ __proto__: null, ...message }), 0); // no inherited toJSON
  }

  flush(): void {
    if (this.p === 0) return;
    const events = this.p - this.wideInts + this.wideEvents;
    atomicsAdd(this.shared, SharedSlot.Events, events);
    this.writeFrame(FRAME_BATCH, this.ibuf.subarray(0, this.p), stringsJson(this.strings), events);
    this.p = 0;
    this.strings = [];
    this.wideInts = 0;
    this.wideEvents = 0;
    this.nextClockAt = STACK_EVENTS_PER_CLOCK;
    this.lastFlushUs = this.now();
  }

  /** A clock reading; never flushes (a caller may hold batch-local string indices). */
  clock(): void {
    const t = this.now();
    this.ibuf[this.p] = 0; this.ibuf[this.p + 1] = t | 0;
    this.p += 2;
    this.wideInts += 2;
  }

  /** About every 1024 stack events: a clock reading, and a flush when the buffer is nearly full or 20 ms passed. */
  stackClock(): void {
    this.clock();
    if (this.p > this.limit || this.now() - this.lastFlushUs > 20000) this.flush();
    this.nextClockAt = this.p + STACK_EVENTS_PER_CLOCK;
  }

  private str(s: string): number {
    if (s.length > 65535) s = s.slice(0, 65532) + '…';
    const at = this.strings.length;
    this.strings[at] = s;
    return at;
  }

  /** One non-stack event with its clock reading; string args are interned into this batch. */
  emit(kind: number, a?: number | string, b?: number | string, c?: number | string, d?: number | string, e?: number, f?: number): void {
    if (this.p > this.limit) this.flush();
    if (typeof a === 'string') a = this.str(a);
    if (typeof b === 'string') b = this.str(b);
    if (typeof c === 'string') c = this.str(c);
    if (typeof d === 'string') d = this.str(d);
    this.clock();
    const buf = this.ibuf;
    buf[this.p++] = kind;
    const n = this.arity[kind]!;
    this.wideInts += 1 + n; this.wideEvents++;
    if (n > 0) buf[this.p++] = a as number; if (n > 1) buf[this.p++] = b as number; if (n > 2) buf[this.p++] = c as number;
    if (n > 3) buf[this.p++] = d as number; if (n > 4) buf[this.p++] = e as number; if (n > 5) buf[this.p++] = f as number;
    if (this.exiting) this.flush();
  }

  /** A packed stack word (Enter, Exit or Statement). */
  packed(word: number): void {
    if (this.p >= this.nextClockAt) this.stackClock();
    this.ibuf[this.p++] = word;
  }

  /** An Exit of an instance too large to pack. */
  wideExit(kindExit: number, instance: number): void {
    if (this.p >= this.nextClockAt) this.stackClock();
    this.ibuf[this.p] = kindExit; this.ibuf[this.p + 1] = instance;
    this.p += 2; this.wideInts += 2; this.wideEvents++;
  }
}

function writeAll(bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) {
    try {
      off += writeSync(TRACE_FD, bytes, off, bytes.length - off);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      if ((err as NodeJS.ErrnoException).code === 'EPIPE' || (err as NodeJS.ErrnoException).code === 'EBADF') return; // the host is gone
      throw err;
    }
  }
}
