/**
 * The timeline's imperative widget: owns the canvas, the time scale and the vertical scroll, the selection and its
 * flows, and asks the app's frame loop for a redraw. Input (keys, wheel, drag, hover, click) is handled by
 * timeline-input.ts, which asks this view for zooms, pans and selections; drawing is timeline-renderer.ts; each row
 * kind's drawing, hit-testing and text is its track kind's (src/shared/scene/timeline-tracks.ts). The
 * Svelte component only owns the element and the tooltip.
 *
 * Invariants:
 * - Drawing happens only inside a frame-loop callback, at most once per frame, and only when something changed.
 * - While the run is live and the user has not moved the view, the view fits the activity ("follow live");
 *   any zoom, pan or drag stops that until F (fit the activity) or 0 (fit all) is pressed with nothing selected.
 * - Long idle gaps are compressed into breaks (src/shared/scene/time-axis.ts) unless turned off: the camera works in
 *   display time, everything else in trace time, and every conversion goes through `this.gaps.axis`.
 */
import { flowsOfItem, flowsToFollow, type Flow } from '../../../shared/scene/flows.ts';
import { TimeScale } from '../../../shared/scene/time.ts';
import { GapCompression, describeBreak, type TimeAxis } from '../../../shared/scene/time-axis.ts';
import { TRACK_KINDS, describeTimelineItem, itemSpans, type DescribedItem } from '../../../shared/scene/timeline-tracks.ts';
import { layoutTimeline, rowAtY, type TimelineLayout } from '../../../shared/scene/timeline-layout.ts';
import type { TraceColumns } from '../../../shared/scene/trace-source.ts';
import { frameLoop } from '../app/frame-loop.ts';
import { sceneFor, type TraceScene } from '../app/scene-cache.ts';
import { TimelineCamera } from './timeline-camera.ts';
import { TimelineInput, type TimelineInputTarget } from './timeline-input.ts';
import { AXIS_CSS_PX, GUTTER_CSS_PX, TimelineRenderer, type Selection } from './timeline-renderer.ts';
import { readTheme, type TimelineTheme } from './timeline-theme.ts';

export interface HoverInfo {
  readonly title: string;
  readonly lines: readonly string[];
  readonly xCssPx: number;
  readonly yCssPx: number;
}

export interface TimelineCallbacks {
  onSeek(cursor: number): void;
  onHover(info: HoverInfo | null): void;
  /** A short description of the selection ('' when none), for the screen-reader status line. */
  onSelect(description: string): void;
  /** Compressed idle gaps were turned on or off (by G or `setCompressGaps`). */
  onGapsChange?(on: boolean): void;
}

export class TimelineView {
  private readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly cb: TimelineCallbacks;
  private readonly renderer = new TimelineRenderer();
  private readonly frame: { id: symbol; dispose: () => void };
  private readonly resize: ResizeObserver;
  private scene: TraceScene | null = null;
  private ended = false;
  private layout: TimelineLayout = { rows: [], heightCssPx: 0 };
  private layoutVersion = -1;
  private readonly gaps = new GapCompression();
  private readonly camera = new TimelineCamera(
    () => {
      const idx = this.scene?.index;
      return idx && idx.processed > 0 ? { startUs: this.gaps.axis.toDisplay(idx.startUs), endUs: this.gaps.axis.toDisplay(idx.liveEndUs) } : null;
    },
    () => {
      const r = this.scene?.index.activityRange();
      return r ? { startUs: this.gaps.axis.toDisplay(r.startUs), endUs: this.gaps.axis.toDisplay(r.endUs) } : null;
    },
  );
  private widthCss = 600;
  private heightCss = 300;
  private dpr = 1;
  private cursor = 0;
  private selection: Selection | null = null;
  private hover: Selection | null = null;
  private flows: Flow[] = [];
  private flowCycle = 0;
  private dirty = true;
  private readonly input: TimelineInput;
  private theme: TimelineTheme;
  private themeKey = '';
  /** Time spent in the last draw (ms), for the benchmark. */
  lastDrawMs = 0;

  constructor(canvas: HTMLCanvasElement, callbacks: TimelineCallbacks) {
    this.canvas = canvas;
    this.cb = callbacks;
    const ctx = canvas.getContext('2d', { alpha: false });
    if (!ctx) throw new Error('the timeline needs a 2D canvas');
    this.ctx = ctx;
    this.theme = readTheme(canvas);
    this.frame = frameLoop.add((_now, dt) => this.onFrame(dt));
    this.resize = new ResizeObserver(() => this.measure());
    this.resize.observe(canvas.parentElement ?? canvas);
    this.measure();
    this.input = new TimelineInput(canvas, this.inputTarget());
  }

