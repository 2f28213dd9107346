import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventKind, Queue } from '../trace/schema.ts';
import { MarkKind } from './lanes.ts';
import { AgentScript, buildScripted, eventLoopExample, scriptHeader, userFrame } from './scripted-trace.ts';
import { SliceFlag, TimelineIndex } from './timeline-index.ts';
import { TraceModel } from '../trace/model.ts';
import { TaskKind } from '../trace/schema.ts';
import { buildTrace } from '../trace/test-support.ts';

function indexOf(trace = eventLoopExample()): { index: TimelineIndex; trace: ReturnType<typeof eventLoopExample> } {
  const index = new TimelineIndex();
  index.update(trace, true);
  return { index, trace };
}

describe('TimelineIndex', () => {
  it('puts tasks at depth 0 with the frames they call above them', () => {
    const { index } = indexOf();
    const lane = index.lanes[0]!;
    const tasksRow = lane.stack[0]!;
    const names = Array.from({ length: tasksRow.count }, (_, i) => index.tasks.kindOf(index.slices.ref.get(tasksRow.tag.get(i))));
    expect(names).toEqual([0, 6, 7, 1]); // script, promise reaction, await continuation, timeout
    for (let i = 0; i < tasksRow.count; i++) expect(index.slices.flags.get(tasksRow.tag.get(i)) & SliceFlag.Task).toBeTruthy();
    expect(lane.stack.length).toBe(3); // task > script frame > f / console.log / setTimeout
  });

  it('ends an async function slice at await and starts a resumed one', () => {
    const { index } = indexOf();
    const f = userFrame(3);
    const slices = Array.from({ length: index.slices.count }, (_, s) => s).filter((s) => index.slices.ref.get(s) === f && !(index.slices.flags.get(s) & SliceFlag.Task));
    expect(slices.map((s) => index.slices.flags.get(s) & (SliceFlag.Suspended | SliceFlag.Resumed))).toEqual([SliceFlag.Suspended, SliceFlag.Resumed]);
    expect(slices.map((s) => index.slices.depth.get(s))).toEqual([2, 1]);
  });

  it('records queue waits from runnable to start, and queue depth', () => {
    const { index, trace } = indexOf();
    const lane = index.lanes[0]!;
    const timers = lane.queues[Queue.Timers]!;
    const row = timers.waits.rows[0]!;
    expect(row.count).toBe(1);
    expect([row.startAt(0, trace.timeUs), row.endAt(0, trace.timeUs, 0)]).toEqual([1200, 1201]);
    const micro = lane.queues[Queue.Microtask]!;
    expect(micro.depth.peak).toBe(2);
    expect(micro.depth.valueAt(60)).toBe(2);
    expect(micro.depth.valueAt(72.5)).toBe(1);
    // the timer waited in Node's timers (pending) from setTimeout until it expired
    const pending = lane.pending.rows[0]!;
    expect([pending.startAt(0, trace.timeUs), pending.endAt(0, trace.timeUs, 0)]).toEqual([30, 1200]);
  });

  it('links tasks to their cause and to the settle that released them', () => {
    const { index, trace } = indexOf();
    const t = index.tasks;
    const reaction = t.rowOf(0, 3);
    expect(t.causeRowOf(reaction)).toBe(t.rowOf(0, 1));
    expect(trace.kind[index.links.releasedBy(reaction)]).toBe(EventKind.PromiseSettle);
    expect(index.links.releasedBy(t.rowOf(0, 2))).toBe(-1);
  });

  it('takes any task id an untrusted trace makes up, as the model does (huge, sparse or negative)', () => {
    const trace = buildTrace([
      [EventKind.TaskSchedule, 2 ** 30, TaskKind.Timeout, 0, -1, 0],
      [EventKind.TaskRunnable, 2 ** 30],
      [EventKind.TaskSchedule, -7, TaskKind.Immediate, 0, -1, 0],
      [EventKind.TaskRunnable, -7],
      [EventKind.TaskStart, 2 ** 30, 1],
      [EventKind.TaskEnd, 2 ** 30, 0],
    ]);
    const index = new TimelineIndex();
    index.update(trace, true);
    expect(index.tasks.size).toBe(2);
    const huge = index.tasks.rowOf(0, 2 ** 30);
    expect([index.tasks.lastRunnableStepOf(huge), index.tasks.lastStartStepOf(huge), index.tasks.lastEndStepOf(huge)]).toEqual([1, 4, 5]);
    expect(index.tasks.lastRunnableStepOf(index.tasks.rowOf(0, -7))).toBe(3);
    expect(index.lanes[0]!.stack[0]!.count).toBe(1); // the huge id's run is on the timeline
    expect(new TraceModel(trace).stateAt(trace.count).agents[0]).toBeDefined();
  });

  it('bands the loop phases and the microtask drain', () => {
    const { index } = indexOf();
    const band = index.lanes[0]!.phase;
    expect(Array.from({ length: band.count }, (_, i) => band.tag.get(i))).toEqual([0, 16, 1]);
  });

  it('lists outermost task starts for stepping, and console marks', () => {
    const { index, trace } = indexOf();
    const starts = Array.from(index.taskStarts.raw.subarray(0, index.taskStarts.length));
    expect(starts.map((s) => trace.kind[s])).toEqual([EventKind.TaskStart, EventKind.TaskStart, EventKind.TaskStart, EventKind.TaskStart]);
    const marks = index.lanes[0]!.marks;
    expect(marks.count).toBe(4);
    expect(marks.kind.get(0)).toBe(MarkKind.Stdout);
  });

  it('finds what an Exit popped and what is on the stack at a step', () => {
    const { index, trace } = indexOf();
    for (let i = 0; i < trace.count; i++) {
      if (trace.kind[i] !== EventKind.Exit) continue;
      const s = index.sliceEndingAt(0, i);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(index.sliceEndStep(s)).toBe(i);
    }
    const top = index.topSliceAtStep(0, 7); // console.log('start') prints
    expect(index.slices.ref.get(top)).toBe(8); // console.log host frame
  });

  it('gives the same tracks whether the trace arrives at once or in pieces', () => {
    const whole = indexOf().index;
    const trace = eventLoopExample();
    const live = new TimelineIndex();
    const full = trace.count;
    // one object whose count grows, as a streaming run's trace is (the task index is bound to that object)
    const streaming = { ...trace, count: 0 };
    for (let n = 1; n <= full; n += 7) {
      streaming.count = Math.min(n, full);
      live.update(streaming);
    }
    streaming.count = full;
    live.update(streaming, true);
    expect(live.slices.count).toBe(whole.slices.count);
    expect(live.lanes[0]!.stack.map((r) => r.count)).toEqual(whole.lanes[0]!.stack.map((r) => r.count));
  });

  it('keeps every stack row sorted and non-overlapping for any well-nested call sequence', () => {
    // ops: 0 call, 1 return, 2 await (suspend the top async frame), 3 resume a parked one
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 400 }), (ops) => {
        const header = scriptHeader([{ kind: 'function', name: 'g', file: 'main.ts', line: 1, column: 1, endLine: 1, endColumn: 2, flavor: 'async' }]);
        const a = new AgentScript(0);
        a.time(0).ev(EventKind.AgentStart, 0, -1, 'main', 'main.ts').ev(EventKind.TaskSchedule, 1, 0, 0, -1, 0).ev(EventKind.TaskRunnable, 1).ev(EventKind.TaskStart, 1, 0);
        const stack: number[] = [];
        const parked: number[] = [];
        let inst = 0;
        let t = 0;
        let enters = 0;
        for (const op of ops) {
          t += 1;
          if (op === 0) {
            stack.push(++inst);
            a.ev(EventKind.Enter, userFrame(0), inst);
            enters++;
          } else if (op === 1 && stack.length) a.ev(EventKind.Exit, stack.pop()!);
          else if (op === 2 && stack.length) {
            const s = stack.pop()!;
            parked.push(s);
            a.time(t).ev(EventKind.Suspend, s, userFrame(0), -1, 0);
          } else if (op === 3 && parked.length) {
            const s = parked.shift()!;
            stack.push(s);
            a.time(t).ev(EventKind.Resume, s, userFrame(0), 0);
          }
        }
        a.time(t + 1).ev(EventKind.TaskEnd, 1, 0);
        const trace = buildScripted(header, a.flush().batches);
        const index = new TimelineIndex();
        index.update(trace, true);
        for (const row of index.lanes[0]!.stack) {
          for (let i = 1; i < row.count; i++) {
            expect(row.startStep.get(i)).toBeGreaterThanOrEqual(row.endStep.get(i - 1));
            expect(row.startAt(i, trace.timeUs)).toBeGreaterThanOrEqual(row.endAt(i - 1, trace.timeUs, index.liveEndUs));
          }
        }
        const frameSlices = Array.from({ length: index.slices.count }, (_, s) => s).filter((s) => !(index.slices.flags.get(s) & SliceFlag.Task) && !(index.slices.flags.get(s) & SliceFlag.Resumed));
        expect(frameSlices.length).toBe(enters);
      }),
      { numRuns: 200 },
    );
  });
});

