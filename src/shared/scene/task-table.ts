/**
 * Every task of a trace (a callback handed to the runtime) as columns, with its life-cycle steps: scheduled,
 * runnable (entered its queue), started, ended, cancelled; its cause (the task that scheduled it) and what
 * released it (a promise settling, a message post). Filled by `TimelineIndex` in its single pass over events.
 *
 * Invariants: task ids are scoped to an agent; (agent, taskId) → index is the model's AgentIdMap, dense for the
 * runtime's counters and sparse for whatever ids an untrusted trace makes up. Steps are -1 until the event happens. For an interval, runnable/start/end hold its latest run.
 */
import { AgentIdMap } from '../trace/columns.ts';
import { IntColumn } from './growable.ts';

export class TaskTable {
  readonly agent = new IntColumn();
  readonly taskId = new IntColumn();
  readonly kind = new IntColumn();
  readonly delayUs = new IntColumn();
  /** Global index of the task that scheduled this one, or -1. */
  readonly cause = new IntColumn();
  readonly scheduleStep = new IntColumn();
  readonly runnableStep = new IntColumn();
  readonly startStep = new IntColumn();
  readonly endStep = new IntColumn();
  readonly cancelStep = new IntColumn();
  /** The event that made it runnable from outside: a PromiseSettle or a MessagePost step, or -1. */
  readonly releasedBy = new IntColumn();
  /** For a promise job: the promise whose settling makes it runnable (agent-scoped id), else -1. */
  readonly promise = new IntColumn();
  /** String-table index of a human label (TaskLabel), or -1. */
  readonly label = new IntColumn();
  /** Phase it ran in (first run), or -1. */
  readonly phase = new IntColumn();
  readonly runs = new IntColumn();
  /** (agent, task id) → index: the same id map the model's task index uses (any id, dense or not). */
  private readonly byAgent = new AgentIdMap();

  get count(): number {
    return this.agent.length;
  }

  /** Index of the task (agent, taskId), or -1. */
  find(agent: number, taskId: number): number {
    return this.byAgent.get(agent, taskId);
  }

  add(agent: number, taskId: number, kind: number, delayUs: number, cause: number, scheduleStep: number): number {
    const i = this.agent.push(agent);
    this.taskId.push(taskId);
    this.kind.push(kind);
    this.delayUs.push(delayUs);
    this.cause.push(cause);
    this.scheduleStep.push(scheduleStep);
    this.runnableStep.push(-1);
    this.startStep.push(-1);
    this.endStep.push(-1);
    this.cancelStep.push(-1);
    this.releasedBy.push(-1);
    this.promise.push(-1);
    this.label.push(-1);
    this.phase.push(-1);
    this.runs.push(0);
    this.byAgent.set(agent, taskId, i);
    return i;
  }

  get byteLength(): number {
    let n = 0;
    for (const g of [this.agent, this.taskId, this.kind, this.delayUs, this.cause, this.scheduleStep, this.runnableStep, this.startStep, this.endStep, this.cancelStep, this.releasedBy, this.promise, this.label, this.phase, this.runs]) n += g.byteLength;
    return n + this.byAgent.byteLength;
  }

  trim(): void {
    for (const g of [this.agent, this.taskId, this.kind, this.delayUs, this.cause, this.scheduleStep, this.runnableStep, this.startStep, this.endStep, this.cancelStep, this.releasedBy, this.promise, this.label, this.phase, this.runs]) g.trim();
  }
}
