/**
 * The reducer: applies one trace event to the model's working state.
 *
 * Invariants:
 * - `applyEvent(state, trace, tasks, i)` depends only on the state, event i and index facts gated on steps < i
 *   (TaskIndex.kindAt & co.), so replaying from any snapshot gives exactly what replaying from 0 gives.
 * - Writes go through the state's copy-on-write accessors (`…W()`), never straight into a container.
 * - Untrusted traces: any event order is tolerated (an Exit for a frame not on the stack is ignored, a Resume
 *   of something never suspended pushes it anyway, counts from Lock events win over our bookkeeping, …);
 *   nothing here throws on odd input and no input makes it allocate more than a small bound per event.
 */
import type { Trace } from './builder.ts';
import { MAX_LOST, WATCH_HISTORY, type MessageInFlight } from './runtime-state.ts';
import { applyAtomics, applySharedStore, applySharedView, applySharedWrite } from './apply-shared-memory.ts';
import { HOST_FRAMES, isMicro, isPortMessage, LockOp, Phase, portMessageEnd, Queue, queueOf, TaskKind } from './schema.ts';
import { byKind, type PerKind } from './event-kinds.ts';
import type { TaskIndex } from './task-index.ts';
import { RECEIVED_EARLY, type AgentWork, type LockPartyWork, type QueueEntry, type WorkState } from './work-state.ts';

/** A hostile trace must not make us build huge lists from a count. */
const MAX_PADDED_PARTIES = 1024;

/** What the model does with one event kind: `args[p …]` are the event's args, `timeUs` its time. */
type ApplyHandler = (s: WorkState, trace: Trace, tasks: TaskIndex, i: number, agentId: number, args: Int32Array, p: number, timeUs: number) => void;

/** Applies event `i` (which must equal `s.step`) of `trace` to `s`. The task index must cover it. */
export function applyEvent(s: WorkState, trace: Trace, tasks: TaskIndex, i: number): void {
  const kind = trace.kind[i]!;
  const agentId = trace.agent[i]!;
  const p = trace.argStart[i]!;
  const args = trace.args;
  const timeUs = trace.timeUs[i]!;
  s.step = i + 1;
  HANDLERS[kind]?.(s, trace, tasks, i, agentId, args, p, timeUs);
}

