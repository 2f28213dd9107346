import { describe, expect, it } from 'vitest';
import { validateExpect, expectationCount } from './expectations.ts';
import { validateLesson } from './lesson-schema.ts';

const issues = (x: unknown): string[] => {
  const out: string[] = [];
  validateExpect(x, 'checkpoints[0].expect', (p, m) => out.push(`${p}: ${m}`));
  return out;
};

describe('checkpoint expectations in the lesson format', () => {
  it('accepts every kind of expectation and counts each queue and cell', () => {
    const e = { agent: 1, stack: ['main script'], stackTop: 'f', pendingTimers: 1, pendingIo: 0, queues: { microtasks: 2, timers: ['setTimeout'] }, console: ['a'], workersRunning: 1, messagesInFlight: 0, cells: { '0': 1, '3': 42 }, promisesPending: 3 };
    expect(issues(e)).toEqual([]);
    expect(expectationCount(e)).toBe(12);
  });

  it('names each bad field by its path', () => {
    expect(issues({ agent: 0 })).toEqual(['checkpoints[0].expect: must hold at least one expectation besides "agent"']);
    expect(issues({ pendingTimer: 1 })).toEqual([
      'checkpoints[0].expect.pendingTimer: unknown expectation (allowed: agent, stack, stackTop, pendingTimers, pendingIo, queues, console, workersRunning, messagesInFlight, cells, promisesPending)',
    ]);
    expect(issues({ queues: { later: 1 }, cells: { x: 1 }, pendingIo: -1 })).toEqual([
      'checkpoints[0].expect.pendingIo: must be a whole number ≥ 0, not -1',
      'checkpoints[0].expect.queues.later: unknown queue (allowed: nextTick, microtasks, timers, check, poll, close)',
      'checkpoints[0].expect.cells.x: cell indices are whole numbers',
    ]);
    expect(issues({ queues: { timers: 'setTimeout' }, stack: 'main' })).toEqual([
      'checkpoints[0].expect.stack: must be an array of frame names, not "main"',
      'checkpoints[0].expect.queues.timers: must be a count or an array of card labels in order, not "setTimeout"',
    ]);
    expect(issues([])).toEqual(['checkpoints[0].expect: must be an object of expectations, e.g. { "pendingTimers": 1 }, not an array']);
  });

  it('is part of a checkpoint in lesson.json', () => {
    const lesson = {
      id: 'x', title: 'X', level: 'beginner', topic: 'event-loop', rows: [1], entry: 'main.ts', files: ['main.ts'],
      expected: { stdout: ['a'] },
      checkpoints: [{ name: 'A', consoleLine: 'a', explain: 'a printed', expect: { console: ['a'] } }],
      quiz: { prompt: '?', kind: 'type' },
    };
    expect(validateLesson(lesson, ['main.ts']).checkpoints[0]!.expect).toEqual({ console: ['a'] });
    expect(() => validateLesson({ ...lesson, checkpoints: [{ ...lesson.checkpoints[0], expect: { nope: 1 } }] }, ['main.ts'])).toThrow(/checkpoints\[0\]\.expect\.nope: unknown expectation/);
  });
});
