/**
 * Flow arrows and "jump to cause": what scheduled a task or released it (a promise settling, a message posted,
 * a notify), and what a task or host call scheduled in turn. Computed for one selection at a time, never per
 * frame over the whole trace.
 */
import { AtomicsOp, EventKind, TaskKind, TYPED_ARRAY_TYPES } from '../trace/schema.ts';
import { UNION_TAG } from './lanes.ts';
import { SliceFlag, type TimelineIndex } from './timeline-index.ts';
import { itemSpans, type TimelineItem } from './timeline-tracks.ts';
import { arg, atomicsElementOf, type TraceColumns } from './trace-source.ts';

export type FlowKind = 'scheduled' | 'settled' | 'posted' | 'notified';

/** One end of an arrow: an event step on an agent's stack at some depth. */
export interface FlowEnd {
  readonly agent: number;
  readonly step: number;
  /** Stack depth to draw at (the slice on top at that step, or the task's own depth). */
  readonly depth: number;
}

export interface Flow {
  readonly kind: FlowKind;
  readonly from: FlowEnd;
  readonly to: FlowEnd;
  /** The slice at the arrow's tail and head (for selecting when following), -1 when none. */
  readonly fromSlice: number;
  readonly toSlice: number;
}

function endAt(index: TimelineIndex, agent: number, step: number): { end: FlowEnd; slice: number } {
  const slice = index.topSliceAtStep(agent, step);
  return { end: { agent, step, depth: slice >= 0 ? index.slices.depth.get(slice) : 0 }, slice };
}

/** The task slice of a task's (latest) run, or -1. */
export function taskSlice(index: TimelineIndex, task: number): number {
  const start = index.tasks.lastStartStepOf(task);
  if (start < 0) return -1;
  const agent = index.tasks.agentOf(task);
  const lane = index.lanes[agent];
  if (!lane) return -1;
  for (let d = 0; d < lane.stack.length; d++) {
    const s = index.sliceAtStep(agent, d, start);
    if (s >= 0 && index.slices.flags.get(s) & SliceFlag.Task && index.slices.ref.get(s) === task) return s;
  }
  return -1;
}

/** The task a slice runs inside (the task slice itself, or the nearest task below it), or -1. */
export function taskOfSlice(index: TimelineIndex, slice: number): number {
  if (index.slices.flags.get(slice) & SliceFlag.Task) return index.slices.ref.get(slice);
  const agent = index.slices.agent.get(slice);
  const step = index.sliceStartStep(slice);
  for (let d = index.slices.depth.get(slice) - 1; d >= 0; d--) {
    const s = index.sliceAtStep(agent, d, step);
    if (s >= 0 && index.slices.flags.get(s) & SliceFlag.Task) return index.slices.ref.get(s);
  }
  return -1;
}

/** Arrows into a task: who scheduled it, and what released it (settle, post, notify). */
export function incomingFlows(index: TimelineIndex, trace: TraceColumns, task: number): Flow[] {
  const t = index.tasks;
  const agent = t.agentOf(task);
  const toSlice = taskSlice(index, task);
  const start = t.lastStartStepOf(task);
  const runnable = t.lastRunnableStepOf(task);
  const to: FlowEnd = { agent, step: start >= 0 ? start : runnable >= 0 ? runnable : t.scheduleStepOf(task), depth: toSlice >= 0 ? index.slices.depth.get(toSlice) : 0 };
  const flows: Flow[] = [];
  const schedule = t.scheduleStepOf(task);
  if (schedule >= 0 && t.kindOf(task) !== TaskKind.Script) {
    const from = endAt(index, agent, schedule);
    flows.push({ kind: 'scheduled', from: from.end, to, fromSlice: from.slice, toSlice });
  }
  const released = index.links.releasedBy(task);
  if (released >= 0 && released < trace.count) {
    const fromAgent = trace.agent[released]!;
    const from = endAt(index, fromAgent, released);
    flows.push({ kind: trace.kind[released] === EventKind.MessagePost ? 'posted' : 'settled', from: from.end, to, fromSlice: from.slice, toSlice });
  }
  return flows;
}

/** Arrows out of a task: the tasks it scheduled (in order). */
export function outgoingFlows(index: TimelineIndex, task: number, limit = 64): Flow[] {
  const t = index.tasks;
  const flows: Flow[] = [];
  // a task's row comes after its cause's: the cause was seen first (it ran the code that scheduled this one)
  for (let other = task + 1, n = t.size; other < n && flows.length < limit; other++) {
    if (t.causeRowOf(other) !== task) continue;
    const agent = t.agentOf(other);
    const from = endAt(index, agent, t.scheduleStepOf(other));
    const toSlice = taskSlice(index, other);
    if (toSlice < 0) continue; // never ran
    flows.push({ kind: 'scheduled', from: from.end, to: { agent, step: index.sliceStartStep(toSlice), depth: index.slices.depth.get(toSlice) }, fromSlice: from.slice, toSlice });
  }
  return flows;
}

