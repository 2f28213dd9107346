import { describe, expect, it } from 'vitest';
import { TraceBuilder } from './builder.ts';
import { replayFromStart, TraceModel } from './model.ts';
import type { AgentState } from './runtime-state.ts';
import {
  AtomicsOp, EndReason, EventKind as K, hostFrameId, LockOp, Phase, Queue, SuspendHow, TaskKind as T, TruncatedWhat,
} from './schema.ts';
import { batch, buildTrace, type EventRow, testHeader, userFrame, withClock, stepAfter as after } from './test-support.ts';

const H = {
  setTimeout: hostFrameId('setTimeout'),
  setInterval: hostFrameId('setInterval'),
  nextTick: hostFrameId('process.nextTick'),
  log: hostFrameId('console.log'),
  clearInterval: hostFrameId('clearInterval'),
};
const SCRIPT = 100;
const ARROW = 101;
const ASYNC_FN = 102;
const FRAMES = [
  { ...userFrame(SCRIPT, 'main.ts'), kind: 'script' as const },
  userFrame(ARROW, '(anonymous)', 3),
  userFrame(ASYNC_FN, 'load', 7, 'async'),
];


const main = (s: { agents: readonly AgentState[] }): AgentState => s.agents.find((a) => a.id === 0)!;
const ids = (tasks: readonly { taskId: number }[]): number[] => tasks.map((t) => t.taskId);

// console.log('start'); setTimeout(cb, 1); Promise.resolve().then(cb); process.nextTick(cb)
const EVENT_LOOP: EventRow[] = [
  [K.AgentStart, 0, -1, 'main', 'main.ts'],
  [K.TaskSchedule, 1, T.Script, 0, -1, 0],
  [K.TaskRunnable, 1],
  [K.TaskStart, 1, Phase.Main],
  [K.Enter, SCRIPT, 1],
  [K.Enter, H.log, 2],
  [K.Console, 0, 'start'],
  [K.Exit, 2],
  [K.Enter, H.setTimeout, 3],
  [K.TaskSchedule, 2, T.Timeout, 1000, 1, 0],
  [K.Exit, 3],
  [K.PromiseCreate, 1, -1],
  [K.PromiseSettle, 1, 1],
  [K.PromiseCreate, 2, 1],
  [K.TaskSchedule, 3, T.PromiseReaction, 0, 1, 0],
  [K.TaskRunnable, 3],
  [K.Enter, H.nextTick, 4],
  [K.TaskSchedule, 4, T.NextTick, 0, 1, 0],
  [K.TaskRunnable, 4],
  [K.Exit, 4],
  [K.Exit, 1],
  [K.TaskEnd, 1, 0],
  [K.MicrotaskCheckpoint, Phase.Main],
  [K.TaskStart, 4, Phase.Main],
  [K.Enter, ARROW, 5],
  [K.Console, 0, 'tick'],
  [K.Exit, 5],
  [K.TaskEnd, 4, 0],
  [K.TaskStart, 3, Phase.Main],
  [K.Console, 0, 'promise'],
  [K.PromiseSettle, 2, 1],
  [K.TaskEnd, 3, 0],
  [K.TaskRunnable, 2],
  [K.TaskStart, 2, Phase.Timers],
  [K.Console, 0, 'timeout'],
  [K.TaskEnd, 2, 0],
  [K.AgentEnd, 0, 0],
  [K.RunEnd, EndReason.Completed, ''],
];

