import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TraceBuilder, type Trace } from '../trace/builder.ts';
import { EndReason, EventKind as K, hostFrameId, Phase, SuspendHow, TaskKind as T } from '../trace/schema.ts';
import { batch, COMPLETED, type EventRow, testHeader, userFrame, withClock } from '../trace/test-support.ts';
import { toChromeTrace, type ChromeTraceEvent } from './chrome.ts';

const FRAMES = [{ ...userFrame(100, 'main.ts'), kind: 'script' as const }, userFrame(101, 'onTimer', 3), userFrame(102, 'load', 7, 'async'), userFrame(103, 'onMessage', 2)];
const SET_TIMEOUT = hostFrameId('setTimeout');
const POST = hostFrameId('postMessage');

const MAIN: EventRow[] = [
  [K.AgentStart, 0, -1, 'main', 'main.ts'],
  [K.TaskSchedule, 1, T.Script, 0, -1, 0], [K.TaskRunnable, 1], [K.TaskStart, 1, Phase.Main],
  [K.Enter, 100, 1],
  [K.Enter, SET_TIMEOUT, 2], [K.TaskSchedule, 2, T.Timeout, 1000, 1, 0], [K.Exit, 2],
  [K.Enter, 102, 3], [K.PromiseCreate, 1, -1], [K.Suspend, 3, 102, 1, SuspendHow.Await],
  [K.TaskSchedule, 3, T.AwaitContinuation, 0, 1, 0],
  [K.Enter, POST, 4], [K.MessagePost, (0 << 20) | 1, 1], [K.Exit, 4],
  [K.Console, 0, 'sync done'],
  [K.Exit, 1], [K.TaskEnd, 1, 0],
  [K.PromiseSettle, 1, 1], [K.TaskRunnable, 3],
  [K.MicrotaskCheckpoint, Phase.Main],
  [K.TaskStart, 3, Phase.Main], [K.Resume, 3, 102, SuspendHow.Await], [K.Exit, 3], [K.TaskEnd, 3, 0],
  [K.TaskRunnable, 2], [K.TaskStart, 2, Phase.Timers], [K.Enter, 101, 5], [K.Console, 0, 'timer'], [K.Exit, 5], [K.TaskEnd, 2, 0],
];
const WORKER: EventRow[] = [
  [K.AgentStart, 1, 0, 'worker 1', 'worker.ts'],
  [K.TaskSchedule, 7, T.Message, 0, -1, 0], [K.TaskRunnable, 7], [K.MessageReceive, (0 << 20) | 1, 7], [K.TaskStart, 7, Phase.Poll],
  [K.Enter, 103, 1], [K.Console, 0, 'got it'], [K.Exit, 1], [K.TaskEnd, 7, 0],
];

function build(rowsByAgent: [number, EventRow[]][], end = true): Trace {
  const b = new TraceBuilder(testHeader(FRAMES));
  for (const [agent, rows] of rowsByAgent) b.append(batch(agent, rows));
  return end ? b.finish(COMPLETED) : b.trace;
}

const full = (): Trace => build([[0, withClock(MAIN.slice(0, 16), 0, 10)], [1, withClock(WORKER, 120, 10)], [0, withClock(MAIN.slice(16), 300, 10)]]);

