/**
 * Loopscope trace format — the wire schema.
 *
 * Invariants (read before changing anything here):
 * - An agent (main thread = agent 0, each worker = 1, 2, …) writes its events as a flat stream of int32s:
 *   `[kind, arg0, arg1, …]`, where the number of args is fixed per kind (`EVENT_SPECS[kind].args`).
 * - v2: the three hot stack events also have a packed form of one negative int (see `packStack`), so a function
 *   call costs two ints on the wire. A packed Enter carries no instance id: an agent numbers its instances
 *   1, 2, 3, … in Enter order, so it is the agent's previous instance + 1 (an unpacked Enter sets that count).
 *   Readers of wire batches step through them with `walkWireEvents` (args by `wireArg`); a built trace (builder.ts)
 *   and the trace file only ever hold the unpacked form.
 * - Strings never travel inside the ints. An arg listed in `strings` is an index into the string list of the
 *   batch that carries the event; `TraceBuilder` rewrites it to an index into the trace's global string table.
 * - Time is not stored per event on the wire. An agent writes `Time` (µs since run start, one process-wide
 *   clock: `performance.timeOrigin + performance.now()`) before every non-stack event and every
 *   `TIME_EVERY_STACK_EVENTS` stack events; the builder gives every event a time, interpolating stack events
 *   between two clock readings. `Time` itself never appears in a built trace.
 * - Ids (task, promise, instance, message, buffer, lock) are scoped to the agent that created them, except
 *   message ids, which embed the sender agent (`agent << 20 | n`) so post→receive links cross agents; a message
 *   on a MessageChannel's port embeds the sending end instead (`portMessageId`), wherever that port lives.
 * - Every field notes the format version that added it ("v1"). Add kinds at the end; never renumber.
 */

export const TRACE_FORMAT_VERSION = 4;