describe('TraceModel: tasks and queues', () => {
  const rows = withClock(EVENT_LOOP, 0, 100);
  const trace = buildTrace(rows, FRAMES);
  const model = new TraceModel(trace, { snapshotEvery: 4 });

  it('keeps a timer pending (with its due time) until it expires, then queues it, then runs it', () => {
    const scheduled = after(rows, (r) => r[0] === K.TaskSchedule && r[1] === 2);
    const s = main(model.stateAt(scheduled));
    expect(s.pendingTimers).toEqual([{ taskId: 2, kind: T.Timeout, label: 'setTimeout', causeTaskId: 1, scheduleStep: scheduled - 1, delayUs: 1000, dueUs: trace.timeUs[scheduled - 1]! + 1000, repeat: false }]);
    expect(s.queues[Queue.Timers]!.tasks).toEqual([]);
    const runnable = after(rows, (r) => r[0] === K.TaskRunnable && r[1] === 2);
    const r = main(model.stateAt(runnable));
    expect(r.pendingTimers).toEqual([]);
    expect(ids(r.queues[Queue.Timers]!.tasks)).toEqual([2]);
    expect(r.queues[Queue.Timers]!.tasks[0]!.runnableStep).toBe(runnable - 1);
    const started = main(model.stateAt(runnable + 1));
    expect(started.queues[Queue.Timers]!.tasks).toEqual([]);
    expect(started.currentTask).toMatchObject({ taskId: 2, kind: T.Timeout, phase: Phase.Timers, label: 'setTimeout' });
    expect(started.phase).toBe(Phase.Timers);
    expect(started.inCheckpoint).toBe(false);
  });

  it('queues nextTick and promise reactions separately, in order, and drains them in a checkpoint', () => {
    const endOfScript = after(rows, (r) => r[0] === K.TaskEnd && r[1] === 1);
    const s = main(model.stateAt(endOfScript));
    expect(s.currentTask).toBeNull();
    expect(ids(s.queues[Queue.NextTick]!.tasks)).toEqual([4]);
    expect(ids(s.queues[Queue.Microtask]!.tasks)).toEqual([3]);
    expect(s.queues[Queue.Microtask]!.tasks[0]!.label).toBe('promise reaction');
    const checkpoint = main(model.stateAt(endOfScript + 1));
    expect(checkpoint.inCheckpoint).toBe(true);
    const tick = main(model.stateAt(endOfScript + 2));
    expect(tick.currentTask?.taskId).toBe(4);
    expect(tick.queues[Queue.NextTick]!.tasks).toEqual([]);
    expect(ids(tick.queues[Queue.Microtask]!.tasks)).toEqual([3]);
    const drained = main(model.stateAt(after(rows, (r) => r[0] === K.TaskEnd && r[1] === 3)));
    expect(drained.inCheckpoint).toBe(false);
    expect(drained.queues.every((q) => q.tasks.length === 0)).toBe(true);
  });

  it('shows the stack with host frame names, and the console so far', () => {
    const inLog = main(model.stateAt(after(rows, (r) => r[0] === K.Console)));
    expect(inLog.stack).toEqual([
      { frameId: SCRIPT, instanceId: 1, name: 'main.ts', host: false },
      { frameId: H.log, instanceId: 2, name: 'console.log', host: true },
    ]);
    const end = model.stateAt(trace.count);
    expect(end.console.map((l) => l.text)).toEqual(['start', 'tick', 'promise', 'timeout']);
    expect(end.runEnd).toEqual({ reason: EndReason.Completed, message: '', step: trace.count - 1 });
    expect(main(end)).toMatchObject({ name: 'main', file: 'main.ts', alive: false, ended: true, stack: [] });
    expect(end.promises).toEqual({ pending: 0, fulfilled: 2, rejected: 0, settled: 0, awaited: [] });
    expect(model.stateAt(3).console).toEqual([]);
  });

  it('indexes every task with its steps, times and cause', () => {
    const timer = model.tasks.get(0, 2)!;
    expect(timer).toMatchObject({ kind: T.Timeout, causeTaskId: 1, delayUs: 1000, phase: Phase.Timers, label: 'setTimeout' });
    expect(timer.scheduleStep).toBeLessThan(timer.runnableStep);
    expect(timer.runnableStep).toBeLessThan(timer.startStep);
    expect(timer.startStep).toBeLessThan(timer.endStep);
    expect(timer.endTimeUs).toBeGreaterThan(timer.startTimeUs);
    expect(model.tasks.cause(0, 2)?.kind).toBe(T.Script);
    expect(timer.causeStep).toBe(timer.scheduleStep);
    expect(model.tasks.size).toBe(4);
    expect(model.tasks.runCount).toBe(4);
    expect(model.tasks.get(0, 99)).toBeUndefined();
  });
});