describe('flows', async () => {
  const { incomingFlows, flowsOfSlice, taskSlice } = await import('./flows.ts');
  it('links a timer callback back to the setTimeout call that scheduled it', () => {
    const { index, trace } = indexOf();
    const timer = index.tasks.rowOf(0, 2);
    const flows = incomingFlows(index, trace, timer);
    expect(flows.map((f) => f.kind)).toEqual(['scheduled']);
    expect(index.slices.ref.get(flows[0]!.fromSlice)).toBe(0); // the setTimeout host frame
    expect(flows[0]!.toSlice).toBe(taskSlice(index, timer));
  });

  it('links a promise reaction to the settle that released it', () => {
    const { index, trace } = indexOf();
    const flows = incomingFlows(index, trace, index.tasks.rowOf(0, 3));
    expect(flows.map((f) => f.kind)).toEqual(['scheduled', 'settled']);
  });

  it('shows what a host call scheduled', () => {
    const { index, trace } = indexOf();
    const setTimeoutSlice = Array.from({ length: index.slices.count }, (_, s) => s).find((s) => index.slices.ref.get(s) === 0 && !(index.slices.flags.get(s) & SliceFlag.Task))!;
    const flows = flowsOfSlice(index, trace, setTimeoutSlice);
    expect(flows.map((f) => index.tasks.kindOf(index.slices.ref.get(f.toSlice)))).toEqual([1]);
  });
});

