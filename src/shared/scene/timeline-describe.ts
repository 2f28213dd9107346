/**
 * What the timeline says about the thing under the pointer or selected: a title, a few lines and the step it
 * starts at (the tooltip, the selection's announcement, and where a click seeks). Pure: reads the timeline index,
 * the narration and the frame table, never pixels.
 */
import { PHASE_LOOK, QUEUE_LOOK } from './palette.ts';
import { MarkKind, MICRO_BAND, UNION_TAG } from './lanes.ts';
import type { FrameTable } from './frames.ts';
import type { Narrator } from './narration.ts';
import type { SpanRow } from './span-row.ts';
import { formatDurationUs } from './time.ts';
import { SliceFlag, type TimelineIndex } from './timeline-index.ts';
import type { LayoutRowKind } from './timeline-layout.ts';
import type { TraceColumns } from './trace-source.ts';
import { TASK_KIND_NAMES } from '../trace/schema.ts';

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

export interface DescribeScene {
  readonly trace: TraceColumns;
  readonly index: TimelineIndex;
  readonly narrator: Narrator;
  readonly frames: FrameTable;
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

/** Tooltip text for an item. */
export function describeTimelineItem(scene: DescribeScene, sel: TimelineItem): DescribedItem | null {
  const idx = scene.index;
  const times = idx.timeUs;
  if (sel.row === 'marks') {
    const marks = idx.lanes[sel.agent]?.marks;
    if (!marks) return null;
    const step = marks.step.get(sel.span);
    return { title: MARK_NAMES[marks.kind.get(sel.span)] ?? 'event', lines: [scene.narrator.narrate(step), `at ${formatDurationUs(marks.timeUs.get(sel.span) - idx.startUs)}`], step };
  }
  const row = itemSpans(idx, sel);
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