/** Event kinds. Numbers are part of the format. */
export const EventKind = {
  /** v1 [timeUs] clock reading for this agent; consumed by the builder. */
  Time: 0,
  /** v1 [mode] mode: 0 function-level, 1 statement-level. Written by the host once. */
  RunStart: 1,
  /** v1 [reason (EndReason), message:string] written by the host once, last. */
  RunEnd: 2,
  /** v1 [agentId, parentAgentId, name:string, file:string] an agent's first event (parent -1 for main). */
  AgentStart: 3,
  /** v1 [agentId, exitCode] an agent's last event. */
  AgentEnd: 4,
  /** v1 [frameId, instanceId] push a frame: a user function (instrumented) or a host API call. */
  Enter: 5,
  /** v1 [instanceId] pop the frame pushed by Enter with this instance id. */
  Exit: 6,
  /** v1 [instanceId, frameId, awaitedPromiseId, how (SuspendHow)] an async fn leaves the stack at await / a generator at yield. */
  Suspend: 7,
  /** v1 [instanceId, frameId, how (SuspendHow)] it comes back on the stack. */
  Resume: 8,
  /** v1 [locId] statement mode: the statement about to run (a frame-table entry of kind 'statement'). */
  Statement: 9,
  /** v1 [taskId, taskKind (TaskKind), delayUs, causeTaskId, repeat(0|1)] a callback was handed to the runtime. */
  TaskSchedule: 10,
  /** v1 [taskId] it entered its queue (timer expired, promise settled, immediate/tick queued, message arrived). */
  TaskRunnable: 11,
  /** v1 [taskId, phase (Phase)] the runtime picked it up and called it. */
  TaskStart: 12,
  /** v1 [taskId, outcome (0 returned, 1 threw)] */
  TaskEnd: 13,
  /** v1 [taskId] cleared before it ran (clearTimeout, clearImmediate, …). */
  TaskCancel: 14,
  /** v1 [phase] the microtask queue starts draining after a macrotask. */
  MicrotaskCheckpoint: 15,
  /** v1 [promiseId, parentPromiseId] (-1 when none) */
  PromiseCreate: 16,
  /** v1 [promiseId, state] state 0: settled (V8's hook does not say which way), 1 fulfilled, 2 rejected. */
  PromiseSettle: 17,
  /**
   * v1 [stream, text:string] console output as Node would print it. stream 0 stdout / 1 stderr: one console call,
   * a line without its trailing newline; 2 stdout / 3 stderr: raw `process.stdout.write` text, printed as is.
   */
  Console: 18,
  /** v1 [childAgentId, file:string] this agent created a worker. */
  WorkerSpawn: 19,
  /** v1 [childAgentId, exitCode] the worker's exit event reached this agent. */
  WorkerExit: 20,
  /**
   * v1 [messageId, targetAgentId] postMessage; target -1 when it goes to a port whose thread is unknown. v2: a post on
   * a MessageChannel's port has a `portMessageId` and targets the agent holding the other end.
   */
  MessagePost: 21,
  /**
   * v1 [messageId, taskId] the message event's callback task (its TaskStart follows). v2: taskId -1 when the message
   * was taken without an event (`receiveMessageOnPort`).
   */
  MessageReceive: 22,
  /**
   * v1 [op (AtomicsOp), bufferId, index, value, result, extra] extra: woken count for notify, timeout ms for wait, the
   * expected value for compareExchange. v4: index as the program passed it (in the elements of the view it used), after
   * an AtomicsElement that says which element of the buffer that is.
   */
  Atomics: 23,
  /** v1 [bufferId, byteLength, elementSize] a SharedArrayBuffer seen by this agent (created or received). */
  SharedBuffer: 24,
  /** v1 [lockId, name:string, capacity] a mutex (capacity 1) or semaphore from the lesson kit / async-mutex. */
  LockDefine: 25,
  /** v1 [lockId, op (LockOp), holders, waiters] */
  Lock: 26,
  /** v1 [kind (ErrorKind), message:string, stack:string] stack already mapped to original source lines. */
  Error: 27,
  /** v1 [what (TruncatedWhat)] a cap was hit; later events of that sort were dropped. */
  Truncated: 28,
  /** v1 [signal:string] a termination signal delivered to the lesson (process.on('SIGTERM')). */
  Signal: 29,
  /** v1 [taskId, label:string] a human label for a task (e.g. the kit's "GET api/users", a file name). */
  TaskLabel: 30,
  /**
   * v2 [name:string, preview:string] a watched binding (`// @watch name` in the lesson's code) was assigned: its
   * new value as a short preview, formatted by the tracer without calling lesson code (no getters, no toString).
   */
  Value: 31,
  /**
   * v2 [bufferId, name:string, elementType (TYPED_ARRAY_TYPES), byteOffset, length] a typed array over a shared
   * buffer was created; name is the variable that holds it ('' when unknown). Cells are drawn by the view's type: v4
   * models draw a buffer with a row per element type announced, the first one's first.
   */
  SharedView: 32,
  /** v2 [bufferId, index, value] a plain element write `view[i] = x` to a shared view (index in view elements from the buffer's start). Written up to v2; v3 writes SharedStore. */
  SharedWrite: 33,
  /**
   * v2 [peerAgentId] this agent closed its end of a channel (MessagePort.close): messages from peer to this agent
   * still in flight will never be received, and the stage marks them lost. peer is the parent agent for a worker's
   * parentPort, -1 for a MessageChannel port (then this agent's own posts to channel ports are the lost ones).
   */
  PortClose: 34,
  /**
   * v3 [bufferId, elementType (TYPED_ARRAY_TYPES), index, lo, hi] a plain write to a shared view, by an element
   * write (`view[i] = x`, `this.view[i]++`) or a TypedArray method (`set`, `fill`, `copyWithin`, `reverse`, `sort`):
   * the element at `index` (in elements of `elementType`, counted from the buffer's start) holds these bytes after
   * it, as two little-endian int32 words (lo: bytes 0–3, hi: bytes 4–7; unused bytes 0). Any element type, exact
   * (a Float64 or a BigInt64 is not cut to an int32); the model puts the bytes into the cells of each of the buffer's
   * view types (the ones they cover).
   * Replaces SharedWrite (v2, int32 values of the buffer's first view type only), which old traces still hold.
   */
  SharedStore: 35,
  /**
   * v3 [lockId, args:string] the lesson function about to make this agent's next Request of lock lockId was called
   * with these arguments (previews joined by ', ', formatted without calling lesson code: `'bob', 100`). Written just
   * before that Request; the stage names the waiter, and then the holder, `depositSafe('bob', 100)`.
   */
  LockCaller: 36,
  /**
   * v3 [end] this agent closed a MessageChannel's port (end number as in `portMessageId`), which closes the channel:
   * messages posted to that end (by its peer, end ^ 1) still in flight will never be received.
   */
  ChannelClose: 37,
  /**
   * v3 [lockId, grant] the Release of lock lockId that follows on this agent gives back its grant-th Acquired (1, 2, …
   * counted per lock): a semaphore's holders release in any order, and this says which one leaves. Grant 0 (written
   * since v3, read as "not known" before): a direct `release()`, which gives back a permit but belongs to no grant —
   * async-mutex keeps no owners, so which holder leaves is not defined; the stage shows the oldest and says so.
   */
  LockReleasing: 38,
  /**
   * v4 [elementType (TYPED_ARRAY_TYPES), index, valueHi, resultHi, extraHi] the Atomics event that follows on this
   * agent worked on the element at `index` of a view of `elementType` (counted in elements of that type from the
   * buffer's start, whatever the view's byteOffset), and its value, result and extra are the low words of 64-bit
   * elements whose high words (bytes 4–7, as in SharedStore) are these: a BigInt64Array's Atomics travel exactly.
   * value, result and extra then hold an element's bytes (a wait's or notify's extra stays the timeout or count;
   * hi 0). Without it (traces up to v3) an Atomics index counts the buffer's first view's elements and values are
   * int32s.
   */
  AtomicsElement: 39,
} as const;
export type EventKind = (typeof EventKind)[keyof typeof EventKind];

