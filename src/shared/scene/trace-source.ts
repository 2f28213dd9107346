/**
 * The columnar trace as the scene reads it: a structural view of `Trace` from src/shared/trace/builder.ts, so the
 * scene depends on the columns only (and tests can hand it small fixtures).
 *
 * Invariants relied on:
 * - Event `i` (its step) has kind `kind[i]`, agent `agent[i]`, time `timeUs[i]` (µs since run start, never
 *   decreasing along the steps of one agent — but agents interleave, so times along all steps are NOT sorted) and args `args[argStart[i] .. argStart[i] + EVENT_SPECS[kind].args.length)`.
 * - String args are indices into `strings` (already global). `Time` events never appear.
 * - While a run streams, `count` only grows; events below `count` never change. Arrays may be replaced by longer
 *   ones, so read them from the trace every time rather than keeping a reference.
 */
import { EventKind, type TraceHeader } from '../trace/schema.ts';

export interface TraceColumns {
  readonly count: number;
  readonly kind: Uint8Array;
  readonly agent: Uint8Array;
  readonly timeUs: Float64Array;
  readonly argStart: Uint32Array;
  readonly args: Int32Array;
  readonly strings: readonly string[];
  readonly header: TraceHeader;
}

/** The `n`th arg of event `i`. */
export function arg(trace: TraceColumns, i: number, n: number): number {
  return trace.args[trace.argStart[i]! + n] ?? 0;
}

/** A string arg of event `i` (its text). */
export function strArg(trace: TraceColumns, i: number, n: number): string {
  return trace.strings[arg(trace, i, n)] ?? '';
}

/** Time of the last event (0 for an empty trace). */
export function lastTimeUs(trace: TraceColumns): number {
  return trace.count > 0 ? trace.timeUs[trace.count - 1]! : 0;
}

/**
 * The AtomicsElement (v4) that describes Atomics event `i`: the event of its agent just before it, when it is one (other
 * agents' events may come between, a few at most); -1 when there is none (an older trace).
 */
export function atomicsElementOf(trace: TraceColumns, i: number): number {
  for (let j = i - 1; j >= 0 && j >= i - 16; j--) {
    if (trace.agent[j] !== trace.agent[i]) continue;
    return trace.kind[j] === EventKind.AtomicsElement ? j : -1;
  }
  return -1;
}
