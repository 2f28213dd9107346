/**
 * The model's mutable working state: what `apply-event.ts` updates and `freeze.ts` turns into a RuntimeState.
 *
 * Invariants:
 * - Copy on write. `clone()` is O(agents + buffers): the copy shares every container with the original and
 *   both are marked shared; a container is copied the first time either side writes to it (through the
 *   `…W()` accessors, the only way to get a writable container). So a snapshot costs almost nothing, and a
 *   seek copies only what its replay actually changes — a state with 100k pending timers seeks as fast as an
 *   empty one unless the replay touches the timers.
 * - Leaf records (queue entries, parked frames, cells, locks, workers, messages) are never mutated once stored.
 * - Snapshots are never written to; only the model's live state and its replay cursor are.
 */
import type { CellWaiter, LockParty, LostMessage, MessageInFlight } from './runtime-state.ts';

/** A lock's holder or waiter as the model stores it (freeze.ts adds the function's name and the label). */
export interface LockPartyWork extends Omit<LockParty, 'name' | 'label'> {
  /** String id of the arguments' previews a LockCaller announced (`'bob', 100`), -1 when none. */
  readonly args: number;
  /** A holder's place among the lock's Acquired events (1, 2, …), -1 for a waiter (LockReleasing names it). */
  readonly grant: number;
}
import { Phase } from './schema.ts';

export interface QueueEntry { readonly row: number; readonly step: number }
export interface RunningEntry { readonly row: number; readonly phase: number; readonly step: number; readonly timeUs: number }
export interface SuspendedEntry { readonly instanceId: number; readonly frameId: number; readonly promiseId: number; readonly how: number; readonly step: number }
export interface CellEntry {
  /** The cell's bytes (cell-bits.ts): read as a value of the buffer's element type when the state is frozen. */
  readonly lo: number; readonly hi: number;
  readonly op: number; readonly agent: number; readonly step: number;
  /** Who last changed the cell (a read or a wait leaves it as it was): agent, task id and step; -1 when never written. */
  readonly writer: number; readonly writerTask: number; readonly writerStep: number;
  /** What the Atomics operation that wrote this value returned (a read-modify-write: the value it found there; its low
   *  word). */
  readonly before?: number;
}
/** A buffer's cells as the views of one element type read them (a row of the stage). */
export interface ViewRowWork {
  /** TYPED_ARRAY_TYPES index of the views its cells are drawn by, -1 until a SharedView announced one. */
  elementType: number;
  /** String ids of the variables holding views of that type. */
  viewNames: readonly number[];
  cells: Map<number, CellEntry>;
  /** Agents in Atomics.wait on one of these cells. */
  waiters: CellWaiter[];
}
/** A shared buffer: the row of the first view type announced, and one more per other type the program used. */
export interface BufferWork extends ViewRowWork {
  /** -1 until the trace announces the buffer (SharedBuffer event). */
  byteLength: number;
  elementSize: number;
  /** Rows of the other element types it was used through, first seen first (at most MAX_VIEW_ROWS - 1). */
  others: ViewRowWork[];
}
/** Rows (element types) a buffer is drawn with at most: a Uint8Array, an Int32Array and a Float64Array view fit. */
export const MAX_VIEW_ROWS = 4;
export interface LockWork {
  readonly agent: number;
  readonly lockId: number;
  /** String id of the name, -1 when never defined. */
  readonly name: number;
  readonly capacity: number;
  readonly holders: readonly LockPartyWork[];
  readonly waiters: readonly LockPartyWork[];
  /** Acquired events so far. */
  readonly grants: number;
  /**
   * The last direct release (LockReleasing grant 0) while several held the lock: its step and who is shown leaving
   * (the oldest holder; the library does not say), else null.
   */
  readonly direct?: { readonly step: number; readonly shown: LockPartyWork } | null;
}
/** A watched binding's current value (string ids) and the values before it, oldest first. */
export interface ValueWork {
  readonly value: number;
  readonly agent: number;
  readonly step: number;
  readonly history: readonly number[];
}
export interface WorkerWork {
  readonly agentId: number;
  readonly parent: number;
  /** String id. */
  readonly file: number;
  readonly spawnStep: number;
  readonly status: 'starting' | 'running' | 'exited';
  readonly exitCode: number | null;
}

export const QUEUE_COUNT = 7;
const STACK = 1 << QUEUE_COUNT;
const SUSPENDED = STACK << 1;
const TIMERS = STACK << 2;
const IO = STACK << 3;
const TASKS = STACK << 4;
const ALL = (TASKS << 1) - 1;