  dispose(): void {
    this.frame.dispose();
    this.resize.disconnect();
    this.input.dispose();
  }

  /** Shows a trace (null: nothing to show). Resets selection and view when the trace changes. */
  setTrace(trace: TraceColumns | null): void {
    const scene = trace ? sceneFor(trace) : null;
    if (scene === this.scene) return;
    this.scene = scene;
    this.selection = null;
    this.hover = null;
    this.flows = [];
    this.gaps.reset();
    this.camera.reset();
    this.layoutVersion = -1;
    this.invalidate();
  }

  /** Reads new events of the trace (call when the trace grew or ended). */
  sync(ended: boolean): void {
    const scene = this.scene;
    if (!scene) return;
    this.ended = ended;
    scene.sync(ended);
    if (scene.index.structure !== this.layoutVersion) {
      this.layout = layoutTimeline(scene.index);
      this.layoutVersion = scene.index.structure;
    }
    this.updateAxis();
    this.camera.refit();
    this.invalidate();
  }

  /** Compressed idle gaps on or off (on by default). */
  setCompressGaps(on: boolean): void {
    if (on === this.gaps.compress) return;
    this.gaps.compress = on;
    this.cb.onGapsChange?.(on);
    this.updateAxis();
    this.invalidate();
  }

  get compressGaps(): boolean {
    return this.gaps.compress;
  }

  /** Break markers drawn in the last frame (canvas CSS px) with their labels ("800 ms idle"). */
  get breakMarkers(): readonly { xCssPx: number; widthCssPx: number; label: string }[] {
    return this.renderer.lastBreaks;
  }

  /** The stretch with activity and the whole trace (trace µs), null before any event: for tests. */
  activityRangeUs(): { startUs: number; endUs: number } | null {
    return this.scene?.index.activityRange() ?? null;
  }

  traceRangeUs(): { startUs: number; endUs: number } | null {
    const idx = this.scene?.index;
    return idx && idx.processed > 0 ? { startUs: idx.startUs, endUs: idx.liveEndUs } : null;
  }

  /** The time axis with its breaks (trace time ↔ display time). */
  get timeAxis(): TimeAxis {
    return this.gaps.axis;
  }

  setCursor(cursor: number): void {
    if (cursor === this.cursor) return;
    this.cursor = cursor;
    const scene = this.scene;
    if (scene && cursor > 0 && !this.camera.following && !this.input.pressed) {
      const t = scene.index.timeUs[cursor - 1];
      if (t !== undefined) this.camera.reveal(this.gaps.axis.toDisplay(t), false);
    }
    this.invalidate();
  }

  get timeScale(): TimeScale {
    return this.camera.scale;
  }

  /** Blocks drawn in the last frame. */
  get lastBlocks(): number {
    return this.renderer.lastBlocks;
  }

  zoom(factor: number, anchorCssPx?: number): void {
    this.camera.zoom(factor, anchorCssPx);
    this.invalidate();
  }

  pan(dxCssPx: number): void {
    this.camera.pan(dxCssPx);
    this.invalidate();
  }

  scrollBy(dyCssPx: number): void {
    this.camera.scrollBy(dyCssPx, this.layout.heightCssPx);
    this.invalidate();
  }

  /** F: fit the selection, or the activity (first to last event that is not idle). */
  fit(): void {
    const scene = this.scene;
    if (!scene) return;
    const sel = this.selection;
    const row = sel ? this.spanRow(sel) : undefined;
    if (sel && row) {
      const s = row.startAt(sel.span, scene.index.timeUs);
      const e = row.endAt(sel.span, scene.index.timeUs, scene.index.liveEndUs);
      this.camera.fitRange(this.gaps.axis.toDisplay(s), this.gaps.axis.toDisplay(e));
    } else this.camera.fitActivity();
    this.invalidate();
  }

  /** 0: the whole run, idle start and tail included. */
  fitAll(): void {
    this.camera.fitAll();
    this.invalidate();
  }

  /** `[` (direction -1): go to what caused the selection; `]` (+1): to what it caused. Returns false when none. */
  followFlow(direction: 1 | -1): boolean {
    const scene = this.scene;
    if (!scene || !this.selection) return false;
    const flows = flowsToFollow(scene.index, scene.trace, this.selection, direction);
    if (flows.length === 0) return false;
    const f = flows[this.flowCycle++ % flows.length]!;
    const targetSlice = direction < 0 ? f.fromSlice : f.toSlice;
    const end = direction < 0 ? f.from : f.to;
    if (targetSlice >= 0) this.selectSlice(targetSlice);
    this.cb.onSeek(end.step + 1);
    const t = scene.index.timeUs[end.step];
    if (t !== undefined) this.camera.reveal(this.gaps.axis.toDisplay(t), true);
    this.invalidate();
    return true;
  }