describe('TraceModel: intervals', () => {
  const rows = withClock([
    [K.TaskSchedule, 1, T.Script, 0, -1, 0], [K.TaskStart, 1, Phase.Main],
    [K.TaskSchedule, 5, T.Interval, 500, 1, 1],
    [K.TaskEnd, 1, 0],
    [K.TaskRunnable, 5], [K.TaskStart, 5, Phase.Timers], [K.TaskLabel, 5, 'poll the server'], [K.TaskEnd, 5, 0],
    [K.TaskRunnable, 5], [K.TaskStart, 5, Phase.Timers],
    [K.Enter, H.clearInterval, 9], [K.TaskCancel, 5], [K.Exit, 9],
    [K.TaskEnd, 5, 0],
  ], 0, 100);
  const trace = buildTrace(rows);
  const model = new TraceModel(trace);

  it('makes an interval pending again after each run, due at its start + delay, until cleared', () => {
    const firstEnd = after(rows, (r) => r[0] === K.TaskEnd && r[1] === 5);
    const firstStart = after(rows, (r) => r[0] === K.TaskStart && r[1] === 5);
    const s = main(model.stateAt(firstEnd));
    expect(s.pendingTimers).toHaveLength(1);
    expect(s.pendingTimers[0]).toMatchObject({ taskId: 5, repeat: true, delayUs: 500, label: 'poll the server', dueUs: trace.timeUs[firstStart - 1]! + 500 });
    const running = main(model.stateAt(firstEnd + 2));
    expect(running.pendingTimers).toEqual([]);
    expect(running.currentTask?.taskId).toBe(5);
    expect(main(model.stateAt(trace.count)).pendingTimers).toEqual([]);
    expect(main(model.stateAt(firstStart)).currentTask?.label).toBe('setInterval'); // labelled one event later
  });

  it('records each run of the interval in the task index', () => {
    const info = model.tasks.get(0, 5)!;
    expect(info.runs).toHaveLength(2);
    expect(info.runs.map((r) => r.phase)).toEqual([Phase.Timers, Phase.Timers]);
    expect(info.runs[1]!.runnableStep).toBeGreaterThan(info.runs[0]!.endStep);
    expect(info.cancelStep).toBeGreaterThan(info.runs[1]!.startStep);
  });
});

describe('TraceModel: reused lists', () => {
  it('shows a label that arrives after its task was queued, and not before, whatever the seek order', () => {
    const rows = withClock([
      [K.TaskSchedule, 2, T.Timeout, 5000, 1, 0],
      [K.TaskSchedule, 3, T.Immediate, 0, 1, 0], [K.TaskRunnable, 3],
      [K.Enter, ARROW, 1], [K.Exit, 1], [K.Enter, ARROW, 2], [K.Exit, 2],
      [K.TaskLabel, 2, 'retry timer'], [K.TaskLabel, 3, 'flush'],
      [K.Enter, ARROW, 3], [K.Exit, 3], [K.Enter, ARROW, 4], [K.Exit, 4],
    ]);
    const trace = buildTrace(rows);
    const model = new TraceModel(trace, { snapshotEvery: 2 });
    const labels = (step: number) => {
      const a = main(model.stateAt(step));
      return [a.pendingTimers[0]!.label, a.queues[Queue.Check]!.tasks[0]!.label];
    };
    const labelled = after(rows, (r) => r[0] === K.TaskLabel, 1);
    for (const step of [trace.count, labelled - 2, trace.count - 1, 4, labelled, labelled - 1]) {
      expect(labels(step), `step ${step}`).toEqual(step >= labelled ? ['retry timer', 'flush'] : step === labelled - 1 ? ['retry timer', 'setImmediate'] : ['setTimeout', 'setImmediate']);
    }
  });
});