export class AgentWork {
  readonly id: number;
  name = -1;
  file = -1;
  parent = -1;
  started = false;
  ended = false;
  exitCode = 0;
  phase: number = Phase.Main;
  inCheckpoint = false;
  statement = -1;
  /** Bumped by every TaskLabel of this agent: frozen task lists are reusable while it stays the same. */
  labelVersion = 0;
  /** A LockCaller waiting for this agent's next Request of lock `callerLock` (-1: none): its args' string id. */
  callerLock = -1;
  callerArgs = -1;
  /** A LockReleasing waiting for this agent's next Release of lock `releasingLock` (-1: none): the grant it ends. */
  releasingLock = -1;
  releasingGrant = -1;
  /** Where the args of an AtomicsElement waiting for this agent's next Atomics event start (-1: none). */
  atomicsElementAt = -1;
  // Containers: read freely, write only after the matching …W() call (it may replace them).
  frames: number[] = [];
  instances: number[] = [];
  suspended = new Map<number, SuspendedEntry>();
  queues: QueueEntry[][] = Array.from({ length: QUEUE_COUNT }, () => []);
  /** Pending timers: task row → due time (µs). */
  timers = new Map<number, number>();
  io = new Set<number>();
  tasks: RunningEntry[] = [];
  #shared = 0;

  constructor(id: number) {
    this.id = id;
  }

  clone(): AgentWork {
    const c = new AgentWork(this.id);
    c.name = this.name;
    c.file = this.file;
    c.parent = this.parent;
    c.started = this.started;
    c.ended = this.ended;
    c.exitCode = this.exitCode;
    c.phase = this.phase;
    c.inCheckpoint = this.inCheckpoint;
    c.statement = this.statement;
    c.labelVersion = this.labelVersion;
    c.callerLock = this.callerLock;
    c.callerArgs = this.callerArgs;
    c.releasingLock = this.releasingLock;
    c.releasingGrant = this.releasingGrant;
    c.atomicsElementAt = this.atomicsElementAt;
    c.frames = this.frames;
    c.instances = this.instances;
    c.suspended = this.suspended;
    c.queues = this.queues.slice(); // the outer array is tiny; each queue is shared
    c.timers = this.timers;
    c.io = this.io;
    c.tasks = this.tasks;
    c.#shared = ALL;
    this.#shared = ALL;
    return c;
  }

