import { describe, expect, it } from 'vitest';
import { TraceModel } from '../trace/model.ts';
import { EventKind as K, Phase, TaskKind } from '../trace/schema.ts';
import { buildTrace, withClock, type EventRow } from '../trace/test-support.ts';
import type { Lesson } from './format.ts';
import { describeOrigin, printedLines, quizFeedback } from './quiz-explain.ts';

/** sync 1 / sync 2 from the script, "promise" from a reaction, "tick" from nextTick, "timeout" from a timer. */
function orderingTrace() {
  const rows: EventRow[] = [
    [K.AgentStart, 0, -1, 'main', 'main.ts'],
    [K.TaskSchedule, 1, TaskKind.Script, 0, -1, 0],
    [K.TaskRunnable, 1],
    [K.TaskStart, 1, Phase.Main],
    [K.Console, 0, 'sync 1'],
    [K.TaskSchedule, 2, TaskKind.Timeout, 0, 1, 0],
    [K.TaskSchedule, 3, TaskKind.PromiseReaction, 0, 1, 0],
    [K.TaskRunnable, 3],
    [K.TaskSchedule, 4, TaskKind.NextTick, 0, 1, 0],
    [K.TaskRunnable, 4],
    [K.Console, 1, 'on stderr'],
    [K.Console, 0, 'sync 2'],
    [K.TaskEnd, 1, 0],
    [K.MicrotaskCheckpoint, Phase.Main],
    [K.TaskStart, 4, Phase.Main],
    [K.Console, 0, 'tick'],
    [K.TaskEnd, 4, 0],
    [K.TaskStart, 3, Phase.Main],
    [K.Console, 0, 'promise'],
    [K.TaskEnd, 3, 0],
    [K.TaskRunnable, 2],
    [K.TaskStart, 2, Phase.Timers],
    [K.Console, 2, 'time'],
    [K.Console, 2, 'out\n'],
    [K.TaskEnd, 2, 0],
    [K.AgentEnd, 0, 0],
  ];
  return new TraceModel(buildTrace(withClock(rows)));
}

const typeQuiz: Pick<Lesson, 'expected' | 'quiz'> = { expected: { stdout: ['sync 1', 'sync 2', 'tick', 'promise', 'timeout'] }, quiz: { prompt: 'Type the output.', kind: 'type' } };

describe('printedLines', () => {
  it('lists stdout lines in print order with the task that printed each (stderr left out, writes joined)', () => {
    const printed = printedLines(orderingTrace());
    expect(printed.map((p) => p.text)).toEqual(['sync 1', 'sync 2', 'tick', 'promise', 'timeout']);
    expect(printed.map((p) => p.origin?.kind)).toEqual([TaskKind.Script, TaskKind.Script, TaskKind.NextTick, TaskKind.PromiseReaction, TaskKind.Timeout]);
    expect(printed[4]!.origin?.phase).toBe(Phase.Timers);
    expect(printed[4]!.origin?.runnableStep).toBeGreaterThan(printed[3]!.step);
  });
});

describe('quizFeedback', () => {
  it('a right prediction is all right, with jumps to where each line was printed', () => {
    const model = orderingTrace();
    const f = quizFeedback(typeQuiz, ['sync 1', 'sync 2', 'tick', 'promise', 'timeout'], printedLines(model));
    expect(f.correct).toBe(true);
    expect(f.rightCount).toBe(5);
    expect(f.lines.every((l) => l.why === '')).toBe(true);
    // the cursor is just after the Console event that printed (or, for a written line, started) the line
    for (const l of f.lines) expect(model.stateAt(l.jumpCursor!).console.at(-1)?.step).toBe(l.printed!.step);
  });

  it('a timeout predicted before the promise is wrong, and the explanation names the timers phase and the microtask queue', () => {
    const f = quizFeedback(typeQuiz, ['sync 1', 'sync 2', 'timeout', 'tick', 'promise'], printedLines(orderingTrace()));
    expect(f.correct).toBe(false);
    expect(f.lines.map((l) => l.ok)).toEqual([true, true, false, false, false]);
    const timeout = f.lines[2]!;
    expect(timeout.why).toContain('setTimeout callback in the timers phase, after the microtask queues drained');
    expect(timeout.why).toContain('You put it 3rd; Node printed it 5th.');
    expect(timeout.why).toContain('before "tick", which Node printed earlier, from a process.nextTick callback from the nextTick queue');
    const promise = f.lines[4]!;
    expect(promise.why).toContain('promise reaction');
    expect(promise.why).toContain('microtask queue');
    expect(promise.why).toContain('after the main script');
    expect(promise.jumpCursor).not.toBeNull();
  });

  it('an order quiz with lines is scored on those lines only, in the order this run printed them', () => {
    const quiz: Pick<Lesson, 'expected' | 'quiz'> = { expected: typeQuiz.expected, quiz: { prompt: 'Order them', kind: 'order', lines: ['sync 2', 'promise', 'timeout'] } };
    const printed = printedLines(orderingTrace());
    expect(quizFeedback(quiz, ['sync 2', 'promise', 'timeout'], printed).correct).toBe(true);
    const f = quizFeedback(quiz, ['promise', 'sync 2', 'timeout'], printed);
    expect(f.actual).toEqual(['sync 2', 'promise', 'timeout']);
    expect(f.lines.map((l) => l.ok)).toEqual([false, false, true]);
    expect(f.lines[1]!.why).toContain('main script itself');
  });

  it('lists lines the learner left out and marks lines the run never printed', () => {
    const f = quizFeedback(typeQuiz, ['sync 1', 'sync 2', 'tick', 'promise', 'done'], printedLines(orderingTrace()));
    expect(f.lines[4]).toMatchObject({ ok: false, expectedIndex: -1, printed: null, jumpCursor: null });
    expect(f.lines[4]!.why).toMatch(/did not print/);
    expect(f.missing.map((m) => m.text)).toEqual(['timeout']);
    expect(f.missing[0]!.why).toContain('timers phase');
    expect(f.missing[0]!.jumpCursor).toBeGreaterThan(0);
  });

  it('an answer matching another accepted output of an unedited lesson counts as right', () => {
    const lesson: Pick<Lesson, 'expected' | 'quiz'> = {
      expected: { anyOf: [['sync 1', 'sync 2', 'tick', 'promise', 'timeout'], ['sync 1', 'sync 2', 'tick', 'timeout', 'promise']] },
      quiz: { prompt: 'Type it', kind: 'type' },
    };
    const answer = ['sync 1', 'sync 2', 'tick', 'timeout', 'promise'];
    const printed = printedLines(orderingTrace());
    expect(quizFeedback(lesson, answer, printed, { lessonUnedited: true })).toMatchObject({ correct: true, acceptedVariant: true });
    // once edited, only what the code printed counts
    expect(quizFeedback(lesson, answer, printed, { lessonUnedited: false }).correct).toBe(false);
  });
});

describe('describeOrigin', () => {
  it('names workers and kit labels', () => {
    const text = describeOrigin({ agent: 1, agentName: 'Worker 1', taskId: 5, kind: TaskKind.Io, label: 'GET api/users', phase: Phase.Poll, startStep: 9, runnableStep: 8 });
    expect(text).toBe('Printed by an I/O callback ("GET api/users") on Worker 1 in the poll phase, after the microtask queues drained: the event loop only takes it from the poll queue once the current task and all its microtasks are done.');
  });
});
