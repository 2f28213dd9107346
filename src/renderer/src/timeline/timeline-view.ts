/**
 * The timeline's imperative widget: owns the canvas, the time scale and the vertical scroll, turns input into
 * view changes (Perfetto keys W/S/A/D, Ctrl/Cmd+wheel zoom at the pointer, drag to pan, F to fit, `[`/`]` to
 * follow flows, click to select and seek) and asks the app's frame loop for a redraw. The Svelte component only
 * owns the element and the tooltip.
 *
 * Invariants:
 * - Drawing happens only inside a frame-loop callback, at most once per frame, and only when something changed.
 * - While the run is live and the user has not moved the view, the view fits the whole trace ("follow live");
 *   any zoom, pan or drag stops that until F (fit) is pressed with nothing selected.
 */
import { flowsOfSlice, incomingFlows, outgoingFlows, taskSlice, type Flow } from '../../../shared/scene/flows.ts';
import { MarkKind } from '../../../shared/scene/lanes.ts';
import { TimeScale, formatDurationUs } from '../../../shared/scene/time.ts';
import { SliceFlag } from '../../../shared/scene/timeline-index.ts';
import { layoutTimeline, rowAtY, type LayoutRow, type TimelineLayout } from '../../../shared/scene/timeline-layout.ts';
import { PHASE_LOOK, QUEUE_LOOK } from '../../../shared/scene/palette.ts';
import { MICRO_BAND, UNION_TAG } from '../../../shared/scene/lanes.ts';
import { TASK_KIND_NAMES } from '../../../shared/trace/schema.ts';
import type { TraceColumns } from '../../../shared/scene/trace-source.ts';
import { frameLoop } from '../app/frame-loop.ts';
import { sceneFor, type TraceScene } from '../app/scene-cache.ts';
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
}

