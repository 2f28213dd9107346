/**
 * One object per kind of timeline row (Perfetto's track kinds): its height, how it draws, how it is hit-tested and
 * what its items say (the tooltip, the selection's announcement, and the step a click seeks to) — all in one place.
 * Which rows exist is the layout's (timeline-layout.ts); adding a row kind to `LayoutRowKind` fails to compile here
 * until the new kind has its object.
 *
 * Why the kinds live in the scene layer and draw through a `TrackPainter`: the scene layer is pure (no DOM), so a
 * kind says *what* to draw — which row of spans, in which colours with which labels — and the renderer's painter
 * (src/renderer/src/timeline/timeline-renderer.ts) lends the canvas primitives that say *how*. Pure: reads the
 * timeline index, the narration and the frame table, never pixels.
 */
import { COLORS, PHASE_LOOK, QUEUE_LOOK, frameColor, taskLook } from './palette.ts';
import { MarkKind, MICRO_BAND, UNION_TAG, type AgentLane } from './lanes.ts';
import type { FrameTable } from './frames.ts';
import type { Narrator } from './narration.ts';
import type { SpanRow } from './span-row.ts';
import { formatDurationUs } from './time.ts';
import { SliceFlag, type TimelineIndex } from './timeline-index.ts';
import { ROW_HEIGHT, type LayoutRow, type LayoutRowKind } from './timeline-layout.ts';
import { arg, type TraceColumns } from './trace-source.ts';
import { END_REASON_NAMES, TASK_KIND_NAMES } from '../trace/schema.ts';

/** One span of one timeline row (or one mark), as the timeline hit-tests and selects it. */
export interface TimelineItem {
  readonly agent: number;
  readonly row: LayoutRowKind;
  /** Which row of its kind (stack depth, pending or queue row). */
  readonly rowIndex: number;
  /** The queue of a queue row, else -1. */
  readonly queue: number;
  /** Index of the span in its row (of the mark in a marks row). */
  readonly span: number;
}

export interface DescribedItem {
  readonly title: string;
  readonly lines: string[];
  /** The step the item starts at. */
  readonly step: number;
}

/** What the tracks read: the trace, its timeline index, the narration and the frame table. */
export interface TrackScene {
  readonly trace: Pick<TraceColumns, 'strings'>;
  readonly index: TimelineIndex;
  readonly frames: FrameTable;
}

export interface DescribeScene extends TrackScene {
  readonly trace: TraceColumns;
  readonly narrator: Narrator;
}

/** How one span (or a merged block of `count` spans) of a row looks. */
export interface SpanStyle {
  readonly color: string;
  readonly label: string;
  readonly alpha: number;
  /** Dashed outline (a wait rather than work). */
  readonly outline: boolean;
}
export type SpanLook = (scene: TrackScene, row: LayoutRow, tag: number, merged: boolean, count: number) => SpanStyle;

/** The drawing primitives the renderer lends to track kinds, bound to a canvas and a frame; y in CSS px. */
export interface TrackPainter {
  header(row: LayoutRow, lane: AgentLane, y: number): void;
  marks(lane: AgentLane, y: number, h: number): void;
  counter(lane: AgentLane, row: LayoutRow, y: number): void;
  /** A row of spans merged below a pixel; `edges`: notches for resumed/suspended, bars for threw/stopped. */
  spans(row: LayoutRow, y: number, look: SpanLook, edges: boolean): void;
  longTasks(lane: AgentLane, y: number, h: number): void;
}

export interface TrackKind {
  readonly heightCssPx: number;
  draw(p: TrackPainter, row: LayoutRow, lane: AgentLane, y: number): void;
  /** The item at trace time `t` (within `slack` µs) on this row, or null. */
  hitTest(index: TimelineIndex, row: LayoutRow, t: number, slack: number): TimelineItem | null;
  /** Tooltip text for an item of this kind of row. */
  describe(scene: DescribeScene, item: TimelineItem): DescribedItem | null;
}

/** The spans of the row an item sits on (undefined for marks, headers and counters). */
export function itemSpans(index: TimelineIndex, item: Pick<TimelineItem, 'agent' | 'row' | 'rowIndex' | 'queue'>): SpanRow | undefined {
  const lane = index.lanes[item.agent];
  if (!lane) return undefined;
  switch (item.row) {
    case 'phase':
      return lane.phase;
    case 'stack':
      return lane.stack[item.rowIndex];
    case 'pending':
      return lane.pending.rows[item.rowIndex];
    case 'queue':
      return item.queue >= 0 ? lane.queues[item.queue]?.waits.rows[item.rowIndex] : undefined;
    default:
      return undefined;
  }
}

/** Tooltip text for an item: its row kind's. */
export function describeTimelineItem(scene: DescribeScene, item: TimelineItem): DescribedItem | null {
  return TRACK_KINDS[item.row].describe(scene, item);
}