describe('one task index', () => {
  it('is the same object for the model, the timeline and every later view of a trace', () => {
    const trace = eventLoopExample();
    const model = new TraceModel(trace);
    const index = new TimelineIndex();
    index.update(trace, true);
    expect(index.tasks).toBe(model.tasks);
    expect(new TraceModel(trace).tasks).toBe(model.tasks);
    // and both read the same rows: the timeline's task slices name the model's tasks
    const tasksRow = index.lanes[0]!.stack[0]!;
    const ids = Array.from({ length: tasksRow.count }, (_, i) => model.tasks.info(index.slices.ref.get(tasksRow.tag.get(i))).taskId);
    expect(ids).toEqual([1, 3, 4, 2]);
  });

  it('is read by the timeline only as far as it has read the trace (a later cancel does not reach back)', () => {
    // an interval that runs, then is cancelled: while the index has read only its first run, it is still pending
    const trace = buildTrace([
      [EventKind.TaskSchedule, 1, TaskKind.Interval, 5, -1, 1],
      [EventKind.TaskRunnable, 1],
      [EventKind.TaskStart, 1, 0],
      [EventKind.TaskEnd, 1, 0],
      [EventKind.TaskCancel, 1],
    ]);
    new TraceModel(trace).tasks.update(); // the shared task index has read everything, cancel included
    const index = new TimelineIndex();
    index.update(trace, true);
    const pending = index.lanes[0]!.pending;
    // pending from schedule to runnable, then again from its end (it repeats) until the cancel
    const spans = pending.rows.flatMap((r) => Array.from({ length: r.count }, (_, i) => [r.startStep.get(i), r.endStep.get(i)]));
    expect(spans).toEqual([[0, 1], [3, 4]]);
  });
});
