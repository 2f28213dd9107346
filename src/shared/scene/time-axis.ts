/**
 * The timeline's time axis with compressed idle gaps: a monotonic map between trace time (real µs) and display
 * time (the µs a `TimeScale` lays out), where each long idle stretch ("break") is squeezed to a fixed display
 * width and drawn with a break marker labelled with its real duration.
 *
 * Invariants:
 * - Outside breaks, display time advances exactly like real time (slope 1), so durations, pixel-per-µs level of
 *   detail and slack for hit-testing keep their meaning there; inside a break [startUs, endUs] real time is spread
 *   linearly over the break's `widthUs` display µs. Before the first break display time equals real time.
 * - `toReal(toDisplay(t)) === t` (up to float rounding) for every t, and both are non-decreasing: anything that
 *   converts a pixel to a time (hit-testing, seeking, the camera) goes through `toReal`, anything that draws a
 *   time through `toDisplay`.
 * - Breaks are sorted, disjoint and lie strictly inside the activity: nothing happens inside one (no event, no
 *   call-stack entry on any agent) — only waits that span it (a pending timer, a queued callback) cross it.
 * - The identity axis (no breaks) costs one comparison per conversion.
 */

import { IDLE_GAP_MIN_US, type TimelineIndex } from './timeline-index.ts';
import { formatDurationUs } from './time.ts';

export interface Break {
  /** Real time where the idle stretch starts and ends (µs). */
  readonly startUs: number;
  readonly endUs: number;
  /** Display time where the break starts; it ends at `displayUs + widthUs`. */
  readonly displayUs: number;
  readonly widthUs: number;
  /** What its marker says: "800 ms idle". */
  readonly label: string;
}

/** A break's display width as a fraction of the activity it sits in (about 8% of the view for one break)… */
const BREAK_FRACTION = 0.08;
/** …and all breaks together at most about a quarter of the activity, however many there are. */
const BREAKS_TOTAL_FRACTION = 0.3;
/** A gap 10× longer than the shortest compressed one gets a break twice as wide, 100× three times (at most). */
const MAX_WIDTH_FACTOR = 3;
/** Narrowest break, in display µs (a run of a few µs of activity still shows its break). */
const MIN_BREAK_US = 10;
/** A gap is compressed only when it is at least this many times a break's width: shorter ones stay as they are. */
const COMPRESS_RATIO = 4;

export class TimeAxis {
  readonly breaks: readonly Break[];
  readonly #starts: Float64Array;
  readonly #displays: Float64Array;

  /** `gaps` become breaks of their own `widthUs`, else of `widthUs` display µs. */
  constructor(gaps: readonly { readonly startUs: number; readonly endUs: number; readonly widthUs?: number }[] = [], widthUs = 0) {
    const breaks: Break[] = [];
    let removed = 0;
    for (const g of gaps) {
      const w = g.widthUs ?? widthUs;
      if (!(g.endUs > g.startUs) || !(w > 0) || (breaks.length > 0 && g.startUs < breaks[breaks.length - 1]!.endUs)) throw new RangeError('breaks must be sorted, disjoint, non-empty and of a positive width');
      breaks.push({ startUs: g.startUs, endUs: g.endUs, displayUs: g.startUs - removed, widthUs: w, label: breakLabel(g) });
      removed += g.endUs - g.startUs - w;
    }
    this.breaks = breaks;
    this.#starts = Float64Array.from(breaks, (b) => b.startUs);
    this.#displays = Float64Array.from(breaks, (b) => b.displayUs);
  }

  static readonly identity = new TimeAxis();

