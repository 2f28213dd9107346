/**
 * One object per kind of timeline row (Perfetto's track kinds): its height, how it draws, how it is hit-tested.
 * What a row's item says in a tooltip is the scene layer's (src/shared/scene/timeline-describe.ts), and which rows
 * exist is the layout's (timeline-layout.ts); adding a row kind to `LayoutRowKind` fails to compile here until
 * the new kind has its object.
 */
import { MICRO_BAND, UNION_TAG, type AgentLane } from '../../../shared/scene/lanes.ts';
import { COLORS, PHASE_LOOK, QUEUE_LOOK, frameColor, taskLook } from '../../../shared/scene/palette.ts';
import { formatDurationUs } from '../../../shared/scene/time.ts';
import { itemSpans, type TimelineItem } from '../../../shared/scene/timeline-describe.ts';
import { SliceFlag, type TimelineIndex } from '../../../shared/scene/timeline-index.ts';
import { ROW_HEIGHT, type LayoutRow, type LayoutRowKind } from '../../../shared/scene/timeline-layout.ts';
import { TASK_KIND_NAMES } from '../../../shared/trace/schema.ts';
import type { Flow } from '../../../shared/scene/flows.ts';
import type { FrameTable } from '../../../shared/scene/frames.ts';
import type { TimeScale } from '../../../shared/scene/time.ts';
import type { TimelineLayout } from '../../../shared/scene/timeline-layout.ts';
import type { TimelineTheme } from './timeline-theme.ts';

/** Everything a frame of the timeline is drawn from. */
export interface DrawInput {
  readonly index: TimelineIndex;
  readonly times: Float64Array;
  readonly strings: readonly string[];
  readonly frames: FrameTable;
  readonly layout: TimelineLayout;
  readonly scale: TimeScale;
  readonly scrollYCssPx: number;
  readonly widthCssPx: number;
  readonly heightCssPx: number;
  readonly dpr: number;
  /** Cursor position (events applied); the line is drawn at the time of event cursor - 1. */
  readonly cursor: number;
  readonly selection: TimelineItem | null;
  readonly hover: TimelineItem | null;
  readonly flows: readonly Flow[];
  readonly theme: TimelineTheme;
}

/** How one span (or a merged block of `count` spans) of a row looks. */
export type SpanLook = (d: DrawInput, row: LayoutRow, tag: number, merged: boolean, count: number) => { color: string; label: string; alpha: number; outline: boolean };

/** The drawing primitives the renderer lends to track kinds. */
export interface TrackPainter {
  drawHeader(ctx: CanvasRenderingContext2D, d: DrawInput, row: LayoutRow, lane: AgentLane, y: number): void;
  drawMarks(ctx: CanvasRenderingContext2D, d: DrawInput, lane: AgentLane, y: number, h: number): void;
  drawCounter(ctx: CanvasRenderingContext2D, d: DrawInput, lane: AgentLane, row: LayoutRow, y: number): void;
  drawSpans(ctx: CanvasRenderingContext2D, d: DrawInput, row: LayoutRow, y: number, look: SpanLook, edges: boolean): void;
  drawLongTasks(ctx: CanvasRenderingContext2D, d: DrawInput, lane: AgentLane, y: number, h: number): void;
}

export interface TrackKind {
  readonly heightCssPx: number;
  draw(p: TrackPainter, ctx: CanvasRenderingContext2D, d: DrawInput, row: LayoutRow, lane: AgentLane, y: number): void;
  /** The item at time `t` (within `slack` µs) on this row, or null. */
  hitTest(index: TimelineIndex, row: LayoutRow, t: number, slack: number): TimelineItem | null;
}

const stackLook: SpanLook = (d, _row, tag, merged, count) => {
  const idx = d.index;
  const flags = idx.slices.flags.get(tag);
  const ref = idx.slices.ref.get(tag);
  if (flags & SliceFlag.Task) {
    const kind = idx.tasks.kind.get(ref);
    const labelId = idx.tasks.label.get(ref);
    const label = labelId >= 0 ? d.strings[labelId] ?? '' : '';
    const name = TASK_KIND_NAMES[kind] ?? 'task';
    return { color: taskLook(kind).color, label: merged ? `${count} tasks` : label ? `${name} · ${label}` : name, alpha: merged ? 0.75 : 1, outline: false };
  }
  const host = d.frames.isHost(ref);
  return { color: frameColor(ref, host), label: merged ? `${count} calls` : d.frames.name(ref), alpha: merged ? 0.75 : 1, outline: false };
};

