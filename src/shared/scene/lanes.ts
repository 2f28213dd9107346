/**
 * The per-agent storage of the timeline: call-stack rows, phase band, pending-API rows, queue tracks with depth
 * counters, marks. Pure data plus small helpers; `TimelineIndex` fills it.
 */
import { Queue } from '../trace/schema.ts';
import { CounterSeries } from './counter-series.ts';
import { FloatColumn, IntColumn } from './growable.ts';
import { SpanRow } from './span-row.ts';

/** Rows a packed track (queue waits, pending timers) shows before the last row becomes a union of the rest. */
export const MAX_PACKED_ROWS = 8;
/** Tag of a union span in the overflow row: it stands for several tasks. */
export const UNION_TAG = -1;

/**
 * Spans that may overlap, packed into rows first-fit; past `MAX_PACKED_ROWS` rows they are unioned in the last
 * row (so nothing is dropped and the rows keep their non-overlap invariant).
 */
export class PackedRows {
  readonly rows: SpanRow[] = [];
  private overflowOpen = 0;
  /** Open spans: key → handle (index × 16 + row; -1 for a share of the union). */
  private readonly open = new Map<number, number>();

  openSpan(key: number, step: number, tag: number): void {
    for (let r = 0; r < MAX_PACKED_ROWS - 1; r++) {
      let row = this.rows[r];
      if (!row) this.rows.push((row = new SpanRow()));
      const last = row.lastIndex();
      if (last < 0 || !row.isOpen(last)) {
        this.open.set(key, row.open(step, tag) * 16 + r);
        return;
      }
    }
    let row = this.rows[MAX_PACKED_ROWS - 1];
    if (!row) this.rows.push((row = new SpanRow()));
    const last = row.lastIndex();
    if (this.overflowOpen === 0 || last < 0 || !row.isOpen(last)) row.open(step, tag);
    else row.tag.set(last, UNION_TAG);
    this.overflowOpen++;
    this.open.set(key, -1);
  }

  /** Closes the span opened under `key`; false when there is none. */
  closeSpan(key: number, step: number): boolean {
    const h = this.open.get(key);
    if (h === undefined) return false;
    this.open.delete(key);
    if (h === -1) {
      const row = this.rows[MAX_PACKED_ROWS - 1]!;
      if (--this.overflowOpen === 0) row.close(row.lastIndex(), step);
      return true;
    }
    const r = h % 16;
    this.rows[r]!.close((h - r) / 16, step);
    return true;
  }

  isOpen(key: number): boolean {
    return this.open.has(key);
  }

  closeAll(step: number): void {
    for (const key of [...this.open.keys()]) this.closeSpan(key, step);
  }

  get byteLength(): number {
    return this.rows.reduce((n, r) => n + r.byteLength, 0);
  }
}

export interface QueueTrack {
  readonly queue: Queue;
  /** Wait spans: from "entered the queue" to "started"; tag = task index (UNION_TAG for a union). */
  readonly waits: PackedRows;
  /** Tasks waiting in the queue over time. */
  readonly depth: CounterSeries;
}

export const MarkKind = { Stdout: 0, Stderr: 1, Error: 2, WorkerSpawn: 3, MessagePost: 4, Atomics: 5, Lock: 6, Signal: 7 } as const;
export type MarkKind = (typeof MarkKind)[keyof typeof MarkKind];

export class Marks {
  readonly timeUs = new FloatColumn(16);
  readonly step = new IntColumn(16);
  readonly kind = new IntColumn(16);

  get count(): number {
    return this.timeUs.length;
  }

  push(t: number, step: number, kind: MarkKind): void {
    this.timeUs.push(t);
    this.step.push(step);
    this.kind.push(kind);
  }

  /** First mark with time ≥ t. */
  lowerBound(t: number): number {
    let lo = 0;
    let hi = this.count;
    const ts = this.timeUs.raw;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ts[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  get byteLength(): number {
    return this.timeUs.byteLength + this.step.byteLength + this.kind.byteLength;
  }
}

/** Phase band tags: a libuv phase (0…5), or MICRO_BAND + phase for the microtask drain after a macrotask. */
export const MICRO_BAND = 16;

export class AgentLane {
  readonly agent: number;
  parent = -1;
  name = '';
  file = '';
  startUs = 0;
  /** NaN while the agent runs. */
  endUs = Number.NaN;
  /** Call-stack rows by depth; depth 0 holds the tasks; tag = slice id. */
  readonly stack: SpanRow[] = [];
  readonly phase = new SpanRow();
  /** Callbacks handed to Node APIs and not yet runnable (timers counting down, I/O in flight). */
  readonly pending = new PackedRows();
  /** Indexed by Queue (script excluded). */
  readonly queues: (QueueTrack | undefined)[] = [];
  readonly marks = new Marks();
  /** Slice ids of tasks that ran 50 ms or longer. */
  readonly longTasks = new IntColumn(4);
  /** Time of the agent's first and last activity (any event but agent/run start and end), NaN before any. */
  firstActivityUs = Number.NaN;
  lastActivityUs = Number.NaN;
  /** Step of the agent's last activity (-1 before any): where what is left open at the end of a run is cut. */
  lastStep = -1;
  /** Step of the agent's last Statement event (-1 none): the line it was on when a run was stopped. */
  lastStatementStep = -1;
  /**
   * Stretches (start, end pairs, µs) at least `IDLE_GAP_MIN_US` long with no event of this agent and nothing on its
   * stack, in time order: the agent was idle there. The timeline compresses stretches where every agent was.
   */
  readonly idleGaps = new FloatColumn(8);

  // --- build state (the open stack) ---
  readonly stackSlice: number[] = [];
  /** Instance id for a frame, or -1 - taskIndex for a task entry. */
  readonly stackKey: number[] = [];
  readonly stackRowIndex: number[] = [];
  bandIndex = -1;
  bandIsMicro = false;
  lastSettleStep = -1;
  settleChain = false;
  /** Parent promise of the latest PromiseCreate (consumed by the promise job scheduled right after it). */
  lastPromiseParent = -1;

  constructor(agent: number) {
    this.agent = agent;
  }

  row(depth: number): SpanRow {
    let r = this.stack[depth];
    while (this.stack.length <= depth) this.stack.push((r = new SpanRow()));
    return r!;
  }

  queue(q: Queue): QueueTrack {
    let t = this.queues[q];
    if (!t) this.queues[q] = t = { queue: q, waits: new PackedRows(), depth: new CounterSeries() };
    return t;
  }

  get byteLength(): number {
    let n = this.phase.byteLength + this.pending.byteLength + this.marks.byteLength + this.longTasks.byteLength + this.idleGaps.byteLength;
    for (const r of this.stack) n += r.byteLength;
    for (const q of this.queues) if (q) n += q.waits.byteLength + q.depth.byteLength;
    return n;
  }
}

/** The queues drawn as tracks, in the order the loop visits them. */
export const QUEUE_ORDER: readonly Queue[] = [Queue.NextTick, Queue.Microtask, Queue.Timers, Queue.Poll, Queue.Check, Queue.Close];
