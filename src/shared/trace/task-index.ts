/**
 * Every task of a trace, per (agent, taskId): what it is, when it was scheduled, became runnable, started and
 * ended, and each run (an interval runs many times). Built incrementally as the trace grows; for the timeline,
 * "jump to cause" and the model's queues.
 *
 * The one task index of a trace: the model (`TraceModel`), the timeline index and the Chrome export all read the
 * instance `TaskIndex.of(trace)` gives, so tasks are indexed once however many views a trace has.
 *
 * Invariants:
 * - Steps are event indices: the event at step s is part of the runtime state from `stateAt(s + 1)` on.
 *   -1 means "not (yet) in the trace".
 * - A (agent, taskId) pair gets one row when first seen and keeps it. Fields are set by the first event that
 *   defines them (first TaskSchedule, first TaskLabel, first TaskCancel) and never change afterwards, so a
 *   reader that gates on steps (`kindAt`) sees the same answer however far the index has been built.
 */
import { AgentIdMap, ensure } from './columns.ts';
import type { Trace } from './builder.ts';
import { byKind, type PerKind } from './event-kinds.ts';
import { EventKind, TASK_KIND_NAMES, type TaskKind } from './schema.ts';

export interface TaskRun {
  readonly agent: number;
  readonly taskId: number;
  /** Step of the TaskRunnable that put it in its queue for this run; -1 if none. */
  readonly runnableStep: number;
  readonly startStep: number;
  readonly endStep: number;
  readonly phase: number;
  /** 0 returned, 1 threw, -1 not ended. */
  readonly outcome: number;
  readonly startTimeUs: number;
  readonly endTimeUs: number;
}

export interface TaskInfo {
  /** Row in the index (stable). */
  readonly row: number;
  readonly agent: number;
  readonly taskId: number;
  /** A TaskKind, or -1 when the trace never scheduled this task. */
  readonly kind: TaskKind | -1;
  /** The TaskLabel text, else the kind's name (`setTimeout`, `promise reaction`, …). */
  readonly label: string;
  readonly scheduleStep: number;
  readonly runnableStep: number;
  readonly startStep: number;
  readonly endStep: number;
  readonly cancelStep: number;
  /** Phase of its first run, -1 before it ran. */
  readonly phase: number;
  readonly causeTaskId: number;
  readonly delayUs: number;
  readonly repeat: boolean;
  /** For Message tasks: the message id (sender agent << 20 | n), else -1. */
  readonly messageId: number;
  /** Where "jump to cause" goes: the MessagePost of a message, else the TaskSchedule (inside the cause task). */
  readonly causeStep: number;
  readonly startTimeUs: number;
  readonly endTimeUs: number;
  readonly runs: readonly TaskRun[];
}

export function taskKindName(kind: number): string {
  return TASK_KIND_NAMES[kind] ?? 'task';
}

/** How far into a task's run `callbackFrameOf` looks for the callback's frame. */
const MAX_CALLBACK_SCAN = 4096;

/**
 * The columns the index reads: a `Trace`, or any structural view of one (the scene's `TraceColumns`). `end` is null
 * while a run streams (a `Trace`); a view without it counts as finished.
 */
export type TaskSource = Pick<Trace, 'count' | 'kind' | 'agent' | 'args' | 'argStart' | 'timeUs'> & { readonly strings: readonly string[]; readonly end?: unknown };

/** What the task index does with one event kind: `args[a …]` are the event's args. */
type TaskIndexHandler = (x: TaskIndex, i: number, agent: number, args: Int32Array, a: number, t: TaskSource) => void;

const shared = new WeakMap<object, TaskIndex>();

