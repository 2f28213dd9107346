import { describe, expect, it } from 'vitest';
import { isSafeLessonPath, quizAnswerKey, type Lesson } from './format.ts';
import { LessonFormatError, lessonIssues, validateLesson } from './lesson-schema.ts';

const FILES = ['main.ts', 'worker.ts'];

function base(): Record<string, unknown> {
  return {
    $schema: '../lesson.schema.json',
    id: 'sync-vs-timeout',
    title: 'Synchronous code before setTimeout(0)',
    level: 'beginner',
    topic: 'event-loop',
    rows: [1],
    entry: 'main.ts',
    files: ['main.ts', 'worker.ts'],
    expected: { stdout: ['A', 'C', 'B'] },
    checkpoints: [
      { name: 'Timer queued', marker: 'queue-timer', explain: 'The callback waits in the timers queue.' },
      { name: 'Timer runs', consoleLine: 'B', explain: 'The stack is empty, so the loop runs the timer.' },
    ],
    quiz: { prompt: 'In which order?', kind: 'order', lines: ['A', 'C', 'B'] },
  };
}

/** The messages for each field path, to assert on what an author would read. */
function problems(json: unknown, files = FILES, folder?: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of lessonIssues(json, files, folder === undefined ? {} : { folder })) out[i.path] = i.message;
  return out;
}