export interface EventSpec {
  readonly name: string;
  readonly args: readonly string[];
  /** Positions in `args` that are string-table indices. */
  readonly strings: readonly number[];
  /** Stack events are frequent and cheap: no clock reading of their own. */
  readonly stack: boolean;
}

function spec(name: string, args: string[], opts: { strings?: number[]; stack?: boolean } = {}): EventSpec {
  return { name, args, strings: opts.strings ?? [], stack: opts.stack ?? false };
}

/** Indexed by EventKind. */
export const EVENT_SPECS: readonly EventSpec[] = [
  spec('Time', ['timeUs']),
  spec('RunStart', ['mode']),
  spec('RunEnd', ['reason', 'message'], { strings: [1] }),
  spec('AgentStart', ['agentId', 'parentAgentId', 'name', 'file'], { strings: [2, 3] }),
  spec('AgentEnd', ['agentId', 'exitCode']),
  spec('Enter', ['frameId', 'instanceId'], { stack: true }),
  spec('Exit', ['instanceId'], { stack: true }),
  spec('Suspend', ['instanceId', 'frameId', 'awaitedPromiseId', 'how']),
  spec('Resume', ['instanceId', 'frameId', 'how']),
  spec('Statement', ['locId'], { stack: true }),
  spec('TaskSchedule', ['taskId', 'taskKind', 'delayUs', 'causeTaskId', 'repeat']),
  spec('TaskRunnable', ['taskId']),
  spec('TaskStart', ['taskId', 'phase']),
  spec('TaskEnd', ['taskId', 'outcome']),
  spec('TaskCancel', ['taskId']),
  spec('MicrotaskCheckpoint', ['phase']),
  spec('PromiseCreate', ['promiseId', 'parentPromiseId']),
  spec('PromiseSettle', ['promiseId', 'state']),
  spec('Console', ['stream', 'text'], { strings: [1] }),
  spec('WorkerSpawn', ['childAgentId', 'file'], { strings: [1] }),
  spec('WorkerExit', ['childAgentId', 'exitCode']),
  spec('MessagePost', ['messageId', 'targetAgentId']),
  spec('MessageReceive', ['messageId', 'taskId']),
  spec('Atomics', ['op', 'bufferId', 'index', 'value', 'result', 'extra']),
  spec('SharedBuffer', ['bufferId', 'byteLength', 'elementSize']),
  spec('LockDefine', ['lockId', 'name', 'capacity'], { strings: [1] }),
  spec('Lock', ['lockId', 'op', 'holders', 'waiters']),
  spec('Error', ['kind', 'message', 'stack'], { strings: [1, 2] }),
  spec('Truncated', ['what']),
  spec('Signal', ['signal'], { strings: [0] }),
  spec('TaskLabel', ['taskId', 'label'], { strings: [1] }),
  spec('Value', ['name', 'preview'], { strings: [0, 1] }),
  spec('SharedView', ['bufferId', 'name', 'elementType', 'byteOffset', 'length'], { strings: [1] }),
  spec('SharedWrite', ['bufferId', 'index', 'value']),
  spec('PortClose', ['peerAgentId']),
  spec('SharedStore', ['bufferId', 'elementType', 'index', 'lo', 'hi']),
  spec('LockCaller', ['lockId', 'args'], { strings: [1] }),
  spec('ChannelClose', ['end']),
  spec('LockReleasing', ['lockId', 'grant']),
  spec('AtomicsElement', ['elementType', 'index', 'valueHi', 'resultHi', 'extraHi']),
];