export const APPLY_EVENT: PerKind<ApplyHandler> = {
  Time: null,
  RunStart: null,
  RunEnd: (s, _trace, _tasks, i) => {
    if (s.runEnd < 0) s.runEnd = i;
  },
  AgentStart: (s, _trace, _tasks, _i, agentId, args, p) => {
    // The host writes AgentStart/AgentEnd of workers in its own (agent 0) batches: the arg names the agent.
    const id = validAgent(args[p]!, agentId);
    const a = s.agent(id);
    a.started = true;
    a.parent = args[p + 1]!;
    a.name = args[p + 2]!;
    a.file = args[p + 3]!;
    const w = s.workers.get(id);
    if (w && w.status === 'starting') s.workersW().set(id, { ...w, status: 'running' });
  },
  AgentEnd: (s, _trace, _tasks, i, agentId, args, p) => {
    const id = validAgent(args[p]!, agentId);
    const a = s.agent(id);
    a.ended = true;
    a.exitCode = args[p + 1]!;
    const w = s.workers.get(id);
    if (w && w.status !== 'exited') s.workersW().set(id, { ...w, status: 'exited', exitCode: args[p + 1]! });
    // messages to an agent that ended will never be received: they are no longer in flight, they are lost
    for (const [mid, m] of s.messages) if (m.target === id) lose(s, mid, m, i, 'receiver ended');
  },
  Enter: (s, _trace, _tasks, _i, agentId, args, p) => {
    const a = s.agent(agentId);
    a.stackW();
    a.frames.push(args[p]!);
    a.instances.push(args[p + 1]!);
  },
  Exit: (s, _trace, _tasks, _i, agentId, args, p) => {
    const a = s.agent(agentId);
    popTo(a, a.instances.lastIndexOf(args[p]!));
  },
  Suspend: (s, _trace, _tasks, i, agentId, args, p) => {
    const a = s.agent(agentId);
    const inst = args[p]!;
    const at = a.instances.lastIndexOf(inst);
    const frameId = args[p + 1]! < 0 && at >= 0 ? a.frames[at]! : args[p + 1]!;
    popTo(a, at);
    const parked = a.suspendedW();
    parked.delete(inst); // re-inserted last: `suspended` lists them in the order they left the stack
    parked.set(inst, { instanceId: inst, frameId, promiseId: args[p + 2]!, how: args[p + 3]!, step: i });
  },
  Resume: (s, _trace, _tasks, _i, agentId, args, p) => {
    const a = s.agent(agentId);
    const inst = args[p]!;
    const parked = a.suspended.get(inst);
    if (parked) a.suspendedW().delete(inst);
    if (a.instances.lastIndexOf(inst) >= 0) return;
    a.stackW();
    a.frames.push(args[p + 1]! >= 0 ? args[p + 1]! : (parked?.frameId ?? -1));
    a.instances.push(inst);
  },
  Statement: (s, _trace, _tasks, _i, agentId, args, p) => {
    s.agent(agentId).statement = args[p]!;
  },
  TaskSchedule: (s, _trace, tasks, i, agentId, args, p, timeUs) => {
    const row = tasks.rowOf(agentId, args[p]!);
    if (row < 0 || tasks.scheduleStepOf(row) !== i) return; // a repeated schedule of a known id changes nothing
    const a = s.agent(agentId);
    const taskKind = args[p + 1]!;
    if (taskKind === TaskKind.Timeout || taskKind === TaskKind.Interval) a.timersW().set(row, timeUs + Math.max(0, args[p + 2]!));
    else if (taskKind === TaskKind.Io) a.ioW().add(row);
  },
  TaskRunnable: (s, _trace, tasks, i, agentId, args, p) => {
    const row = tasks.rowOf(agentId, args[p]!);
    if (row < 0 || tasks.cancelledBefore(row, i)) return;
    const a = s.agent(agentId);
    unpend(a, row);
    const taskKind = tasks.kindAt(row, i);
    if (taskKind >= 0) a.queueW(queueOf(taskKind as TaskKind)).push({ row, step: i });
  },
  TaskStart: (s, _trace, tasks, i, agentId, args, p, timeUs) => {
    const row = tasks.rowOf(agentId, args[p]!);
    if (row < 0) return;
    const a = s.agent(agentId);
    const phase = args[p + 1]!;
    const taskKind = tasks.kindAt(row, i);
    if (taskKind >= 0) dequeue(a, queueOf(taskKind as TaskKind), row);
    unpend(a, row);
    a.tasksW().push({ row, phase, step: i, timeUs });
    if (phase >= Phase.Main && phase <= Phase.Close) a.phase = phase;
    if (taskKind >= 0 && !isMicro(taskKind as TaskKind) && taskKind !== TaskKind.Emit) a.inCheckpoint = false;
  },
  TaskEnd: (s, _trace, tasks, i, agentId, args, p) => {
    const row = tasks.rowOf(agentId, args[p]!);
    if (row < 0) return;
    const a = s.agent(agentId);
    let at = a.tasks.length - 1;
    while (at >= 0 && a.tasks[at]!.row !== row) at--;
    const run = a.tasks[at];
    if (at >= 0) a.tasksW().length = at;
    const taskKind = tasks.kindAt(row, i);
    // An interval is pending again after each run, due one delay after that run started.
    if (run && taskKind === TaskKind.Interval && !tasks.cancelledBefore(row, i)) a.timersW().set(row, run.timeUs + tasks.delayAt(row, i));
    if (a.inCheckpoint && isMicro(taskKind as TaskKind) && a.tasks.length === 0 && a.queues[Queue.NextTick]!.length === 0 && a.queues[Queue.Microtask]!.length === 0) {
      a.inCheckpoint = false; // both microtask queues drained
    }
  },
  TaskCancel: (s, _trace, tasks, i, agentId, args, p) => {
    const row = tasks.rowOf(agentId, args[p]!);
    if (row < 0) return;
    const a = s.agent(agentId);
    unpend(a, row);
    const taskKind = tasks.kindAt(row, i);
    if (taskKind >= 0) dequeue(a, queueOf(taskKind as TaskKind), row);
  },
  MicrotaskCheckpoint: (s, _trace, _tasks, _i, agentId, args, p) => {
    const a = s.agent(agentId);
    a.inCheckpoint = true;
    const phase = args[p]!;
    if (phase >= Phase.Main && phase <= Phase.Close) a.phase = phase;
  },
  PromiseCreate: (s) => {
    s.promisesCreated++;
  },
  PromiseSettle: (s, _trace, _tasks, _i, _agentId, args, p) => {
    const state = args[p + 1]!;
    if (state === 1) s.fulfilled++;
    else if (state === 2) s.rejected++;
    else s.settled++;
  },
  Console: (s) => {
    s.consoleCount++;
  },
  WorkerSpawn: (s, _trace, _tasks, i, agentId, args, p) => {
    // A worker is an agent (1–255): a forged id names no thread, and would be drawn as one more starting lane.
    const child = validAgent(args[p]!, 0);
    if (child === 0) return;
    s.workersW().set(child, { agentId: child, parent: agentId, file: args[p + 1]!, spawnStep: i, status: 'starting', exitCode: null });
  },
  WorkerExit: (s, _trace, _tasks, _i, agentId, args, p) => {
    const child = validAgent(args[p]!, 0);
    if (child === 0) return;
    const w = s.workers.get(child) ?? { agentId: child, parent: agentId, file: -1, spawnStep: -1, status: 'exited' as const, exitCode: null };
    s.workersW().set(child, { ...w, status: 'exited', exitCode: args[p + 1]! });
  },
  MessagePost: (s, _trace, _tasks, i, agentId, args, p, timeUs) => {
    const id = args[p]!;
    // Agents' batches interleave in arrival order, so the receiver's event can come first: then the message was
    // already delivered and is not in flight (its receipt left a tombstone to cancel this post).
    if (s.messages.get(id)?.target === RECEIVED_EARLY) s.messagesW().delete(id);
    else {
      const m = { messageId: id, from: agentId, target: args[p + 1]!, step: i, timeUs };
      // Posted as its receiver's thread ended (a BroadcastChannel post that counted a worker's instance just before
      // the worker's exit was seen): it will never be received.
      if (m.target >= 0 && s.agents[m.target]?.ended) lose(s, id, m, i, 'receiver ended');
      else s.messagesW().set(id, m);
    }
  },
  MessageReceive: (s, _trace, _tasks, i, _agentId, args, p, timeUs) => {
    const id = args[p]!;
    if (id < 0) return; // not a traced message
    if (s.messages.has(id)) s.messagesW().delete(id);
    else s.messagesW().set(id, { messageId: id, from: -1, target: RECEIVED_EARLY, step: i, timeUs });
  },
  Atomics: (s, _trace, tasks, i, agentId, args, p) => {
    applyAtomics(s, tasks, agentId, args, p, i);
  },
  SharedBuffer: (s, _trace, _tasks, _i, _agentId, args, p) => {
    const id = args[p]!;
    const known = s.buffers.get(id);
    if (known && known.byteLength >= 0) return; // a buffer another agent received keeps its first description
    const b = s.bufferW(id);
    b.byteLength = Math.max(0, args[p + 1]!);
    if (b.elementType < 0) b.elementSize = Math.max(1, args[p + 2]!); // a view's type, once announced, decides the cells
  },
  LockDefine: (s, _trace, _tasks, _i, agentId, args, p) => {
    const lockId = args[p]!;
    const key = lockKey(agentId, lockId);
    const old = s.locks.get(key);
    s.locksW().set(key, { agent: agentId, lockId, name: args[p + 1]!, capacity: args[p + 2]!, holders: old?.holders ?? [], waiters: old?.waiters ?? [], grants: old?.grants ?? 0, direct: old?.direct ?? null });
  },
  Lock: (s, _trace, tasks, i, agentId, args, p) => {
    applyLock(s, tasks, agentId, args, p, i);
  },
  Error: (s) => {
    s.errorCount++;
  },
  Truncated: (s, _trace, _tasks, _i, _agentId, args, p) => {
    const what = args[p]!;
    if (what >= 0 && what < 31) s.truncated |= 1 << what;
  },
  Signal: null,
  TaskLabel: (s, _trace, _tasks, _i, agentId) => {
    s.agent(agentId).labelVersion++; // the label itself is in the task index
  },
  Value: (s, _trace, _tasks, i, agentId, args, p) => {
    const name = args[p]!;
    const old = s.values.get(name);
    const history = old ? (old.history.length < WATCH_HISTORY ? [...old.history, old.value] : [...old.history.slice(1), old.value]) : [];
    s.valuesW().set(name, { value: args[p + 1]!, agent: agentId, step: i, history });
  },
  SharedView: (s, _trace, _tasks, _i, _agentId, args, p) => applySharedView(s, args, p),
  SharedWrite: (s, _trace, tasks, i, agentId, args, p) => applySharedWrite(s, tasks, agentId, args, p, i),
  SharedStore: (s, _trace, tasks, i, agentId, args, p) => applySharedStore(s, tasks, agentId, args, p, i),
  PortClose: (s, _trace, _tasks, i, agentId, args, p) => {
    const peer = args[p]!;
    for (const [mid, m] of s.messages) {
      if (m.target === RECEIVED_EARLY) continue;
      if (isPortMessage(mid)) continue; // a MessageChannel's (ChannelClose)
      if (peer >= 0 ? m.target === agentId && m.from === peer : m.target === -1 && m.from === agentId) lose(s, mid, m, i, 'port closed');
    }
  },
  ChannelClose: (s, _trace, _tasks, i, _agentId, args, p) => {
    // Messages to the closed end, i.e. posted by its peer, will never be received.
    const peer = args[p]! ^ 1;
    for (const [mid, m] of s.messages) if (m.target !== RECEIVED_EARLY && isPortMessage(mid) && portMessageEnd(mid) === peer) lose(s, mid, m, i, 'port closed');
  },
  LockReleasing: (s, _trace, _tasks, _i, agentId, args, p) => {
    const a = s.agent(agentId);
    a.releasingLock = args[p]!;
    a.releasingGrant = args[p + 1]!;
  },
  AtomicsElement: (s, _trace, _tasks, _i, agentId, _args, p) => {
    s.agent(agentId).atomicsElementAt = p; // read by this agent's next Atomics event
  },
  LockCaller: (s, _trace, _tasks, _i, agentId, args, p) => {
    const a = s.agent(agentId);
    a.callerLock = args[p]!;
    a.callerArgs = args[p + 1]!;
  },
};
const HANDLERS = byKind(APPLY_EVENT);

