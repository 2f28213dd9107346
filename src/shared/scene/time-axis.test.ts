import { describe, expect, it } from 'vitest';
import { EventKind as K, EndReason, HOST_FRAMES } from '../trace/schema.ts';
import { FrameTable } from './frames.ts';
import { Narrator } from './narration.ts';
import { AgentScript, buildScripted, eventLoopExample, scriptHeader, userFrame } from './scripted-trace.ts';
import { TimeAxis, breakLabel, compressedAxis, idleGaps } from './time-axis.ts';
import { SliceFlag, TimelineIndex } from './timeline-index.ts';
import { TRACK_KINDS, describeTimelineItem } from './timeline-tracks.ts';
import type { LayoutRow } from './timeline-layout.ts';
import type { Trace } from '../trace/builder.ts';

/** A break is at most three times as wide as the narrowest (MAX_WIDTH_FACTOR). */
const MAX_RATIO = 3;

function indexed(trace: Trace, ended = true): TimelineIndex {
  const index = new TimelineIndex();
  index.update(trace, ended);
  return index;
}

const row = (kind: LayoutRow['kind'], index = 0, agent = 0): LayoutRow => ({ kind, agent, index, queue: -1, yCssPx: 0, heightCssPx: 18, label: '' });

describe('the activity a fit frames', () => {
  it('runs from the first to the last event that is not a run or agent edge', () => {
    // eventLoopExample: AgentStart at 5 µs, work from 10 µs to the timer's end at 1220 µs, AgentEnd 1300, RunEnd 1301
    const index = indexed(eventLoopExample());
    expect([index.startUs, index.liveEndUs]).toEqual([0, 1301]);
    expect(index.activityRange()).toEqual({ startUs: 10, endUs: 1220 });
  });

  it('reaches the end while something is still on a stack (a loop stopped by the time limit)', () => {
    const index = indexed(stoppedLoop());
    expect(index.activityRange()).toEqual({ startUs: 10, endUs: 1_500_000 });
  });
});

describe('idle gaps', () => {
  it('are stretches where no agent ran anything: the timer wait of eventLoopExample', () => {
    expect(idleGaps(indexed(eventLoopExample()))).toEqual([{ startUs: 82, endUs: 1200 }]);
  });

  it('are not gaps when another agent works through them', () => {
    expect(idleGaps(indexed(twoAgents(false)))).toEqual([{ startUs: 20, endUs: 5000 }]);
    // main is idle 20…5000 but a worker runs 310…4500: what is left on each side is shorter than 1 ms
    expect(idleGaps(indexed(twoAgents(true)))).toEqual([]);
  });

  it('are not gaps while a long synchronous call runs without events (a busy loop is activity)', () => {
    const m = new AgentScript(0);
    m.time(0).ev(K.AgentStart, 0, -1, 'main', 'main.ts').time(10).ev(K.TaskSchedule, 1, 0, 0, -1, 0).ev(K.TaskRunnable, 1).ev(K.TaskStart, 1, 0)
      .time(11).ev(K.Enter, userFrame(0), 1).time(50_000).ev(K.Exit, 1).time(50_001).ev(K.TaskEnd, 1, 0).flush();
    const trace = buildScripted(scriptHeader([{ kind: 'function', name: 'spin', file: 'main.ts', line: 1, column: 1, endLine: 3, endColumn: 1 }]), m.batches);
    expect(idleGaps(indexed(trace))).toEqual([]);
  });
});

describe('TimeAxis', () => {
  const axis = new TimeAxis([{ startUs: 100, endUs: 1100 }, { startUs: 2000, endUs: 4000 }], 10);

  it('squeezes each break to its width and keeps real time elsewhere', () => {
    expect([axis.toDisplay(50), axis.toDisplay(100), axis.toDisplay(600), axis.toDisplay(1100), axis.toDisplay(1200)]).toEqual([50, 100, 105, 110, 210]);
    // the second break starts after 110 + 900 of real time, and everything after it is shifted by both
    expect([axis.toDisplay(2000), axis.toDisplay(4000), axis.toDisplay(4500)]).toEqual([1010, 1020, 1520]);
  });

  it('maps back exactly, inside and after a break', () => {
    for (const t of [0, 99, 100, 350, 1099.5, 1100, 1500, 2000, 3999, 4000, 9000]) expect(axis.toReal(axis.toDisplay(t))).toBeCloseTo(t, 6);
    expect(axis.breakAtDisplay(105)?.startUs).toBe(100);
    expect(axis.breakAtDisplay(111)).toBeUndefined();
    expect(axis.breakAtDisplay(1015)?.endUs).toBe(4000);
  });

  it('refuses overlapping breaks and labels a break with its real duration', () => {
    expect(() => new TimeAxis([{ startUs: 0, endUs: 10 }, { startUs: 5, endUs: 20 }], 1)).toThrow(RangeError);
    expect(breakLabel({ startUs: 1000, endUs: 801_000 })).toBe('800 ms idle');
  });
});