// ---------------------------------------------------------------- MessageChannel message ids (v3)
// A message on a MessageChannel's port: bit 30 set, the sending end (channel c has ends 2c and 2c + 1) and the
// message's number among that end's posts (1, 2, …). Worker ⇄ parent ids (`agent << 20 | n`, agent < 256) stay
// below bit 28, so the two never meet.

/** Ends a run's MessageChannels may have (the rest are not traced). */
export const MAX_PORT_ENDS = 1 << 10;
/** Messages an end may post before its later ones go untraced. */
export const MAX_PORT_MESSAGES = 1 << 19;
const PORT_MESSAGE_BIT = 1 << 30;

/** The id of the n-th message (n ≥ 1) posted by MessageChannel end `end`. */
export function portMessageId(end: number, n: number): number {
  return PORT_MESSAGE_BIT | (end << 19) | n;
}
/** True for a message id of a MessageChannel's port (or of a BroadcastChannel: those are ports underneath). */
export function isPortMessage(id: number): boolean {
  return id > 0 && (id & PORT_MESSAGE_BIT) !== 0;
}
/**
 * v3 (since BroadcastChannels are drawn) a port message with bit 29 set is a BroadcastChannel's: one post is one such
 * message to each other instance of the name, `end` being the receiving instance's second end (ends 2c, 2c + 1 for
 * instance c, as for a channel), so closing the instance (ChannelClose of 2c) loses what was on its way to it.
 */
export const BROADCAST_MESSAGE_BIT = 1 << 29;
export function isBroadcastMessage(id: number): boolean {
  return isPortMessage(id) && (id & BROADCAST_MESSAGE_BIT) !== 0;
}
/** The end that posted a MessageChannel message. */
export function portMessageEnd(id: number): number {
  return (id >>> 19) & (MAX_PORT_ENDS - 1);
}

/** Element types of typed arrays (SharedView.elementType), with their sizes in bytes. */
export const TYPED_ARRAY_TYPES: readonly { readonly name: string; readonly size: number }[] = [
  { name: 'Int8Array', size: 1 }, { name: 'Uint8Array', size: 1 }, { name: 'Uint8ClampedArray', size: 1 },
  { name: 'Int16Array', size: 2 }, { name: 'Uint16Array', size: 2 }, { name: 'Int32Array', size: 4 },
  { name: 'Uint32Array', size: 4 }, { name: 'Float32Array', size: 4 }, { name: 'Float64Array', size: 8 },
  { name: 'BigInt64Array', size: 8 }, { name: 'BigUint64Array', size: 8 }, { name: 'Float16Array', size: 2 },
];

/** How often (in stack events) an agent writes a clock reading even without other events. */
export const TIME_EVERY_STACK_EVENTS = 1024;