export class TaskIndex {
  readonly #trace: TaskSource;
  #indexed = 0;
  #rows = new AgentIdMap();
  #size = 0;
  // task columns
  #agent = new Uint8Array(0);
  #taskId = new Int32Array(0);
  #kind = new Int8Array(0);
  #scheduleStep = new Int32Array(0);
  #runnableStep = new Int32Array(0);
  #lastRunnableStep = new Int32Array(0);
  #cancelStep = new Int32Array(0);
  #cause = new Int32Array(0);
  #delayUs = new Int32Array(0);
  #repeat = new Uint8Array(0);
  #label = new Int32Array(0);
  #labelStep = new Int32Array(0);
  #messageId = new Int32Array(0);
  #firstRun = new Int32Array(0);
  #lastRun = new Int32Array(0);
  // run columns
  #runs = 0;
  #runTask = new Int32Array(0);
  #runNext = new Int32Array(0);
  #runRunnable = new Int32Array(0);
  #runStart = new Int32Array(0);
  #runEnd = new Int32Array(0);
  #runPhase = new Int8Array(0);
  #runOutcome = new Int8Array(0);
  #runStartUs = new Float64Array(0);
  #runEndUs = new Float64Array(0);
  #posts = new Map<number, number>();
  /** row → callback frame id (-1 none), filled lazily by callbackFrameOf. */
  #callbacks = new Map<number, number>();

  constructor(trace: TaskSource) {
    this.#trace = trace;
  }

  /** The task index of `trace`, shared by every view of it (created on first use). */
  static of(trace: TaskSource): TaskIndex {
    let index = shared.get(trace);
    if (!index) shared.set(trace, (index = new TaskIndex(trace)));
    return index;
  }

  /** Events indexed so far. */
  get indexed(): number {
    return this.#indexed;
  }

  /** Number of tasks (rows). */
  get size(): number {
    this.update();
    return this.#size;
  }

  /** Number of task runs (TaskStart events), in start order. */
  get runCount(): number {
    this.update();
    return this.#runs;
  }

