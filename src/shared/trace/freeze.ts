/**
 * Turns the model's working state into the plain RuntimeState the UI renders. Reads only facts gated on the
 * state's step (labels, promise statuses), so the same step always freezes to the same value.
 */
import type { Trace } from './builder.ts';
import { readCell } from './cell-bits.ts';
import type {
  AgentState, AwaitedPromise, CellState, LockParty, LockState, PendingIo, PendingTimer, QueueState, QueuedTask, RunningTask,
  RuntimeState, SharedBufferState, StackFrame, SuspendedFrame, WatchedValue, WorkerState,
} from './runtime-state.ts';
import { QUEUE_NAMES, TruncatedWhat, TYPED_ARRAY_TYPES, type EndReason, type Queue } from './schema.ts';
import type { TaskIndex } from './task-index.ts';
import type { TraceLogs } from './trace-logs.ts';
import { RECEIVED_EARLY, type AgentWork, type LockPartyWork, type RunningEntry, type WorkState } from './work-state.ts';

export interface FreezeContext {
  readonly trace: Trace;
  readonly tasks: TaskIndex;
  readonly logs: TraceLogs;
  /** Frozen lists by the (never again written) container they came from; see AgentWork.isFrozen. */
  readonly cache?: WeakMap<object, { readonly labelVersion: number; readonly value: unknown }>;
}

/**
 * `build()`, or what it returned for this same container before. Sound because a frozen container never
 * changes and what we derive from it depends only on index facts fixed before it was written, except task
 * labels, which the agent's labelVersion covers.
 */
function cached<T>(ctx: FreezeContext, a: AgentWork, container: object, build: () => T): T {
  const cache = ctx.cache;
  if (!cache || !a.isFrozen(container)) return build();
  const hit = cache.get(container);
  if (hit && hit.labelVersion === a.labelVersion) return hit.value as T;
  const value = build();
  cache.set(container, { labelVersion: a.labelVersion, value });
  return value;
}

export function freeze(s: WorkState, ctx: FreezeContext): RuntimeState {
  const { trace, logs } = ctx;
  const step = s.step;
  const agents: AgentState[] = [];
  const awaited: AwaitedPromise[] = [];
  for (const a of s.agents) if (a) agents.push(freezeAgent(a, ctx, step, awaited));
  const sharedBuffers: SharedBufferState[] = [];
  for (const [bufferId, b] of [...s.buffers].sort((x, y) => x[0] - y[0])) {
    // One entry per element type the program used the buffer through: its first view's, then the others.
    for (const row of [b, ...b.others]) {
      const cells: CellState[] = [];
      for (const [index, c] of row.cells) cells.push({ index, ...readCell(row.elementType, c.lo, c.hi), op: c.op, agent: c.agent, step: c.step, writer: c.writer, writerTask: c.writerTask, writerStep: c.writerStep });
      cells.sort((x, y) => x.index - y.index);
      const elementSize = row === b ? b.elementSize : TYPED_ARRAY_TYPES[row.elementType]?.size ?? 1;
      const length = b.byteLength < 0 ? -1 : Math.floor(b.byteLength / elementSize);
      sharedBuffers.push({
        bufferId, byteLength: b.byteLength, elementSize, length, cells, waiters: row.waiters.slice(),
        elementType: TYPED_ARRAY_TYPES[row.elementType]?.name ?? '', viewNames: row.viewNames.map((n) => trace.strings[n] ?? '').filter((n) => n !== ''),
      });
    }
  }
  const party = ({ agent, taskId, frameId, args, step }: LockPartyWork): LockParty => {
    const name = frameId >= 0 ? logs.frames.name(frameId) : '';
    const shown = trace.strings[args];
    // An anonymous function by its source (`(_, i) => semaphore.runExclusive(… with (300, 0)`): `(anonymous)(300, 0)`
    // said nothing about which function asked.
    const excerpt = frameId >= 0 ? logs.frames.label(frameId) : '';
    const label = shown === undefined ? excerpt : excerpt !== name ? `${excerpt} with (${shown})` : `${name || '(anonymous)'}(${shown})`;
    return { agent, taskId, frameId, name, label, step };
  };
  const locks: LockState[] = [...s.locks.values()].map((l) => ({
    agent: l.agent, lockId: l.lockId, name: trace.strings[l.name] ?? `lock ${l.lockId}`, capacity: l.capacity, holders: l.holders.map(party), waiters: l.waiters.map(party),
    direct: l.direct ? { step: l.direct.step, shown: party(l.direct.shown) } : null,
  }));
  const workers: WorkerState[] = [...s.workers.values()]
    .sort((x, y) => x.agentId - y.agentId)
    .map((w) => ({ agentId: w.agentId, parent: w.parent, file: trace.strings[w.file] ?? '', spawnStep: w.spawnStep, status: w.status, exitCode: w.exitCode }));
  const settledTotal = s.fulfilled + s.rejected + s.settled;
  let runEnd: RuntimeState['runEnd'] = null;
  if (s.runEnd >= 0) {
    const p = trace.argStart[s.runEnd]!;
    runEnd = { reason: trace.args[p]! as EndReason, message: trace.strings[trace.args[p + 1]!] ?? '', step: s.runEnd };
  } else if (trace.end && step === trace.count) {
    runEnd = { reason: trace.end.reason, message: trace.end.message, step };
  }
  return {
    step,
    timeUs: step > 0 ? (trace.timeUs[step - 1] ?? 0) : 0, // from the trace: a stack event's time can still be refined
    agents,
    console: logs.console.slice(0, s.consoleCount),
    sharedBuffers,
    locks,
    promises: { pending: Math.max(0, s.promisesCreated - settledTotal), fulfilled: s.fulfilled, rejected: s.rejected, settled: s.settled, awaited },
    workers,
    messagesInFlight: [...s.messages.values()].filter((m) => m.target !== RECEIVED_EARLY),
    messagesLost: s.lost.slice(),
    values: [...s.values].map(([name, v]): WatchedValue => ({
      name: trace.strings[name] ?? '', value: trace.strings[v.value] ?? '', agent: v.agent, step: v.step, history: v.history.map((h) => trace.strings[h] ?? ''),
    })),
    errors: logs.errors.slice(0, s.errorCount),
    truncated: {
      console: (s.truncated & (1 << TruncatedWhat.Console)) !== 0,
      events: (s.truncated & (1 << TruncatedWhat.Events)) !== 0,
      workers: (s.truncated & (1 << TruncatedWhat.Workers)) !== 0,
      channels: (s.truncated & (1 << TruncatedWhat.Channels)) !== 0,
    },
    runEnd,
  };
}