// ---------------------------------------------------------------- packed stack words (v2)
// A packed word is `~(payload << 2 | tag)`, always negative: tag 0 Enter (payload = frameId), 1 Exit (payload =
// instanceId), 2 Statement (payload = locId). Payloads must be below PACKED_PAYLOAD_LIMIT; larger ones are written
// unpacked. The run process's tracer (src/runtime/process/trace-writer.ts) writes these words inline.

/** Payloads (frame, instance and location ids) from this value up do not fit a packed word. */
export const PACKED_PAYLOAD_LIMIT = 1 << 29;
const PACKED_KINDS: readonly number[] = [EventKind.Enter, EventKind.Exit, EventKind.Statement];

/** The packed word for a stack event of `kind` (Enter, Exit or Statement) with a payload below the limit. */
export function packStack(kind: typeof EventKind.Enter | typeof EventKind.Exit | typeof EventKind.Statement, payload: number): number {
  return ~((payload << 2) | PACKED_KINDS.indexOf(kind));
}

/** The kind of a packed word (Enter, Exit or Statement), or -1 when its tag is not one. */
export function packedKind(word: number): number {
  return PACKED_KINDS[~word & 3] ?? -1;
}

/** The payload of a packed word: a frame id (Enter), an instance id (Exit) or a location id (Statement). */
export function packedPayload(word: number): number {
  return ~word >>> 2;
}

/** How many ints the event at `ints[p]` takes: 1 for a packed word, 1 + arity otherwise; 0 for an unknown kind. */
export function eventInts(ints: Int32Array, p: number): number {
  const word = ints[p]!;
  if (word < 0) return packedKind(word) < 0 ? 0 : 1;
  const spec = EVENT_SPECS[word];
  return spec === undefined ? 0 : 1 + spec.args.length;
}

/**
 * Steps through a wire batch's ints: calls `visit(kind, at)` for each event in order (a packed word's kind
 * decoded; read args with `wireArg`) until `visit` returns true, or an unknown kind ends the walk (the trace
 * builder reports those). With `packed: false`, packed stack words are counted but not visited: most of a batch,
 * skipped at a few instructions each. Returns how many events it passed, the one `visit` stopped at included.
 */
export function walkWireEvents(ints: Int32Array, visit?: (kind: number, at: number) => boolean | void, options: { packed?: boolean } = {}): number {
  const skipPacked = visit === undefined || options.packed === false;
  const length = ints.length;
  let n = 0;
  for (let i = 0; i < length; ) {
    if (skipPacked) { // the builder checks packed words' tags
      const from = i;
      while (i < length && ints[i]! < 0) i++;
      n += i - from;
      if (i === length) break;
    }
    const word = ints[i]!;
    const size = eventInts(ints, i);
    if (size === 0) break;
    n++;
    if (visit?.(word < 0 ? packedKind(word) : word, i) === true) break;
    i += size;
  }
  return n;
}

/** Int arg `k` of the wire event at `ints[at]`. A packed word has one: its payload (a packed Enter's instance is not on the wire). */
export function wireArg(ints: Int32Array, at: number, k: number): number {
  const word = ints[at]!;
  return word < 0 ? packedPayload(word) : ints[at + 1 + k]!;
}

/** How an async function or generator left the stack. ForAwait: the implicit await of a `for await` loop (v1). */
export const SuspendHow = { Await: 0, Yield: 1, ForAwait: 2 } as const;

