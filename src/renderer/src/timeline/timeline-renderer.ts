/**
 * Draws the timeline on a 2D canvas: per-agent rows (marks, phase band, call stack, pending API callbacks, queue
 * waits, depth counters) through the track kinds, long-task stripes, flow arrows and the cursor line; the time
 * axis, break markers and row labels are timeline-axis.ts.
 *
 * Invariants:
 * - Work per frame is bounded by what is visible: rows outside the vertical window are skipped, each visible row
 *   is queried for the visible time window only (`queryRow`, `counterColumns`, binary-searched marks), and
 *   sub-pixel spans arrive already merged. No loop here runs over the whole trace.
 * - Coordinates: content x in CSS px is `gutterCssPx + scale.timeToPx(axis.toDisplay(t))` for a trace time t (the
 *   axis squeezes long idle gaps into breaks, src/shared/scene/time-axis.ts); queries take the visible window in
 *   trace time (`realStartUs`/`realEndUs`). The backing store is scaled by devicePixelRatio once per frame
 *   (`setTransform`), so every draw call below is in CSS px.
 */
import { TRACK_KINDS, itemSpans, type SpanLook, type TimelineItem, type TrackPainter, type TrackScene } from '../../../shared/scene/timeline-tracks.ts';
import { counterColumns } from '../../../shared/scene/counter-series.ts';
import type { Flow } from '../../../shared/scene/flows.ts';
import { MarkKind, type AgentLane } from '../../../shared/scene/lanes.ts';
import { COLORS, QUEUE_LOOK, textOn } from '../../../shared/scene/palette.ts';
import { BlockList, queryRow, type SpanRow } from '../../../shared/scene/span-row.ts';
import { SliceFlag, type TimelineIndex } from '../../../shared/scene/timeline-index.ts';
import { visibleRows, type LayoutRow } from '../../../shared/scene/timeline-layout.ts';
import { drawAxis, drawBreaks, drawGutter, type DrawnBreak } from './timeline-axis.ts';
import { AXIS_CSS_PX, FONT, GUTTER_CSS_PX, fitLabel, xOf, type DrawInput } from './timeline-frame.ts';

export { AXIS_CSS_PX, GUTTER_CSS_PX, fitLabel, type DrawInput };

/** What the pointer is on or what is selected (a span of a row, or a mark). */
export type Selection = TimelineItem;

export class TimelineRenderer {
  private readonly blocks = new BlockList();
  private columns = new Float32Array(0);
  /** Blocks drawn in the last frame (for tests and the benchmark). */
  lastBlocks = 0;
  /** Break markers drawn in the last frame. */
  lastBreaks: DrawnBreak[] = [];

  spanRowOf(index: TimelineIndex, row: LayoutRow): SpanRow | undefined {
    return itemSpans(index, { agent: row.agent, row: row.kind, rowIndex: row.index, queue: row.queue });
  }


  draw(ctx: CanvasRenderingContext2D, d: DrawInput): void {
    const { theme, widthCssPx: w, heightCssPx: h } = d;
    ctx.setTransform(d.dpr, 0, 0, d.dpr, 0, 0);
    ctx.fillStyle = theme.bg;
    ctx.fillRect(0, 0, w, h);
    ctx.font = FONT;
    ctx.textBaseline = 'middle';
    this.lastBlocks = 0;
    const top = AXIS_CSS_PX;
    const [first, last] = visibleRows(d.layout, d.scrollYCssPx, d.scrollYCssPx + h - top);
    ctx.save();
    ctx.beginPath();
    ctx.rect(GUTTER_CSS_PX, top, w - GUTTER_CSS_PX, h - top);
    ctx.clip();
    const painter = this.painter(ctx, d);
    for (let r = first; r <= last; r++) {
      const row = d.layout.rows[r];
      const lane = row ? d.index.lanes[row.agent] : undefined;
      if (row && lane) TRACK_KINDS[row.kind].draw(painter, row, lane, top + row.yCssPx - d.scrollYCssPx);
    }
    this.lastBreaks = drawBreaks(ctx, d, top);
    this.drawFlows(ctx, d, top);
    this.drawCursor(ctx, d, top);
    ctx.restore();
    drawGutter(ctx, d, first, last, top);
    drawAxis(ctx, d, this.lastBreaks);
  }

