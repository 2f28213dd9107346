/**
 * A step-function counter (a queue's depth over time): points appended in time order, and a per-pixel max query
 * that stays cheap however many points a pixel holds.
 *
 * Invariants: times never decrease; the value holds from a point until the next one. Block maxima (per 32 and per
 * 1024 points) are maintained on append, so `maxIn(i, j)` costs at most ~100 reads.
 */
import { FloatColumn, IntColumn } from './growable.ts';

const B1 = 32;
const B2 = 1024;

export class CounterSeries {
  readonly timeUs = new FloatColumn(16);
  readonly value = new IntColumn(16);
  private readonly max1 = new IntColumn(4);
  private readonly max2 = new IntColumn(4);
  peak = 0;

  get count(): number {
    return this.timeUs.length;
  }

  get last(): number {
    return this.count > 0 ? this.value.get(this.count - 1) : 0;
  }

  push(t: number, v: number): void {
    const n = this.count;
    if (n > 0 && this.timeUs.get(n - 1) === t) {
      // Same instant: keep the larger so a brief spike stays visible, but the latest value for what follows.
      this.value.set(n - 1, v);
      this.bump(n - 1, v);
      return;
    }
    this.timeUs.push(t);
    this.value.push(v);
    this.bump(n, v);
  }

  private bump(i: number, v: number): void {
    if (v > this.peak) this.peak = v;
    raise(this.max1, (i / B1) | 0, v);
    raise(this.max2, (i / B2) | 0, v);
  }

  /** Index of the point in force at time t (the last with time ≤ t), or -1 before the first. */
  indexAt(t: number): number {
    let lo = 0;
    let hi = this.count;
    const ts = this.timeUs.raw;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ts[mid]! <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  valueAt(t: number): number {
    const i = this.indexAt(t);
    return i < 0 ? 0 : this.value.get(i);
  }

  /** Max value over points i … j (inclusive). */
  maxIn(i: number, j: number): number {
    const v = this.value.raw;
    let m = -Infinity;
    let k = i;
    while (k <= j) {
      if (k % B2 === 0 && k + B2 - 1 <= j) {
        m = Math.max(m, this.max2.get(k / B2));
        k += B2;
      } else if (k % B1 === 0 && k + B1 - 1 <= j) {
        m = Math.max(m, this.max1.get(k / B1));
        k += B1;
      } else {
        m = Math.max(m, v[k]!);
        k++;
      }
    }
    return m;
  }

  get byteLength(): number {
    return this.timeUs.byteLength + this.value.byteLength + this.max1.byteLength + this.max2.byteLength;
  }

  trim(): void {
    this.timeUs.trim();
    this.value.trim();
  }
}

function raise(blocks: IntColumn, b: number, v: number): void {
  if (b >= blocks.length) blocks.set(b, v);
  else if (v > blocks.get(b)) blocks.set(b, v);
}

/**
 * Per-pixel-column values for drawing [t0, t0 + columns × usPerPx): `out[c]` is the max value in force anywhere
 * in column c. Work is O(columns × log n + columns × ~100). With `toRealUs`, t0 and the columns are display times
 * of an axis with compressed idle gaps (src/shared/scene/time-axis.ts), converted to series times by it.
 */
export function counterColumns(series: CounterSeries, t0Us: number, usPerPx: number, out: Float32Array, toRealUs?: (displayUs: number) => number): void {
  const columns = out.length;
  let idx = series.indexAt(toRealUs ? toRealUs(t0Us) : t0Us);
  for (let c = 0; c < columns; c++) {
    const colEnd = toRealUs ? toRealUs(t0Us + (c + 1) * usPerPx) : t0Us + (c + 1) * usPerPx;
    const endIdx = series.indexAt(colEnd); // last point in force by the column's end
    if (endIdx < 0) {
      out[c] = 0;
      continue;
    }
    const from = Math.max(0, idx);
    out[c] = endIdx >= from ? Math.max(idx < 0 ? 0 : -Infinity, series.maxIn(from, endIdx)) : 0;
    idx = endIdx;
  }
}
