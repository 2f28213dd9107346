/**
 * The runtime state at any step of a (possibly still growing) trace, reachable forward or backward without
 * replaying from the start.
 *
 * How: one forward pass indexes the trace (tasks, console, errors, promises) and, every `snapshotEvery` events
 * (more when the state is big, so a snapshot never costs more than the replay it saves), keeps a copy of the
 * working state. `stateAt(n)` replays from the nearest snapshot at or before n, or continues from the last
 * position when that is closer (playing forward costs one event per step).
 *
 * Invariants:
 * - `stateAt(n)` is the state after the first n events, identical to replaying events 0..n-1 from an empty
 *   state (`replayFromStart`), whatever was asked before and however far the trace has grown since.
 * - Indexing is lazy: a step is indexed when first asked for; `tasks` indexes everything stored so far.
 * - Snapshots are never mutated; the replay cursor is a private copy.
 */
import type { Trace } from './builder.ts';
import { freeze, type FreezeContext } from './freeze.ts';
import type { ConsoleLine, RuntimeState, TraceError } from './runtime-state.ts';
import { TaskIndex } from './task-index.ts';
import { TraceLogs } from './trace-logs.ts';
import { applyEvent } from './apply-event.ts';
import { WorkState } from './work-state.ts';

export interface TraceModelOptions {
  /** Minimum events between snapshots (default 2048). */
  readonly snapshotEvery?: number;
}

export const DEFAULT_SNAPSHOT_EVERY = 2048;

export class TraceModel {
  readonly trace: Trace;
  readonly #tasks: TaskIndex;
  readonly #logs: TraceLogs;
  readonly #ctx: FreezeContext;
  readonly #every: number;
  /** The state at the indexing frontier. */
  readonly #live = new WorkState();
  readonly #snapshots: WorkState[] = [new WorkState()];
  #nextSnapshot: number;
  #cursor: WorkState | null = null;
  #memo: { step: number; count: number; ended: boolean; state: RuntimeState } | null = null;

  constructor(trace: Trace, options: TraceModelOptions = {}) {
    this.trace = trace;
    this.#tasks = TaskIndex.of(trace); // the trace's one task index, shared with the timeline
    this.#logs = new TraceLogs(trace);
    this.#ctx = { trace, tasks: this.#tasks, logs: this.#logs, cache: new WeakMap() };
    this.#every = Math.max(1, Math.floor(options.snapshotEvery ?? DEFAULT_SNAPSHOT_EVERY));
    this.#nextSnapshot = this.#every;
  }

  /** Steps available: 0 … count. */
  get count(): number {
    return this.trace.count;
  }

  /** Every task of the trace so far (indexes what is not yet). */
  get tasks(): TaskIndex {
    this.#tasks.update();
    return this.#tasks;
  }

  /** Every console line of the trace so far. */
  get console(): readonly ConsoleLine[] {
    this.#logs.update();
    return this.#logs.console;
  }

  get errors(): readonly TraceError[] {
    this.#logs.update();
    return this.#logs.errors;
  }

  /**
   * The callback task `taskId` of `agent` runs (frame id), or -1 while unknown: the first lesson function its run
   * enters. Outside `stateAt` on purpose: it reads ahead of a queued task's step (the callback was fixed when it
   * was scheduled; the trace names it when it runs), so states stay the same however far the trace has grown.
   */
  callbackFrameOf(agent: number, taskId: number): number {
    const tasks = this.tasks;
    const row = tasks.rowOf(agent, taskId);
    if (row < 0) return -1;
    const frames = this.#logs.frames;
    return tasks.callbackFrameOf(row, (id) => frames.isHost(id));
  }

  /** Snapshots kept so far (diagnostics and tests). */
  get snapshotCount(): number {
    return this.#snapshots.length;
  }

  /** The runtime state after the first `step` events (clamped to 0 … count). */
  stateAt(step: number): RuntimeState {
    const n = Math.min(Math.max(Math.floor(step) || 0, 0), this.trace.count);
    const ended = this.trace.end !== null;
    const count = this.trace.count;
    const memo = this.#memo;
    // Growth can refine the times of trailing stack events (and reaching the end adds runEnd): recompute then.
    if (memo && memo.step === n && memo.count === count && memo.ended === ended) return memo.state;
    this.#sync(n);
    let base: WorkState;
    if (this.#live.step === n) base = this.#live;
    else {
      const snapshot = this.#snapshotAtOrBefore(n);
      let cursor = this.#cursor;
      if (!cursor || cursor.step > n || cursor.step < snapshot.step) cursor = snapshot.clone();
      const { trace } = this;
      for (let i = cursor.step; i < n; i++) applyEvent(cursor, trace, this.#tasks, i);
      this.#cursor = cursor;
      base = cursor;
    }
    const state = freeze(base, this.#ctx);
    this.#memo = { step: n, count, ended, state };
    return state;
  }

  /** Indexes (and snapshots) the events before `to`. */
  #sync(to: number): void {
    const live = this.#live;
    if (live.step >= to) return;
    this.#tasks.update(to);
    this.#logs.update(to);
    const { trace } = this;
    for (let i = live.step; i < to; i++) {
      applyEvent(live, trace, this.#tasks, i);
      if (live.step >= this.#nextSnapshot) {
        this.#snapshots.push(live.clone());
        // A big state is costly to copy: space its snapshots so copies never outweigh the replay they save.
        this.#nextSnapshot = live.step + Math.max(this.#every, live.size());
      }
    }
  }

  #snapshotAtOrBefore(step: number): WorkState {
    const list = this.#snapshots;
    let lo = 0;
    let hi = list.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (list[mid]!.step <= step) lo = mid;
      else hi = mid - 1;
    }
    return list[lo]!;
  }
}

/** The reference answer: replays events 0..step-1 from an empty state. O(step); for tests and tools. */
export function replayFromStart(trace: Trace, step: number): RuntimeState {
  const tasks = new TaskIndex(trace);
  const logs = new TraceLogs(trace);
  tasks.update(step);
  logs.update(step);
  const s = new WorkState();
  for (let i = 0; i < step; i++) applyEvent(s, trace, tasks, i);
  return freeze(s, { trace, tasks, logs });
}
