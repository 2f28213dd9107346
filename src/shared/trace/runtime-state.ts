/**
 * What the runtime looked like after some step: plain, immutable data the stage, console and inspector render.
 * Produced by `TraceModel.stateAt(step)`. Treat it as immutable: the model may hand the same object out again for
 * the same step, and leaf records such as console lines are shared between states (and frozen).
 *
 * Conventions: `*Step` fields are event indices (the event at step s is included from `stateAt(s + 1)` on);
 * times are µs since the run started; ids are the trace's own (task, instance, promise ids are per agent).
 */
import type { EndReason, Queue } from './schema.ts';

export interface StackFrame {
  readonly frameId: number;
  readonly instanceId: number;
  /** From the frame table (`fib`, `setTimeout`, …); `frame N` when the table lacks it. */
  readonly name: string;
  /** A host API (`setTimeout`, `console.log`, …) rather than lesson code. */
  readonly host: boolean;
}

export type PromiseStatus = 'pending' | 'fulfilled' | 'rejected' | 'settled' | 'unknown';

export interface SuspendedFrame {
  readonly instanceId: number;
  readonly frameId: number;
  readonly name: string;
  /** -1 when it awaited a non-promise value or yielded. */
  readonly awaitedPromiseId: number;
  /** Status of that promise as of this step ('settled': V8 does not say which way; 'unknown': not traced). */
  readonly promise: PromiseStatus;
  readonly how: 'await' | 'yield';
  readonly step: number;
}

export interface QueuedTask {
  readonly taskId: number;
  /** TaskKind, or -1 for a task the trace never scheduled. */
  readonly kind: number;
  readonly label: string;
  readonly causeTaskId: number;
  readonly scheduleStep: number;
  /** When it entered the queue. */
  readonly runnableStep: number;
}

export interface QueueState {
  readonly queue: Queue;
  /** `nextTick`, `microtasks`, `timers`, `check`, `poll`, `close`, `script`. */
  readonly name: string;
  /** Runnable, not started yet, in the order they will run. */
  readonly tasks: readonly QueuedTask[];
}

export interface PendingTimer {
  readonly taskId: number;
  readonly kind: number;
  readonly label: string;
  readonly causeTaskId: number;
  readonly scheduleStep: number;
  readonly delayUs: number;
  /** When it expires: schedule time (or, for an interval, its last start) + delay. */
  readonly dueUs: number;
  readonly repeat: boolean;
}

export interface PendingIo {
  readonly taskId: number;
  readonly label: string;
  readonly causeTaskId: number;
  readonly scheduleStep: number;
}

export interface RunningTask {
  readonly taskId: number;
  readonly kind: number;
  readonly label: string;
  readonly causeTaskId: number;
  readonly phase: number;
  readonly startStep: number;
  readonly startTimeUs: number;
}

export interface AgentState {
  readonly id: number;
  readonly name: string;
  readonly file: string;
  /** -1 for the main thread. */
  readonly parent: number;
  /** Started and not ended. */
  readonly alive: boolean;
  readonly ended: boolean;
  readonly exitCode: number;
  /** Bottom to top. */
  readonly stack: readonly StackFrame[];
  /** Async functions parked at an await and generators at a yield, in the order they left the stack. */
  readonly suspended: readonly SuspendedFrame[];
  /** Indexed by Queue (NextTick … Close, then Script). */
  readonly queues: readonly QueueState[];
  /** Scheduled timers that have not expired, not cancelled; sorted by due time. */
  readonly pendingTimers: readonly PendingTimer[];
  /** I/O callbacks scheduled whose operation has not completed. */
  readonly pendingIo: readonly PendingIo[];
  /** The innermost task running (started, not ended), else null. */
  readonly currentTask: RunningTask | null;
  /** All running tasks, outermost first (an EventEmitter listener runs inside its caller's task). */
  readonly taskStack: readonly RunningTask[];
  /** Current event-loop phase (Phase). */
  readonly phase: number;
  /** Between a MicrotaskCheckpoint and the moment both microtask queues drained (or a macrotask started). */
  readonly inCheckpoint: boolean;
  /** Statement mode: the frame-table entry of the statement about to run, else -1. */
  readonly statementFrameId: number;
}

export interface ConsoleLine {
  readonly agent: number;
  /** 0 stdout / 1 stderr (one console call, no trailing newline); 2 / 3 raw writes printed as is. */
  readonly stream: number;
  readonly text: string;
  readonly step: number;
}

export interface CellState {
  readonly index: number;
  /** The value as last seen by an Atomics operation or written by a traced plain write (`view[i] = x`, `view.fill(x)`),
   *  read as the buffer's element type (a BigInt as the nearest number: `text` is exact). */
  readonly value: number;
  /** The value as the program reads it: `1.5`, `-0`, `4294967295`, `9007199254740993n`. */
  readonly text: string;
  /** Last AtomicsOp on this cell (AtomicsOp.Write for a plain write). */
  readonly op: number;
  readonly agent: number;
  readonly step: number;
  /** The agent whose write (an Atomics store/add/…/exchange, a compareExchange that swapped, or a plain write) last
   *  changed it; a load or wait leaves it as it was. -1 when only read so far. */
  readonly writer: number;
  /** The task that write ran in, -1 when none was running (or never written). */
  readonly writerTask: number;
  /** The step of that write, -1 when never written. */
  readonly writerStep: number;
}