/** Replays the events the way an importer does and checks the structure; returns what it saw. */
function check(events: readonly ChromeTraceEvent[]): { slices: string[]; flows: Map<number, { s?: ChromeTraceEvent; f?: ChromeTraceEvent; sSlice?: string; fSlice?: string }> } {
  const body = events.filter((e) => e.ph !== 'M');
  for (let i = 1; i < body.length; i++) expect(body[i]!.ts!).toBeGreaterThanOrEqual(body[i - 1]!.ts!);
  const open = new Map<string, ChromeTraceEvent[]>();
  const asyncOpen = new Map<string, ChromeTraceEvent>();
  const slices: string[] = [];
  const flows = new Map<number, { s?: ChromeTraceEvent; f?: ChromeTraceEvent; sSlice?: string; fSlice?: string }>();
  for (const e of body) {
    const key = `${e.pid}:${e.tid}`;
    const stack = open.get(key) ?? [];
    open.set(key, stack);
    if (e.ph === 'B') {
      stack.push(e);
      slices.push(e.name!);
    } else if (e.ph === 'E') {
      expect(stack.length, `E without B on ${key} at ${e.ts}`).toBeGreaterThan(0);
      expect(e.ts!).toBeGreaterThanOrEqual(stack.pop()!.ts!);
    } else if (e.ph === 's' || e.ph === 'f') {
      expect(typeof e.id).toBe('number');
      expect(e.bind_id).toBe(e.id);
      const top = stack[stack.length - 1];
      expect(top, `flow ${e.id} (${e.ph}) binds to no open slice`).toBeDefined();
      expect(top!.ts).toBe(e.ts); // exactly on the start of the slice it binds to
      const f = flows.get(e.id!) ?? {};
      expect(f[e.ph], `flow ${e.id} has two ${e.ph}`).toBeUndefined();
      f[e.ph] = e;
      if (e.ph === 's') f.sSlice = top!.name;
      else f.fSlice = top!.name;
      flows.set(e.id!, f);
    } else if (e.ph === 'b' || e.ph === 'e') {
      const k = `${e.pid}:${e.cat}:${e.id2?.local}`;
      if (e.ph === 'b') {
        expect(asyncOpen.has(k), `async ${k} opened twice`).toBe(false);
        asyncOpen.set(k, e);
      } else {
        expect(asyncOpen.get(k), `async ${k} closed but not open`).toBeDefined();
        expect(e.ts!).toBeGreaterThanOrEqual(asyncOpen.get(k)!.ts!);
        asyncOpen.delete(k);
      }
    }
  }
  for (const [key, stack] of open) expect(stack, `slices left open on ${key}`).toEqual([]);
  expect([...asyncOpen.keys()]).toEqual([]);
  for (const [id, f] of flows) {
    expect(f.s && f.f, `flow ${id} is missing an end`).toBeTruthy();
    expect(f.f!.ts!).toBeGreaterThanOrEqual(f.s!.ts!);
  }
  return { slices, flows };
}

