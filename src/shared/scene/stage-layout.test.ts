import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TraceModel } from '../trace/model.ts';
import { EventKind, Queue } from '../trace/schema.ts';
import { AgentScript, buildScripted, eventLoopExample, scriptHeader } from './scripted-trace.ts';
import { layoutStage } from './stage-layout.ts';

function allKeys(scene: ReturnType<typeof layoutStage>): string[] {
  const keys: string[] = [];
  for (const l of scene.lanes) {
    keys.push(...l.stack.map((f) => f.key), ...l.parked.map((p) => p.key), ...l.timers.map((t) => t.key), ...l.io.map((c) => c.key));
    for (const q of l.queues) keys.push(...q.cards.map((c) => c.key));
  }
  return keys;
}

describe('layoutStage', () => {
  const trace = eventLoopExample();
  const model = new TraceModel(trace);

  it('shows each thing once, wherever it is, at every step', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: trace.count }), (step) => {
        const scene = layoutStage(model.stateAt(step), trace.header, step > 0 ? model.stateAt(step - 1) : null);
        const keys = allKeys(scene);
        expect(new Set(keys).size).toBe(keys.length);
        for (const lane of scene.lanes) expect(lane.queues.map((q) => q.name)).toEqual(['nextTick', 'microtasks', 'timers', 'poll', 'check', 'close']);
      }),
    );
  });

  it('moves the timer callback from the Node APIs to its queue to the stack under one key', () => {
    const runnable = Array.from({ length: trace.count }, (_, i) => i).filter((i) => trace.kind[i] === EventKind.TaskRunnable).pop()!;
    const named = (a: number, id: number): number => model.callbackFrameOf(a, id);
    const before = layoutStage(model.stateAt(runnable), trace.header, null, undefined, named).lanes[0]!;
    const queued = layoutStage(model.stateAt(runnable + 1), trace.header, null, undefined, named).lanes[0]!;
    const running = layoutStage(model.stateAt(runnable + 2), trace.header).lanes[0]!;
    const key = before.timers[0]!.key;
    expect(before.timers.map((t) => t.title)).toEqual(['setTimeout 1 ms']);
    const timersQueue = queued.queues.find((q) => q.queue === Queue.Timers)!;
    expect(timersQueue.cards.map((c) => c.key)).toEqual([key]);
    expect(timersQueue.cards[0]!.fresh).toBe(true);
    expect(running.stack[0]!.key).toBe(key);
    expect(running.phaseName).toBe('timers');
    // the card names the callback it will run, pending and queued alike (main.ts:2's arrow, by its source: it has no name)
    expect(before.timers[0]!.callback).toEqual({ name: "() => console.log('timeout')", where: 'main.ts:2', file: 'main.ts', line: 2 });
    expect(timersQueue.cards[0]!.callback?.where).toBe('main.ts:2');
  });

  it('parks an async function at await and brings it back', () => {
    const suspend = Array.from({ length: trace.count }, (_, i) => i).find((i) => trace.kind[i] === EventKind.Suspend)!;
    const parked = layoutStage(model.stateAt(suspend + 1), trace.header).lanes[0]!;
    expect(parked.parked.map((p) => p.name)).toEqual(['f']);
    expect(parked.stack.map((f) => f.name)).toEqual(['main script', 'main.ts']);
  });

  it('shows a spawned worker as starting until its thread starts, in agent order', () => {
    const K = EventKind;
    const main = new AgentScript(0);
    main.time(0).ev(K.RunStart, 0).ev(K.AgentStart, 0, -1, 'main', 'main.ts')
      .time(10).ev(K.WorkerSpawn, 1, 'worker.ts')
      .time(11).ev(K.WorkerSpawn, 2, 'worker.ts')
      .time(40).ev(K.AgentStart, 2, 0, 'worker 2', 'worker.ts')
      .time(50).ev(K.AgentStart, 1, 0, 'worker 1', 'worker.ts')
      .flush();
    const model = new TraceModel(buildScripted(scriptHeader(), main.batches, null));
    const lanesAt = (step: number) => layoutStage(model.stateAt(step), model.trace.header).lanes.map((l) => `${l.title}: ${l.status}`);
    expect(lanesAt(2)).toEqual(['Main thread: idle']);
    expect(lanesAt(4)).toEqual(['Main thread: idle', 'Worker 1 · worker.ts: starting', 'Worker 2 · worker.ts: starting']);
    expect(lanesAt(5)).toEqual(['Main thread: idle', 'Worker 1 · worker.ts: starting', 'Worker 2 · worker.ts: idle']);
    expect(lanesAt(6)).toEqual(['Main thread: idle', 'Worker 1 · worker.ts: idle', 'Worker 2 · worker.ts: idle']);
  });
});