export const MARK_NAMES: Record<number, string> = {
  [MarkKind.Stdout]: 'console output',
  [MarkKind.Stderr]: 'console error output',
  [MarkKind.Error]: 'error',
  [MarkKind.WorkerSpawn]: 'worker created',
  [MarkKind.MessagePost]: 'message posted',
  [MarkKind.Atomics]: 'Atomics operation',
  [MarkKind.Lock]: 'lock operation',
  [MarkKind.Signal]: 'signal',
};

// ------------------------------------------------------------------------------------------------ shared helpers

/** Hit-testing shared by every row made of spans. */
function hitSpan(index: TimelineIndex, row: LayoutRow, t: number, slack: number): TimelineItem | null {
  const item = { agent: row.agent, row: row.kind, rowIndex: row.index, queue: row.queue };
  const i = itemSpans(index, item)?.spanNear(t, slack, index.timeUs, index.liveEndUs) ?? -1;
  return i < 0 ? null : { ...item, span: i };
}

const noHit = (): null => null;
const noText = (): null => null;

/** A span item's tag, its start step and "how long · from when", or null when the item is not a span. */
function spanFacts(scene: DescribeScene, item: TimelineItem): { tag: number; step: number; dur: string } | null {
  const idx = scene.index;
  const row = itemSpans(idx, item);
  if (!row || item.span < 0 || item.span >= row.count) return null;
  const s = row.startAt(item.span, idx.timeUs);
  const e = row.endAt(item.span, idx.timeUs, idx.liveEndUs);
  return { tag: row.tag.get(item.span), step: row.startStep.get(item.span), dur: `${formatDurationUs(e - s)} · from ${formatDurationUs(s - idx.startUs)}` };
}

function taskLabel(scene: TrackScene, task: number): string {
  const labelId = scene.index.tasks.labelIdOf(task);
  return labelId >= 0 ? scene.trace.strings[labelId] ?? '' : '';
}

// ------------------------------------------------------------------------------------------------ the kinds

const stackLook: SpanLook = (scene, _row, tag, merged, count) => {
  const idx = scene.index;
  const flags = idx.slices.flags.get(tag);
  const ref = idx.slices.ref.get(tag);
  const alpha = merged ? 0.75 : 1;
  const stopped = !merged && flags & SliceFlag.Stopped ? ' · stopped' : '';
  if (flags & SliceFlag.Task) {
    const kind = idx.tasks.kindOf(ref);
    const label = taskLabel(scene, ref);
    const name = TASK_KIND_NAMES[kind] ?? 'task';
    return { color: taskLook(kind).color, label: merged ? `${count} tasks` : `${label ? `${name} · ${label}` : name}${stopped}`, alpha, outline: false };
  }
  return { color: frameColor(ref, scene.frames.isHost(ref)), label: merged ? `${count} calls` : `${scene.frames.name(ref)}${stopped}`, alpha, outline: false };
};

/** What a stack slice's flags say, for its tooltip. */
function sliceNotes(scene: DescribeScene, slice: number): string[] {
  const idx = scene.index;
  const flags = idx.slices.flags.get(slice);
  const notes: string[] = [];
  if (flags & SliceFlag.Resumed) notes.push('resumed here (after await / yield)');
  if (flags & SliceFlag.Suspended) notes.push('left the stack here at await / yield');
  if (flags & SliceFlag.Threw) notes.push('threw');
  if (flags & SliceFlag.Stopped) {
    const how = END_REASON_NAMES[idx.endReason] ?? 'stopped';
    const lane = idx.lanes[idx.slices.agent.get(slice)];
    const st = lane?.lastStatementStep ?? -1;
    const line = st >= idx.sliceStartStep(slice) ? scene.frames.where(arg(scene.trace, st, 0)) : '';
    notes.push(`still running when the run ended (${how})${line ? ` — last on ${line}` : ''}`);
  }
  if (flags & SliceFlag.Cut) notes.push('its return was never recorded (the run ended): drawn up to its thread’s last event');
  return notes;
}

const phaseLook: SpanLook = (_scene, _row, tag) => {
  if (tag >= MICRO_BAND) return { color: COLORS.orange, label: 'microtasks', alpha: 0.45, outline: false };
  const look = PHASE_LOOK[tag] ?? PHASE_LOOK[0]!;
  return { color: look.color, label: `${look.glyph} ${look.name}`, alpha: 0.55, outline: false };
};

const pendingLook: SpanLook = (scene, _row, tag, merged, count) => {
  if (tag === UNION_TAG) return { color: COLORS.grey, label: 'several callbacks', alpha: 0.3, outline: true };
  const kind = scene.index.tasks.kindOf(tag);
  const delay = scene.index.tasks.delayOf(tag);
  const name = TASK_KIND_NAMES[kind] ?? 'task';
  return { color: taskLook(kind).color, label: merged ? `${count} waiting` : delay > 0 ? `${name} ${formatDurationUs(delay)}` : name, alpha: 0.22, outline: true };
};