describe('toChromeTrace', () => {
  it('gives one named process per agent with a call-stack thread', () => {
    const out = toChromeTrace(full());
    const meta = out.traceEvents.filter((e) => e.ph === 'M' && e.name === 'process_name');
    expect(meta.map((e) => [e.pid, e.args!.name])).toEqual([[1, 'main (agent 0)'], [2, 'worker 1 (agent 1)']]);
    expect(out.metadata).toMatchObject({ source: 'Loopscope', runId: 'test-run', endReason: 'completed', events: full().count });
    expect(out.displayTimeUnit).toBe('ms');
  });

  it('nests task slices (DevTools names) and frames as balanced B/E per thread', () => {
    const { slices } = check(toChromeTrace(full()).traceEvents);
    expect(slices).toEqual([
      'Evaluate script', 'main.ts', 'setTimeout', 'load', 'postMessage',
      'Message', 'onMessage',
      'Run microtasks', 'Await continuation', 'load', 'Timer fired', 'onTimer',
    ]);
  });

  it('links scheduled → ran and posted → received with flows bound to the right slices', () => {
    const { flows } = check(toChromeTrace(full()).traceEvents);
    const byName = [...flows.values()].map((f) => [f.s!.name, f.sSlice, f.fSlice, f.s!.pid, f.f!.pid]);
    expect(byName).toEqual(expect.arrayContaining([
      ['scheduled', 'setTimeout', 'Timer fired', 1, 1],
      ['scheduled', 'main.ts', 'Await continuation', 1, 1], // scheduled by the await, after load left the stack
      ['message', 'postMessage', 'Message', 1, 2],
    ]));
    expect(flows.size).toBe(3); // the script task was scheduled outside any slice: no flow
  });

  it('draws each queue as an async track from runnable to start, with depth counters', () => {
    const events = toChromeTrace(full()).traceEvents;
    const timers = events.filter((e) => (e.ph === 'b' || e.ph === 'e') && e.cat === 'timers');
    expect(timers.map((e) => [e.ph, e.id2?.local, e.name])).toEqual([['b', '2', 'timers'], ['e', '2', 'timers']]);
    expect(timers[0]!.args).toMatchObject({ taskId: 2, task: 'setTimeout' });
    const micro = events.filter((e) => e.ph === 'b' && e.cat === 'microtasks');
    expect(micro).toHaveLength(1);
    const depths = events.filter((e) => e.ph === 'C' && e.pid === 1).map((e) => e.args!.timers);
    expect(Math.max(...(depths as number[]))).toBe(1);
    expect(depths[depths.length - 1]).toBe(0);
  });

  it('puts console lines on their own thread as instant events', () => {
    const lines = toChromeTrace(full()).traceEvents.filter((e) => e.ph === 'i');
    expect(lines.map((e) => [e.pid, e.tid, e.name, e.s])).toEqual([[1, 2, 'sync done', 't'], [2, 2, 'got it', 't'], [1, 2, 'timer', 't']]);
  });

  it('closes whatever a truncated trace left open, at the end', () => {
    const cut = build([[0, withClock(MAIN.slice(0, 12), 0, 10)], [1, withClock(WORKER.slice(0, 7), 50, 10)]], false);
    const out = toChromeTrace(cut);
    const { slices } = check(out.traceEvents);
    expect(slices).toContain('load');
    const lastTs = Math.max(...out.traceEvents.filter((e) => e.pid === 1 && e.ts !== undefined).map((e) => e.ts!));
    const ends = out.traceEvents.filter((e) => e.pid === 1 && e.ph === 'E');
    expect(ends[ends.length - 1]!.ts).toBe(lastTs);
    expect(out.metadata.endReason).toBeUndefined();
  });

  it('ends a worker slices at its AgentEnd, even when main writes it', () => {
    const t = build([[1, withClock(WORKER.slice(0, 6), 0, 10)], [0, withClock([[K.AgentEnd, 1, -1], [K.RunEnd, EndReason.Timeout, 'time limit']], 500)]]);
    const out = toChromeTrace(t);
    check(out.traceEvents);
    const workerEnds = out.traceEvents.filter((e) => e.pid === 2 && e.ph === 'E');
    expect(workerEnds.map((e) => e.ts)).toEqual([500, 500]);
  });

  it('stays valid for any event stream, however malformed', () => {
    const row: fc.Arbitrary<EventRow> = fc.oneof(
      fc.tuple(fc.constant(K.Enter), fc.integer({ min: 0, max: 110 }), fc.integer({ min: 1, max: 5 })),
      fc.tuple(fc.constant(K.Exit), fc.integer({ min: 1, max: 5 })),
      fc.tuple(fc.constant(K.Suspend), fc.integer({ min: 1, max: 5 }), fc.integer({ min: -1, max: 103 }), fc.integer({ min: -1, max: 3 }), fc.constant(0)),
      fc.tuple(fc.constant(K.Resume), fc.integer({ min: 1, max: 5 }), fc.integer({ min: -1, max: 103 }), fc.constant(0)),
      fc.tuple(fc.constant(K.TaskSchedule), fc.integer({ min: 1, max: 5 }), fc.integer({ min: -1, max: 13 }), fc.nat(2000), fc.integer({ min: -1, max: 5 }), fc.integer({ min: 0, max: 1 })),
      fc.tuple(fc.constant(K.TaskRunnable), fc.integer({ min: 1, max: 5 })),
      fc.tuple(fc.constant(K.TaskStart), fc.integer({ min: 1, max: 5 }), fc.integer({ min: -1, max: 6 })),
      fc.tuple(fc.constant(K.TaskEnd), fc.integer({ min: 1, max: 5 }), fc.constant(0)),
      fc.tuple(fc.constant(K.TaskCancel), fc.integer({ min: 1, max: 5 })),
      fc.tuple(fc.constant(K.MicrotaskCheckpoint), fc.integer({ min: 0, max: 5 })),
      fc.tuple(fc.constant(K.MessagePost), fc.integer({ min: 1, max: 3 }), fc.integer({ min: -1, max: 2 })),
      fc.tuple(fc.constant(K.MessageReceive), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 5 })),
      fc.tuple(fc.constant(K.AgentEnd), fc.integer({ min: 0, max: 2 }), fc.constant(0)),
      fc.tuple(fc.constant(K.Console), fc.integer({ min: 0, max: 3 }), fc.constantFrom('x', '')),
      fc.tuple(fc.constant(K.Time), fc.nat(10_000)),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.array(row, { minLength: 1, maxLength: 30 })), { minLength: 1, maxLength: 8 }), (bs) => {
        const b = new TraceBuilder(testHeader(FRAMES));
        for (const [agent, rows] of bs) b.append(batch(agent, rows));
        check(toChromeTrace(b.trace).traceEvents);
      }),
      { numRuns: 1000 },
    );
  });
});