  /** Canvas x (CSS px) of trace time `t`. */
  x(d: DrawInput, t: number): number {
    return xOf(d, t);
  }

  /** The canvas primitives lent to the track kinds for this frame. */
  private painter(ctx: CanvasRenderingContext2D, d: DrawInput): TrackPainter {
    const scene: TrackScene = { trace: { strings: d.strings }, index: d.index, frames: d.frames };
    return {
      header: (row, lane, y) => this.drawHeader(ctx, d, row, lane, y),
      marks: (lane, y, h) => this.drawMarks(ctx, d, lane, y, h),
      counter: (lane, row, y) => this.drawCounter(ctx, d, lane, row, y),
      spans: (row, y, look, edges) => this.drawSpans(ctx, d, scene, row, y, look, edges),
      longTasks: (lane, y, h) => this.drawLongTasks(ctx, d, lane, y, h),
    };
  }

  /** The agent's lifetime band in its header row. */
  private drawHeader(ctx: CanvasRenderingContext2D, d: DrawInput, row: LayoutRow, lane: AgentLane, y: number): void {
    const { theme } = d;
    ctx.fillStyle = theme.bg3;
    ctx.fillRect(GUTTER_CSS_PX, y, d.widthCssPx, row.heightCssPx);
    const x0 = this.x(d, lane.startUs);
    const x1 = this.x(d, Number.isNaN(lane.endUs) ? d.index.liveEndUs : lane.endUs);
    ctx.fillStyle = theme.dark ? 'rgba(58,154,217,0.25)' : 'rgba(1,115,178,0.12)';
    ctx.fillRect(x0, y + 4, Math.max(1, x1 - x0), row.heightCssPx - 8);
  }

  /** A row of spans (stack, phase, pending, queue), merged below a pixel, in the colours and labels `look` gives. */
  private drawSpans(ctx: CanvasRenderingContext2D, d: DrawInput, scene: TrackScene, row: LayoutRow, y: number, look: SpanLook, edges: boolean): void {
    const { theme } = d;
    const spans = this.spanRowOf(d.index, row);
    if (!spans) return;
    const b = this.blocks;
    b.reset();
    const usPerPx = d.scale.usPerCssPx;
    queryRow(spans, d.times, d.realStartUs, d.realEndUs, usPerPx, d.index.liveEndUs, b);
    this.lastBlocks += b.length;
    const hgt = row.heightCssPx - 2;
    for (let i = 0; i < b.length; i++) {
      const x0 = this.x(d, b.startUs[i]!);
      const x1 = this.x(d, b.endUs[i]!);
      const width = Math.max(1 / d.dpr, x1 - x0);
      const firstSpan = b.first[i]!;
      const merged = b.spans[i]! > 1;
      const tag = spans.tag.get(firstSpan);
      const { color, label, alpha, outline } = look(scene, row, tag, merged, b.spans[i]!);
      ctx.globalAlpha = alpha;
      ctx.fillStyle = color;
      ctx.fillRect(x0, y + 1, width, hgt);
      ctx.globalAlpha = 1;
      if (outline) {
        ctx.strokeStyle = color;
        ctx.setLineDash([3, 2]);
        ctx.strokeRect(x0 + 0.5, y + 1.5, Math.max(0, width - 1), hgt - 1);
        ctx.setLineDash([]);
      }
      if (edges && !merged) this.sliceEdges(ctx, d.index, tag, x0, width, y, hgt);
      if (width >= 5 && label) {
        const text = fitLabel(label, Math.min(width, d.widthCssPx));
        if (text) {
          const lx = Math.max(x0, GUTTER_CSS_PX) + 3;
          ctx.fillStyle = alpha < 0.8 ? theme.fg : textOn(color);
          ctx.fillText(text, lx, y + 1 + hgt / 2);
        }
      }
      if (this.isSelected(d.selection, row, firstSpan) || this.isSelected(d.hover, row, firstSpan)) {
        ctx.strokeStyle = this.isSelected(d.selection, row, firstSpan) ? theme.fg : theme.fg2;
        ctx.lineWidth = this.isSelected(d.selection, row, firstSpan) ? 2 : 1;
        ctx.strokeRect(x0 + 0.5, y + 1.5, Math.max(1, width - 1), hgt - 1);
        ctx.lineWidth = 1;
      }
    }
  }