/** Held-key speeds: zoom factor and pan fraction of the width per 16 ms frame. */
const KEY_ZOOM_PER_FRAME = 1.06;
const KEY_PAN_PER_FRAME = 0.03;

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
  private scale = new TimeScale(0, 1000, 600);
  private scrollY = 0;
  private widthCss = 600;
  private heightCss = 300;
  private dpr = 1;
  private cursor = 0;
  private selection: Selection | null = null;
  private hover: Selection | null = null;
  private flows: Flow[] = [];
  private flowCycle = 0;
  private userMoved = false;
  private dirty = true;
  private readonly held = new Set<string>();
  private pointerX: number | null = null;
  private drag: { x: number; y: number; scale: TimeScale; scrollY: number; moved: boolean } | null = null;
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
    canvas.addEventListener('wheel', this.onWheel, { passive: false });
    canvas.addEventListener('pointerdown', this.onPointerDown);
    canvas.addEventListener('pointermove', this.onPointerMove);
    canvas.addEventListener('pointerup', this.onPointerUp);
    canvas.addEventListener('pointerleave', this.onPointerLeave);
    canvas.addEventListener('keydown', this.onKeyDown);
    canvas.addEventListener('keyup', this.onKeyUp);
    canvas.addEventListener('blur', this.onBlur);
  }

  dispose(): void {
    this.frame.dispose();
    this.resize.disconnect();
    this.canvas.removeEventListener('wheel', this.onWheel);
    this.canvas.removeEventListener('pointerdown', this.onPointerDown);
    this.canvas.removeEventListener('pointermove', this.onPointerMove);
    this.canvas.removeEventListener('pointerup', this.onPointerUp);
    this.canvas.removeEventListener('pointerleave', this.onPointerLeave);
    this.canvas.removeEventListener('keydown', this.onKeyDown);
    this.canvas.removeEventListener('keyup', this.onKeyUp);
    this.canvas.removeEventListener('blur', this.onBlur);
  }

  /** Shows a trace (null: nothing to show). Resets selection and view when the trace changes. */
  setTrace(trace: TraceColumns | null): void {
    const scene = trace ? sceneFor(trace) : null;
    if (scene === this.scene) return;
    this.scene = scene;
    this.selection = null;
    this.hover = null;
    this.flows = [];
    this.userMoved = false;
    this.scrollY = 0;
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
    if (!this.userMoved) this.scale = this.fitAll();
    this.invalidate();
  }

  setCursor(cursor: number): void {
    if (cursor === this.cursor) return;
    this.cursor = cursor;
    const scene = this.scene;
    if (scene && cursor > 0 && this.userMoved && !this.drag) {
      const t = scene.index.timeUs[cursor - 1];
      if (t !== undefined && !this.scale.contains(t)) this.scale = this.scale.centeredOn(t);
    }
    this.invalidate();
  }

  get timeScale(): TimeScale {
    return this.scale;
  }

  /** Blocks drawn in the last frame. */
  get lastBlocks(): number {
    return this.renderer.lastBlocks;
  }

  zoom(factor: number, anchorCssPx = (this.widthCss - GUTTER_CSS_PX) / 2): void {
    this.userMoved = true;
    this.scale = this.bounded(this.scale.zoomAt(anchorCssPx, factor));
    this.invalidate();
  }

  pan(dxCssPx: number): void {
    this.userMoved = true;
    this.scale = this.bounded(this.scale.panByPx(dxCssPx));
    this.invalidate();
  }

  scrollBy(dyCssPx: number): void {
    const max = Math.max(0, this.layout.heightCssPx - (this.heightCss - AXIS_CSS_PX));
    this.scrollY = Math.max(0, Math.min(max, this.scrollY + dyCssPx));
    this.invalidate();
  }

  /** F: fit the selection, or the whole trace. */
  fit(): void {
    const scene = this.scene;
    if (!scene) return;
    const sel = this.selection;
    const row = sel ? this.spanRow(sel) : undefined;
    if (sel && row) {
      const s = row.startAt(sel.span, scene.index.timeUs);
      const e = row.endAt(sel.span, scene.index.timeUs, scene.index.liveEndUs);
      this.userMoved = true;
      this.scale = TimeScale.fit(s, Math.max(e, s + 1), this.timeWidth(), 0.15);
    } else {
      this.userMoved = false;
      this.scale = this.fitAll();
    }
    this.invalidate();
  }

  /** `[` (direction -1): go to what caused the selection; `]` (+1): to what it caused. Returns false when none. */
  followFlow(direction: 1 | -1): boolean {
    const scene = this.scene;
    if (!scene || !this.selection) return false;
    const task = this.selectedTask();
    let flows: Flow[];
    if (direction < 0) flows = task >= 0 ? incomingFlows(scene.index, scene.trace, task) : [];
    else {
      const slice = this.selectedSlice();
      flows = slice >= 0 ? flowsOfSlice(scene.index, scene.trace, slice).filter((f) => f.fromSlice === slice || f.toSlice !== slice) : task >= 0 ? outgoingFlows(scene.index, task) : [];
      flows = flows.filter((f) => f.toSlice !== slice);
    }
    if (flows.length === 0) return false;
    const f = flows[this.flowCycle++ % flows.length]!;
    const targetSlice = direction < 0 ? f.fromSlice : f.toSlice;
    const end = direction < 0 ? f.from : f.to;
    if (targetSlice >= 0) this.selectSlice(targetSlice);
    this.cb.onSeek(end.step + 1);
    const t = scene.index.timeUs[end.step];
    if (t !== undefined && !this.scale.contains(t)) {
      this.userMoved = true;
      this.scale = this.scale.centeredOn(t);
    }
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
    if (row && (row.yCssPx < this.scrollY || row.yCssPx > this.scrollY + this.heightCss - AXIS_CSS_PX - 30)) this.scrollBy(row.yCssPx - this.scrollY - 40);
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
    if (!this.scale.contains(t)) this.scale = this.scale.centeredOn(t);
    if (row.yCssPx < this.scrollY || row.yCssPx + row.heightCssPx > this.scrollY + this.heightCss - AXIS_CSS_PX) this.scrollBy(row.yCssPx - this.scrollY - 20);
    this.drawNow();
    return { x: GUTTER_CSS_PX + this.scale.timeToPx(t), y: AXIS_CSS_PX + row.yCssPx - this.scrollY + row.heightCssPx / 2 };
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

  private timeWidth(): number {
    return Math.max(1, this.widthCss - GUTTER_CSS_PX);
  }

  private fitAll(): TimeScale {
    const idx = this.scene?.index;
    if (!idx || idx.processed === 0) return new TimeScale(0, 1000, this.timeWidth());
    return TimeScale.fit(idx.startUs, Math.max(idx.liveEndUs, idx.startUs + 1), this.timeWidth(), 0.02);
  }

  private bounded(s: TimeScale): TimeScale {
    const idx = this.scene?.index;
    if (!idx || idx.processed === 0) return s;
    return s.clampTo(idx.startUs, Math.max(idx.liveEndUs, idx.startUs + 1));
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
    this.scale = this.userMoved ? this.scale.withWidth(this.timeWidth()) : this.fitAll();
    this.invalidate();
  }

  private onFrame(dtMs: number): boolean {
    let more = false;
    if (this.held.size > 0) {
      const k = dtMs / 16;
      const anchor = this.pointerX ?? this.timeWidth() / 2;
      if (this.held.has('w')) this.zoom(Math.pow(KEY_ZOOM_PER_FRAME, k), anchor);
      if (this.held.has('s')) this.zoom(Math.pow(1 / KEY_ZOOM_PER_FRAME, k), anchor);
      if (this.held.has('a')) this.pan(-KEY_PAN_PER_FRAME * k * this.timeWidth());
      if (this.held.has('d')) this.pan(KEY_PAN_PER_FRAME * k * this.timeWidth());
      more = true;
    }
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
      scale: this.scale,
      scrollYCssPx: this.scrollY,
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
    const scene = this.scene;
    if (!scene) return undefined;
    return this.renderer.spanRowOf(scene.index, { kind: sel.row, agent: sel.agent, index: sel.rowIndex, queue: sel.queue as LayoutRow['queue'], yCssPx: 0, heightCssPx: 0, label: '' });
  }

  private selectedSlice(): number {
    const sel = this.selection;
    if (!sel || sel.row !== 'stack') return -1;
    return this.spanRow(sel)?.tag.get(sel.span) ?? -1;
  }

  /** The task of the selection (a task slice, a frame's task, a queue wait or pending callback), or -1. */
  private selectedTask(): number {
    const scene = this.scene;
    const sel = this.selection;
    if (!scene || !sel) return -1;
    const tag = this.spanRow(sel)?.tag.get(sel.span) ?? -1;
    if (sel.row === 'queue' || sel.row === 'pending') return tag === UNION_TAG ? -1 : tag;
    if (sel.row !== 'stack' || tag < 0) return -1;
    const idx = scene.index;
    if (idx.slices.flags.get(tag) & SliceFlag.Task) return idx.slices.ref.get(tag);
    // a frame: the task under it
    const agent = idx.slices.agent.get(tag);
    const step = idx.sliceStartStep(tag);
    for (let d = idx.slices.depth.get(tag) - 1; d >= 0; d--) {
      const s = idx.sliceAtStep(agent, d, step);
      if (s >= 0 && idx.slices.flags.get(s) & SliceFlag.Task) return idx.slices.ref.get(s);
    }
    return -1;
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
    const slice = this.selectedSlice();
    const task = this.selectedTask();
    if (slice >= 0) this.flows = flowsOfSlice(scene.index, scene.trace, slice);
    else if (task >= 0) {
      const ts = taskSlice(scene.index, task);
      this.flows = [...incomingFlows(scene.index, scene.trace, task), ...(ts >= 0 ? [] : [])];
    } else this.flows = [];
    const info = this.describe(sel);
    this.cb.onSelect(info ? `${info.title}. ${info.lines.join('. ')}` : '');
    this.invalidate();
  }

  /** What is under a point (content coordinates). */
  private hitTest(xCss: number, yCss: number): Selection | null {
    const scene = this.scene;
    if (!scene || xCss < GUTTER_CSS_PX || yCss < AXIS_CSS_PX) return null;
    const row = rowAtY(this.layout, yCss - AXIS_CSS_PX + this.scrollY);
    if (!row) return null;
    const t = this.scale.pxToTime(xCss - GUTTER_CSS_PX);
    const slack = this.scale.usPerCssPx * 3;
    if (row.kind === 'marks') {
      const marks = scene.index.lanes[row.agent]?.marks;
      if (!marks || marks.count === 0) return null;
      const i = marks.lowerBound(t - slack);
      if (i < marks.count && Math.abs(marks.timeUs.get(i) - t) <= slack) return { agent: row.agent, row: 'marks', rowIndex: 0, queue: -1, span: i };
      return null;
    }
    const spans = this.renderer.spanRowOf(scene.index, row);
    if (!spans) return null;
    const i = spans.spanNear(t, slack, scene.index.timeUs, scene.index.liveEndUs);
    return i < 0 ? null : { agent: row.agent, row: row.kind, rowIndex: row.index, queue: row.queue, span: i };
  }

  /** Tooltip text for a selection. */
  describe(sel: Selection): { title: string; lines: string[]; step: number } | null {
    const scene = this.scene;
    if (!scene) return null;
    const idx = scene.index;
    const times = idx.timeUs;
    if (sel.row === 'marks') {
      const marks = idx.lanes[sel.agent]?.marks;
      if (!marks) return null;
      const step = marks.step.get(sel.span);
      return { title: MARK_NAMES[marks.kind.get(sel.span)] ?? 'event', lines: [scene.narrator.narrate(step), `at ${formatDurationUs(marks.timeUs.get(sel.span) - idx.startUs)}`], step };
    }
    const row = this.spanRow(sel);
    if (!row) return null;
    const tag = row.tag.get(sel.span);
    const s = row.startAt(sel.span, times);
    const e = row.endAt(sel.span, times, idx.liveEndUs);
    const step = row.startStep.get(sel.span);
    const dur = `${formatDurationUs(e - s)} · from ${formatDurationUs(s - idx.startUs)}`;
    switch (sel.row) {
      case 'stack': {
        const flags = idx.slices.flags.get(tag);
        const ref = idx.slices.ref.get(tag);
        const notes: string[] = [];
        if (flags & SliceFlag.Resumed) notes.push('resumed here (after await / yield)');
        if (flags & SliceFlag.Suspended) notes.push('left the stack here at await / yield');
        if (flags & SliceFlag.Threw) notes.push('threw');
        if (flags & SliceFlag.Task) {
          const kind = idx.tasks.kind.get(ref);
          const phase = idx.tasks.phase.get(ref);
          const labelId = idx.tasks.label.get(ref);
          const label = labelId >= 0 ? scene.trace.strings[labelId] ?? '' : '';
          return { title: `${TASK_KIND_NAMES[kind] ?? 'task'}${label ? ` · ${label}` : ''}`, lines: [dur, `ran in the ${PHASE_LOOK[phase]?.name ?? '?'} phase`, ...notes, '[ jumps to what scheduled it'], step };
        }
        const where = scene.frames.where(ref);
        return { title: scene.frames.name(ref), lines: [dur, ...(where ? [where] : []), ...notes], step };
      }
      case 'phase': {
        const micro = tag >= MICRO_BAND;
        return { title: micro ? 'draining microtasks' : `${PHASE_LOOK[tag]?.name ?? ''} phase`, lines: [dur], step };
      }
      case 'queue':
      case 'pending': {
        const where = sel.row === 'queue' ? `waited in the ${QUEUE_LOOK[sel.queue]?.name ?? 'queue'}` : 'waited in Node APIs (not runnable yet)';
        if (tag === UNION_TAG) return { title: 'several callbacks', lines: [where, dur, 'zoom in to see each one'], step };
        const kind = idx.tasks.kind.get(tag);
        const delay = idx.tasks.delayUs.get(tag);
        return { title: TASK_KIND_NAMES[kind] ?? 'task', lines: [where, dur, ...(delay > 0 ? [`delay ${formatDurationUs(delay)}`] : [])], step };
      }
      default:
        return null;
    }
  }

  // ---------------------------------------------------------------------------------------------- input

  private readonly onWheel = (e: WheelEvent): void => {
    e.preventDefault();
    const x = e.offsetX - GUTTER_CSS_PX;
    const dy = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
    const dx = e.deltaMode === 1 ? e.deltaX * 16 : e.deltaX;
    if (e.ctrlKey || e.metaKey) this.zoom(Math.exp(-dy * 0.0025), Math.max(0, x));
    else if (e.shiftKey) this.pan(dy);
    else {
      if (dx !== 0) this.pan(dx);
      if (dy !== 0) this.scrollBy(dy);
    }
  };

  private readonly onPointerDown = (e: PointerEvent): void => {
    if (e.button !== 0) return;
    this.canvas.focus();
    this.canvas.setPointerCapture(e.pointerId);
    this.drag = { x: e.offsetX, y: e.offsetY, scale: this.scale, scrollY: this.scrollY, moved: false };
  };

  private readonly onPointerMove = (e: PointerEvent): void => {
    this.pointerX = e.offsetX - GUTTER_CSS_PX;
    const drag = this.drag;
    if (drag) {
      const dx = e.offsetX - drag.x;
      const dy = e.offsetY - drag.y;
      if (!drag.moved && Math.hypot(dx, dy) < 4) return;
      drag.moved = true;
      this.userMoved = true;
      this.scale = this.bounded(drag.scale.panByPx(-dx));
      this.scrollY = drag.scrollY;
      this.scrollBy(-dy);
      this.cb.onHover(null);
      return;
    }
    const hit = this.hitTest(e.offsetX, e.offsetY);
    const same = hit && this.hover && hit.agent === this.hover.agent && hit.row === this.hover.row && hit.rowIndex === this.hover.rowIndex && hit.span === this.hover.span && hit.queue === this.hover.queue;
    if (!same) {
      this.hover = hit;
      this.invalidate();
    }
    const info = hit ? this.describe(hit) : null;
    this.cb.onHover(info ? { title: info.title, lines: info.lines, xCssPx: e.offsetX, yCssPx: e.offsetY } : null);
  };

  private readonly onPointerUp = (e: PointerEvent): void => {
    const drag = this.drag;
    this.drag = null;
    if (this.canvas.hasPointerCapture(e.pointerId)) this.canvas.releasePointerCapture(e.pointerId);
    if (!drag || drag.moved) return;
    const hit = this.hitTest(e.offsetX, e.offsetY);
    this.setSelection(hit);
    if (hit) {
      const info = this.describe(hit);
      if (info) this.cb.onSeek(info.step + 1);
    }
  };

  private readonly onPointerLeave = (): void => {
    this.pointerX = null;
    if (this.hover) {
      this.hover = null;
      this.invalidate();
    }
    this.cb.onHover(null);
  };

  private readonly onKeyDown = (e: KeyboardEvent): void => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const k = e.key.toLowerCase();
    if (k === 'w' || k === 's' || k === 'a' || k === 'd') {
      e.preventDefault();
      if (!this.held.has(k)) {
        this.held.add(k);
        // a tap moves noticeably even before the next frame
        if (k === 'w') this.zoom(1.25, this.pointerX ?? undefined);
        if (k === 's') this.zoom(0.8, this.pointerX ?? undefined);
        if (k === 'a') this.pan(-0.1 * this.timeWidth());
        if (k === 'd') this.pan(0.1 * this.timeWidth());
        frameLoop.request(this.frame.id);
      }
      return;
    }
    if (k === 'f') {
      e.preventDefault();
      this.fit();
    } else if (e.key === '[' || e.key === ']') {
      e.preventDefault();
      this.followFlow(e.key === '[' ? -1 : 1);
    } else if (e.key === 'Escape' && this.selection) {
      e.preventDefault();
      this.setSelection(null);
    } else if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      e.preventDefault();
      e.stopPropagation();
      this.scrollBy(e.key === 'ArrowUp' ? -40 : 40);
    }
  };

  private readonly onKeyUp = (e: KeyboardEvent): void => {
    this.held.delete(e.key.toLowerCase());
  };

  private readonly onBlur = (): void => {
    this.held.clear();
  };
}

const MARK_NAMES: Record<number, string> = {
  [MarkKind.Stdout]: 'console output',
  [MarkKind.Stderr]: 'console error output',
  [MarkKind.Error]: 'error',
  [MarkKind.WorkerSpawn]: 'worker created',
  [MarkKind.MessagePost]: 'message posted',
  [MarkKind.Atomics]: 'Atomics operation',
  [MarkKind.Lock]: 'lock operation',
  [MarkKind.Signal]: 'signal',
};