describe('TraceModel: call stack, async functions', () => {
  const rows = withClock([
    [K.Enter, SCRIPT, 1],
    [K.Enter, ASYNC_FN, 2],
    [K.PromiseCreate, 7, -1],
    [K.Suspend, 2, ASYNC_FN, 7, SuspendHow.Await],
    [K.Exit, 1],
    [K.PromiseSettle, 7, 2],
    [K.TaskStart, 8, Phase.Main],
    [K.Resume, 2, ASYNC_FN, SuspendHow.Await],
    [K.Enter, ARROW, 3],
    [K.Enter, ARROW, 4],
    [K.Exit, 3], // mismatched: pops 4 and 3
    [K.Exit, 42], // unknown: ignored
    [K.Exit, 2],
    [K.TaskEnd, 8, 0],
  ]);
  const trace = buildTrace(rows, FRAMES);
  const model = new TraceModel(trace, { snapshotEvery: 3 });
  const stackAt = (step: number): number[] => main(model.stateAt(step)).stack.map((f) => f.instanceId);

  it('pushes on Enter, pops on Exit, parks at await and comes back on top at resume', () => {
    const suspended = after(rows, (r) => r[0] === K.Suspend);
    expect(stackAt(suspended - 1)).toEqual([1, 2]);
    expect(stackAt(suspended)).toEqual([1]);
    const parked = main(model.stateAt(suspended));
    expect(parked.suspended).toEqual([{ instanceId: 2, frameId: ASYNC_FN, name: 'load', awaitedPromiseId: 7, promise: 'pending', how: 'await', step: suspended - 1 }]);
    expect(model.stateAt(suspended).promises).toMatchObject({ pending: 1, awaited: [{ agent: 0, promiseId: 7, status: 'pending' }] });
    const rejected = after(rows, (r) => r[0] === K.PromiseSettle);
    expect(main(model.stateAt(rejected)).suspended[0]!.promise).toBe('rejected');
    expect(stackAt(rejected)).toEqual([]);
    const resumed = after(rows, (r) => r[0] === K.Resume);
    expect(stackAt(resumed)).toEqual([2]);
    expect(main(model.stateAt(resumed)).suspended).toEqual([]);
  });

  it('tolerates mismatched exits: pops down to the matching instance, ignores unknown ones', () => {
    const mismatched = after(rows, (r) => r[0] === K.Exit && r[1] === 3);
    expect(stackAt(mismatched - 1)).toEqual([2, 3, 4]);
    expect(stackAt(mismatched)).toEqual([2]);
    expect(stackAt(mismatched + 1)).toEqual([2]);
    expect(stackAt(trace.count)).toEqual([]);
  });

  it('steps backward as well as forward to the same states', () => {
    const forward = Array.from({ length: trace.count + 1 }, (_, s) => model.stateAt(s));
    const fresh = new TraceModel(trace, { snapshotEvery: 3 });
    for (let s = trace.count; s >= 0; s--) expect(fresh.stateAt(s)).toEqual(forward[s]);
  });
});