/** What kind of callback a task is; decides its queue. */
export const TaskKind = {
  /** The lesson's top-level code (the "main script" task of an agent). */
  Script: 0,
  Timeout: 1,
  Interval: 2,
  Immediate: 3,
  NextTick: 4,
  /** queueMicrotask */
  Microtask: 5,
  /** a promise reaction: .then/.catch/.finally callback */
  PromiseReaction: 6,
  /** an async function's continuation after await (also a promise job) */
  AwaitContinuation: 7,
  /** an I/O completion callback (lesson kit file read, simulated network) */
  Io: 8,
  /** a close callback */
  Close: 9,
  /** a worker / MessagePort 'message' event, or a worker's 'exit'/'error' event */
  Message: 10,
  /** a signal handler (process.on('SIGTERM')) */
  Signal: 11,
  /** an EventEmitter listener called synchronously — not a queue, recorded for labels only */
  Emit: 12,
  /**
   * v1: a promise job V8 runs without a promise hook: resolving a promise with a thenable calls the thenable's
   * `then` from a microtask. The tracer sees lesson code start outside any task and opens this task around it.
   */
  ThenableJob: 13,
} as const;
export type TaskKind = (typeof TaskKind)[keyof typeof TaskKind];

/** The queue a task of each kind waits in once runnable. */
export const Queue = {
  NextTick: 0,
  Microtask: 1,
  Timers: 2,
  Check: 3,
  Poll: 4,
  Close: 5,
  /** the agent's start: not a queue a learner sees, but the script task lives here until it runs */
  Script: 6,
} as const;
export type Queue = (typeof Queue)[keyof typeof Queue];

export const QUEUE_NAMES: readonly string[] = ['nextTick', 'microtasks', 'timers', 'check', 'poll', 'close', 'script'];

export function queueOf(kind: TaskKind): Queue {
  switch (kind) {
    case TaskKind.Script:
      return Queue.Script;
    case TaskKind.Timeout:
    case TaskKind.Interval:
      return Queue.Timers;
    case TaskKind.Immediate:
      return Queue.Check;
    case TaskKind.NextTick:
      return Queue.NextTick;
    case TaskKind.Microtask:
    case TaskKind.PromiseReaction:
    case TaskKind.AwaitContinuation:
    case TaskKind.ThenableJob:
      return Queue.Microtask;
    case TaskKind.Close:
      return Queue.Close;
    case TaskKind.Io:
    case TaskKind.Message:
    case TaskKind.Signal:
    case TaskKind.Emit:
      return Queue.Poll;
  }
}

/** True for kinds that run in a microtask checkpoint rather than as a macrotask. */
export function isMicro(kind: TaskKind): boolean {
  return kind === TaskKind.NextTick || kind === TaskKind.Microtask || kind === TaskKind.PromiseReaction || kind === TaskKind.AwaitContinuation || kind === TaskKind.ThenableJob;
}

export const TASK_KIND_NAMES: readonly string[] = [
  'script', 'setTimeout', 'setInterval', 'setImmediate', 'process.nextTick', 'queueMicrotask',
  'promise reaction', 'await continuation', 'I/O callback', 'close callback', 'message', 'signal', 'emit',
  'thenable job',
];

/** libuv event-loop phases (plus the main script). */
export const Phase = {
  Main: 0,
  Timers: 1,
  Pending: 2,
  Poll: 3,
  Check: 4,
  Close: 5,
} as const;
export type Phase = (typeof Phase)[keyof typeof Phase];
export const PHASE_NAMES: readonly string[] = ['main script', 'timers', 'pending callbacks', 'poll', 'check', 'close callbacks'];

export const AtomicsOp = {
  Load: 0, Store: 1, Add: 2, Sub: 3, And: 4, Or: 5, Xor: 6, Exchange: 7, CompareExchange: 8,
  Wait: 9, /** the wait returned: result 0 "ok", 1 "not-equal", 2 "timed-out" */ WaitDone: 10, Notify: 11, WaitAsync: 12,
  /** v2: not an Atomics call but a plain element write (SharedWrite); the last op a cell shows. */ Write: 13,
} as const;
export type AtomicsOp = (typeof AtomicsOp)[keyof typeof AtomicsOp];
export const ATOMICS_OP_NAMES: readonly string[] = [
  'load', 'store', 'add', 'sub', 'and', 'or', 'xor', 'exchange', 'compareExchange', 'wait', 'wait returned', 'notify', 'waitAsync',
  'write',
];
export const WAIT_RESULTS: readonly string[] = ['ok', 'not-equal', 'timed-out'];