const queueLook: SpanLook = (scene, row, tag, merged, count) => {
  const look = QUEUE_LOOK[row.queue] ?? QUEUE_LOOK[0]!;
  if (tag === UNION_TAG) return { color: look.color, label: 'several tasks', alpha: 0.45, outline: false };
  const kind = scene.index.tasks.kindOf(tag);
  return { color: taskLook(kind).color, label: merged ? `${count} waits` : `${look.glyph} ${TASK_KIND_NAMES[kind] ?? 'task'}`, alpha: 0.6, outline: false };
};

/** A wait in a queue or in Node APIs: what waited, where, how long. */
function describeWait(scene: DescribeScene, item: TimelineItem): DescribedItem | null {
  const f = spanFacts(scene, item);
  if (!f) return null;
  const where = item.row === 'queue' ? `waited in the ${QUEUE_LOOK[item.queue]?.name ?? 'queue'}` : 'waited in Node APIs (not runnable yet)';
  if (f.tag === UNION_TAG) return { title: 'several callbacks', lines: [where, f.dur, 'zoom in to see each one'], step: f.step };
  const kind = scene.index.tasks.kindOf(f.tag);
  const delay = scene.index.tasks.delayOf(f.tag);
  return { title: TASK_KIND_NAMES[kind] ?? 'task', lines: [where, f.dur, ...(delay > 0 ? [`delay ${formatDurationUs(delay)}`] : [])], step: f.step };
}

export const TRACK_KINDS: { readonly [K in LayoutRowKind]: TrackKind } = {
  header: { heightCssPx: ROW_HEIGHT.header, draw: (p, row, lane, y) => p.header(row, lane, y), hitTest: noHit, describe: noText },
  marks: {
    heightCssPx: ROW_HEIGHT.marks,
    draw: (p, row, lane, y) => p.marks(lane, y, row.heightCssPx),
    hitTest(index, row, t, slack) {
      const marks = index.lanes[row.agent]?.marks;
      if (!marks || marks.count === 0) return null;
      const i = marks.lowerBound(t - slack);
      return i < marks.count && Math.abs(marks.timeUs.get(i) - t) <= slack ? { agent: row.agent, row: 'marks', rowIndex: 0, queue: -1, span: i } : null;
    },
    describe(scene, item) {
      const idx = scene.index;
      const marks = idx.lanes[item.agent]?.marks;
      if (!marks || item.span < 0 || item.span >= marks.count) return null;
      const step = marks.step.get(item.span);
      return { title: MARK_NAMES[marks.kind.get(item.span)] ?? 'event', lines: [scene.narrator.narrate(step), `at ${formatDurationUs(marks.timeUs.get(item.span) - idx.startUs)}`], step };
    },
  },
  phase: {
    heightCssPx: ROW_HEIGHT.phase,
    draw: (p, row, _lane, y) => p.spans(row, y, phaseLook, false),
    hitTest: hitSpan,
    describe(scene, item) {
      const f = spanFacts(scene, item);
      if (!f) return null;
      return { title: f.tag >= MICRO_BAND ? 'draining microtasks' : `${PHASE_LOOK[f.tag]?.name ?? ''} phase`, lines: [f.dur], step: f.step };
    },
  },
  stack: {
    heightCssPx: ROW_HEIGHT.stack,
    draw(p, row, lane, y) {
      p.spans(row, y, stackLook, true);
      if (row.index === 0) p.longTasks(lane, y, row.heightCssPx);
    },
    hitTest: hitSpan,
    describe(scene, item) {
      const f = spanFacts(scene, item);
      if (!f) return null;
      const idx = scene.index;
      const ref = idx.slices.ref.get(f.tag);
      const notes = sliceNotes(scene, f.tag);
      if (idx.slices.flags.get(f.tag) & SliceFlag.Task) {
        const label = taskLabel(scene, ref);
        const phase = idx.tasks.phaseOf(ref);
        const title = `${TASK_KIND_NAMES[idx.tasks.kindOf(ref)] ?? 'task'}${label ? ` · ${label}` : ''}`;
        return { title, lines: [f.dur, `ran in the ${PHASE_LOOK[phase]?.name ?? '?'} phase`, ...notes, '[ jumps to what scheduled it'], step: f.step };
      }
      const where = scene.frames.where(ref);
      return { title: scene.frames.name(ref), lines: [f.dur, ...(where ? [where] : []), ...notes], step: f.step };
    },
  },
  pending: { heightCssPx: ROW_HEIGHT.pending, draw: (p, row, _lane, y) => p.spans(row, y, pendingLook, false), hitTest: hitSpan, describe: describeWait },
  queue: { heightCssPx: ROW_HEIGHT.queue, draw: (p, row, _lane, y) => p.spans(row, y, queueLook, false), hitTest: hitSpan, describe: describeWait },
  counter: { heightCssPx: ROW_HEIGHT.counter, draw: (p, row, lane, y) => p.counter(lane, row, y), hitTest: noHit, describe: noText },
};