function validAgent(id: number, fallback: number): number {
  return Number.isInteger(id) && id >= 0 && id <= 255 ? id : fallback;
}

/** Pops the stack down to (and including) position `at`; nothing when `at` < 0. */
function popTo(a: AgentWork, at: number): void {
  if (at < 0) return;
  a.stackW();
  a.frames.length = at;
  a.instances.length = at;
}

function unpend(a: AgentWork, row: number): void {
  if (a.timers.has(row)) a.timersW().delete(row);
  if (a.io.has(row)) a.ioW().delete(row);
}

function dequeue(a: AgentWork, queue: number, row: number): void {
  const q: readonly QueueEntry[] = a.queues[queue]!;
  const at = q[0]?.row === row ? 0 : q.findIndex((e) => e.row === row);
  if (at < 0) return;
  if (at === 0) a.queueW(queue).shift();
  else a.queueW(queue).splice(at, 1);
}

function lose(s: WorkState, id: number, m: MessageInFlight, step: number, why: 'port closed' | 'receiver ended'): void {
  s.messagesW().delete(id);
  const lost = s.lostW();
  if (lost.length >= MAX_LOST) lost.shift();
  lost.push({ ...m, lostStep: step, why });
}

/** The innermost lesson function on the agent's stack (host frames have the first ids), -1 when none. */
function lessonFrame(frames: readonly number[]): number {
  for (let k = frames.length - 1; k >= 0; k--) if (frames[k]! >= HOST_FRAMES.length) return frames[k]!;
  return -1;
}

