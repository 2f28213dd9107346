import { describe, expect, it } from 'vitest';
import { CallbackTasks, type CallbackTask } from './callback-tasks.ts';

const realToString = Function.prototype.toString as (this: unknown) => string;
const task = (id: number, queue: CallbackTask<number>['queue'], extra: Partial<CallbackTask<number>> = {}): CallbackTask<number> => ({ id, info: id, queue, self: true, ...extra });

describe('CallbackTasks: which scheduled lesson callback Node is running', () => {
  it('knows a lesson function by its tracer call, and not a class, a generator or a bound function', () => {
    const tasks = new CallbackTasks<number>(realToString);
    // a function whose source carries the tracer's entry call, as instrumented code does
    const lesson = new Function('const __ls$s = __ls$e(3); try { return 1; } finally { __ls$x(__ls$s); }');
    expect(tasks.selfReporting(lesson)).toBe(true);
    expect(tasks.selfReporting(lesson.bind(null))).toBe(false);
    expect(tasks.selfReporting(() => 1)).toBe(false);
    expect(tasks.selfReporting(class { m() { return '__ls$e(1)'; } })).toBe(false);
    expect(tasks.selfReporting(function* g() { yield '__ls$e(1)'; })).toBe(false);
  });

  it('the timer being run is the one off its list and not destroyed; an interval stays known', () => {
    const tasks = new CallbackTasks<number>(realToString);
    const waiting = { _idleNext: {}, _idlePrev: {}, _destroyed: false };
    const running = { _idleNext: null, _idlePrev: null, _destroyed: false };
    const interval = { _idleNext: {}, _idlePrev: {}, _destroyed: false };
    tasks.add(task(1, 'timer', { handle: waiting }));
    tasks.add(task(2, 'timer', { handle: running }));
    tasks.add(task(3, 'timer', { handle: interval, repeat: true }));
    expect(tasks.current()?.id).toBe(2);
    expect(tasks.current()).toBeNull(); // a timeout runs once
    Object.assign(interval, { _idleNext: null, _idlePrev: null });
    expect(tasks.current()?.id).toBe(3);
    expect(tasks.current()?.id).toBe(3); // still listed: it runs again
    tasks.cancel(interval);
    expect(tasks.current()).toBeNull();
  });

  it('the immediate being run is marked destroyed with its callback still set; a cleared one is not', () => {
    const tasks = new CallbackTasks<number>(realToString);
    const cleared = { _destroyed: true, _onImmediate: null };
    const running = { _destroyed: true, _onImmediate: () => 0 };
    tasks.add(task(1, 'immediate', { handle: cleared }));
    tasks.add(task(2, 'immediate', { handle: running }));
    expect(tasks.current()?.id).toBe(2);
  });

  it('with a tick and a microtask both queued, the queue whose task started last is the one being drained', () => {
    const tasks = new CallbackTasks<number>(realToString);
    tasks.add(task(1, 'tick'));
    tasks.add(task(2, 'micro'));
    expect(tasks.current()?.id).toBe(1);
    tasks.started('micro', 99); // a promise reaction ran: V8 is draining microtasks
    expect(tasks.current()?.id).toBe(2);
    tasks.started('micro', 2);
    expect(tasks.current()?.id).toBe(1);
    tasks.started('tick', 1);
    expect(tasks.current()).toBeNull();
  });

  it('a wrapped callback keeps its place in the queue, and a macrotask means both queues were drained', () => {
    const tasks = new CallbackTasks<number>(realToString);
    tasks.add(task(1, 'tick', { self: false }));
    tasks.add(task(2, 'tick'));
    expect(tasks.current()).toBeNull(); // the wrapped one runs first and says so
    tasks.started('tick', 1);
    expect(tasks.current()?.id).toBe(2);
    tasks.add(task(3, 'micro'));
    tasks.started('macro');
    expect(tasks.current()).toBeNull();
  });
});
