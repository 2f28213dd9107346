/**
 * Trace → timeline tracks, built once in a single pass over the events and extended as a run streams.
 *
 * Invariants:
 * - `update(trace)` reads only events it has not seen (from `processed` to `trace.count`), so a streaming run
 *   costs O(new events) per update and a finished trace O(events) once. Nothing here is proportional to the
 *   trace per frame: drawing queries rows (`queryRow`) and counters (`counterColumns`) for the visible window.
 * - A slice is one contiguous stay of an entry on an agent's stack: a task (depth 0 when it is the outermost) or
 *   a function/host-API frame. An async function or generator that suspends ends its slice (flag `Suspended`) and
 *   starts a new one when it resumes (flag `Resumed`), so "left the stack at await" is visible.
 * - Spans hold steps, not times (see span-row.ts); times are read from the trace passed to each query.
 * - Memory: about 24 bytes per slice plus ~8 per task; typed arrays only, no object per event.
 * - Tasks are the trace's one `TaskIndex` (`TaskIndex.of(trace)`, shared with the model): a task's index here is
 *   its row there. This index only adds what the timeline derives about a task (`TaskLinks`: what released it).
 */
import { EventKind, TaskKind, isMicro, queueOf, Queue } from '../trace/schema.ts';
import { IdMap } from '../trace/columns.ts';
import { IntColumn } from './growable.ts';
import { AgentLane, MarkKind, MICRO_BAND } from './lanes.ts';
import type { SpanRow } from './span-row.ts';
import { TaskIndex } from '../trace/task-index.ts';
import { arg, type TraceColumns } from './trace-source.ts';
import { FrameTable } from './frames.ts';
import { byKind, type PerKind } from '../trace/event-kinds.ts';

/**
 * Stopped: the entry that was really running when the run ended without finishing (an infinite loop stopped by the
 * user or the time limit): it stays open up to the end. Cut: an entry above it (a host call such as console.log)
 * whose exit was never recorded: it ends at its agent's last event instead of being drawn up to the stop.
 */
export const SliceFlag = { Task: 1, Resumed: 2, Suspended: 4, Threw: 8, Unwound: 16, Stopped: 32, Cut: 64 } as const;

/** A task longer than this gets a long-task stripe (the RAIL / DevTools threshold). */
export const LONG_TASK_US = 50_000;

/** The shortest idle stretch of an agent the index records (see `AgentLane.idleGaps`). */
export const IDLE_GAP_MIN_US = 1_000;

/** Events that mark a run's or an agent's edges rather than work: they are not activity. */
const EDGE_KINDS: readonly boolean[] = (() => {
  const a: boolean[] = [];
  for (const k of [EventKind.Time, EventKind.RunStart, EventKind.RunEnd, EventKind.AgentStart, EventKind.AgentEnd, EventKind.Truncated]) a[k] = true;
  return a;
})();

/** A read (and for flags, write) view of one field packed into `SliceTable.packed`. */
export interface SliceField {
  get(slice: number): number;
}

export class SliceTable {
  /** Frame id, or for a task slice its task index. */
  readonly ref = new IntColumn(1024);
  /** agent << 24 | flags << 16 | depth — one column instead of three keeps a slice at 12 bytes. */
  readonly packed = new IntColumn(1024);
  /** Index of the slice's span in `lanes[agent].stack[depth]`. */
  readonly rowIndex = new IntColumn(1024);
  readonly agent: SliceField = { get: (s) => this.packed.get(s) >>> 24 };
  readonly depth: SliceField = { get: (s) => this.packed.get(s) & 0xffff };
  readonly flags: SliceField & { set(slice: number, flags: number): void } = {
    get: (s) => (this.packed.get(s) >>> 16) & 0xff,
    set: (s, f) => this.packed.set(s, (this.packed.get(s) & ~0xff0000) | ((f & 0xff) << 16)),
  };

  get count(): number {
    return this.ref.length;
  }

  add(ref: number, agent: number, depth: number, flags: number, rowIndex: number): number {
    this.ref.push(ref);
    this.packed.push(((agent & 0xff) << 24) | ((flags & 0xff) << 16) | Math.min(depth, 0xffff));
    return this.rowIndex.push(rowIndex);
  }

  get byteLength(): number {
    return this.ref.byteLength + this.packed.byteLength + this.rowIndex.byteLength;
  }

  trim(): void {
    this.ref.trim();
    this.packed.trim();
    this.rowIndex.trim();
  }
}