describe('TraceModel: shared memory, locks, workers', () => {
  const BUF = (1 << 20) | 1;
  const b0 = (rows: EventRow[]) => batch(0, withClock(rows, 0, 10));
  const b1 = (rows: EventRow[]) => batch(1, withClock(rows, 5, 10));
  const trace = buildTrace([
    b0([
      [K.AgentStart, 0, -1, 'main', 'main.ts'],
      [K.WorkerSpawn, 1, 'worker.ts'],
      [K.SharedBuffer, BUF, 16, 4],
      [K.Atomics, AtomicsOp.Store, BUF, 0, 5, 5, 0],
      [K.Atomics, AtomicsOp.Add, BUF, 0, 2, 5, 0],
      [K.MessagePost, 7, 1],
    ]),
    b1([
      [K.AgentStart, 1, 0, 'worker 1', 'worker.ts'],
      [K.SharedBuffer, BUF, 16, 4],
      [K.TaskSchedule, 3, T.Message, 0, -1, 0], [K.TaskRunnable, 3], [K.MessageReceive, 7, 3], [K.TaskStart, 3, Phase.Poll],
      [K.Atomics, AtomicsOp.CompareExchange, BUF, 0, 9, 7, 7],
      [K.Atomics, AtomicsOp.CompareExchange, BUF, 0, 1, 9, 3],
      [K.Atomics, AtomicsOp.Wait, BUF, 1, 0, 0, -1],
    ]),
    b0([
      [K.Atomics, AtomicsOp.Notify, BUF, 1, -1, 0, 1],
    ]),
    b1([
      [K.Atomics, AtomicsOp.WaitDone, BUF, 1, 0, 0, 0],
      [K.TaskEnd, 3, 0],
      [K.AgentEnd, 1, 0],
    ]),
    b0([
      [K.WorkerExit, 1, 0],
    ]),
  ]);
  const model = new TraceModel(trace, { snapshotEvery: 2 });
  const stepAfter = (pred: (kind: number, a: number[]) => boolean): number => {
    for (let i = 0; i < trace.count; i++) {
      const p = trace.argStart[i]!;
      if (pred(trace.kind[i]!, Array.from(trace.args.subarray(p, p + 6)))) return i + 1;
    }
    throw new Error('not found');
  };

  it('tracks Atomics cell values, the last op on each cell, and who waits where', () => {
    const added = model.stateAt(stepAfter((k, a) => k === K.Atomics && a[0] === AtomicsOp.Add)).sharedBuffers[0]!;
    expect(added).toMatchObject({ bufferId: BUF, byteLength: 16, elementSize: 4, length: 4 });
    expect(added.cells).toEqual([{ index: 0, value: 7, text: '7', op: AtomicsOp.Add, agent: 0, step: expect.any(Number), writer: 0, writerTask: -1, writerStep: expect.any(Number) }]);
    const swapped = model.stateAt(stepAfter((k, a) => k === K.Atomics && a[0] === AtomicsOp.CompareExchange));
    expect(swapped.sharedBuffers[0]!.cells[0]).toMatchObject({ value: 9, agent: 1 });
    const waiting = model.stateAt(stepAfter((k, a) => k === K.Atomics && a[0] === AtomicsOp.Wait)).sharedBuffers[0]!;
    expect(waiting.cells[0]!.value).toBe(9); // the failed compareExchange left it alone
    expect(waiting.waiters).toEqual([{ agent: 1, index: 1, step: expect.any(Number) }]);
    const notified = model.stateAt(stepAfter((k, a) => k === K.Atomics && a[0] === AtomicsOp.Notify)).sharedBuffers[0]!;
    expect(notified.waiters).toHaveLength(1); // still blocked until its wait returns
    const woken = model.stateAt(stepAfter((k, a) => k === K.Atomics && a[0] === AtomicsOp.WaitDone)).sharedBuffers[0]!;
    expect(woken.waiters).toEqual([]);
  });

  it('follows workers and messages in flight', () => {
    const posted = model.stateAt(stepAfter((k) => k === K.MessagePost));
    expect(posted.messagesInFlight).toEqual([{ messageId: 7, from: 0, target: 1, step: expect.any(Number), timeUs: expect.any(Number) }]);
    expect(posted.workers).toEqual([{ agentId: 1, parent: 0, file: 'worker.ts', spawnStep: 1, status: 'starting', exitCode: null }]);
    const received = model.stateAt(stepAfter((k) => k === K.MessageReceive));
    expect(received.messagesInFlight).toEqual([]);
    expect(received.workers[0]!.status).toBe('running');
    expect(received.agents.map((a) => [a.id, a.name, a.alive])).toEqual([[0, 'main', true], [1, 'worker 1', true]]);
    const end = model.stateAt(trace.count);
    expect(end.workers[0]).toMatchObject({ status: 'exited', exitCode: 0 });
    expect(end.agents[1]!.alive).toBe(false);
    expect(model.tasks.get(1, 3)!.causeStep).toBe(stepAfter((k) => k === K.MessagePost) - 1);
  });

  it('ignores worker events naming no possible thread (the run process is not trusted: a forged id would be a lane)', () => {
    const forged = new TraceModel(buildTrace([batch(0, withClock([
      [K.AgentStart, 0, -1, 'main', 'main.ts'],
      [K.WorkerSpawn, 0, 'main.ts'], [K.WorkerSpawn, 256, 'w.js'], [K.WorkerSpawn, -5, 'w.js'], [K.WorkerSpawn, 1e9, 'w.js'],
      [K.WorkerExit, 300, 1], [K.WorkerSpawn, 255, 'w.js'],
    ], 0, 10))]));
    expect(forged.stateAt(Infinity).workers.map((w) => w.agentId)).toEqual([255]);
  });

  it('lists lock holders and waiters in order', () => {
    const rows = withClock([
      [K.LockDefine, 1, 'db mutex', 1],
      [K.TaskStart, 10, Phase.Main], [K.Lock, 1, LockOp.Request, 0, 1], [K.Lock, 1, LockOp.Acquired, 1, 0], [K.TaskEnd, 10, 0],
      [K.TaskStart, 11, Phase.Main], [K.Lock, 1, LockOp.Request, 1, 1], [K.TaskEnd, 11, 0],
      [K.TaskStart, 12, Phase.Main], [K.Lock, 1, LockOp.Request, 1, 2], [K.TaskEnd, 12, 0],
      [K.TaskStart, 13, Phase.Main], [K.Lock, 1, LockOp.Release, 0, 2], [K.Lock, 1, LockOp.Acquired, 1, 1], [K.TaskEnd, 13, 0],
    ]);
    const t = buildTrace(rows);
    const m = new TraceModel(t);
    const who = (step: number) => {
      const l = m.stateAt(step).locks[0]!;
      return { name: l.name, capacity: l.capacity, holders: l.holders.map((h) => h.taskId), waiters: l.waiters.map((w) => w.taskId) };
    };
    expect(who(after(rows, (r) => r[0] === K.Lock && r[2] === LockOp.Acquired))).toEqual({ name: 'db mutex', capacity: 1, holders: [10], waiters: [] });
    expect(who(after(rows, (r) => r[0] === K.Lock && r[2] === LockOp.Request, 2))).toEqual({ name: 'db mutex', capacity: 1, holders: [10], waiters: [11, 12] });
    expect(who(after(rows, (r) => r[0] === K.Lock && r[2] === LockOp.Release))).toEqual({ name: 'db mutex', capacity: 1, holders: [], waiters: [11, 12] });
    expect(who(t.count)).toEqual({ name: 'db mutex', capacity: 1, holders: [11], waiters: [12] });
  });
});