function freezeAgent(a: AgentWork, ctx: FreezeContext, step: number, awaited: AwaitedPromise[]): AgentState {
  const { trace, tasks, logs } = ctx;
  const frames = logs.frames;
  const stack = cached(ctx, a, a.frames, (): readonly StackFrame[] =>
    a.frames.map((frameId, k) => ({ frameId, instanceId: a.instances[k]!, name: frames.name(frameId), host: frames.isHost(frameId) })),
  );
  const suspended: SuspendedFrame[] = [];
  for (const e of a.suspended.values()) {
    const promise = e.promiseId < 0 ? 'unknown' : logs.promiseStatusAt(a.id, e.promiseId, step);
    if (e.promiseId >= 0) awaited.push({ agent: a.id, promiseId: e.promiseId, status: promise });
    suspended.push({ instanceId: e.instanceId, frameId: e.frameId, name: frames.name(e.frameId), awaitedPromiseId: e.promiseId, promise, how: e.how === 1 ? 'yield' : 'await', step: e.step });
  }
  const queues: QueueState[] = a.queues.map((q, queue) => ({
    queue: queue as Queue,
    name: QUEUE_NAMES[queue] ?? `queue ${queue}`,
    tasks: cached(ctx, a, q, (): readonly QueuedTask[] =>
      q.map((e) => ({
        taskId: tasks.taskIdOf(e.row), kind: tasks.kindAt(e.row, step), label: tasks.labelAt(e.row, step),
        causeTaskId: tasks.causeAt(e.row, step), scheduleStep: tasks.scheduleStepAt(e.row, step), runnableStep: e.step,
      })),
    ),
  }));
  const pendingTimers = cached(ctx, a, a.timers, (): readonly PendingTimer[] => {
    const list: PendingTimer[] = [...a.timers].map(([row, dueUs]) => ({
      taskId: tasks.taskIdOf(row), kind: tasks.kindAt(row, step), label: tasks.labelAt(row, step), causeTaskId: tasks.causeAt(row, step),
      scheduleStep: tasks.scheduleStepAt(row, step), delayUs: tasks.delayAt(row, step), dueUs, repeat: tasks.repeatAt(row, step),
    }));
    return list.sort((x, y) => x.dueUs - y.dueUs || x.scheduleStep - y.scheduleStep);
  });
  const pendingIo = cached(ctx, a, a.io, (): readonly PendingIo[] =>
    [...a.io].map((row) => ({ taskId: tasks.taskIdOf(row), label: tasks.labelAt(row, step), causeTaskId: tasks.causeAt(row, step), scheduleStep: tasks.scheduleStepAt(row, step) })),
  );
  const running = (e: RunningEntry): RunningTask => ({
    taskId: tasks.taskIdOf(e.row), kind: tasks.kindAt(e.row, step), label: tasks.labelAt(e.row, step), causeTaskId: tasks.causeAt(e.row, step),
    phase: e.phase, startStep: e.step, startTimeUs: e.timeUs,
  });
  const taskStack = a.tasks.map(running);
  return {
    id: a.id,
    name: trace.strings[a.name] ?? (a.id === 0 ? 'main' : `worker ${a.id}`),
    file: trace.strings[a.file] ?? '',
    parent: a.parent,
    alive: a.started && !a.ended,
    ended: a.ended,
    exitCode: a.exitCode,
    stack,
    suspended,
    queues,
    pendingTimers,
    pendingIo,
    currentTask: taskStack[taskStack.length - 1] ?? null,
    taskStack,
    phase: a.phase,
    inCheckpoint: a.inCheckpoint,
    statementFrameId: a.statement,
  };
}
