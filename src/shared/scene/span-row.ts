/**
 * One row of a timeline track: spans that never overlap, appended in time order, and the level-of-detail query
 * that turns the visible part of a row into blocks to draw.
 *
 * Invariants:
 * - A span is stored by its first and last step (event index), not by time: a streaming trace may still move the
 *   times of an agent's latest stack events forward, so times are always read from the trace (`times`).
 * - Spans are appended in start order and a span ends before the next one starts, all within one agent, whose
 *   times never decrease: starts and ends are both sorted by time, so the query can binary-search either. Only
 *   the last span may be open (end step -1: still running); it is treated as ending at `liveEndUs`.
 * - The query never drops a span: every CSS pixel column that some visible span touches is covered by a returned
 *   block. Spans narrower than a pixel are merged with neighbours closer than a pixel into one block (with the
 *   number of spans it stands for); spans at least a pixel wide are returned alone.
 * - Cost per query is O((blocks + pixel columns covered by merged blocks) × log n) — never the whole row.
 */
import { IntColumn } from './growable.ts';

export class SpanRow {
  readonly startStep = new IntColumn(16);
  /** -1 while open. */
  readonly endStep = new IntColumn(16);
  /** What the span stands for (a slice id, a task index, a phase …) — the track decides. */
  readonly tag = new IntColumn(16);

  get count(): number {
    return this.startStep.length;
  }

  /** Appends an open span; returns its index. */
  open(startStep: number, tag: number): number {
    this.startStep.push(startStep);
    this.endStep.push(-1);
    return this.tag.push(tag);
  }

  close(index: number, endStep: number): void {
    this.endStep.set(index, Math.max(this.startStep.get(index), endStep));
  }

  isOpen(index: number): boolean {
    return this.endStep.get(index) < 0;
  }

  lastIndex(): number {
    return this.count - 1;
  }

  startAt(i: number, times: Float64Array): number {
    return times[this.startStep.raw[i]!]!;
  }

  endAt(i: number, times: Float64Array, liveEndUs: number): number {
    const e = this.endStep.raw[i]!;
    return e >= 0 ? times[e]! : Math.max(liveEndUs, times[this.startStep.raw[i]!]!);
  }

  /** First index whose end ≥ t, searching [from, count). */
  lowerBoundEnd(t: number, times: Float64Array, liveEndUs: number, from = 0): number {
    let lo = from;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.endAt(mid, times, liveEndUs) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First index whose start > t. */
  upperBoundStart(t: number, times: Float64Array): number {
    let lo = 0;
    let hi = this.count;
    const s = this.startStep.raw;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (times[s[mid]!]! <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First index whose start step ≥ step (spans are in step order too). */
  lowerBoundStep(step: number): number {
    let lo = 0;
    let hi = this.count;
    const s = this.startStep.raw;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (s[mid]! < step) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The span covering step (start ≤ step ≤ end, open spans cover everything after), or -1. */
  spanAtStep(step: number): number {
    const i = this.lowerBoundStep(step + 1) - 1;
    if (i < 0) return -1;
    const e = this.endStep.raw[i]!;
    return e < 0 || e >= step ? i : -1;
  }

  /** The span covering t, or -1. */
  spanAt(t: number, times: Float64Array, liveEndUs: number): number {
    const i = this.upperBoundStart(t, times) - 1;
    if (i < 0) return -1;
    return this.endAt(i, times, liveEndUs) >= t ? i : -1;
  }

  /** The span nearest to t within `slackUs` (for hovering sub-pixel spans), or -1. */
  spanNear(t: number, slackUs: number, times: Float64Array, liveEndUs: number): number {
    const hit = this.spanAt(t, times, liveEndUs);
    if (hit >= 0) return hit;
    const after = this.upperBoundStart(t, times);
    const before = after - 1;
    let best = -1;
    let bestD = slackUs;
    if (before >= 0) {
      const d = t - this.endAt(before, times, liveEndUs);
      if (d <= bestD) {
        best = before;
        bestD = d;
      }
    }
    if (after < this.count) {
      const d = this.startAt(after, times) - t;
      if (d <= bestD) best = after;
    }
    return best;
  }

  get byteLength(): number {
    return this.startStep.byteLength + this.endStep.byteLength + this.tag.byteLength;
  }

  trim(): void {
    this.startStep.trim();
    this.endStep.trim();
    this.tag.trim();
  }
}

/** Reusable output of `queryRow`: blocks as parallel arrays, refilled each frame without allocating. */
export class BlockList {
  startUs = new Float64Array(256);
  endUs = new Float64Array(256);
  /** Index of the first span in the block. */
  first = new Int32Array(256);
  /** How many spans the block stands for (1: a single span drawn as itself). */
  spans = new Int32Array(256);
  length = 0;

  reset(): void {
    this.length = 0;
  }

  push(s: number, e: number, first: number, spans: number): void {
    if (this.length === this.startUs.length) this.grow();
    const i = this.length++;
    this.startUs[i] = s;
    this.endUs[i] = e;
    this.first[i] = first;
    this.spans[i] = spans;
  }

  private grow(): void {
    const n = this.startUs.length * 2;
    const s = new Float64Array(n);
    s.set(this.startUs);
    this.startUs = s;
    const e = new Float64Array(n);
    e.set(this.endUs);
    this.endUs = e;
    const f = new Int32Array(n);
    f.set(this.first);
    this.first = f;
    const c = new Int32Array(n);
    c.set(this.spans);
    this.spans = c;
  }
}

/**
 * Appends to `out` the blocks to draw for the part of `row` inside [t0Us, t1Us] at `usPerPx` microseconds per
 * pixel. Returns the number of blocks appended.
 */
export function queryRow(row: SpanRow, times: Float64Array, t0Us: number, t1Us: number, usPerPx: number, liveEndUs: number, out: BlockList): number {
  const n = row.count;
  if (n === 0 || !(usPerPx > 0)) return 0;
  const before = out.length;
  let i = row.lowerBoundEnd(t0Us, times, liveEndUs);
  while (i < n) {
    const s = row.startAt(i, times);
    if (s > t1Us) break;
    let e = row.endAt(i, times, liveEndUs);
    if (e - s >= usPerPx) {
      out.push(s, e, i, 1);
      i++;
      continue;
    }
    // A sub-pixel span: grow a block over neighbours closer than a pixel, jumping over runs of tiny spans.
    const first = i;
    for (;;) {
      if (e > t1Us) break;
      const limit = e + usPerPx;
      const j = row.lowerBoundEnd(limit, times, liveEndUs, i + 1); // spans i+1 … j-1 end before `limit`: all tiny, all joined
      if (j > i + 1) {
        i = j - 1;
        e = Math.max(e, row.endAt(i, times, liveEndUs));
      }
      if (j >= n) break;
      const sj = row.startAt(j, times);
      if (sj >= limit) break; // a gap of a pixel or more ends the block
      const ej = row.endAt(j, times, liveEndUs);
      if (ej - sj >= usPerPx) break; // a wide neighbour is drawn on its own
      i = j;
      e = ej;
    }
    out.push(s, e, first, i - first + 1);
    i++;
  }
  return out.length - before;
}