  /**
   * True when `container` (one of this agent's) has been shared by a clone. Such a container is never written
   * again by anyone (each holder copies before writing), so anything derived from it can be cached by identity.
   */
  isFrozen(container: object): boolean {
    if (container === this.frames || container === this.instances) return (this.#shared & STACK) !== 0;
    if (container === this.timers) return (this.#shared & TIMERS) !== 0;
    if (container === this.io) return (this.#shared & IO) !== 0;
    if (container === this.suspended) return (this.#shared & SUSPENDED) !== 0;
    if (container === this.tasks) return (this.#shared & TASKS) !== 0;
    const q = this.queues.indexOf(container as QueueEntry[]);
    return q >= 0 && (this.#shared & (1 << q)) !== 0;
  }

  stackW(): void {
    if (this.#shared & STACK) {
      this.frames = this.frames.slice();
      this.instances = this.instances.slice();
      this.#shared &= ~STACK;
    }
  }

  suspendedW(): Map<number, SuspendedEntry> {
    if (this.#shared & SUSPENDED) {
      this.suspended = new Map(this.suspended);
      this.#shared &= ~SUSPENDED;
    }
    return this.suspended;
  }

  queueW(queue: number): QueueEntry[] {
    const bit = 1 << queue;
    if (this.#shared & bit) {
      this.queues[queue] = this.queues[queue]!.slice();
      this.#shared &= ~bit;
    }
    return this.queues[queue]!;
  }

  timersW(): Map<number, number> {
    if (this.#shared & TIMERS) {
      this.timers = new Map(this.timers);
      this.#shared &= ~TIMERS;
    }
    return this.timers;
  }

  ioW(): Set<number> {
    if (this.#shared & IO) {
      this.io = new Set(this.io);
      this.#shared &= ~IO;
    }
    return this.io;
  }

  tasksW(): RunningEntry[] {
    if (this.#shared & TASKS) {
      this.tasks = this.tasks.slice();
      this.#shared &= ~TASKS;
    }
    return this.tasks;
  }

  /** Stored entries: what copying everything would cost. */
  size(): number {
    let n = this.frames.length + this.suspended.size + this.timers.size + this.io.size + this.tasks.length;
    for (const q of this.queues) n += q.length;
    return n;
  }
}

/** `target` of a tombstone: a message received before its post event was applied (never shown as in flight). */
export const RECEIVED_EARLY = -2;

export class WorkState {
  /** Events applied. */
  step = 0;
  agents: (AgentWork | undefined)[] = [];
  consoleCount = 0;
  errorCount = 0;
  promisesCreated = 0;
  fulfilled = 0;
  rejected = 0;
  settled = 0;
  /** Bit per TruncatedWhat. */
  truncated = 0;
  /** Step of the RunEnd event, -1 before it. */
  runEnd = -1;
  // Containers: read freely, write only through the …W() accessors.
  buffers = new Map<number, BufferWork>();
  locks = new Map<number, LockWork>();
  workers = new Map<number, WorkerWork>();
  messages = new Map<number, MessageInFlight>();
  /** Watched bindings by the string id of their name, in first-assignment order. */
  values = new Map<number, ValueWork>();
  lost: LostMessage[] = [];
  /** Bit per top-level container still shared with a clone: 1 buffers, 2 locks, 4 workers, 8 messages, 16 values, 32 lost. */
  #sharedMaps = 0;
  /** Buffers this state has copied since it was last cloned (the others may be shared). */
  #ownBuffers = new Set<number>();

  clone(): WorkState {
    const c = new WorkState();
    c.step = this.step;
    c.agents = this.agents.map((a) => a?.clone());
    c.consoleCount = this.consoleCount;
    c.errorCount = this.errorCount;
    c.promisesCreated = this.promisesCreated;
    c.fulfilled = this.fulfilled;
    c.rejected = this.rejected;
    c.settled = this.settled;
    c.truncated = this.truncated;
    c.runEnd = this.runEnd;
    c.buffers = this.buffers;
    c.locks = this.locks;
    c.workers = this.workers;
    c.messages = this.messages;
    c.values = this.values;
    c.lost = this.lost;
    c.#sharedMaps = 63;
    this.#sharedMaps = 63;
    this.#ownBuffers = new Set();
    return c;
  }

  agent(id: number): AgentWork {
    return (this.agents[id] ??= new AgentWork(id));
  }

  /** A writable buffer, created (size unknown) when the trace never announced it. */
  bufferW(id: number): BufferWork {
    if (this.#sharedMaps & 1) {
      this.buffers = new Map(this.buffers); // few entries; the buffers in it stay shared until written
      this.#sharedMaps &= ~1;
    }
    let b = this.buffers.get(id);
    if (!b) {
      b = { byteLength: -1, elementSize: 1, elementType: -1, viewNames: [], cells: new Map(), waiters: [], others: [] };
      this.buffers.set(id, b);
      this.#ownBuffers.add(id);
    } else if (!this.#ownBuffers.has(id)) {
      b = {
        byteLength: b.byteLength, elementSize: b.elementSize, elementType: b.elementType, viewNames: b.viewNames, cells: new Map(b.cells), waiters: b.waiters.slice(),
        others: b.others.map((r) => ({ ...r, cells: new Map(r.cells), waiters: r.waiters.slice() })),
      };
      this.buffers.set(id, b);
      this.#ownBuffers.add(id);
    }
    return b;
  }

  locksW(): Map<number, LockWork> {
    if (this.#sharedMaps & 2) {
      this.locks = new Map(this.locks);
      this.#sharedMaps &= ~2;
    }
    return this.locks;
  }

  workersW(): Map<number, WorkerWork> {
    if (this.#sharedMaps & 4) {
      this.workers = new Map(this.workers);
      this.#sharedMaps &= ~4;
    }
    return this.workers;
  }

  messagesW(): Map<number, MessageInFlight> {
    if (this.#sharedMaps & 8) {
      this.messages = new Map(this.messages);
      this.#sharedMaps &= ~8;
    }
    return this.messages;
  }

  valuesW(): Map<number, ValueWork> {
    if (this.#sharedMaps & 16) {
      this.values = new Map(this.values);
      this.#sharedMaps &= ~16;
    }
    return this.values;
  }

  lostW(): LostMessage[] {
    if (this.#sharedMaps & 32) {
      this.lost = this.lost.slice();
      this.#sharedMaps &= ~32;
    }
    return this.lost;
  }

  /** Rough number of stored entries: what copying everything would cost. */
  size(): number {
    let n = this.locks.size + this.workers.size + this.messages.size + this.values.size + this.lost.length;
    for (const a of this.agents) if (a) n += a.size();
    for (const b of this.buffers.values()) for (const r of [b, ...b.others]) n += r.cells.size + r.waiters.length;
    return n;
  }
}
