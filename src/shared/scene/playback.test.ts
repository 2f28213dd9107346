import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { advance, firstScriptStep, LESSON_PLAY_S, playStateAt, SPEEDS, stepCursor, stepsPerSecond, UNIFORM_STEPS_PER_S, type StepTargets } from './playback.ts';

const targetsArb = fc
  .record({ count: fc.integer({ min: 0, max: 500 }), starts: fc.uniqueArray(fc.integer({ min: 0, max: 499 }), { maxLength: 40 }), cps: fc.uniqueArray(fc.integer({ min: 0, max: 500 }), { maxLength: 10 }) })
  .map(({ count, starts, cps }): StepTargets => {
    const s = starts.filter((x) => x < count).sort((a, b) => a - b);
    return { count, taskStarts: s, taskStartCount: s.length, checkpoints: cps.filter((x) => x <= count).sort((a, b) => a - b) };
  });

describe('stepCursor', () => {
  it('stays in [0, count] and moves in the asked direction', () => {
    fc.assert(
      fc.property(targetsArb, fc.integer({ min: 0, max: 500 }), fc.constantFrom('event', 'task', 'checkpoint' as const), (t, c0, unit) => {
        const c = Math.min(c0, t.count);
        const f = stepCursor(t, c, unit, 1);
        const b = stepCursor(t, c, unit, -1);
        expect(f).toBeGreaterThanOrEqual(c);
        expect(f).toBeLessThanOrEqual(t.count);
        expect(b).toBeLessThanOrEqual(c);
        expect(b).toBeGreaterThanOrEqual(0);
        if (c < t.count) expect(f).toBeGreaterThan(c);
        if (c > 0) expect(b).toBeLessThan(c);
      }),
    );
  });

  it('lands just after a task start, so the task is on the stack', () => {
    const t: StepTargets = { count: 100, taskStarts: [10, 40, 70], taskStartCount: 3, checkpoints: [] };
    expect(stepCursor(t, 0, 'task', 1)).toBe(11);
    expect(stepCursor(t, 11, 'task', 1)).toBe(41);
    expect(stepCursor(t, 41, 'task', -1)).toBe(11);
    expect(stepCursor(t, 50, 'task', -1)).toBe(41);
    expect(stepCursor(t, 71, 'task', 1)).toBe(100);
  });

  it('steps through checkpoints in order', () => {
    const t: StepTargets = { count: 100, taskStarts: [], taskStartCount: 0, checkpoints: [5, 60] };
    expect(stepCursor(t, 0, 'checkpoint', 1)).toBe(5);
    expect(stepCursor(t, 5, 'checkpoint', 1)).toBe(60);
    expect(stepCursor(t, 60, 'checkpoint', -1)).toBe(5);
  });
});

describe('advance', () => {
  const trace = { count: 5, timeUs: Float64Array.from([0, 10, 10, 2000, 2001]) };

  it('plays uniform steps at the chosen speed', () => {
    let s = playStateAt(trace, 0);
    s = advance(trace, s, 250, 4, 'uniform'); // 2 steps/s × 4 × 0.25 s
    expect(s.cursor).toBe(2);
  });

  it('plays real time proportionally, taking every event that is due', () => {
    let s = playStateAt(trace, 1);
    s = advance(trace, s, 16, 1, 'real'); // 16 ms / 10 = 1.6 ms of trace
    expect(s.cursor).toBe(3);
    for (let i = 0; i < 20; i++) s = advance(trace, s, 16, 8, 'real');
    expect(s.cursor).toBe(5);
  });

  it('lesson pacing plays a short and a long trace in about LESSON_PLAY_S at 1×, never slower than uniform', () => {
    for (const count of [40, 41_000, 200_000]) {
      const long = { count, timeUs: new Float64Array(count) };
      let s = playStateAt(long, 0);
      let ms = 0;
      while (s.cursor < count && ms < 10 * 60_000) {
        s = advance(long, s, 16, 1, 'lesson');
        ms += 16;
      }
      const seconds = ms / 1000;
      if (count / UNIFORM_STEPS_PER_S <= LESSON_PLAY_S) expect(seconds).toBeCloseTo(count / UNIFORM_STEPS_PER_S, 0);
      else {
        expect(seconds).toBeGreaterThanOrEqual(20);
        expect(seconds).toBeLessThanOrEqual(60);
      }
    }
  });

  it('the fastest uniform speed is at least 200 steps per second', () => {
    expect(stepsPerSecond('uniform', 10) * Math.max(...SPEEDS)).toBeGreaterThanOrEqual(200);
    const big = { count: 10_000, timeUs: new Float64Array(10_000) };
    let s = playStateAt(big, 0);
    for (let i = 0; i < 60; i++) s = advance(big, s, 1000 / 60, Math.max(...SPEEDS), 'uniform');
    expect(s.cursor).toBeGreaterThanOrEqual(200); // one second of frames
  });

  it('task pacing moves from one task start to the next', () => {
    const tasks = { taskStarts: [3, 10, 20], taskStartCount: 3 };
    const t = { count: 30, timeUs: new Float64Array(30) };
    let s = playStateAt(t, 0);
    s = advance(t, s, 250, 2, 'task', tasks); // 2 tasks/s × 2 × 0.25 s = one task
    expect(s.cursor).toBe(4);
    s = advance(t, s, 250, 2, 'task', tasks);
    expect(s.cursor).toBe(11);
  });
});

describe('the first step', () => {
  it('shows the script starting: from step 0 the first step lands just after the first task starts', () => {
    const t: StepTargets = { count: 50, taskStarts: [4, 20], taskStartCount: 2, checkpoints: [] };
    expect(firstScriptStep(t)).toBe(5);
    expect(stepCursor(t, 0, 'event', 1)).toBe(5);
    expect(stepCursor(t, 5, 'event', 1)).toBe(6);
    expect(firstScriptStep({ count: 3, taskStarts: [], taskStartCount: 0 })).toBe(1);
  });
});