  private isSelected(sel: Selection | null, row: LayoutRow, span: number): boolean {
    return sel !== null && sel.agent === row.agent && sel.row === row.kind && sel.rowIndex === row.index && sel.span === span && sel.queue === row.queue;
  }

  /** Resumed / suspended markers: a notch on the edge where the function came back or left at await. */
  private sliceEdges(ctx: CanvasRenderingContext2D, index: TimelineIndex, slice: number, x0: number, width: number, y: number, h: number): void {
    if (width < 6) return;
    const flags = index.slices.flags.get(slice);
    ctx.fillStyle = '#111';
    if (flags & SliceFlag.Resumed) {
      ctx.beginPath();
      ctx.moveTo(x0, y + 1);
      ctx.lineTo(x0 + 5, y + 1 + h / 2);
      ctx.lineTo(x0, y + 1 + h);
      ctx.fill();
    }
    if (flags & SliceFlag.Suspended) {
      const x1 = x0 + width;
      ctx.beginPath();
      ctx.moveTo(x1, y + 1);
      ctx.lineTo(x1 - 5, y + 1 + h / 2);
      ctx.lineTo(x1, y + 1 + h);
      ctx.fill();
    }
    if (flags & SliceFlag.Threw) {
      ctx.fillStyle = COLORS.vermillion;
      ctx.fillRect(x0 + width - 3, y + 1, 3, h);
    }
    if (flags & SliceFlag.Stopped) {
      // a stop sign at the end: a square in the error colour, not colour alone (the label says "stopped")
      ctx.fillStyle = COLORS.vermillion;
      ctx.fillRect(x0 + width - Math.min(8, width), y + 1 + h / 2 - 4, Math.min(8, width), 8);
    }
    if (flags & SliceFlag.Cut) {
      // the end was never recorded: a dashed end instead of a solid one
      ctx.fillStyle = COLORS.grey;
      for (let yy = y + 1; yy < y + 1 + h; yy += 4) ctx.fillRect(x0 + width - 2, yy, 2, 2);
    }
  }

  private drawLongTasks(ctx: CanvasRenderingContext2D, d: DrawInput, lane: AgentLane, y: number, h: number): void {
    const n = lane.longTasks.length;
    if (n === 0) return;
    ctx.save();
    ctx.strokeStyle = COLORS.vermillion;
    ctx.lineWidth = 1.5;
    for (let i = 0; i < n; i++) {
      const slice = lane.longTasks.get(i);
      const s = d.index.sliceStartUs(slice);
      const e = d.index.sliceEndUs(slice);
      if (e < d.realStartUs || s > d.realEndUs) continue;
      const x0 = this.x(d, s);
      const x1 = this.x(d, e);
      const hatch = hatchStrokes(x0, x1, GUTTER_CSS_PX, d.widthCssPx);
      ctx.save();
      ctx.beginPath();
      ctx.rect(hatch.left, y, hatch.right - hatch.left, 4);
      ctx.clip();
      ctx.beginPath();
      for (let x = hatch.from; x < hatch.to; x += HATCH_STEP_CSS_PX) {
        ctx.moveTo(x, y + 4);
        ctx.lineTo(x + 4, y);
      }
      ctx.stroke();
      ctx.restore();
      ctx.fillStyle = COLORS.vermillion;
      ctx.fillRect(hatch.left, y, Math.max(1, hatch.right - hatch.left), 1);
      void h;
    }
    ctx.restore();
  }

