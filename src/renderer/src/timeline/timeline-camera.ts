/**
 * The timeline's camera: which stretch of trace time the time area shows (a TimeScale from µs to CSS px) and how
 * far the rows are scrolled. It knows the trace's extent and the size of what it looks through, never the canvas
 * or the input.
 *
 * Times here are display times (see src/shared/scene/time-axis.ts): the view converts real trace times before
 * asking, so the camera never knows about compressed idle gaps.
 *
 * Invariants:
 * - While `following` (nothing zoomed, panned or dragged since the last fit), the scale fits what it follows —
 *   the activity (`fitActivity`, the default: first to last event that is not idle) or the whole trace
 *   (`fitAll`) — and grows with a live run; any zoom, pan or drag stops that until the next fit.
 * - Zooms and pans never leave the trace's extent; the scroll stays within the rows' height.
 */
import { TimeScale } from '../../../shared/scene/time.ts';

/** The trace's time extent (µs), or null before it has any event. */
export type TimeExtent = () => { readonly startUs: number; readonly endUs: number } | null;

export class TimelineCamera {
  scale: TimeScale;
  scrollY = 0;
  following = true;
  /** What a fit (and following) frames: the activity or the whole trace. */
  fits: 'activity' | 'all' = 'activity';
  readonly #extent: TimeExtent;
  readonly #activity: TimeExtent;
  #timeWidthCssPx = 600;
  #viewportHeightCssPx = 300;

  /** `activity`: the stretch with activity (defaults to the whole extent). */
  constructor(extent: TimeExtent, activity: TimeExtent = extent) {
    this.#extent = extent;
    this.#activity = activity;
    this.scale = this.#all();
  }

  get timeWidthCssPx(): number {
    return this.#timeWidthCssPx;
  }

  get viewportHeightCssPx(): number {
    return this.#viewportHeightCssPx;
  }

  /** The time area and the rows' viewport changed size (CSS px). */
  resize(timeWidthCssPx: number, viewportHeightCssPx: number): void {
    this.#timeWidthCssPx = Math.max(1, timeWidthCssPx);
    this.#viewportHeightCssPx = viewportHeightCssPx;
    this.scale = this.following ? this.#all() : this.scale.withWidth(this.#timeWidthCssPx);
  }

  /** A new trace: follow it from the top. */
  reset(): void {
    this.following = true;
    this.scrollY = 0;
    this.scale = this.#all();
  }

  /** The trace grew: keep it all in view while following. */
  refit(): void {
    if (this.following) this.scale = this.#all();
  }

  zoom(factor: number, anchorCssPx = this.#timeWidthCssPx / 2): void {
    this.following = false;
    this.scale = this.#bounded(this.scale.zoomAt(anchorCssPx, factor));
  }

  pan(dxCssPx: number): void {
    this.following = false;
    this.scale = this.#bounded(this.scale.panByPx(dxCssPx));
  }

  /** Scrolls the rows, within `contentHeightCssPx` (the layout's height). */
  scrollBy(dyCssPx: number, contentHeightCssPx: number): void {
    const max = Math.max(0, contentHeightCssPx - this.#viewportHeightCssPx);
    this.scrollY = Math.max(0, Math.min(max, this.scrollY + dyCssPx));
  }

  /** Fits [startUs, endUs] (F on a selection). */
  fitRange(startUs: number, endUs: number): void {
    this.following = false;
    this.scale = TimeScale.fit(startUs, Math.max(endUs, startUs + 1), this.#timeWidthCssPx, 0.15);
  }

  /** Fits the whole trace, idle head and tail included, and follows it again (0, "All"). */
  fitAll(): void {
    this.following = true;
    this.fits = 'all';
    this.scale = this.#all();
  }

  /** Fits the activity and follows it again (F with nothing selected). */
  fitActivity(): void {
    this.following = true;
    this.fits = 'activity';
    this.scale = this.#all();
  }

  /** The time axis changed (idle gaps compressed or not): show the same real stretch through `convert`. */
  remap(convert: (displayUs: number) => number): void {
    if (this.following) this.scale = this.#all();
    else this.scale = this.#bounded(new TimeScale(convert(this.scale.startUs), convert(this.scale.endUs), this.#timeWidthCssPx));
  }

  /** Centres on `timeUs` when it is off screen; `stopFollowing` when the user asked for it. */
  reveal(timeUs: number, stopFollowing: boolean): void {
    if (this.scale.contains(timeUs)) return;
    if (stopFollowing) this.following = false;
    this.scale = this.scale.centeredOn(timeUs);
  }

  /** A drag begins: the returned function shows the view as it was then, moved by (dx, dy) CSS px. */
  dragFrom(): (dxCssPx: number, dyCssPx: number, contentHeightCssPx: number) => void {
    const { scale, scrollY } = this;
    return (dx, dy, contentHeight) => {
      this.following = false;
      this.scale = this.#bounded(scale.panByPx(-dx));
      this.scrollY = scrollY;
      this.scrollBy(-dy, contentHeight);
    };
  }

  #all(): TimeScale {
    const e = (this.fits === 'activity' ? this.#activity() : null) ?? this.#extent();
    if (!e) return new TimeScale(0, 1000, this.#timeWidthCssPx);
    return TimeScale.fit(e.startUs, Math.max(e.endUs, e.startUs + 1), this.#timeWidthCssPx, 0.02);
  }

  #bounded(s: TimeScale): TimeScale {
    const e = this.#extent();
    return e ? s.clampTo(e.startUs, Math.max(e.endUs, e.startUs + 1)) : s;
  }
}