const PENDING_KINDS = new Set<number>([TaskKind.Timeout, TaskKind.Interval, TaskKind.Io]);

/** What the timeline derives about tasks (by TaskIndex row), beyond what the task index records. */
export class TaskLinks {
  // stored + 1, so the columns' zero fill reads as "none" (-1)
  readonly #releasedBy = new IntColumn(256);
  readonly #promise = new IntColumn(256);

  /** The event that made the task runnable from outside: a PromiseSettle or a MessagePost step, or -1. */
  releasedBy(task: number): number {
    return task < this.#releasedBy.length ? this.#releasedBy.get(task) - 1 : -1;
  }

  setReleasedBy(task: number, step: number): void {
    this.#releasedBy.set(task, step + 1);
  }

  /** For a promise job: the promise whose settling makes it runnable (agent-scoped id), else -1. */
  promise(task: number): number {
    return task < this.#promise.length ? this.#promise.get(task) - 1 : -1;
  }

  setPromise(task: number, promise: number): void {
    this.#promise.set(task, promise + 1);
  }

  get byteLength(): number {
    return this.#releasedBy.byteLength + this.#promise.byteLength;
  }

  trim(): void {
    this.#releasedBy.trim();
    this.#promise.trim();
  }
}

/** Before the first update the index has seen no trace: an empty task index stands in. */
const NO_TASKS = new TaskIndex({ count: 0, kind: new Uint8Array(0), agent: new Uint8Array(0), args: new Int32Array(0), argStart: new Uint32Array(0), timeUs: new Float64Array(0), strings: [] });

/** What the timeline index does with one event at step `i` (time `t`) on its agent's lane. */
type TimelineHandler = (x: TimelineIndex, trace: TraceColumns, lane: AgentLane, i: number, t: number) => void;

export class TimelineIndex {
  readonly slices = new SliceTable();
  #tasks: TaskIndex = NO_TASKS;
  #source: TraceColumns | null = null;
  readonly links = new TaskLinks();
  /** Indexed by agent id (sparse while workers start). */
  readonly lanes: AgentLane[] = [];
  /** Steps where an outermost task started (any agent), ascending: for "step by task". */
  readonly taskStarts = new IntColumn(256);
  processed = 0;
  firstUs = Number.POSITIVE_INFINITY;
  lastUs = 0;
  /** First and last activity of any agent (events other than run and agent edges), NaN before any. */
  firstActivityUs = Number.NaN;
  lastActivityUs = Number.NaN;
  /** Bumped when the idle stretches of any agent may have changed (a new one, or activity past the known ones). */
  activityVersion = 0;
  ended = false;
  /** The run's EndReason (RunEnd), -1 before it ends. */
  endReason = -1;
  /** Bumped whenever rows or tracks are added (the vertical layout must be recomputed). */
  structure = 0;
  private times: Float64Array = new Float64Array(0);
  private readonly messagePosts = new Map<number, number>();
  private readonly suspendedFrame: Map<number, number>[] = [];
  /** Per agent: promise id → step of its PromiseSettle. */
  private readonly settled: IdMap[] = [];