  private drawMarks(ctx: CanvasRenderingContext2D, d: DrawInput, lane: AgentLane, y: number, h: number): void {
    const marks = lane.marks;
    if (marks.count === 0) return;
    const usPerPx = d.scale.usPerCssPx;
    let i = marks.lowerBound(d.realStartUs);
    let drawn = 0;
    while (i < marks.count) {
      const t = marks.timeUs.get(i);
      if (t > d.realEndUs) break;
      const x = this.x(d, t);
      const kind = marks.kind.get(i) as MarkKind;
      ctx.fillStyle = MARK_COLOR[kind] ?? COLORS.grey;
      ctx.beginPath();
      ctx.moveTo(x, y + h - 1);
      ctx.lineTo(x - 3.5, y + 1);
      ctx.lineTo(x + 3.5, y + 1);
      ctx.closePath();
      ctx.fill();
      drawn++;
      // one mark per pixel: jump to the first mark past the next pixel
      i = Math.max(i + 1, marks.lowerBound(t + usPerPx));
    }
    this.lastBlocks += drawn;
  }

  private drawCounter(ctx: CanvasRenderingContext2D, d: DrawInput, lane: AgentLane, row: LayoutRow, y: number): void {
    const track = row.queue >= 0 ? lane.queues[row.queue] : undefined;
    if (!track || track.depth.count === 0) return;
    const width = Math.max(1, Math.ceil(d.widthCssPx - GUTTER_CSS_PX));
    if (this.columns.length !== width) this.columns = new Float32Array(width);
    counterColumns(track.depth, d.scale.startUs, d.scale.usPerCssPx, this.columns, d.axis.breaks.length > 0 ? (u) => d.axis.toReal(u) : undefined);
    const peak = Math.max(1, track.depth.peak);
    const h = row.heightCssPx - 4;
    const look = QUEUE_LOOK[row.queue] ?? QUEUE_LOOK[0]!;
    ctx.fillStyle = look.color;
    ctx.globalAlpha = 0.7;
    ctx.beginPath();
    ctx.moveTo(GUTTER_CSS_PX, y + 2 + h);
    for (let c = 0; c < width; c++) {
      const v = this.columns[c]!;
      const yy = y + 2 + h - (v / peak) * h;
      ctx.lineTo(GUTTER_CSS_PX + c, yy);
      ctx.lineTo(GUTTER_CSS_PX + c + 1, yy);
    }
    ctx.lineTo(GUTTER_CSS_PX + width, y + 2 + h);
    ctx.closePath();
    ctx.fill();
    ctx.globalAlpha = 1;
    ctx.fillStyle = d.theme.fg2;
    ctx.fillText(`max ${peak}`, d.widthCssPx - 48, y + row.heightCssPx / 2);
  }

  private rowY(d: DrawInput, kind: LayoutRow['kind'], agent: number, index: number, top: number): number | null {
    // Flows are few: a linear search over rows is fine.
    for (const r of d.layout.rows) if (r.kind === kind && r.agent === agent && r.index === index) return top + r.yCssPx - d.scrollYCssPx + r.heightCssPx / 2;
    return null;
  }