  /** Selects a slice by id and scrolls its row into view. */
  selectSlice(slice: number): void {
    const scene = this.scene;
    if (!scene) return;
    const idx = scene.index;
    const sel: Selection = { agent: idx.slices.agent.get(slice), row: 'stack', rowIndex: idx.slices.depth.get(slice), queue: -1, span: idx.slices.rowIndex.get(slice) };
    this.setSelection(sel);
    const row = this.layout.rows.find((r) => r.kind === 'stack' && r.agent === sel.agent && r.index === sel.rowIndex);
    const top = this.camera.scrollY;
    if (row && (row.yCssPx < top || row.yCssPx > top + this.camera.viewportHeightCssPx - 30)) this.scrollBy(row.yCssPx - top - 40);
  }

  /**
   * Canvas CSS coordinates of the stack row `depth` of `agent` at the time of `step` (scrolling the row into
   * view first), or null when that row does not exist. For tests and "show me" links.
   */
  pointAt(agent: number, depth: number, step: number): { x: number; y: number } | null {
    const scene = this.scene;
    const row = this.layout.rows.find((r) => r.kind === 'stack' && r.agent === agent && r.index === depth);
    const t = scene?.index.timeUs[step];
    if (!row || t === undefined) return null;
    const camera = this.camera;
    camera.reveal(this.gaps.axis.toDisplay(t), false);
    if (row.yCssPx < camera.scrollY || row.yCssPx + row.heightCssPx > camera.scrollY + camera.viewportHeightCssPx) this.scrollBy(row.yCssPx - camera.scrollY - 20);
    this.drawNow();
    return { x: GUTTER_CSS_PX + camera.scale.timeToPx(this.gaps.axis.toDisplay(t)), y: AXIS_CSS_PX + row.yCssPx - camera.scrollY + row.heightCssPx / 2 };
  }

  invalidate(): void {
    this.dirty = true;
    frameLoop.request(this.frame.id);
  }

  /** Draws now (benchmarks and tests); normally drawing happens in the frame loop. */
  drawNow(): void {
    this.draw();
  }

  // ---------------------------------------------------------------------------------------------- internals

  /** What the input handler (timeline-input.ts) may do to this view. */
  private inputTarget(): TimelineInputTarget {
    return {
      timeWidth: () => this.camera.timeWidthCssPx,
      zoom: (factor, anchor) => this.zoom(factor, anchor),
      pan: (dx) => this.pan(dx),
      scrollBy: (dy) => this.scrollBy(dy),
      fit: () => this.fit(),
      fitAll: () => this.fitAll(),
      toggleGaps: () => this.setCompressGaps(!this.gaps.compress),
      followFlow: (direction) => this.followFlow(direction),
      beginDrag: () => {
        const moveBy = this.camera.dragFrom();
        this.cb.onHover(null);
        return (dx, dy) => {
          moveBy(dx, dy, this.layout.heightCssPx);
          this.invalidate();
        };
      },
      hoverAt: (point) => {
        const hit = point ? this.hitTest(point.x, point.y) : null;
        const h = this.hover;
        const same = hit && h && hit.agent === h.agent && hit.row === h.row && hit.rowIndex === h.rowIndex && hit.span === h.span && hit.queue === h.queue;
        if (!same && (hit || h)) {
          this.hover = hit;
          this.invalidate();
        }
        const info = hit ? this.describe(hit) : point ? this.describeBreak(point.x, point.y) : null;
        this.cb.onHover(info && point ? { title: info.title, lines: info.lines, xCssPx: point.x, yCssPx: point.y } : null);
      },
      clickAt: (x, y) => {
        const hit = this.hitTest(x, y);
        this.setSelection(hit);
        const info = hit ? this.describe(hit) : null;
        if (info) this.cb.onSeek(info.step + 1);
      },
      clearSelection: () => {
        if (!this.selection) return false;
        this.setSelection(null);
        return true;
      },
      requestFrame: () => frameLoop.request(this.frame.id),
    };
  }

  /** Recomputes the breaks when the activity changed (or compression was toggled), keeping the view on the same times. */
  private updateAxis(): void {
    const idx = this.scene?.index;
    const prev = idx ? this.gaps.update(idx) : null;
    const next = this.gaps.axis;
    if (prev) this.camera.remap((d) => next.toDisplay(prev.toReal(d)));
  }

