/**
 * Coordinate spaces of the timeline and the one object that converts between them.
 *
 * Invariants:
 * - Trace time is microseconds since run start (`TimeUs`), CSS pixels are layout pixels (`CssPx`), device pixels
 *   are what a canvas backing store holds (`DevicePx` = CssPx × devicePixelRatio). The three are branded so a
 *   pixel can never be passed where a time is expected. Convert only through `TimeScale` (or `toDevicePx`).
 * - A `TimeScale` always spans a positive duration (`endUs > startUs`) and never less than `MIN_SPAN_US`; zooming
 *   keeps the time under the zoom anchor at the same pixel.
 * - Steps (`Step`) are global event sequence numbers: the scrubber's unit.
 */

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

export type TimeUs = Brand<number, 'TimeUs'>;
export type CssPx = Brand<number, 'CssPx'>;
export type DevicePx = Brand<number, 'DevicePx'>;
export type Step = Brand<number, 'Step'>;

export const timeUs = (n: number): TimeUs => n as TimeUs;
export const cssPx = (n: number): CssPx => n as CssPx;
export const step = (n: number): Step => n as Step;
export const toDevicePx = (px: CssPx, devicePixelRatio: number): DevicePx => (px * devicePixelRatio) as DevicePx;

/** The narrowest window the timeline zooms to: 0.1 µs across the whole view. */
export const MIN_SPAN_US = 0.1;

export class TimeScale {
  readonly startUs: TimeUs;
  readonly endUs: TimeUs;
  readonly widthCssPx: CssPx;

  constructor(startUs: number, endUs: number, widthCssPx: number) {
    const width = Math.max(1, widthCssPx);
    let start = Number.isFinite(startUs) ? startUs : 0;
    let end = Number.isFinite(endUs) ? endUs : start + 1;
    if (end - start < MIN_SPAN_US) {
      const mid = (start + end) / 2;
      start = mid - MIN_SPAN_US / 2;
      end = mid + MIN_SPAN_US / 2;
    }
    this.startUs = timeUs(start);
    this.endUs = timeUs(end);
    this.widthCssPx = cssPx(width);
  }

  get spanUs(): number {
    return this.endUs - this.startUs;
  }

  /** Microseconds covered by one CSS pixel. */
  get usPerCssPx(): number {
    return this.spanUs / this.widthCssPx;
  }

  timeToPx(t: TimeUs | number): CssPx {
    return (((t - this.startUs) / this.spanUs) * this.widthCssPx) as CssPx;
  }

  pxToTime(px: CssPx | number): TimeUs {
    return (this.startUs + (px / this.widthCssPx) * this.spanUs) as TimeUs;
  }

  durationToPx(us: number): CssPx {
    return ((us / this.spanUs) * this.widthCssPx) as CssPx;
  }

  withWidth(widthCssPx: number): TimeScale {
    return new TimeScale(this.startUs, this.endUs, widthCssPx);
  }

  /** Zoom by `factor` (> 1 zooms in) keeping the time at `anchorPx` under the same pixel. */
  zoomAt(anchorPx: CssPx | number, factor: number): TimeScale {
    const anchor = this.pxToTime(anchorPx);
    const span = Math.max(MIN_SPAN_US, this.spanUs / factor);
    const frac = anchorPx / this.widthCssPx;
    const start = anchor - frac * span;
    return new TimeScale(start, start + span, this.widthCssPx);
  }

  /** Pan by `dxCssPx` pixels: positive moves the view later in time. */
  panByPx(dxCssPx: number): TimeScale {
    const dt = dxCssPx * this.usPerCssPx;
    return new TimeScale(this.startUs + dt, this.endUs + dt, this.widthCssPx);
  }

  /** Keep the window inside [minUs, maxUs] (with a little margin), shrinking it if it is wider than the bounds. */
  clampTo(minUs: number, maxUs: number): TimeScale {
    const margin = Math.max(MIN_SPAN_US, (maxUs - minUs) * 0.05);
    const lo = minUs - margin;
    const hi = maxUs + margin;
    let span = Math.min(this.spanUs, hi - lo);
    span = Math.max(span, MIN_SPAN_US);
    let start = this.startUs as number;
    if (start < lo) start = lo;
    if (start + span > hi) start = hi - span;
    return new TimeScale(start, start + span, this.widthCssPx);
  }

  /** A window showing [fromUs, toUs] with `padFraction` of the span as margin on each side. */
  static fit(fromUs: number, toUs: number, widthCssPx: number, padFraction = 0.05): TimeScale {
    const span = Math.max(MIN_SPAN_US, toUs - fromUs);
    const pad = span * padFraction;
    return new TimeScale(fromUs - pad, toUs + pad, widthCssPx);
  }

  /** Centre the view on `t` without changing the zoom. */
  centeredOn(t: number): TimeScale {
    const half = this.spanUs / 2;
    return new TimeScale(t - half, t + half, this.widthCssPx);
  }

  contains(t: number): boolean {
    return t >= this.startUs && t <= this.endUs;
  }
}

/** "1.25 ms", "830 µs", "2.4 s" — a duration the way a person reads it. */
export function formatDurationUs(us: number): string {
  const a = Math.abs(us);
  if (a >= 1e6) return `${trim(us / 1e6)} s`;
  if (a >= 1e3) return `${trim(us / 1e3)} ms`;
  if (a >= 1) return `${trim(us)} µs`;
  if (a === 0) return '0 µs';
  return `${Math.round(us * 1000)} ns`;
}

function trim(n: number): string {
  const a = Math.abs(n);
  const digits = a >= 100 ? 0 : a >= 10 ? 1 : 2;
  return Number(n.toFixed(digits)).toString();
}

/**
 * An axis tick's label: in the unit of the tick spacing, with the decimals the spacing needs, so neighbouring ticks
 * never read the same ("1105 ms", "1110 ms" rather than "1.1 s" twice — after a compressed gap, ticks a few ms
 * apart sit at over a second).
 */
export function formatTickUs(us: number, tickUs: number): string {
  const [unit, name] = tickUs >= 1e5 ? [1e6, 's'] : tickUs >= 100 ? [1e3, 'ms'] : [1, 'µs'];
  // as many decimals as the spacing has in that unit (0.25 ms → 2)
  let decimals = 0;
  while (decimals < 6 && Math.abs(Math.round((tickUs / unit) * 10 ** decimals) - (tickUs / unit) * 10 ** decimals) > 1e-6) decimals++;
  return `${Number((us / unit).toFixed(decimals))} ${name}`;
}

/** Tick spacing for a time axis: a 1/2/5 × 10^k step giving roughly `targetPx` between ticks. */
export function niceTickUs(scale: TimeScale, targetPx = 100): number {
  const raw = scale.usPerCssPx * targetPx;
  const pow = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 2, 5, 10]) if (pow * m >= raw) return pow * m;
  return pow * 10;
}
