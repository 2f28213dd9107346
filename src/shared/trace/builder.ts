/**
 * Turns wire batches (schema.ts) into one columnar, live-appendable trace.
 *
 * Invariants:
 * - Batches come from an untrusted sandbox. `append` validates a whole batch before storing any of it, so a
 *   malformed batch throws a specific Error and leaves the trace exactly as it was (never reads out of bounds).
 * - Event i is stored as kind[i], agent[i], timeUs[i] and its args at args[argStart[i] .. + arity). Only
 *   [0, count) is valid; the typed arrays grow by doubling, so readers must re-read `trace.kind` etc. after an
 *   append rather than keep a reference to an old array. `finish` trims them to `count`.
 * - `Time` events are consumed: each agent's non-stack events take that agent's latest clock reading; the stack
 *   events between two readings are spread linearly between them. Until an agent's next reading arrives, its
 *   trailing stack events carry the last reading and are moved forward when it comes (times only grow).
 *   Per agent, times never decrease: a reading earlier than the previous one is clamped to it.
 * - String args hold indices into the global `strings` table (deduplicated) once stored.
 * - Packed stack words (schema.ts, v2) are stored unpacked; a packed Enter gets its agent's previous instance + 1.
 */
import type { RunEnd } from '../run/contract.ts';
import { EVENT_SPECS, EventKind, packedKind, packedPayload, type TraceBatch, type TraceHeader } from './schema.ts';

export interface Trace {
  readonly header: TraceHeader;
  /** Events so far (Time events are consumed, never stored). */
  count: number;
  kind: Uint8Array;
  agent: Uint8Array;
  timeUs: Float64Array;
  argStart: Uint32Array;
  args: Int32Array;
  /** Global string table; string args index it. */
  strings: string[];
  end: RunEnd | null;
}

/** Agents are stored in a byte: 0 (main) … 255. */
export const MAX_AGENT = 255;
/** Stack events awaiting their agent's next clock reading; beyond this they keep the last reading. */
const MAX_PENDING_STACK = 1 << 16;

const ARITY: readonly number[] = EVENT_SPECS.map((s) => s.args.length);
const STRING_ARGS: readonly (readonly number[])[] = EVENT_SPECS.map((s) => s.strings);
const IS_STACK: readonly boolean[] = EVENT_SPECS.map((s) => s.stack);

export function emptyTrace(header: TraceHeader, capacity = 1024): Trace {
  return {
    header,
    count: 0,
    kind: new Uint8Array(capacity),
    agent: new Uint8Array(capacity),
    timeUs: new Float64Array(capacity),
    argStart: new Uint32Array(capacity),
    args: new Int32Array(capacity * 2),
    strings: [],
    end: null,
  };
}

interface AgentState {
  /** Latest clock reading, -1 before the first one. */
  lastUs: number;
  /** Indices of stack events stored since that reading. */
  pending: number[];
  /** The instance id of the agent's latest Enter (packed Enters are numbered from it). */
  lastInstance: number;
}

export class TraceBuilder {
  readonly #trace: Trace;
  #argsLength = 0;
  readonly #stringIds = new Map<string, number>();
  readonly #agents: (AgentState | undefined)[] = [];
  readonly #listeners = new Set<(from: number, to: number) => void>();
  #finished = false;

  constructor(header: TraceHeader) {
    this.#trace = emptyTrace(header);
  }

  get trace(): Trace {
    return this.#trace;
  }