  private drawFlows(ctx: CanvasRenderingContext2D, d: DrawInput, top: number): void {
    if (d.flows.length === 0) return;
    ctx.save();
    ctx.lineWidth = 1.5;
    for (const f of d.flows) {
      const y0 = this.rowY(d, 'stack', f.from.agent, f.from.depth, top);
      const y1 = this.rowY(d, 'stack', f.to.agent, f.to.depth, top);
      if (y0 === null || y1 === null) continue;
      const x0 = this.x(d, d.times[f.from.step] ?? 0);
      const x1 = this.x(d, d.times[f.to.step] ?? 0);
      const color = FLOW_COLOR[f.kind];
      ctx.strokeStyle = color;
      ctx.fillStyle = color;
      ctx.setLineDash(f.kind === 'scheduled' ? [] : [4, 3]);
      ctx.beginPath();
      ctx.moveTo(x0, y0);
      const mx = (x0 + x1) / 2;
      ctx.bezierCurveTo(mx, y0, mx, y1, x1, y1);
      ctx.stroke();
      ctx.setLineDash([]);
      // arrow head
      const ang = Math.atan2(y1 - y0, x1 - mx) || 0;
      ctx.beginPath();
      ctx.moveTo(x1, y1);
      ctx.lineTo(x1 - 7 * Math.cos(ang - 0.45), y1 - 7 * Math.sin(ang - 0.45));
      ctx.lineTo(x1 - 7 * Math.cos(ang + 0.45), y1 - 7 * Math.sin(ang + 0.45));
      ctx.closePath();
      ctx.fill();
      ctx.beginPath();
      ctx.arc(x0, y0, 2.5, 0, Math.PI * 2);
      ctx.fill();
    }
    ctx.restore();
  }

  private drawCursor(ctx: CanvasRenderingContext2D, d: DrawInput, top: number): void {
    if (d.cursor <= 0) return;
    const t = d.times[d.cursor - 1];
    if (t === undefined) return;
    const x = Math.round(this.x(d, t)) + 0.5;
    ctx.strokeStyle = d.theme.accent;
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, d.heightCssPx);
    ctx.stroke();
    ctx.lineWidth = 1;
  }


}

const MARK_COLOR: Record<number, string> = {
  [MarkKind.Stdout]: COLORS.grey,
  [MarkKind.Stderr]: COLORS.vermillion,
  [MarkKind.Error]: COLORS.vermillion,
  [MarkKind.WorkerSpawn]: COLORS.blue,
  [MarkKind.MessagePost]: COLORS.purple,
  [MarkKind.Atomics]: COLORS.teal,
  [MarkKind.Lock]: COLORS.orange,
  [MarkKind.Signal]: COLORS.vermillion,
};

const FLOW_COLOR: Record<Flow['kind'], string> = {
  scheduled: COLORS.blue,
  settled: COLORS.orange,
  posted: COLORS.purple,
  notified: COLORS.teal,
};

/** The spacing of a long task's hatch strokes (CSS px). */
const HATCH_STEP_CSS_PX = 6;

/**
 * Where to draw a long task's hatch, which spans x0..x1 (CSS px), on a view showing `viewLeft`..`viewRight`: the
 * strokes begin at `from`, `from + 6`, … below `to`, and the clip and the top line run from `left` to `right`. Only
 * what the view shows is drawn, and the strokes keep the phase they take from x0, so they move with the task as the
 * view pans. A long task zoomed into spans millions of pixels: stroking all of them cost 20–80 ms of rasterizing a
 * frame (`LayerTreeHost::DoUpdateLayers` in a Chromium trace), and 8–9 % of the frames of a held pan were dropped.
 */
export function hatchStrokes(x0: number, x1: number, viewLeft: number, viewRight: number): { from: number; to: number; left: number; right: number } {
  const margin = 8; // a stroke leans 4 px and is 1.5 px wide: one starting up to 8 px out still shows
  const left = Math.max(x0, viewLeft - margin);
  const right = Math.min(x1, viewRight + margin);
  const origin = x0 - margin;
  const from = origin + HATCH_STEP_CSS_PX * Math.max(0, Math.ceil((left - margin - origin) / HATCH_STEP_CSS_PX));
  return { from, to: right + margin, left, right };
}