  private measure(): void {
    const parent = this.canvas.parentElement;
    const rect = (parent ?? this.canvas).getBoundingClientRect();
    this.widthCss = Math.max(50, Math.floor(rect.width));
    this.heightCss = Math.max(50, Math.floor(rect.height));
    this.dpr = window.devicePixelRatio || 1;
    this.canvas.style.width = `${this.widthCss}px`;
    this.canvas.style.height = `${this.heightCss}px`;
    this.canvas.width = Math.round(this.widthCss * this.dpr);
    this.canvas.height = Math.round(this.heightCss * this.dpr);
    this.camera.resize(this.widthCss - GUTTER_CSS_PX, this.heightCss - AXIS_CSS_PX);
    this.invalidate();
  }

  private onFrame(dtMs: number): boolean {
    const more = this.input.tick(dtMs);
    if (this.dirty) this.draw();
    return more;
  }

  private draw(): void {
    if ((window.devicePixelRatio || 1) !== this.dpr) this.measure(); // moved to a screen with another pixel ratio
    this.dirty = false;
    const t0 = performance.now();
    const key = document.documentElement.dataset.theme ?? '';
    if (key !== this.themeKey) {
      this.themeKey = key;
      this.theme = readTheme(this.canvas);
    }
    const scene = this.scene;
    if (!scene) {
      this.ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
      this.ctx.fillStyle = this.theme.bg;
      this.ctx.fillRect(0, 0, this.widthCss, this.heightCss);
      this.ctx.fillStyle = this.theme.fg2;
      this.ctx.font = '13px system-ui, sans-serif';
      this.ctx.fillText('Run the lesson to see its timeline.', 16, 28);
      this.lastDrawMs = performance.now() - t0;
      return;
    }
    this.renderer.draw(this.ctx, {
      index: scene.index,
      times: scene.index.timeUs,
      strings: scene.trace.strings,
      frames: scene.frames,
      layout: this.layout,
      axis: this.gaps.axis,
      scale: this.camera.scale,
      realStartUs: this.gaps.axis.toReal(this.camera.scale.startUs),
      realEndUs: this.gaps.axis.toReal(this.camera.scale.endUs),
      scrollYCssPx: this.camera.scrollY,
      widthCssPx: this.widthCss,
      heightCssPx: this.heightCss,
      dpr: this.dpr,
      cursor: Math.min(this.cursor, scene.index.processed),
      selection: this.selection,
      hover: this.hover,
      flows: this.flows,
      theme: this.theme,
    });
    this.lastDrawMs = performance.now() - t0;
  }

  private spanRow(sel: Selection) {
    return this.scene ? itemSpans(this.scene.index, sel) : undefined;
  }

  private setSelection(sel: Selection | null): void {
    this.selection = sel;
    this.flowCycle = 0;
    const scene = this.scene;
    if (!scene || !sel) {
      this.flows = [];
      this.cb.onSelect('');
      this.invalidate();
      return;
    }
    this.flows = flowsOfItem(scene.index, scene.trace, sel);
    const info = this.describe(sel);
    this.cb.onSelect(info ? `${info.title}. ${info.lines.join('. ')}` : '');
    this.invalidate();
  }

  /** What is under a point (content coordinates). */
  private hitTest(xCss: number, yCss: number): Selection | null {
    const scene = this.scene;
    if (!scene || xCss < GUTTER_CSS_PX || yCss < AXIS_CSS_PX) return null;
    const row = rowAtY(this.layout, yCss - AXIS_CSS_PX + this.camera.scrollY);
    if (!row) return null;
    const display = this.camera.scale.pxToTime(xCss - GUTTER_CSS_PX);
    // Inside a break a pixel stands for much idle time: only what really spans that instant (a wait) is hit.
    const slack = this.gaps.axis.breakAtDisplay(display) ? 0 : this.camera.scale.usPerCssPx * 3;
    return TRACK_KINDS[row.kind].hitTest(scene.index, row, this.gaps.axis.toReal(display), slack);
  }

  /** The break marker under a point (canvas CSS px), as tooltip text. */
  private describeBreak(xCss: number, yCss: number): { title: string; lines: string[] } | null {
    if (xCss < GUTTER_CSS_PX || yCss < 0 || !this.scene) return null;
    const b = this.gaps.axis.breakAtDisplay(this.camera.scale.pxToTime(xCss - GUTTER_CSS_PX));
    return b ? describeBreak(b, this.scene.index.startUs) : null;
  }

  /** Tooltip text for a selection (the scene layer writes it). */
  describe(sel: Selection): DescribedItem | null {
    return this.scene ? describeTimelineItem(this.scene, sel) : null;
  }
}