export interface CellWaiter {
  readonly agent: number;
  readonly index: number;
  readonly step: number;
}

/**
 * A shared buffer's cells as views of one element type read them. A buffer the program used through views of several
 * types (an Int32Array and a Uint8Array over one SharedArrayBuffer) has one entry per type, with the same bufferId,
 * first view's type first: every write shows in each, on the cells whose bytes it covers.
 */
export interface SharedBufferState {
  readonly bufferId: number;
  /** -1 when the trace never announced it (SharedBuffer event). */
  readonly byteLength: number;
  readonly elementSize: number;
  /** Number of cells (byteLength / elementSize), -1 when unknown. */
  readonly length: number;
  /** The typed array type its cells are drawn by (`Int32Array`), '' when no view was announced (SharedView). */
  readonly elementType: string;
  /** Names of the variables holding views of it of this type, first seen first ('' entries dropped). */
  readonly viewNames: readonly string[];
  /** Cells written (by Atomics or a plain write) or read by Atomics so far, by index; untouched cells are not listed. */
  readonly cells: readonly CellState[];
  /** Agents blocked in Atomics.wait, in the order they started waiting. */
  readonly waiters: readonly CellWaiter[];
}

export interface LockParty {
  readonly agent: number;
  /** The task that asked for the lock; -1 when none was running. */
  readonly taskId: number;
  /** The lesson function that asked (innermost lesson frame on the stack then); -1 when unknown. */
  readonly frameId: number;
  /** That function's name (`depositSafe`), '' when unknown. */
  readonly name: string;
  /**
   * What the stage calls it: the function with the arguments it was called with (`depositSafe('bob', 100)`) when the
   * tracer recorded them (LockCaller), else the function's name ('' when unknown).
   */
  readonly label: string;
  readonly step: number;
}

export interface LockState {
  readonly agent: number;
  readonly lockId: number;
  readonly name: string;
  readonly capacity: number;
  readonly holders: readonly LockParty[];
  readonly waiters: readonly LockParty[];
  /**
   * The last `release()` called directly while several held the lock: which holder gave the permit back is not
   * defined (async-mutex counts permits, it keeps no owners), and `shown` is the one drawn leaving (the oldest).
   */
  readonly direct: { readonly step: number; readonly shown: LockParty } | null;
}

export interface AwaitedPromise {
  readonly agent: number;
  readonly promiseId: number;
  readonly status: PromiseStatus;
}

export interface PromiseSummary {
  readonly pending: number;
  readonly fulfilled: number;
  readonly rejected: number;
  /** Settled without the trace saying which way. */
  readonly settled: number;
  /** Promises suspended functions are waiting on. */
  readonly awaited: readonly AwaitedPromise[];
}

export interface WorkerState {
  readonly agentId: number;
  readonly parent: number;
  readonly file: string;
  readonly spawnStep: number;
  readonly status: 'starting' | 'running' | 'exited';
  /** null until it exited. */
  readonly exitCode: number | null;
}

export interface MessageInFlight {
  readonly messageId: number;
  readonly from: number;
  /** -1 when posted to a MessageChannel port. */
  readonly target: number;
  readonly step: number;
  readonly timeUs: number;
}

/** A message that will never be received: its port closed or its receiver ended while it was in flight. */
export interface LostMessage extends MessageInFlight {
  /** When it was lost. */
  readonly lostStep: number;
  readonly why: 'port closed' | 'receiver ended';
}

/** A watched binding (`// @watch name`): its value at this step and the values it held before. */
export interface WatchedValue {
  readonly name: string;
  /** The tracer's preview of the current value. */
  readonly value: string;
  readonly agent: number;
  /** Step of the assignment that gave it this value. */
  readonly step: number;
  /** Earlier values, oldest first (at most WATCH_HISTORY), not including the current one. */
  readonly history: readonly string[];
}

export interface TraceError {
  readonly agent: number;
  /** ErrorKind */
  readonly kind: number;
  readonly message: string;
  readonly stack: string;
  readonly step: number;
}

export interface RunEndState {
  readonly reason: EndReason;
  readonly message: string;
  readonly step: number;
}

export interface RuntimeState {
  /** Events applied: this is the state after the first `step` events. */
  readonly step: number;
  /** Time of the last applied event (0 at step 0). */
  readonly timeUs: number;
  /** Agents seen so far, by id. */
  readonly agents: readonly AgentState[];
  readonly console: readonly ConsoleLine[];
  readonly sharedBuffers: readonly SharedBufferState[];
  readonly locks: readonly LockState[];
  readonly promises: PromiseSummary;
  readonly workers: readonly WorkerState[];
  readonly messagesInFlight: readonly MessageInFlight[];
  /** Messages lost so far (most recent last, at most MAX_LOST). */
  readonly messagesLost: readonly LostMessage[];
  /** Watched bindings assigned so far, in the order first assigned. */
  readonly values: readonly WatchedValue[];
  readonly errors: readonly TraceError[];
  /** `channels`: more channels (or messages from one port) than a run traces: later ones are not drawn. */
  readonly truncated: { readonly console: boolean; readonly events: boolean; readonly workers: boolean; readonly channels: boolean };
  /** Set once the RunEnd event (or, at the very end of a finished trace, the run's end) is reached. */
  readonly runEnd: RunEndState | null;
}

/** Earlier values kept per watched binding. */
export const WATCH_HISTORY = 8;
/** Lost messages kept in the state. */
export const MAX_LOST = 32;