export const LockOp = {
  /** asked for the lock; joins the waiters if it is held */ Request: 0,
  /** got it (holders +1) */ Acquired: 1,
  /** gave it back */ Release: 2,
} as const;
export type LockOp = (typeof LockOp)[keyof typeof LockOp];

export const ErrorKind = { Uncaught: 0, UnhandledRejection: 1, WorkerError: 2 } as const;
export type ErrorKind = (typeof ErrorKind)[keyof typeof ErrorKind];

/** v3 Channels: more MessageChannels and BroadcastChannels than a run traces (MAX_PORT_ENDS / 2), or more messages
 *  from one end than MAX_PORT_MESSAGES: later ones run as usual but are not drawn. */
export const TruncatedWhat = { Console: 0, Events: 1, Workers: 2, Channels: 3 } as const;

/** Why a run ended. Numbers are part of the format. */
export const EndReason = {
  Completed: 0,
  UncaughtError: 1,
  UnhandledRejection: 2,
  ProcessExit: 3,
  Timeout: 4,
  Stopped: 5,
  HeapLimit: 6,
  ExternalMemoryLimit: 7,
  EventLimit: 8,
  WorkerLimit: 9,
  HostCrashed: 10,
  SyntaxError: 11,
  InternalError: 12,
} as const;
export type EndReason = (typeof EndReason)[keyof typeof EndReason];
export const END_REASON_NAMES: readonly string[] = [
  'completed', 'uncaught error', 'unhandled rejection', 'process.exit()', 'time limit', 'stopped',
  'heap limit', 'ArrayBuffer memory limit', 'event limit', 'worker limit', 'runtime host crashed', 'syntax error',
  'internal error',
];
/** True when a run that ended this way should make the CLI exit non-zero. */
export function isFailure(reason: EndReason, exitCode = 0): boolean {
  return reason === EndReason.ProcessExit ? exitCode !== 0 : reason !== EndReason.Completed;
}

/** A row of the frame table: a function, a host API or (statement mode) a statement location. */
export interface Frame {
  readonly id: number;
  readonly kind: 'function' | 'host' | 'statement' | 'script';
  /** Display name: `fib`, `Counter.increment`, `setTimeout`, `console.log`, `(anonymous)`. */
  readonly name: string;
  /** Lesson-relative file path; '' for host frames. */
  readonly file: string;
  /** 1-based line and column in the original (TypeScript) source; 0 for host frames. */
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  /** For functions: async, generator, async generator, plain. */
  readonly flavor?: 'sync' | 'async' | 'generator' | 'async-generator';
}

/** Host API frames have fixed ids 0..HOST_FRAMES.length-1 in every trace. */
export const HOST_FRAMES: readonly string[] = [
  'setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate',
  'queueMicrotask', 'process.nextTick', 'console.log', 'console.info', 'console.warn', 'console.error', 'console.debug',
  'console.trace', 'console.table', 'console.dir', 'postMessage', 'new Worker', 'worker.terminate', 'Atomics.wait',
  'Atomics.notify', 'Atomics.waitAsync', 'structuredClone', 'readFile', 'fetch', 'mutex.acquire', 'mutex.release', 'process.exit',
];
export function hostFrameId(name: string): number {
  const id = HOST_FRAMES.indexOf(name);
  if (id < 0) throw new Error(`unknown host frame ${name}`);
  return id;
}

/** One batch of events from one agent, as sent over the wire (MessagePort, IPC, WebSocket). */
export interface TraceBatch {
  readonly agent: number;
  /** The int32 event stream. Transferred, never copied. */
  readonly ints: Int32Array;
  /** New strings referenced by this batch's string args, by local index. */
  readonly strings: readonly string[];
}

/** Everything fixed at run start that events refer to. */
export interface TraceHeader {
  readonly version: number;
  readonly runId: string;
  readonly mode: 'function' | 'statement';
  /** Wall-clock start, ms since epoch (for display only). */
  readonly startedAtMs: number;
  readonly frames: readonly Frame[];
  /** Lesson files, path → original text, so a trace file is self-contained. */
  readonly files: readonly { readonly path: string; readonly text: string }[];
  readonly entry: string;
}
