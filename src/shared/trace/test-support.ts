/**
 * Hand-built traces for tests: write events as `[kind, ...args]` rows, string args as plain JS strings.
 * Pure (no Node), so any test in the tree may use it.
 */
import type { RunEnd } from '../run/contract.ts';
import { TraceBuilder, type Trace } from './builder.ts';
import { EVENT_SPECS, EndReason, EventKind, type Frame, type TraceBatch, type TraceHeader } from './schema.ts';

export type EventRow = readonly [number, ...(number | string)[]];

/**
 * Encodes rows into the wire int stream. A string arg is interned into `strings` (appended when new) and
 * replaced by its index; a number is written as is (so tests can also write raw, even wrong, indices).
 * Rows are written as given: arity is not checked, so malformed streams can be built on purpose.
 */
export function encode(events: readonly EventRow[], strings: string[] = []): { ints: Int32Array; strings: string[] } {
  const out: number[] = [];
  for (const row of events) {
    for (const v of row) {
      if (typeof v === 'string') {
        let at = strings.indexOf(v);
        if (at < 0) at = strings.push(v) - 1;
        out.push(at);
      } else out.push(v);
    }
  }
  return { ints: Int32Array.from(out), strings };
}

export function batch(agent: number, events: readonly EventRow[], strings: string[] = []): TraceBatch {
  const { ints } = encode(events, strings);
  return { agent, ints, strings };
}

export function testHeader(frames: readonly Frame[] = []): TraceHeader {
  return { version: 1, runId: 'test-run', mode: 'function', startedAtMs: Date.UTC(2025, 0, 1), frames, files: [{ path: 'main.ts', text: '' }], entry: 'main.ts' };
}

export function userFrame(id: number, name: string, line = 1, flavor: Frame['flavor'] = 'sync'): Frame {
  return { id, kind: 'function', name, file: 'main.ts', line, column: 1, endLine: line + 1, endColumn: 1, flavor };
}

export const COMPLETED: RunEnd = { reason: EndReason.Completed, message: 'completed', exitCode: 0, events: 0, durationMs: 1 };

/** Builds a finished trace from batches (or one batch of agent-0 rows). */
export function buildTrace(batches: readonly TraceBatch[] | readonly EventRow[], frames: readonly Frame[] = [], end: RunEnd | null = COMPLETED): Trace {
  const builder = new TraceBuilder(testHeader(frames));
  const list = batches.length > 0 && Array.isArray(batches[0]) ? [batch(0, batches as readonly EventRow[])] : (batches as readonly TraceBatch[]);
  for (const b of list) builder.append(b);
  return end ? builder.finish(end) : builder.trace;
}

/** The event names of a trace, for readable assertions. */
export function kindNames(trace: Trace): string[] {
  return Array.from(trace.kind.subarray(0, trace.count), (k) => EVENT_SPECS[k]?.name ?? `?${k}`);
}

/**
 * Inserts the clock readings a real agent writes: a `Time` row before every non-stack event, the clock advancing
 * by `everyUs` per event (stack events included, so interpolation has room). Returns the rows and the time each
 * non-stack event will get.
 */
export function withClock(events: readonly EventRow[], startUs = 0, everyUs = 10): EventRow[] {
  const out: EventRow[] = [];
  let now = startUs;
  for (const row of events) {
    if (!EVENT_SPECS[row[0]]?.stack) out.push([0, now]);
    out.push(row);
    now += everyUs;
  }
  return out;
}

/** The step right after the n-th (0-based) event matching `pred` (Time rows are not events). */
export function stepAfter(rows: readonly EventRow[], pred: (r: EventRow) => boolean, n = 0): number {
  let seen = 0;
  let step = 0;
  for (const r of rows) {
    if (r[0] === EventKind.Time) continue;
    step++;
    if (pred(r) && seen++ === n) return step;
  }
  throw new Error('no such event');
}