  /** Display time of real time `t`. */
  toDisplay(t: number): number {
    const n = this.#starts.length;
    if (n === 0 || t <= this.#starts[0]!) return t;
    const b = this.breaks[lastAtOrBefore(this.#starts, t)]!;
    if (t < b.endUs) return b.displayUs + ((t - b.startUs) / (b.endUs - b.startUs)) * b.widthUs;
    return b.displayUs + b.widthUs + (t - b.endUs);
  }

  /** Real time of display time `d`. */
  toReal(d: number): number {
    const n = this.#displays.length;
    if (n === 0 || d <= this.#displays[0]!) return d;
    const b = this.breaks[lastAtOrBefore(this.#displays, d)]!;
    if (d < b.displayUs + b.widthUs) return b.startUs + ((d - b.displayUs) / b.widthUs) * (b.endUs - b.startUs);
    return b.endUs + (d - b.displayUs - b.widthUs);
  }

  /** The break display time `d` falls in (strictly inside), or undefined. */
  breakAtDisplay(d: number): Break | undefined {
    const n = this.#displays.length;
    if (n === 0 || d <= this.#displays[0]!) return undefined;
    const b = this.breaks[lastAtOrBefore(this.#displays, d)]!;
    return d < b.displayUs + b.widthUs ? b : undefined;
  }

  /** Same breaks (by real time) and width: converting a view from one axis to the other changes nothing. */
  sameAs(other: TimeAxis): boolean {
    if (other.breaks.length !== this.breaks.length) return false;
    return this.breaks.every((b, i) => b.startUs === other.breaks[i]!.startUs && b.endUs === other.breaks[i]!.endUs && b.widthUs === other.breaks[i]!.widthUs);
  }
}

/** "800 ms idle": what a break marker says. */
export function breakLabel(b: Pick<Break, 'startUs' | 'endUs'>): string {
  return `${formatDurationUs(b.endUs - b.startUs)} idle`;
}

/** Index of the last element ≤ x in the ascending `a` (−1 when none). */
function lastAtOrBefore(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

type Interval = readonly [number, number];

/**
 * Stretches inside the activity where every agent was idle (no event, nothing on its stack), at least `minUs` long,
 * in time order. Work is O(agents × their recorded idle stretches): the index records those as it reads events.
 */
export function idleGaps(index: TimelineIndex, minUs = IDLE_GAP_MIN_US): { startUs: number; endUs: number }[] {
  const range = index.activityRange();
  if (!range) return [];
  let common: Interval[] = [[range.startUs, range.endUs]];
  for (const lane of index.lanes) {
    if (!lane || !(lane.firstActivityUs === lane.firstActivityUs)) continue;
    // this agent's idle set: before its first activity, its recorded gaps, after its last (unless still on a stack)
    const idle: Interval[] = [[-Infinity, lane.firstActivityUs]];
    const g = lane.idleGaps;
    for (let i = 0; i + 1 < g.length; i += 2) idle.push([g.get(i), g.get(i + 1)]);
    if (lane.stackSlice.length === 0) idle.push([lane.lastActivityUs, Infinity]);
    common = intersect(common, idle);
    if (common.length === 0) break;
  }
  return common.filter(([s, e]) => e - s >= minUs).map(([startUs, endUs]) => ({ startUs, endUs }));
}

function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const s = Math.max(a[i]![0], b[j]![0]);
    const e = Math.min(a[i]![1], b[j]![1]);
    if (e > s) out.push([s, e]);
    if (a[i]![1] < b[j]![1]) i++;
    else j++;
  }
  return out;
}

/**
 * The axis the timeline draws with: idle gaps that dwarf the activity are squeezed into breaks. A break's width is a
 * base width — `BREAK_FRACTION` of the activity that is left, less when there are many (all of them together stay
 * near `BREAKS_TOTAL_FRACTION`), at least `MIN_BREAK_US` — grown with the log of how much longer its gap is than the
 * shortest one squeezed (up to `MAX_WIDTH_FACTOR`), so the long waits stand out and have room for their label. A gap
 * is squeezed only when it is at least `COMPRESS_RATIO` base widths long. `compress: false` gives the linear axis.
 */
export function compressedAxis(index: TimelineIndex, compress = true): TimeAxis {
  if (!compress) return TimeAxis.identity;
  const range = index.activityRange();
  const gaps = idleGaps(index);
  if (!range || gaps.length === 0) return TimeAxis.identity;
  let idle = 0;
  for (const g of gaps) idle += g.endUs - g.startUs;
  const busy = Math.max(0, range.endUs - range.startUs - idle);
  const factor = (len: number, base: number): number => Math.min(MAX_WIDTH_FACTOR, 1 + Math.log10(len / (COMPRESS_RATIO * base)));
  const layout = (candidates: typeof gaps) => {
    // the base width the budget allows for these candidates (factors measured against the plain share)
    const share = busy * Math.min(BREAK_FRACTION, BREAKS_TOTAL_FRACTION / candidates.length);
    const plain = Math.max(MIN_BREAK_US, share);
    const total = candidates.reduce((n, g) => n + Math.max(1, factor(g.endUs - g.startUs, plain)), 0);
    const base = Math.max(MIN_BREAK_US, Math.min(busy * BREAK_FRACTION, (busy * BREAKS_TOTAL_FRACTION) / total));
    const kept = candidates.filter((g) => g.endUs - g.startUs >= COMPRESS_RATIO * base);
    return { base, kept };
  };
  let { base, kept } = layout(gaps);
  // Fewer breaks than candidates leave budget unused: lay the kept ones out again (a gap that no longer clears the
  // ratio at the wider base stays linear).
  if (kept.length > 0 && kept.length < gaps.length) ({ base, kept } = layout(kept));
  if (kept.length === 0) return TimeAxis.identity;
  return new TimeAxis(kept.map((g) => ({ ...g, widthUs: base * Math.max(1, factor(g.endUs - g.startUs, base)) })));
}

/** Tooltip text of a break marker: how long nothing ran, from when to when (times since the trace's start). */
export function describeBreak(b: Pick<Break, 'startUs' | 'endUs'>, originUs: number): { title: string; lines: string[] } {
  const from = b.startUs - originUs;
  return { title: breakLabel(b), lines: [`nothing ran on any thread from ${formatDurationUs(from)} to ${formatDurationUs(from + b.endUs - b.startUs)}`, 'compressed: "Gaps" (or G) shows it at its real length'] };
}

/**
 * The axis a timeline view draws with, kept current as a run streams: recomputed only when the index's activity
 * changed or compression was turned on or off, and replaced only when its breaks differ.
 */
export class GapCompression {
  axis: TimeAxis = TimeAxis.identity;
  #compress = true;
  #version = -1;

  get compress(): boolean {
    return this.#compress;
  }

  set compress(on: boolean) {
    if (on === this.#compress) return;
    this.#compress = on;
    this.#version = -1;
  }

  /** A new trace. */
  reset(): void {
    this.axis = TimeAxis.identity;
    this.#version = -1;
  }

  /** Brings the axis up to date with `index`; returns the previous axis when it changed (to remap a view), else null. */
  update(index: TimelineIndex): TimeAxis | null {
    if (index.activityVersion === this.#version) return null;
    this.#version = index.activityVersion;
    const next = compressedAxis(index, this.#compress);
    if (next.sameAs(this.axis)) return null;
    const prev = this.axis;
    this.axis = next;
    return prev;
  }
}