/**
 * The cell Atomics event `i` worked on: its byte offset in the buffer (v4, from its AtomicsElement: a wait and a
 * notify through views of other offsets still meet), else the index the program passed, negative.
 */
function atomicsCell(trace: TraceColumns, i: number): number {
  const e = atomicsElementOf(trace, i);
  return e >= 0 ? (TYPED_ARRAY_TYPES[arg(trace, e, 0)]?.size ?? 4) * arg(trace, e, 1) : -1 - arg(trace, i, 2);
}

/**
 * Notify → woken: for an `Atomics.wait` that returned "ok" at `waitDoneStep`, the latest notify on the same cell
 * by another agent before it. Buffers are agent-scoped ids, so the cell and timing decide.
 */
export function notifyFlow(index: TimelineIndex, trace: TraceColumns, waitDoneStep: number, maxScan = 200_000): Flow | null {
  if (trace.kind[waitDoneStep] !== EventKind.Atomics || arg(trace, waitDoneStep, 0) !== AtomicsOp.WaitDone || arg(trace, waitDoneStep, 4) !== 0) return null;
  const agent = trace.agent[waitDoneStep]!;
  const cell = atomicsCell(trace, waitDoneStep);
  for (let j = waitDoneStep - 1; j >= 0 && waitDoneStep - j < maxScan; j--) {
    if (trace.kind[j] === EventKind.Atomics && trace.agent[j] !== agent && arg(trace, j, 0) === AtomicsOp.Notify && atomicsCell(trace, j) === cell) {
      const from = endAt(index, trace.agent[j]!, j);
      const to = endAt(index, agent, waitDoneStep);
      return { kind: 'notified', from: from.end, to: to.end, fromSlice: from.slice, toSlice: to.slice };
    }
  }
  return null;
}

/** Flows of a selected slice: for a task (or a frame inside one) its task's flows; for a host call what it scheduled. */
export function flowsOfSlice(index: TimelineIndex, trace: TraceColumns, slice: number): Flow[] {
  const task = taskOfSlice(index, slice);
  if (index.slices.flags.get(slice) & SliceFlag.Task) return task >= 0 ? [...incomingFlows(index, trace, task), ...outgoingFlows(index, task)] : [];
  // A frame: the tasks scheduled while it was on the stack (setTimeout, .then, …).
  const flows: Flow[] = [];
  const agent = index.slices.agent.get(slice);
  const from = index.sliceStartStep(slice);
  const toEnd = index.sliceEndStep(slice);
  const to = toEnd < 0 ? trace.count - 1 : toEnd;
  if (to - from > 5000) return task >= 0 ? incomingFlows(index, trace, task) : [];
  for (let i = from; i <= to; i++) {
    if (trace.agent[i] !== agent || trace.kind[i] !== EventKind.TaskSchedule) continue;
    const other = index.tasks.rowOf(agent, arg(trace, i, 0));
    const toSlice = other >= 0 ? taskSlice(index, other) : -1;
    if (toSlice < 0) continue;
    flows.push({ kind: 'scheduled', from: { agent, step: i, depth: index.slices.depth.get(slice) }, to: { agent, step: index.sliceStartStep(toSlice), depth: index.slices.depth.get(toSlice) }, fromSlice: slice, toSlice });
  }
  if (flows.length === 0 && task >= 0) return incomingFlows(index, trace, task);
  return flows;
}

/** The slice a selected item is (a call-stack span), or -1. */
export function itemSlice(index: TimelineIndex, item: TimelineItem): number {
  return item.row === 'stack' ? itemSpans(index, item)?.tag.get(item.span) ?? -1 : -1;
}

/** The task of a selected item (a task slice, a frame's task, a queue wait or pending callback), or -1. */
export function itemTask(index: TimelineIndex, item: TimelineItem): number {
  const tag = itemSpans(index, item)?.tag.get(item.span) ?? -1;
  if (item.row === 'queue' || item.row === 'pending') return tag === UNION_TAG ? -1 : tag;
  if (item.row !== 'stack' || tag < 0) return -1;
  return taskOfSlice(index, tag);
}

/** The arrows drawn for a selection: a slice's flows, else those into the selected wait's task. */
export function flowsOfItem(index: TimelineIndex, trace: TraceColumns, item: TimelineItem): Flow[] {
  const slice = itemSlice(index, item);
  if (slice >= 0) return flowsOfSlice(index, trace, slice);
  const task = itemTask(index, item);
  return task >= 0 ? incomingFlows(index, trace, task) : [];
}

/** What `[` (direction -1: the causes) and `]` (+1: what it caused) step through from a selection. */
export function flowsToFollow(index: TimelineIndex, trace: TraceColumns, item: TimelineItem, direction: 1 | -1): Flow[] {
  const task = itemTask(index, item);
  if (direction < 0) return task >= 0 ? incomingFlows(index, trace, task) : [];
  const slice = itemSlice(index, item);
  const flows = slice >= 0 ? flowsOfSlice(index, trace, slice) : task >= 0 ? outgoingFlows(index, task) : [];
  return flows.filter((f) => f.toSlice !== slice);
}