function lockKey(agent: number, lockId: number): number {
  return agent * 4294967296 + (lockId >>> 0);
}

function applyLock(s: WorkState, tasks: TaskIndex, agent: number, args: Int32Array, p: number, i: number): void {
  const lockId = args[p]!;
  const key = lockKey(agent, lockId);
  const old = s.locks.get(key) ?? { agent, lockId, name: -1, capacity: 1, holders: [], waiters: [], grants: 0 };
  const a = s.agent(agent);
  const top = a.tasks[a.tasks.length - 1];
  const op = args[p + 1]!;
  // The arguments a LockCaller announced belong to this agent's next Request of that lock.
  const callArgs = op === LockOp.Request && a.callerLock === lockId ? a.callerArgs : -1;
  if (op === LockOp.Request) a.callerLock = a.callerArgs = -1;
  // Which grant a Release gives back, when a LockReleasing said so.
  const releasing = op === LockOp.Release && a.releasingLock === lockId ? a.releasingGrant : -1;
  if (op === LockOp.Release) a.releasingLock = a.releasingGrant = -1;
  const me: LockPartyWork = { agent, taskId: top ? tasks.taskIdOf(top.row) : -1, frameId: lessonFrame(a.frames), args: callArgs, grant: -1, step: i };
  let holders = old.holders.slice();
  let waiters = old.waiters.slice();
  let grants = old.grants;
  let direct = old.direct ?? null;
  if (op === LockOp.Request) waiters.push(me);
  else if (op === LockOp.Acquired) {
    // Granted in a later task (a promise reaction): the holder is whoever asked first.
    const asked = waiters.shift();
    grants++;
    holders.push({ ...(asked ?? me), grant: grants, step: i });
  } else if (op === LockOp.Release) {
    // A direct release() names no grant: with one holder it is that one; with more, which one is not defined
    // (async-mutex counts permits, not owners) and the oldest is shown leaving, the state saying it is a guess.
    if (releasing === 0) {
      if (holders.length > 1) direct = { step: i, shown: holders[0]! };
      holders.shift();
    }
    let at = releasing > 0 ? holders.findIndex((h) => h.grant === releasing) : -1;
    if (releasing > 0 && at < 0) at = holders.length; // its holder was shown leaving at a direct release already
    if (releasing < 0) { // an older trace: guessed
      if (at < 0) at = holders.findIndex((h) => h.agent === me.agent && h.taskId === me.taskId);
      if (at < 0) at = holders.findIndex((h) => h.agent === me.agent);
    }
    if (releasing !== 0) holders.splice(Math.max(at, 0), 1);
  }
  // The event's counts are the truth; our lists only say who.
  holders = reconcile(holders, args[p + 2]!, agent, i);
  waiters = reconcile(waiters, args[p + 3]!, agent, i);
  s.locksW().set(key, { ...old, holders, waiters, grants, direct });
}

function reconcile(list: LockPartyWork[], count: number, agent: number, step: number): LockPartyWork[] {
  if (count < 0) return list;
  if (list.length > count) return list.slice(list.length - count);
  const want = Math.min(count, MAX_PADDED_PARTIES);
  while (list.length < want) list.push({ agent, taskId: -1, frameId: -1, args: -1, grant: -1, step });
  return list;
}
