import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { advance, playStateAt, stepCursor, type StepTargets } from './playback.ts';

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
});