describe('the compressed timeline', () => {
  const trace = eventLoopExample();
  const index = indexed(trace);
  const axis = compressedAxis(index);

  it('compresses the timer wait into one break and can be turned off', () => {
    expect(axis.breaks.map((b) => [b.startUs, b.endUs])).toEqual([[82, 1200]]);
    expect(axis.breaks[0]!.widthUs).toBeGreaterThan(0);
    expect(axis.breaks[0]!.widthUs).toBeLessThan((1200 - 82) / 4);
    expect(compressedAxis(index, false).breaks).toEqual([]);
  });

  it('hit-tests after a break at the right slice, and inside it only what spans it', () => {
    const after = axis.toDisplay(1201) + axis.breaks[0]!.widthUs / 100; // just after the timer callback starts, in display time
    const hit = TRACK_KINDS.stack.hitTest(index, row('stack'), axis.toReal(after), 0.5)!;
    expect(hit).not.toBeNull();
    const scene = { trace, index, narrator: new Narrator(trace, index), frames: new FrameTable(trace.header) };
    expect(describeTimelineItem(scene, hit)!.title).toBe('setTimeout');
    const inside = axis.toReal(axis.breaks[0]!.displayUs + axis.breaks[0]!.widthUs / 2);
    expect(inside).toBeGreaterThan(82);
    expect(inside).toBeLessThan(1200);
    expect(TRACK_KINDS.stack.hitTest(index, row('stack'), inside, 0)).toBeNull();
    const waiting = TRACK_KINDS.pending.hitTest(index, row('pending'), inside, 0)!;
    expect(describeTimelineItem(scene, waiting)!.lines[0]).toBe('waited in Node APIs (not runnable yet)');
  });
});

describe('break widths', () => {
  it('map each break over its own width', () => {
    const axis = new TimeAxis([{ startUs: 100, endUs: 1100, widthUs: 10 }, { startUs: 2000, endUs: 4000, widthUs: 30 }]);
    expect([axis.toDisplay(1100), axis.toDisplay(2000), axis.toDisplay(3000), axis.toDisplay(4000)]).toEqual([110, 1010, 1025, 1040]);
    expect(axis.toReal(1025)).toBeCloseTo(3000, 6);
    expect(() => new TimeAxis([{ startUs: 0, endUs: 10 }])).toThrow(RangeError); // no width at all
  });

  it('grow with the log of the gap, so a long wait stands out, within a budget of the activity', () => {
    // three 1 ms tasks with a 2 ms and a 20 ms wait between them
    const m = new AgentScript(0);
    m.time(0).ev(K.AgentStart, 0, -1, 'main', 'main.ts');
    [0, 3000, 24_000].forEach((at, n) => {
      m.time(at).ev(K.TaskSchedule, n + 1, 0, 0, -1, 0).ev(K.TaskRunnable, n + 1).ev(K.TaskStart, n + 1, 0).time(at + 1000).ev(K.TaskEnd, n + 1, 0);
    });
    const axis = compressedAxis(indexed(buildScripted(scriptHeader(), m.flush().batches)));
    const [short, long] = axis.breaks;
    expect([short!.startUs, short!.endUs, long!.startUs, long!.endUs]).toEqual([1000, 3000, 4000, 24_000]);
    expect(long!.widthUs / short!.widthUs).toBeGreaterThan(1.5); // 10× the wait: about 1.75× the width
    expect(long!.widthUs / short!.widthUs).toBeLessThan(MAX_RATIO);
    expect(short!.widthUs + long!.widthUs).toBeLessThanOrEqual(0.3 * 3000 + 1e-6); // at most 30 % of the 3 ms of work
  });
});

