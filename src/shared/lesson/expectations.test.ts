import { describe, expect, it } from 'vitest';
import { TraceModel } from '../trace/model.ts';
import { EventKind as K, LockOp, Phase } from '../trace/schema.ts';
import { buildTrace, userFrame, withClock } from '../trace/test-support.ts';
import { unmetExpectations, validateExpect, expectationCount } from './expectations.ts';
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
      'checkpoints[0].expect.pendingTimer: unknown expectation (allowed: agent, stack, stackTop, pendingTimers, pendingIo, queues, console, workersRunning, messagesInFlight, cells, writers, promisesPending, values, locks)',
    ]);
    expect(issues({ queues: { later: 1 }, cells: { x: 1 }, pendingIo: -1 })).toEqual([
      'checkpoints[0].expect.pendingIo: must be a whole number ≥ 0, not -1',
      'checkpoints[0].expect.queues.later: unknown queue (allowed: nextTick, microtasks, timers, check, poll, close)',
      'checkpoints[0].expect.cells.x: cell indices are whole numbers',
    ]);
    expect(issues({ writers: { '0': 'w1', '1': 'worker 1' } })).toEqual(['checkpoints[0].expect.writers["0"]: "w1" is not a thread: "main" or "worker n"']);
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

  it('validates watched values and locks, naming the bad part', () => {
    expect(issues({ values: { balance: '100' }, locks: { mutex: { holders: ['depositSafe'], waiters: [] } } })).toEqual([]);
    expect(expectationCount({ values: { balance: '1', total: '2' }, locks: { mutex: { holders: [], waiters: [] } } })).toBe(4);
    expect(issues({ values: { balance: 100 }, locks: { mutex: { holding: [] } } })).toEqual([
      'checkpoints[0].expect.values.balance: must be the value\'s preview as a string, e.g. "100" or "\'bob\'", not 100',
      'checkpoints[0].expect.locks.mutex.holding: unknown part (allowed: holders, waiters)',
    ]);
    expect(issues({ values: { '9x': '1' }, locks: {} })).toEqual([
      'checkpoints[0].expect.values["9x"]: must be a variable name (one the code watches with // @watch)',
      'checkpoints[0].expect.locks: must be an object: lock name → { "holders": [calls], "waiters": [calls] }, with at least one entry',
    ]);
  });
});

describe('checking watched values, locks and cells against the model', () => {
  const frames = [userFrame(100, 'depositSafe', 21)];
  const trace = buildTrace(withClock([
    [K.Value, 'balance', '0'],
    [K.LockDefine, 1, 'mutex', 1],
    [K.TaskStart, 10, Phase.Main], [K.Enter, 100, 1], [K.Lock, 1, LockOp.Request, 0, 1], [K.Lock, 1, LockOp.Acquired, 1, 0], [K.Exit, 1], [K.TaskEnd, 10, 0],
    [K.TaskStart, 11, Phase.Main], [K.Enter, 100, 2], [K.LockCaller, 1, "'bob'"], [K.Lock, 1, LockOp.Request, 1, 1], [K.Exit, 2], [K.TaskEnd, 11, 0],
    [K.SharedBuffer, 3, 8, 4], [K.SharedWrite, 3, 1, 42],
    [K.Value, 'balance', '100'],
  ]), frames);
  const end = new TraceModel(trace).stateAt(trace.count);

  it('holds when the stage shows what the lesson claims', () => {
    // a party whose arguments were recorded is named with them; one whose were not, by its function
    expect(unmetExpectations({ values: { balance: '100' }, locks: { mutex: { holders: ['depositSafe'], waiters: ["depositSafe('bob')"] } }, cells: { '1': 42 }, writers: { '1': 'main' } }, end)).toEqual([]);
  });

  it('says exactly what differs when it does not', () => {
    expect(unmetExpectations({ values: { balance: '300', total: '0' }, locks: { mutex: { holders: [], waiters: ['depositSafe', 'depositSafe'] }, pool: { holders: [] } }, cells: { '0': 1 }, writers: { '0': 'main', '1': 'worker 2' } }, end)).toEqual([
      'shared cell [0]: expected 1, the stage shows null',
      'last writer of shared cell [0]: expected "main", the stage shows null',
      'last writer of shared cell [1]: expected "worker 2", the stage shows "main"',
      'watched value balance: expected "300", the stage shows "100"',
      'watched value total: expected "0", the stage shows no assignment to total yet',
      'lock mutex\'s holders: expected [], the stage shows ["depositSafe"]',
      'lock mutex\'s waiters: expected ["depositSafe","depositSafe"], the stage shows ["depositSafe(\'bob\')"]',
      'lock pool: the stage shows no such lock (locks: "mutex")',
    ]);
  });

  it('hints at the watch comment when nothing is watched at all', () => {
    expect(unmetExpectations({ values: { balance: '0' } }, new TraceModel(buildTrace([])).stateAt(0))).toEqual([
      'watched value balance: expected "0", the stage shows no assignment to balance yet (is it named in a // @watch comment?)',
    ]);
  });
});