  /** What the index records for each event kind. */
  static readonly handlers: PerKind<TaskIndexHandler> = {
    Time: null,
    RunStart: null,
    RunEnd: null,
    AgentStart: null,
    AgentEnd: null,
    Enter: null,
    Exit: null,
    Suspend: null,
    Resume: null,
    Statement: null,
    TaskSchedule: (x, i, agent, args, a) => {
      const row = x.#row(agent, args[a]!);
      if (x.#scheduleStep[row] !== -1) return;
      x.#scheduleStep[row] = i;
      const k = args[a + 1]!;
      x.#kind[row] = k >= 0 && k < TASK_KIND_NAMES.length ? k : -1;
      x.#delayUs[row] = Math.max(0, args[a + 2]!);
      x.#cause[row] = args[a + 3]!;
      x.#repeat[row] = args[a + 4]! === 0 ? 0 : 1;
    },
    TaskRunnable: (x, i, agent, args, a) => {
      const row = x.#row(agent, args[a]!);
      if (x.#runnableStep[row] === -1) x.#runnableStep[row] = i;
      x.#lastRunnableStep[row] = i;
    },
    TaskStart: (x, i, agent, args, a) => {
      x.#start(x.#row(agent, args[a]!), i, args[a + 1]!);
    },
    TaskEnd: (x, i, agent, args, a, t) => {
      const run = x.#lastRun[x.#row(agent, args[a]!)]!;
      if (run >= 0 && x.#runEnd[run] === -1) {
        x.#runEnd[run] = i;
        x.#runOutcome[run] = args[a + 1]! === 0 ? 0 : 1;
        x.#runEndUs[run] = t.timeUs[i]!;
      }
    },
    TaskCancel: (x, i, agent, args, a) => {
      const row = x.#row(agent, args[a]!);
      if (x.#cancelStep[row] === -1) x.#cancelStep[row] = i;
    },
    MicrotaskCheckpoint: null,
    PromiseCreate: null,
    PromiseSettle: null,
    Console: null,
    WorkerSpawn: null,
    WorkerExit: null,
    MessagePost: (x, i, _agent, args, a) => {
      if (!x.#posts.has(args[a]!)) x.#posts.set(args[a]!, i);
    },
    MessageReceive: (x, _i, agent, args, a) => {
      if (args[a + 1]! < 0) return; // taken without a task (receiveMessageOnPort)
      const row = x.#row(agent, args[a + 1]!);
      if (x.#messageId[row] === -1) x.#messageId[row] = args[a]!;
    },
    Atomics: null,
    SharedBuffer: null,
    LockDefine: null,
    Lock: null,
    Error: null,
    Truncated: null,
    Signal: null,
    TaskLabel: (x, i, agent, args, a) => {
      const row = x.#row(agent, args[a]!);
      if (x.#labelStep[row] === -1) {
        x.#labelStep[row] = i;
        x.#label[row] = args[a + 1]!;
      }
    },
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

  /** Indexes the events up to `to` (default: all stored so far). Cheap when already there. */
  update(to = this.#trace.count): void {
    const t = this.#trace;
    const end = Math.min(to, t.count);
    const kinds = t.kind;
    const args = t.args;
    const starts = t.argStart;
    for (let i = this.#indexed; i < end; i++) HANDLERS[kinds[i]!]?.(this, i, t.agent[i]!, args, starts[i]!, t);
    if (end > this.#indexed) this.#indexed = end;
  }

  /** Row of (agent, taskId), -1 when not seen (within the indexed events). */
  rowOf(agent: number, taskId: number): number {
    return this.#rows.get(agent, taskId);
  }

  get(agent: number, taskId: number): TaskInfo | undefined {
    this.update();
    const row = this.#rows.get(agent, taskId);
    return row < 0 ? undefined : this.info(row);
  }

  /** The task whose code scheduled this one (same agent), if the trace has it. */
  cause(agent: number, taskId: number): TaskInfo | undefined {
    const task = this.get(agent, taskId);
    if (!task || task.causeTaskId < 0) return undefined;
    return this.get(agent, task.causeTaskId);
  }

  info(row: number): TaskInfo {
    if (!(row >= 0 && row < this.#size)) throw new RangeError(`no task row ${row}`);
    const runs: TaskRun[] = [];
    for (let r = this.#firstRun[row]!; r >= 0; r = this.#runNext[r]!) runs.push(this.run(r));
    const first = runs[0];
    const messageId = this.#messageId[row]!;
    const post = messageId === -1 ? undefined : this.#posts.get(messageId);
    return {
      row,
      agent: this.#agent[row]!,
      taskId: this.#taskId[row]!,
      kind: this.#kind[row]! as TaskKind | -1,
      label: this.labelAt(row, Infinity),
      scheduleStep: this.#scheduleStep[row]!,
      runnableStep: this.#runnableStep[row]!,
      startStep: first?.startStep ?? -1,
      endStep: first?.endStep ?? -1,
      cancelStep: this.#cancelStep[row]!,
      phase: first?.phase ?? -1,
      causeTaskId: this.#cause[row]!,
      delayUs: this.#delayUs[row]!,
      repeat: this.#repeat[row] === 1,
      messageId,
      causeStep: post ?? this.#scheduleStep[row]!,
      startTimeUs: first?.startTimeUs ?? -1,
      endTimeUs: first?.endTimeUs ?? -1,
      runs,
    };
  }

  /** Run `r` (0 … runCount-1, in start order). */
  run(r: number): TaskRun {
    if (!(r >= 0 && r < this.#runs)) throw new RangeError(`no task run ${r}`);
    const row = this.#runTask[r]!;
    return {
      agent: this.#agent[row]!,
      taskId: this.#taskId[row]!,
      runnableStep: this.#runRunnable[r]!,
      startStep: this.#runStart[r]!,
      endStep: this.#runEnd[r]!,
      phase: this.#runPhase[r]!,
      outcome: this.#runOutcome[r]!,
      startTimeUs: this.#runStartUs[r]!,
      endTimeUs: this.#runEndUs[r]!,
    };
  }

  /**
   * The frame of the callback a task runs: the first frame entered on its agent during its first run that is not
   * a host API (`isHost`). -1 until the task has run (or when it ran no lesson code). This reads ahead of a queued
   * card's step, which is sound: the callback was fixed when the task was scheduled; the trace only names it when
   * it runs. At most `MAX_CALLBACK_SCAN` events of the run are read, once per task.
   */
  callbackFrameOf(row: number, isHost: (frameId: number) => boolean): number {
    const known = this.#callbacks.get(row);
    if (known !== undefined) return known;
    const r = this.#firstRun[row] ?? -1;
    if (r < 0) return -1;
    const t = this.#trace;
    const start = this.#runStart[r]!;
    const runEnd = this.#runEnd[r]!;
    if (runEnd < 0 && t.end === null) return -1; // still running in a live trace: ask again later
    const agent = this.#agent[row]!;
    const stop = Math.min(t.count, runEnd >= 0 ? runEnd : t.count, start + MAX_CALLBACK_SCAN);
    let frame = -1;
    for (let i = start + 1; i < stop; i++) {
      if (t.kind[i] !== EventKind.Enter || t.agent[i] !== agent) continue;
      const id = t.args[t.argStart[i]!]!;
      if (id >= 0 && !isHost(id)) {
        frame = id;
        break;
      }
    }
    this.#callbacks.set(row, frame);
    return frame;
  }

  /** Row of run `r`'s task. */
  runRow(r: number): number {
    return this.#runTask[r] ?? -1;
  }

  // ---- step-gated reads for the model: the answer as of the state before event `step` ----

  /** The task's kind as known before `step` (-1 if not scheduled by then). */
  kindAt(row: number, step: number): number {
    const s = this.#scheduleStep[row]!;
    return s >= 0 && s < step ? this.#kind[row]! : -1;
  }

  delayAt(row: number, step: number): number {
    const s = this.#scheduleStep[row]!;
    return s >= 0 && s < step ? this.#delayUs[row]! : 0;
  }

  /** True when a TaskCancel for it came before `step`. */
  cancelledBefore(row: number, step: number): boolean {
    const c = this.#cancelStep[row]!;
    return c >= 0 && c < step;
  }

  labelAt(row: number, step: number): string {
    const s = this.#labelStep[row]!;
    if (s >= 0 && s < step) {
      const text = this.#trace.strings[this.#label[row]!];
      if (text !== undefined) return text;
    }
    return taskKindName(this.kindAt(row, step));
  }

  taskIdOf(row: number): number {
    return this.#taskId[row]!;
  }

  /** The TaskSchedule's step if it came before `step`, else -1. */
  scheduleStepAt(row: number, step: number): number {
    const s = this.#scheduleStep[row]!;
    return s >= 0 && s < step ? s : -1;
  }

  causeAt(row: number, step: number): number {
    return this.scheduleStepAt(row, step) >= 0 ? this.#cause[row]! : -1;
  }

  repeatAt(row: number, step: number): boolean {
    return this.scheduleStepAt(row, step) >= 0 && this.#repeat[row] === 1;
  }

  scheduleStepOf(row: number): number {
    return this.#scheduleStep[row]!;
  }

  // ---- row facts for views that read a row as indexed so far (the timeline, flows, narration) ----

  agentOf(row: number): number {
    return this.#agent[row] ?? -1;
  }

  /** Its TaskKind, -1 when the trace never scheduled it. */
  kindOf(row: number): number {
    return this.#kind[row] ?? -1;
  }

  delayOf(row: number): number {
    return this.#delayUs[row] ?? 0;
  }

  /** String-table index of its TaskLabel, -1 when none. */
  labelIdOf(row: number): number {
    return this.#label[row] ?? -1;
  }

  /** Row of the task that scheduled it (same agent), -1 when none is known. */
  causeRowOf(row: number): number {
    const cause = this.#cause[row] ?? -1;
    return cause < 0 ? -1 : this.#rows.get(this.#agent[row]!, cause);
  }

  cancelStepOf(row: number): number {
    return this.#cancelStep[row] ?? -1;
  }

  /** Phase of its first run, -1 before it ran. */
  phaseOf(row: number): number {
    const r = this.#firstRun[row] ?? -1;
    return r < 0 ? -1 : this.#runPhase[r]!;
  }

  /** Its latest TaskRunnable, TaskStart and TaskEnd (an interval's latest run), -1 when none yet. */
  lastRunnableStepOf(row: number): number {
    return this.#lastRunnableStep[row] ?? -1;
  }

  lastStartStepOf(row: number): number {
    const r = this.#lastRun[row] ?? -1;
    return r < 0 ? -1 : this.#runStart[r]!;
  }

  lastEndStepOf(row: number): number {
    const r = this.#lastRun[row] ?? -1;
    return r < 0 ? -1 : this.#runEnd[r]!;
  }

  get byteLength(): number {
    let n = this.#rows.byteLength;
    for (const a of [this.#agent, this.#taskId, this.#kind, this.#scheduleStep, this.#runnableStep, this.#lastRunnableStep, this.#cancelStep, this.#cause, this.#delayUs, this.#repeat, this.#label, this.#labelStep, this.#messageId, this.#firstRun, this.#lastRun]) n += a.byteLength;
    for (const a of [this.#runTask, this.#runNext, this.#runRunnable, this.#runStart, this.#runEnd, this.#runPhase, this.#runOutcome, this.#runStartUs, this.#runEndUs]) n += a.byteLength;
    return n;
  }

  #row(agent: number, taskId: number): number {
    let row = this.#rows.get(agent, taskId);
    if (row >= 0) return row;
    row = this.#size++;
    this.#rows.set(agent, taskId, row);
    const n = row + 1;
    this.#agent = ensure(this.#agent, n);
    this.#taskId = ensure(this.#taskId, n);
    this.#kind = ensure(this.#kind, n, -1);
    this.#scheduleStep = ensure(this.#scheduleStep, n, -1);
    this.#runnableStep = ensure(this.#runnableStep, n, -1);
    this.#lastRunnableStep = ensure(this.#lastRunnableStep, n, -1);
    this.#cancelStep = ensure(this.#cancelStep, n, -1);
    this.#cause = ensure(this.#cause, n, -1);
    this.#delayUs = ensure(this.#delayUs, n);
    this.#repeat = ensure(this.#repeat, n);
    this.#label = ensure(this.#label, n, -1);
    this.#labelStep = ensure(this.#labelStep, n, -1);
    this.#messageId = ensure(this.#messageId, n, -1);
    this.#firstRun = ensure(this.#firstRun, n, -1);
    this.#lastRun = ensure(this.#lastRun, n, -1);
    this.#agent[row] = agent;
    this.#taskId[row] = taskId;
    return row;
  }

  #start(row: number, step: number, phase: number): void {
    const r = this.#runs++;
    const n = r + 1;
    this.#runTask = ensure(this.#runTask, n);
    this.#runNext = ensure(this.#runNext, n, -1);
    this.#runRunnable = ensure(this.#runRunnable, n, -1);
    this.#runStart = ensure(this.#runStart, n);
    this.#runEnd = ensure(this.#runEnd, n, -1);
    this.#runPhase = ensure(this.#runPhase, n);
    this.#runOutcome = ensure(this.#runOutcome, n, -1);
    this.#runStartUs = ensure(this.#runStartUs, n);
    this.#runEndUs = ensure(this.#runEndUs, n, -1);
    const prev = this.#lastRun[row]!;
    const runnable = this.#lastRunnableStep[row]!;
    this.#runTask[r] = row;
    this.#runRunnable[r] = runnable >= 0 && (prev < 0 || runnable > this.#runStart[prev]!) ? runnable : -1;
    this.#runStart[r] = step;
    this.#runPhase[r] = phase >= -128 && phase <= 127 ? phase : -1;
    this.#runStartUs[r] = this.#trace.timeUs[step]!;
    if (prev >= 0) this.#runNext[prev] = r;
    else this.#firstRun[row] = r;
    this.#lastRun[row] = r;
  }
}

const HANDLERS = byKind(TaskIndex.handlers);