describe('after a run was stopped', () => {
  it('ends a host call at its thread’s last event and keeps the looping function open, marked stopped', () => {
    const trace = stoppedLoop();
    const index = indexed(trace);
    const lane = index.lanes[0]!;
    // depth 0: the script task, 1: spin (the loop), 2: console.log entered just before the kill
    const slice = (depth: number) => lane.stack[depth]!.tag.get(lane.stack[depth]!.count - 1);
    const log = slice(2);
    expect(index.slices.flags.get(log) & SliceFlag.Cut).toBeTruthy();
    expect(index.sliceEndUs(log)).toBe(40_000); // its last event, not the stop at 1.5 s
    const spin = slice(1);
    expect(index.slices.flags.get(spin) & SliceFlag.Stopped).toBeTruthy();
    expect(index.sliceEndStep(spin)).toBe(-1);
    expect(index.sliceEndUs(spin)).toBe(1_500_000);
    expect(index.slices.flags.get(slice(0)) & (SliceFlag.Stopped | SliceFlag.Cut)).toBe(0);
    const scene = { trace, index, narrator: new Narrator(trace, index), frames: new FrameTable(trace.header) };
    const d = describeTimelineItem(scene, { agent: 0, row: 'stack', rowIndex: 1, queue: -1, span: lane.stack[1]!.count - 1 })!;
    expect(d.title).toBe('spin');
    expect(d.lines).toContain('still running when the run ended (time limit) — last on main.ts:4')
  });
});

/** A run killed by the time limit inside `spin`'s loop, just after it entered console.log. */
function stoppedLoop(): Trace {
  const log = HOST_FRAMES.indexOf('console.log');
  const header = scriptHeader([
    { kind: 'function', name: 'spin', file: 'main.ts', line: 1, column: 1, endLine: 6, endColumn: 1 },
    { kind: 'statement', name: '', file: 'main.ts', line: 4, column: 5, endLine: 4, endColumn: 9 },
  ]);
  const m = new AgentScript(0);
  m.time(0).ev(K.AgentStart, 0, -1, 'main', 'main.ts').time(10).ev(K.TaskSchedule, 1, 0, 0, -1, 0).ev(K.TaskRunnable, 1).ev(K.TaskStart, 1, 0)
    .time(11).ev(K.Enter, userFrame(0), 1).time(30_000).ev(K.Statement, userFrame(1))
    .time(39_000).ev(K.Enter, log, 2).time(40_000).ev(K.Console, 0, 'tick')
    .time(1_500_000).ev(K.AgentEnd, 0, 1).ev(K.RunEnd, EndReason.Timeout, 'Stopped after 1500 ms').flush();
  return buildScripted(header, m.batches, { reason: EndReason.Timeout });
}

/** Main runs a task at 10–20 µs and another at 5000 µs; with `worker`, a worker runs a task from 310 to 4500 µs. */
function twoAgents(worker: boolean): Trace {
  const m = new AgentScript(0);
  m.time(0).ev(K.AgentStart, 0, -1, 'main', 'main.ts').time(10).ev(K.TaskSchedule, 1, 0, 0, -1, 0).ev(K.TaskRunnable, 1).ev(K.TaskStart, 1, 0)
    .time(20).ev(K.TaskEnd, 1, 0).flush();
  m.time(5000).ev(K.TaskSchedule, 2, 0, 0, -1, 0).ev(K.TaskRunnable, 2).ev(K.TaskStart, 2, 0).time(5010).ev(K.TaskEnd, 2, 0).flush();
  const w = new AgentScript(1);
  w.time(300).ev(K.AgentStart, 1, 0, 'worker', 'w.ts').time(310).ev(K.TaskSchedule, 1, 0, 0, -1, 0).ev(K.TaskRunnable, 1).ev(K.TaskStart, 1, 0)
    .time(4500).ev(K.TaskEnd, 1, 0).flush();
  return buildScripted(scriptHeader(), worker ? [m.batches[0]!, w.batches[0]!, m.batches[1]!] : m.batches);
}