const phaseLook: SpanLook = (_d, _row, tag) => {
  const micro = tag >= MICRO_BAND;
  const phase = micro ? tag - MICRO_BAND : tag;
  if (micro) return { color: COLORS.orange, label: 'microtasks', alpha: 0.45, outline: false };
  const look = PHASE_LOOK[phase] ?? PHASE_LOOK[0]!;
  return { color: look.color, label: `${look.glyph} ${look.name}`, alpha: 0.55, outline: false };
};

const pendingLook: SpanLook = (d, _row, tag, merged, count) => {
  if (tag === UNION_TAG) return { color: COLORS.grey, label: 'several callbacks', alpha: 0.3, outline: true };
  const kind = d.index.tasks.kind.get(tag);
  const delay = d.index.tasks.delayUs.get(tag);
  const name = TASK_KIND_NAMES[kind] ?? 'task';
  return { color: taskLook(kind).color, label: merged ? `${count} waiting` : delay > 0 ? `${name} ${formatDurationUs(delay)}` : name, alpha: 0.22, outline: true };
};

const queueLook: SpanLook = (d, row, tag, merged, count) => {
  const look = QUEUE_LOOK[row.queue] ?? QUEUE_LOOK[0]!;
  if (tag === UNION_TAG) return { color: look.color, label: 'several tasks', alpha: 0.45, outline: false };
  const kind = d.index.tasks.kind.get(tag);
  return { color: taskLook(kind).color, label: merged ? `${count} waits` : `${look.glyph} ${TASK_KIND_NAMES[kind] ?? 'task'}`, alpha: 0.6, outline: false };
};

/** Hit-testing shared by every row made of spans. */
function hitSpan(index: TimelineIndex, row: LayoutRow, t: number, slack: number): TimelineItem | null {
  const item = { agent: row.agent, row: row.kind, rowIndex: row.index, queue: row.queue };
  const i = itemSpans(index, item)?.spanNear(t, slack, index.timeUs, index.liveEndUs) ?? -1;
  return i < 0 ? null : { ...item, span: i };
}

const noHit = (): null => null;

export const TRACK_KINDS: { readonly [K in LayoutRowKind]: TrackKind } = {
  header: { heightCssPx: ROW_HEIGHT.header, draw: (p, ctx, d, row, lane, y) => p.drawHeader(ctx, d, row, lane, y), hitTest: noHit },
  marks: {
    heightCssPx: ROW_HEIGHT.marks,
    draw: (p, ctx, d, row, lane, y) => p.drawMarks(ctx, d, lane, y, row.heightCssPx),
    hitTest(index, row, t, slack) {
      const marks = index.lanes[row.agent]?.marks;
      if (!marks || marks.count === 0) return null;
      const i = marks.lowerBound(t - slack);
      return i < marks.count && Math.abs(marks.timeUs.get(i) - t) <= slack ? { agent: row.agent, row: 'marks', rowIndex: 0, queue: -1, span: i } : null;
    },
  },
  phase: { heightCssPx: ROW_HEIGHT.phase, draw: (p, ctx, d, row, _lane, y) => p.drawSpans(ctx, d, row, y, phaseLook, false), hitTest: hitSpan },
  stack: {
    heightCssPx: ROW_HEIGHT.stack,
    draw(p, ctx, d, row, lane, y) {
      p.drawSpans(ctx, d, row, y, stackLook, true);
      if (row.index === 0) p.drawLongTasks(ctx, d, lane, y, row.heightCssPx);
    },
    hitTest: hitSpan,
  },
  pending: { heightCssPx: ROW_HEIGHT.pending, draw: (p, ctx, d, row, _lane, y) => p.drawSpans(ctx, d, row, y, pendingLook, false), hitTest: hitSpan },
  queue: { heightCssPx: ROW_HEIGHT.queue, draw: (p, ctx, d, row, _lane, y) => p.drawSpans(ctx, d, row, y, queueLook, false), hitTest: hitSpan },
  counter: { heightCssPx: ROW_HEIGHT.counter, draw: (p, ctx, d, row, lane, y) => p.drawCounter(ctx, d, lane, row, y), hitTest: noHit },
};