  /** Adds one batch. Throws (and stores nothing) when the batch is malformed or the trace is finished. */
  append(batch: TraceBatch): void {
    if (this.#finished) throw new Error('trace batch after the run ended');
    const { stored, argInts } = validateBatch(batch);
    const t = this.#trace;
    const from = t.count;
    this.#reserve(from + stored, this.#argsLength + argInts);
    const agent = batch.agent;
    const state = (this.#agents[agent] ??= { lastUs: -1, pending: [], lastInstance: 0 });
    const local = new Int32Array(batch.strings.length).fill(-1);
    const ints = batch.ints;
    let n = from;
    let a = this.#argsLength;
    for (let p = 0; p < ints.length; ) {
      const word = ints[p]!;
      const kind = word < 0 ? packedKind(word) : word;
      const arity = ARITY[kind]!;
      if (kind === EventKind.Time) {
        this.#reading(state, ints[p + 1]!);
        p += 2;
        continue;
      }
      t.kind[n] = kind;
      t.agent[n] = agent;
      t.argStart[n] = a;
      if (word < 0) {
        t.args[a] = packedPayload(word);
        if (kind === EventKind.Enter) t.args[a + 1] = ++state.lastInstance;
      } else {
        for (let k = 0; k < arity; k++) t.args[a + k] = ints[p + 1 + k]!;
        if (kind === EventKind.Enter) state.lastInstance = ints[p + 2]!;
      }
      for (const k of STRING_ARGS[kind]!) {
        const l = ints[p + 1 + k]!;
        let g = local[l]!;
        if (g < 0) local[l] = g = this.#intern(batch.strings[l]!);
        t.args[a + k] = g;
      }
      if (IS_STACK[kind]) {
        t.timeUs[n] = Math.max(state.lastUs, 0);
        if (state.pending.length < MAX_PENDING_STACK) state.pending.push(n);
      } else {
        // A non-stack event normally follows its own reading; if not, earlier stack events settle here.
        state.pending.length = 0;
        t.timeUs[n] = Math.max(state.lastUs, 0);
      }
      a += arity;
      n++;
      p += word < 0 ? 1 : 1 + arity;
    }
    t.count = n;
    this.#argsLength = a;
    if (n > from) this.#emit(from, n);
  }

  /** Marks the run as ended, trims the columns to their length and returns the trace. */
  finish(end: RunEnd): Trace {
    const t = this.#trace;
    if (!this.#finished) {
      this.#finished = true;
      t.end = end;
      t.kind = t.kind.slice(0, t.count);
      t.agent = t.agent.slice(0, t.count);
      t.timeUs = t.timeUs.slice(0, t.count);
      t.argStart = t.argStart.slice(0, t.count);
      t.args = t.args.slice(0, this.#argsLength);
      this.#stringIds.clear();
      this.#emit(t.count, t.count);
    }
    return t;
  }

  /** Calls `listener(from, to)` after each append that stored events [from, to) (and once, empty, at finish). */
  onAppend(listener: (from: number, to: number) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #reading(state: AgentState, rawUs: number): void {
    const t0 = state.lastUs;
    const t1 = Math.max(rawUs, t0, 0);
    const pending = state.pending;
    if (pending.length > 0) {
      const start = t0 < 0 ? t1 : t0;
      const times = this.#trace.timeUs;
      const step = (t1 - start) / (pending.length + 1);
      for (let j = 0; j < pending.length; j++) times[pending[j]!] = start + step * (j + 1);
      pending.length = 0;
    }
    state.lastUs = t1;
  }

  #intern(s: string): number {
    let id = this.#stringIds.get(s);
    if (id === undefined) {
      id = this.#trace.strings.length;
      this.#trace.strings.push(s);
      this.#stringIds.set(s, id);
    }
    return id;
  }

  #reserve(events: number, argInts: number): void {
    const t = this.#trace;
    if (events > t.kind.length) {
      const cap = capacityFor(t.kind.length, events);
      t.kind = grown(t.kind, new Uint8Array(cap));
      t.agent = grown(t.agent, new Uint8Array(cap));
      t.timeUs = grown(t.timeUs, new Float64Array(cap));
      t.argStart = grown(t.argStart, new Uint32Array(cap));
    }
    if (argInts > t.args.length) t.args = grown(t.args, new Int32Array(capacityFor(t.args.length, argInts)));
  }

  #emit(from: number, to: number): void {
    let first: unknown;
    for (const listener of [...this.#listeners]) {
      try {
        listener(from, to);
      } catch (err) {
        first ??= err; // one failing listener must not starve the others
      }
    }
    if (first !== undefined) throw first;
  }
}

function capacityFor(current: number, need: number): number {
  let cap = Math.max(current, 16);
  while (cap < need) cap *= 2;
  return cap;
}

function grown<T extends Uint8Array | Int32Array | Uint32Array | Float64Array>(old: T, next: T): T {
  (next as Uint8Array).set(old as Uint8Array);
  return next;
}

/** Checks a whole batch without storing anything; returns how many events and arg ints it will store. */
function validateBatch(batch: TraceBatch): { stored: number; argInts: number } {
  const agent = batch.agent;
  if (!Number.isInteger(agent) || agent < 0 || agent > MAX_AGENT) throw new Error(`trace batch from agent ${String(agent)}: agent ids must be 0..${MAX_AGENT}`);
  const ints = batch.ints;
  if (!(ints instanceof Int32Array)) throw new Error(`trace batch from agent ${agent}: ints is not an Int32Array`);
  const strings = batch.strings;
  if (!Array.isArray(strings)) throw new Error(`trace batch from agent ${agent}: strings is not an array`);
  let stored = 0;
  let argInts = 0;
  for (let p = 0; p < ints.length; ) {
    const word = ints[p]!;
    if (word < 0) {
      const kind = packedKind(word);
      if (kind < 0) throw new Error(`trace batch from agent ${agent}: unknown packed stack word ${word} at int ${p} of ${ints.length}`);
      stored++;
      argInts += ARITY[kind]!;
      p += 1;
      continue;
    }
    const kind = word;
    const spec = EVENT_SPECS[kind];
    if (spec === undefined) throw new Error(`trace batch from agent ${agent}: unknown event kind ${kind} at int ${p} of ${ints.length}`);
    const arity = spec.args.length;
    if (p + 1 + arity > ints.length) throw new Error(`trace batch from agent ${agent}: ${spec.name} at int ${p} is cut off (needs ${arity} args, the batch has ${ints.length} ints)`);
    for (const k of spec.strings) {
      const l = ints[p + 1 + k]!;
      if (l < 0 || l >= strings.length || typeof strings[l] !== 'string') {
        throw new Error(`trace batch from agent ${agent}: ${spec.name}.${spec.args[k]} at int ${p} refers to string ${l}, the batch has ${strings.length}`);
      }
    }
    if (kind !== EventKind.Time) {
      stored++;
      argInts += arity;
    }
    p += 1 + arity;
  }
  return { stored, argInts };
}

/** Arg `k` of event `i` (an int; for string args, an index into `trace.strings`). */
export function arg(trace: Trace, i: number, k: number): number {
  checkArg(trace, i, k);
  return trace.args[trace.argStart[i]! + k]!;
}

/** String arg `k` of event `i`. */
export function str(trace: Trace, i: number, k: number): string {
  const kind = checkArg(trace, i, k);
  if (!STRING_ARGS[kind]!.includes(k)) throw new RangeError(`${EVENT_SPECS[kind]!.name}.${EVENT_SPECS[kind]!.args[k]} is not a string arg`);
  const s = trace.strings[trace.args[trace.argStart[i]! + k]!];
  if (s === undefined) throw new RangeError(`event ${i} refers to a string that does not exist`);
  return s;
}

function checkArg(trace: Trace, i: number, k: number): number {
  if (!(i >= 0 && i < trace.count)) throw new RangeError(`event ${i} is outside the trace (0..${trace.count - 1})`);
  const kind = trace.kind[i]!;
  const arity = ARITY[kind] ?? 0;
  if (!(k >= 0 && k < arity)) throw new RangeError(`${EVENT_SPECS[kind]?.name ?? 'event'} has no arg ${k}`);
  return kind;
}

/** Number of args of an event of this kind (0 for an unknown kind). */
export function arityOf(kind: number): number {
  return ARITY[kind] ?? 0;
}