describe('TraceModel: errors, truncation, end', () => {
  it('reports errors, truncation flags and the run end when reached', () => {
    const rows = withClock([
      [K.Console, 1, 'warn'],
      [K.Truncated, TruncatedWhat.Console],
      [K.Error, 0, 'Error: boom', 'Error: boom\n    at main.ts:3'],
    ]);
    const builder = new TraceBuilder(testHeader());
    builder.append(batch(0, rows));
    const model = new TraceModel(builder.trace);
    const s = model.stateAt(3);
    expect(s.errors).toEqual([{ agent: 0, kind: 0, message: 'Error: boom', stack: 'Error: boom\n    at main.ts:3', step: 2 }]);
    expect(s.truncated).toEqual({ console: true, events: false, workers: false, channels: false });
    expect(s.runEnd).toBeNull();
    expect(model.stateAt(1).truncated.console).toBe(false);
    builder.finish({ reason: EndReason.Timeout, message: 'Stopped after 10000 ms', exitCode: 1, events: 3, durationMs: 10_000 });
    expect(model.stateAt(3).runEnd).toEqual({ reason: EndReason.Timeout, message: 'Stopped after 10000 ms', step: 3 });
    expect(model.stateAt(2).runEnd).toBeNull();
  });

  it('clamps steps outside 0 … count', () => {
    const trace = buildTrace(withClock([[K.Console, 0, 'a']]));
    const model = new TraceModel(trace);
    expect(model.stateAt(-5).step).toBe(0);
    expect(model.stateAt(99).step).toBe(1);
    expect(model.stateAt(Number.NaN).step).toBe(0);
    expect(model.stateAt(0)).toEqual(replayFromStart(trace, 0));
  });
});

describe('TraceModel: messages in flight', () => {
  it('a message received before its post event arrived is never in flight; messages to an ended agent leave', async () => {
    const { AgentScript, buildScripted, scriptHeader } = await import('../scene/scripted-trace.ts');
    // the worker's batch is applied first: it receives main's message 1 before main's post of it is applied
    const worker = new AgentScript(1).time(5).ev(K.MessageReceive, 1, -1).ev(K.MessagePost, (1 << 20) | 1, 0).flush();
    const main = new AgentScript(0)
      .time(0).ev(K.RunStart, 0).ev(K.AgentStart, 0, -1, 'main', 'main.ts')
      .time(1).ev(K.MessagePost, 1, 1) // received by the worker in a batch applied earlier
      .time(2).ev(K.MessagePost, 2, 1) // never received: worker 1 ends
      .time(9).ev(K.MessageReceive, (1 << 20) | 1, -1)
      .flush();
    const end = new AgentScript(0).time(10).ev(K.AgentEnd, 1, 0).flush();
    const trace = buildScripted(scriptHeader(), [...worker.batches, ...main.batches, ...end.batches], null);
    const model = new TraceModel(trace);
    const inFlight = (step: number): number[] => model.stateAt(step).messagesInFlight.map((m) => m.messageId);
    const after = (kind: number, arg0: number): number => {
      for (let i = 0; i < trace.count; i++) if (trace.kind[i] === kind && trace.args[trace.argStart[i]!] === arg0) return i + 1;
      throw new Error('no such event');
    };
    expect(inFlight(after(K.MessagePost, (1 << 20) | 1))).toEqual([(1 << 20) | 1]); // the reply is on its way
    expect(inFlight(after(K.MessagePost, 1))).toEqual([(1 << 20) | 1]); // message 1 was already received
    expect(inFlight(after(K.MessagePost, 2))).toEqual([(1 << 20) | 1, 2]);
    expect(inFlight(after(K.MessageReceive, (1 << 20) | 1))).toEqual([2]);
    expect(inFlight(trace.count)).toEqual([]); // worker 1 ended: message 2 will never arrive
  });
});