  /**
   * Reads the events the index has not seen. Pass `ended` once the run is over to close what is still open. Always
   * the same trace object (its count grows while a run streams): the trace's task index is bound to it.
   */
  update(trace: TraceColumns, ended = false): void {
    if (this.#source !== null && this.#source !== trace) throw new Error('a TimelineIndex reads one trace: make a new index for another trace object');
    this.#source = trace;
    const n = trace.count;
    const kinds = trace.kind;
    const agents = trace.agent;
    const times = trace.timeUs;
    this.times = times;
    if (this.#tasks === NO_TASKS) this.#tasks = TaskIndex.of(trace);
    // Read ahead by the task index up to n: handlers below read only what is settled by step i (gated reads).
    this.tasks.update(n);
    let first = this.firstUs;
    let last = this.lastUs;
    for (let i = this.processed; i < n; i++) {
      const k = kinds[i]!;
      const t = times[i]!;
      if (t > last) last = t;
      if (t < first) first = t;
      const lane = this.lanes[agents[i]!] ?? this.lane(agents[i]!);
      if (EDGE_KINDS[k] !== true) this.activity(lane, i, t);
      HANDLERS[k]?.(this, trace, lane, i, t);
      // A settle chain (a settle releasing the reactions queued right after it) is broken by any other event.
      if (k !== EventKind.Enter && k !== EventKind.Exit && k !== EventKind.Statement && k !== EventKind.PromiseSettle && k !== EventKind.TaskRunnable) lane.settleChain = false;
    }
    this.firstUs = first;
    this.lastUs = last;
    if (n > this.processed) this.activityVersion++;
    this.processed = n;
    if (ended && !this.ended) this.finish(trace);
  }

  /** Event `i` at `t` is work of `lane`'s agent: extend its activity and note an idle stretch before it. */
  private activity(lane: AgentLane, i: number, t: number): void {
    const prev = lane.lastActivityUs;
    if (prev === prev) {
      // idle since the previous event when nothing was on the stack in between
      if (lane.stackSlice.length === 0 && t - prev >= IDLE_GAP_MIN_US) {
        lane.idleGaps.push(prev);
        lane.idleGaps.push(t);
      }
      if (t > prev) lane.lastActivityUs = t;
    } else {
      lane.firstActivityUs = lane.lastActivityUs = t;
    }
    lane.lastStep = i;
    if (!(t >= this.firstActivityUs)) this.firstActivityUs = t;
    if (!(t <= this.lastActivityUs)) this.lastActivityUs = t;
  }

  /**
   * The stretch of the trace where something happened: from the first to the last event that is not a run or agent
   * edge, extended to the end while anything is still on a stack (a task running when the run was stopped). Null
   * before any activity.
   */
  activityRange(): { startUs: number; endUs: number } | null {
    if (!(this.firstActivityUs === this.firstActivityUs)) return null;
    let end = this.lastActivityUs;
    for (const lane of this.lanes) if (lane && lane.stackSlice.length > 0) end = Math.max(end, this.liveEndUs);
    return { startUs: this.firstActivityUs, endUs: end };
  }

  /** The trace's task index (shared with the model): task numbers in this index are its rows. */
  get tasks(): TaskIndex {
    return this.#tasks;
  }

  /** Times of the trace as last seen (valid below `processed`). */
  get timeUs(): Float64Array {
    return this.times;
  }

  /** The time an open span is drawn up to. */
  get liveEndUs(): number {
    return this.lastUs;
  }

  get startUs(): number {
    return Number.isFinite(this.firstUs) ? this.firstUs : 0;
  }

  lane(agent: number): AgentLane {
    let lane = this.lanes[agent];
    if (!lane) {
      this.lanes[agent] = lane = new AgentLane(agent);
      this.structure++;
    }
    return lane;
  }

  /** Lanes that exist, main thread first. */
  get agentLanes(): AgentLane[] {
    return this.lanes.filter((l): l is AgentLane => l !== undefined);
  }

  sliceRow(slice: number): SpanRow {
    return this.lanes[this.slices.agent.get(slice)]!.stack[this.slices.depth.get(slice)]!;
  }

  sliceStartStep(slice: number): number {
    return this.sliceRow(slice).startStep.get(this.slices.rowIndex.get(slice));
  }

  /** -1 while the slice is open. */
  sliceEndStep(slice: number): number {
    return this.sliceRow(slice).endStep.get(this.slices.rowIndex.get(slice));
  }

  sliceStartUs(slice: number): number {
    return this.times[this.sliceStartStep(slice)] ?? 0;
  }

  sliceEndUs(slice: number): number {
    const e = this.sliceEndStep(slice);
    return e >= 0 ? this.times[e]! : this.liveEndUs;
  }

  /** The outermost slice of `agent` that ended at `step` (what an Exit popped), or -1. O(depth × log n). */
  sliceEndingAt(agent: number, step: number): number {
    const lane = this.lanes[agent];
    if (!lane) return -1;
    for (const row of lane.stack) {
      const i = row.spanAtStep(step);
      if (i >= 0 && row.endStep.get(i) === step) return row.tag.get(i);
    }
    return -1;
  }

  /** The slice of `agent` at `depth` that is on the stack at `step` (started at or before, not ended before). */
  sliceAtStep(agent: number, depth: number, step: number): number {
    const row = this.lanes[agent]?.stack[depth];
    if (!row) return -1;
    const i = row.spanAtStep(step);
    return i < 0 ? -1 : row.tag.get(i);
  }

  /** The innermost slice of `agent` on the stack at `step`, or -1. */
  topSliceAtStep(agent: number, step: number): number {
    const lane = this.lanes[agent];
    if (!lane) return -1;
    for (let d = lane.stack.length - 1; d >= 0; d--) {
      const s = this.sliceAtStep(agent, d, step);
      if (s >= 0) return s;
    }
    return -1;
  }

  get byteLength(): number {
    let n = this.slices.byteLength + this.links.byteLength + this.taskStarts.byteLength;
    for (const l of this.lanes) if (l) n += l.byteLength;
    return n;
  }

  private push(lane: AgentLane, step: number, ref: number, key: number, flags: number): number {
    const depth = lane.stackSlice.length;
    if (depth >= lane.stack.length) this.structure++;
    const row = lane.row(depth);
    const slice = this.slices.count;
    const rowIndex = row.open(step, slice);
    this.slices.add(ref, lane.agent, depth, flags, rowIndex);
    lane.stackSlice.push(slice);
    lane.stackKey.push(key);
    return slice;
  }

  /** Closes the top entry of the stack. */
  private closeTop(lane: AgentLane, step: number, flags: number): void {
    const depth = lane.stackSlice.length - 1;
    const slice = lane.stackSlice.pop()!;
    lane.stackKey.pop();
    const row = lane.stack[depth]!;
    const rowIndex = this.slices.rowIndex.get(slice);
    row.close(rowIndex, step);
    const f = this.slices.flags.get(slice) | flags;
    if (flags) this.slices.flags.set(slice, f);
    if (f & SliceFlag.Task && this.times[step]! - row.startAt(rowIndex, this.times) >= LONG_TASK_US) lane.longTasks.push(slice);
  }

  /** Pops the entry with `key` (and anything left above it, which unwound without its own exit). */
  private pop(lane: AgentLane, step: number, key: number, flags: number): boolean {
    const at = lane.stackKey.lastIndexOf(key);
    if (at < 0) return false;
    while (lane.stackKey.length - 1 > at) this.closeTop(lane, step, SliceFlag.Unwound);
    this.closeTop(lane, step, flags);
    return true;
  }

  /** Takes an entry out of the middle of the stack (a suspend below the top, rare): entries above shift down. */
  private remove(lane: AgentLane, step: number, key: number, flags: number): void {
    const at = lane.stackKey.lastIndexOf(key);
    if (at < 0) return;
    const above: { ref: number; key: number; flags: number }[] = [];
    while (lane.stackKey.length - 1 > at) {
      const slice = lane.stackSlice[lane.stackSlice.length - 1]!;
      above.unshift({ ref: this.slices.ref.get(slice), key: lane.stackKey[lane.stackKey.length - 1]!, flags: this.slices.flags.get(slice) & SliceFlag.Task });
      this.closeTop(lane, step, 0);
    }
    this.closeTop(lane, step, flags);
    for (const e of above) this.push(lane, step, e.ref, e.key, e.flags | SliceFlag.Resumed);
  }

  /** What the index does with each event kind (Statement events only move the editor highlight and note the line). */
  static readonly handlers: PerKind<TimelineHandler> = {
    Time: null,
    RunStart: null,
    RunEnd: (x, trace, _lane, i) => {
      x.endReason = arg(trace, i, 0);
    },
    AgentStart: (_x, trace, lane, i, t) => {
      lane.parent = arg(trace, i, 1);
      lane.name = trace.strings[arg(trace, i, 2)] ?? '';
      lane.file = trace.strings[arg(trace, i, 3)] ?? '';
      lane.startUs = t;
    },
    AgentEnd: (_x, _trace, lane, _i, t) => {
      lane.endUs = t;
    },
    Enter: (x, trace, lane, i) => {
      x.push(lane, i, arg(trace, i, 0), arg(trace, i, 1), 0);
    },
    Exit: (x, trace, lane, i) => {
      x.pop(lane, i, arg(trace, i, 0), 0);
    },
    Suspend: (x, trace, lane, i) => {
      const inst = arg(trace, i, 0);
      x.suspendedMap(lane.agent).set(inst, arg(trace, i, 1));
      if (lane.stackKey[lane.stackKey.length - 1] === inst) x.closeTop(lane, i, SliceFlag.Suspended);
      else x.remove(lane, i, inst, SliceFlag.Suspended);
    },
    Resume: (x, trace, lane, i) => {
      const inst = arg(trace, i, 0);
      const map = x.suspendedMap(lane.agent);
      let frame = arg(trace, i, 1);
      if (frame < 0) frame = map.get(inst) ?? -1;
      map.delete(inst);
      x.push(lane, i, frame, inst, SliceFlag.Resumed);
    },
    Statement: (_x, _trace, lane, i) => {
      lane.lastStatementStep = i;
    },
    TaskSchedule: (x, trace, lane, i) => {
      const task = x.task(lane, trace, i, 0);
      if (task < 0 || x.tasks.scheduleStepOf(task) !== i) return; // a second schedule of the same id: the first counts
      const kind = x.tasks.kindOf(task);
      if ((kind === TaskKind.PromiseReaction || kind === TaskKind.AwaitContinuation) && lane.lastPromiseParent >= 0) {
        x.links.setPromise(task, lane.lastPromiseParent);
        lane.lastPromiseParent = -1;
      }
      if (PENDING_KINDS.has(kind)) x.openPending(lane, task, i);
    },
    TaskRunnable: (x, trace, lane, i, t) => {
      const task = x.task(lane, trace, i, 0);
      if (task < 0) return;
      const kind = x.tasks.kindOf(task) as TaskKind;
      const promise = x.links.promise(task);
      const settle = promise >= 0 ? x.settledMap(lane.agent).get(promise) : -1;
      if (settle >= 0) x.links.setReleasedBy(task, settle);
      else if (lane.settleChain && lane.lastSettleStep >= 0 && isMicro(kind)) x.links.setReleasedBy(task, lane.lastSettleStep);
      lane.pending.closeSpan(task, i);
      const q = queueOf(kind);
      if (q === Queue.Script || kind === TaskKind.Emit) return;
      if (!lane.queues[q]) x.structure++;
      const track = lane.queue(q);
      const rows = track.waits.rows.length;
      track.waits.openSpan(task, i, task);
      if (track.waits.rows.length !== rows) x.structure++;
      track.depth.push(t, track.depth.last + 1);
    },
    TaskStart: (x, trace, lane, i, t) => {
      const task = x.task(lane, trace, i, 0);
      if (task < 0) return;
      const kind = x.tasks.kindOf(task) as TaskKind;
      const phase = arg(trace, i, 1);
      const track = lane.queues[queueOf(kind)];
      if (track && track.waits.closeSpan(task, i)) track.depth.push(t, Math.max(0, track.depth.last - 1));
      if (lane.stackSlice.length === 0) {
        x.taskStarts.push(i);
        if (!isMicro(kind) && kind !== TaskKind.Emit) x.band(lane, i, phase, false);
      }
      x.push(lane, i, task, -1 - task, SliceFlag.Task);
    },
    TaskEnd: (x, trace, lane, i) => {
      const task = x.task(lane, trace, i, 0);
      if (task < 0) return;
      x.pop(lane, i, -1 - task, arg(trace, i, 1) === 1 ? SliceFlag.Threw : 0);
      if (lane.stackSlice.length === 0 && lane.bandIndex >= 0) lane.phase.close(lane.bandIndex, i);
      // the task index has read ahead: only a cancel before this end counts
      if (x.tasks.kindOf(task) === TaskKind.Interval && !x.tasks.cancelledBefore(task, i)) x.openPending(lane, task, i);
    },
    TaskCancel: (x, trace, lane, i, t) => {
      const task = x.task(lane, trace, i, 0);
      if (task < 0) return;
      lane.pending.closeSpan(task, i);
      const track = lane.queues[queueOf(x.tasks.kindOf(task) as TaskKind)];
      if (track && track.waits.closeSpan(task, i)) track.depth.push(t, Math.max(0, track.depth.last - 1));
    },
    MicrotaskCheckpoint: (x, trace, lane, i) => {
      if (lane.stackSlice.length === 0 || lane.bandIndex < 0 || !lane.bandIsMicro) x.band(lane, i, arg(trace, i, 0), true);
    },
    PromiseCreate: (_x, trace, lane, i) => {
      lane.lastPromiseParent = arg(trace, i, 1);
    },
    PromiseSettle: (x, trace, lane, i) => {
      x.settledMap(lane.agent).set(arg(trace, i, 0), i);
      lane.lastSettleStep = i;
      lane.settleChain = true;
    },
    Console: (_x, trace, lane, i, t) => {
      const stream = arg(trace, i, 0);
      lane.marks.push(t, i, stream === 1 || stream === 3 ? MarkKind.Stderr : MarkKind.Stdout);
    },
    WorkerSpawn: (_x, _trace, lane, i, t) => {
      lane.marks.push(t, i, MarkKind.WorkerSpawn);
    },
    WorkerExit: null,
    MessagePost: (x, trace, lane, i, t) => {
      x.messagePosts.set(arg(trace, i, 0), i);
      lane.marks.push(t, i, MarkKind.MessagePost);
    },
    MessageReceive: (x, trace, lane, i) => {
      const task = x.task(lane, trace, i, 1);
      const post = x.messagePosts.get(arg(trace, i, 0));
      if (task >= 0 && post !== undefined) x.links.setReleasedBy(task, post);
    },
    Atomics: (_x, _trace, lane, i, t) => {
      lane.marks.push(t, i, MarkKind.Atomics);
    },
    SharedBuffer: null,
    LockDefine: null,
    Lock: (_x, _trace, lane, i, t) => {
      lane.marks.push(t, i, MarkKind.Lock);
    },
    Error: (_x, _trace, lane, i, t) => {
      lane.marks.push(t, i, MarkKind.Error);
    },
    Truncated: null,
    Signal: (_x, _trace, lane, i, t) => {
      lane.marks.push(t, i, MarkKind.Signal);
    },
    TaskLabel: null, // the task index records labels
    // Values, views and plain writes are stage state, not timeline marks (a tight loop writes thousands).
    Value: null,
    SharedView: null,
    SharedWrite: null,
    PortClose: null,
    SharedStore: null,
    LockCaller: null,
    ChannelClose: null,
    LockReleasing: null,
    AtomicsElement: null,
  };


  /** The task (TaskIndex row) named by arg `n` of event `i`, or -1 when the trace had not scheduled it by then. */
  private task(lane: AgentLane, trace: TraceColumns, i: number, n: number): number {
    const row = this.tasks.rowOf(lane.agent, arg(trace, i, n));
    return row >= 0 && this.tasks.scheduleStepAt(row, i + 1) >= 0 ? row : -1;
  }

  private openPending(lane: AgentLane, task: number, step: number): void {
    const rows = lane.pending.rows.length;
    lane.pending.openSpan(task, step, task);
    if (lane.pending.rows.length !== rows) this.structure++;
  }

  private band(lane: AgentLane, step: number, phase: number, micro: boolean): void {
    const row = lane.phase;
    if (lane.bandIndex >= 0 && row.isOpen(lane.bandIndex)) row.close(lane.bandIndex, step);
    lane.bandIndex = row.open(step, micro ? MICRO_BAND + phase : phase);
    lane.bandIsMicro = micro;
  }

  private settledMap(agent: number): IdMap {
    let m = this.settled[agent];
    if (!m) this.settled[agent] = m = new IdMap();
    return m;
  }

  private suspendedMap(agent: number): Map<number, number> {
    let m = this.suspendedFrame[agent];
    if (!m) this.suspendedFrame[agent] = m = new Map();
    return m;
  }

  /**
   * A run that ended with entries still on `lane`'s stack was stopped mid-work (Stop, the time limit, an exit from
   * inside a function). Only lesson code can have been running: the innermost open task or lesson function is the
   * one that was (the looping function), so it and what is below it stay open up to the end, and it is flagged
   * `Stopped`. Host calls above it (a console.log entered just before the kill) never recorded their exit: they are
   * cut at the agent's last event rather than drawn as lasting until the stop.
   */
  private settleStack(lane: AgentLane, frames: FrameTable): void {
    const open = lane.stackSlice;
    if (open.length === 0) return;
    let running = -1;
    for (let d = open.length - 1; d >= 0 && running < 0; d--) {
      const s = open[d]!;
      if (this.slices.flags.get(s) & SliceFlag.Task || !frames.isHost(this.slices.ref.get(s))) running = d;
    }
    while (open.length - 1 > running) this.closeTop(lane, lane.lastStep, SliceFlag.Cut);
    if (running >= 0) this.slices.flags.set(open[running]!, this.slices.flags.get(open[running]!) | SliceFlag.Stopped);
  }

  /**
   * The run is over: settle what is still on a stack (`settleStack`) and shrink storage. Queue waits and pending
   * callbacks still open stay open and are drawn up to the last event's time (they really waited until then; a
   * step of another agent could be stamped earlier than the span's start, so nothing is closed at a shared step).
   */
  private finish(trace: TraceColumns): void {
    this.ended = true;
    const frames = new FrameTable(trace.header);
    for (const lane of this.agentLanes) {
      if (Number.isNaN(lane.endUs)) lane.endUs = this.lastUs;
      this.settleStack(lane, frames);
      for (const r of lane.stack) r.trim();
    }
    this.slices.trim();
    this.links.trim();
  }
}

const HANDLERS = byKind(TimelineIndex.handlers);