describe('validateLesson', () => {
  it('accepts a complete lesson and returns it typed', () => {
    const lesson: Lesson = validateLesson(base(), FILES, { folder: 'sync-vs-timeout' });
    expect(lesson.id).toBe('sync-vs-timeout');
    expect(lesson.expected.stdout).toEqual(['A', 'C', 'B']);
  });

  it('never throws anything but LessonFormatError, whatever the input', () => {
    for (const junk of [null, undefined, 42, 'x', [], [1, 2], { id: {} }, { checkpoints: [null, 3] }, { quiz: [] }, { expected: { anyOf: [null] } }]) {
      expect(() => validateLesson(junk, FILES)).toThrow(LessonFormatError);
    }
  });

  it('names every missing required field', () => {
    const p = problems({});
    for (const k of ['id', 'title', 'level', 'topic', 'rows', 'entry', 'files', 'expected', 'checkpoints', 'quiz']) expect(p[k]).toBe('is required');
  });

  it('rejects unknown fields so typos do not drop expectations', () => {
    expect(problems({ ...base(), expect: {} })['expect']).toMatch(/unknown field/);
    expect(problems({ ...base(), expected: { stdout: [], stdoutt: [] } })['expected.stdoutt']).toMatch(/unknown field/);
  });

  it('checks the id: kebab-case and equal to the folder name', () => {
    expect(problems({ ...base(), id: 'Sync_Timeout' })['id']).toMatch(/not kebab-case/);
    expect(problems({ ...base(), id: 'other' }, FILES, 'sync-vs-timeout')['id']).toMatch(/must equal the lesson's folder name "sync-vs-timeout"/);
  });

  it('accepts Node built-ins (or one export of one) in requires, and names each bad entry', () => {
    expect(problems({ ...base(), requires: ['node:crypto', 'node:fs/promises', 'node:perf_hooks.monitorEventLoopDelay'] })).toEqual({});
    const p = problems({ ...base(), requires: ['node:crypto', 'crypto', 'node:crypto', 'node:perf_hooks.', 7] });
    expect(p['requires[1]']).toMatch(/"crypto" is not a Node built-in like "node:stream"/);
    expect(p['requires[2]']).toMatch(/listed twice/);
    expect(p['requires[3]']).toMatch(/"node:perf_hooks." is not a Node built-in/);
    expect(p['requires[4]']).toMatch(/not 7/);
    expect(problems({ ...base(), requires: [] })['requires']).toMatch(/non-empty array/);
  });

  it('checks level, topic and rows against the fixed lists', () => {
    const p = problems({ ...base(), level: 'expert', topic: 'threads', rows: [1, 1, 44, 2.5] });
    expect(p['level']).toMatch(/must be one of "beginner", "intermediate", "advanced", not "expert"/);
    expect(p['topic']).toMatch(/must be one of "event-loop", "promises", .*, not "threads"/);
    expect(p['rows[1]']).toMatch(/listed twice/);
    expect(p['rows[2]']).toMatch(/from 1 to 43/);
    expect(p['rows[3]']).toMatch(/from 1 to 43/);
  });

  it('requires the entry to be listed first and every file to exist inside the folder', () => {
    expect(problems({ ...base(), files: ['worker.ts', 'main.ts'] })['entry']).toMatch(/listed first/);
    expect(problems({ ...base(), entry: 'app.ts' })['entry']).toMatch(/must be listed in files/);
    const p = problems({ ...base(), files: ['main.ts', 'gone.ts', '../secret.ts', '/etc/passwd', 'README.md', 'main.ts'] });
    expect(p['files[1]']).toMatch(/does not exist/);
    expect(p['files[2]']).toMatch(/not a relative path inside the lesson/);
    expect(p['files[3]']).toMatch(/not a relative path inside the lesson/);
    expect(p['files[4]']).toMatch(/not a code file/);
    expect(p['files[5]']).toMatch(/listed twice/);
  });

  it('needs exactly one of stdout and anyOf, with at least two distinct anyOf variants', () => {
    expect(problems({ ...base(), expected: {} })['expected']).toMatch(/needs "stdout"/);
    expect(problems({ ...base(), expected: { stdout: [], anyOf: [] } })['expected']).toMatch(/both/);
    expect(problems({ ...base(), expected: { anyOf: [['A', 'C', 'B']] } })['expected.anyOf']).toMatch(/must be an array of at least 2 accepted outputs/);
    expect(problems({ ...base(), expected: { anyOf: [['A', 'C', 'B'], ['A', 'C', 'B']] } })['expected.anyOf[1]']).toMatch(/repeats/);
    expect(problems({ ...base(), expected: { stdout: ['A', 7] } })['expected.stdout[1]']).toMatch(/must be a string/);
    expect(problems({ ...base(), expected: { stdout: ['A\nB'] } })['expected.stdout[0]']).toMatch(/one line/);
  });

  it('checks exitReason against the run end names and stderrIncludes as strings', () => {
    expect(problems({ ...base(), expected: { stdout: ['A', 'C', 'B'], exitReason: 'crashed' } })['expected.exitReason']).toMatch(/"uncaught error"/);
    expect(problems({ ...base(), expected: { stdout: ['A', 'C', 'B'], exitReason: 'unhandled rejection', stderrIncludes: ['Error: boom'] } })).toEqual({});
    expect(problems({ ...base(), expected: { stdout: ['A', 'C', 'B'], stderrIncludes: [] } })['expected.stderrIncludes']).toMatch(/non-empty/);
  });

  it('checks checkpoints: one of marker/consoleLine, unique names, console lines that are really printed', () => {
    const p = problems({
      ...base(),
      checkpoints: [
        { name: 'a', explain: 'x' },
        { name: 'b', marker: 'm', consoleLine: 'A', explain: 'x' },
        { name: 'c', marker: 'Bad Id', explain: 'x' },
        { name: 'c', consoleLine: 'Z', explain: 'x' },
        { name: 'e', marker: 'm1', explain: '' },
        { name: 'f', consoleLine: 'A', explain: 'x', notes: 42 },
        { name: 'g', consoleLine: 'B', explain: 'x', notes: 'Ask the room before stepping on.' },
      ],
    });
    expect(p['checkpoints[5].notes']).toBeDefined();
    expect(p['checkpoints[6].notes']).toBeUndefined();
    expect(p['checkpoints[0]']).toMatch(/exactly one of "marker"/);
    expect(p['checkpoints[1]']).toMatch(/exactly one of "marker"/);
    expect(p['checkpoints[2].marker']).toMatch(/not kebab-case/);
    expect(p['checkpoints[3].name']).toMatch(/earlier checkpoint/);
    expect(p['checkpoints[3].consoleLine']).toMatch(/"Z" is not a line of the expected output/);
    expect(p['checkpoints[4].explain']).toMatch(/must not be empty/);
  });

  it('requires a consoleLine checkpoint to appear in every accepted output', () => {
    const json = { ...base(), expected: { anyOf: [['A', 'B'], ['B', 'A'], ['A']] }, quiz: { prompt: '?', kind: 'type' } };
    expect(problems(json)['checkpoints[1].consoleLine']).toMatch(/anyOf\[2\]/);
  });

  it('checks quiz lines are printed, in printed order, and that only order quizzes have lines', () => {
    expect(problems({ ...base(), quiz: { prompt: '?', kind: 'order', lines: ['A', 'X'] } })['quiz.lines[1]']).toMatch(/not a line of the expected output/);
    expect(problems({ ...base(), quiz: { prompt: '?', kind: 'order', lines: ['B', 'A'] } })['quiz.lines']).toMatch(/in the order the expected output prints them/);
    expect(problems({ ...base(), quiz: { prompt: '?', kind: 'order', lines: ['A', 'A'] } })['quiz.lines[1]']).toMatch(/more times than printed/);
    expect(problems({ ...base(), quiz: { prompt: '?', kind: 'type', lines: ['A'] } })['quiz.lines']).toMatch(/only an "order" quiz/);
    expect(problems({ ...base(), quiz: { prompt: '?', kind: 'guess' } })['quiz.kind']).toMatch(/"order" or "type"/);
  });

  it('bounds timeoutMs', () => {
    expect(problems({ ...base(), timeoutMs: 5 })['timeoutMs']).toMatch(/from 100 to 10000/);
    expect(problems({ ...base(), timeoutMs: 3000 })).toEqual({});
  });

  it('puts the field path and message in the error text', () => {
    try {
      validateLesson({ ...base(), level: 'expert' }, FILES);
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).toMatch(/^level: must be one of "beginner", "intermediate", "advanced", not "expert"$/);
      expect((err as LessonFormatError).issues).toHaveLength(1);
    }
  });
});

describe('quizAnswerKey', () => {
  it('gives the picked lines in the order each accepted output prints them', () => {
    const lesson = {
      expected: { anyOf: [['start', 'timeout', 'immediate', 'end'], ['start', 'immediate', 'timeout', 'end']] },
      quiz: { prompt: '?', kind: 'order' as const, lines: ['start', 'timeout', 'immediate'] },
    };
    expect(quizAnswerKey(lesson)).toEqual([['start', 'timeout', 'immediate'], ['start', 'immediate', 'timeout']]);
  });

  it('uses the whole output for a type quiz', () => {
    expect(quizAnswerKey({ expected: { stdout: ['a', 'b'] }, quiz: { prompt: '?', kind: 'type' } })).toEqual([['a', 'b']]);
  });
});

describe('isSafeLessonPath', () => {
  it('accepts relative paths and refuses escapes', () => {
    expect(isSafeLessonPath('main.ts')).toBe(true);
    expect(isSafeLessonPath('workers/pool worker.ts')).toBe(true);
    for (const bad of ['', '/abs.ts', '../x.ts', 'a/../b.ts', './a.ts', 'a//b.ts', 'C:\\x.ts', 'a\\b.ts', 'a/ b.ts']) expect(isSafeLessonPath(bad), bad).toBe(false);
  });
});
