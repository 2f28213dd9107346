/**
 * lessons/lesson.schema.json and the field table in lessons/README.md are generated from the one description of
 * lesson.json (src/shared/lesson/lesson-schema.ts): the checked-in files must equal what `npm run gen:schemas`
 * writes, and the JSON Schema — run by a real JSON Schema validator (Ajv, draft 2020-12, strict) — must agree with
 * `validateLesson` on every bundled lesson and on each kind of mistake a schema can see.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { LESSON_README_FILE, LESSON_SCHEMA_FILE, lessonFieldTable, lessonJsonSchemaText, withFieldTable } from '../../shared/lesson/lesson-json-schema.ts';
import { lessonIssues } from '../../shared/lesson/lesson-schema.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const LESSONS = join(ROOT, 'lessons');

function compileSchema(): (doc: unknown) => boolean {
  // strictRequired off: `required` inside oneOf/anyOf names properties defined beside it, the usual idiom
  const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
  return ajv.compile(JSON.parse(lessonJsonSchemaText()) as object);
}

function bundledLessons(): { id: string; json: Record<string, unknown> }[] {
  return readdirSync(LESSONS, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => ({ id: d.name, json: JSON.parse(readFileSync(join(LESSONS, d.name, 'lesson.json'), 'utf8')) as Record<string, unknown> }));
}

describe('the generated lesson JSON Schema', () => {
  it('is checked in exactly as generated (run npm run gen:schemas after changing lesson-schema.ts)', () => {
    expect(readFileSync(join(ROOT, LESSON_SCHEMA_FILE), 'utf8')).toBe(lessonJsonSchemaText());
  });

  it("is lessons/README.md's field table exactly as generated", () => {
    const readme = readFileSync(join(ROOT, LESSON_README_FILE), 'utf8');
    expect(withFieldTable(readme)).toBe(readme);
    expect(readme).toContain(lessonFieldTable());
  });

  it('compiles under a strict draft 2020-12 validator and accepts every bundled lesson', () => {
    const valid = compileSchema();
    const lessons = bundledLessons();
    expect(lessons.length).toBeGreaterThanOrEqual(18);
    const refused = lessons.filter((l) => !valid(l.json)).map((l) => l.id);
    expect(refused).toEqual([]);
  });

  const base = (): Record<string, unknown> => ({
    $schema: '../lesson.schema.json',
    id: 'two-lines',
    title: 'Two lines',
    level: 'beginner',
    topic: 'event-loop',
    rows: [1],
    entry: 'main.ts',
    files: ['main.ts'],
    expected: { stdout: ['A', 'B'] },
    checkpoints: [{ name: 'B printed', consoleLine: 'B', explain: 'After A.', expect: { console: ['A', 'B'] } }],
    quiz: { prompt: 'Which order?', kind: 'order', lines: ['A', 'B'] },
  });
  const checkpoint = { name: 'x', explain: 'y' };
  const mistakes: [string, (l: Record<string, unknown>) => void][] = [
    ['an unknown field', (l) => (l['expect'] = {})],
    ['a missing field', (l) => delete l['quiz']],
    ['an id that is not kebab-case', (l) => (l['id'] = 'Two_Lines')],
    ['an unknown level', (l) => (l['level'] = 'expert')],
    ['a row past the catalogue', (l) => (l['rows'] = [44])],
    ['a row listed twice', (l) => (l['rows'] = [1, 1])],
    ['an entry climbing out', (l) => (l['entry'] = '../x.ts')],
    ['README.md as a code file', (l) => (l['files'] = ['main.ts', 'README.md'])],
    ['both stdout and anyOf', (l) => (l['expected'] = { stdout: ['A'], anyOf: [['A'], ['B']] })],
    ['neither stdout nor anyOf', (l) => (l['expected'] = { exitReason: 'completed' })],
    ['a single anyOf variant', (l) => (l['expected'] = { anyOf: [['A', 'B']] })],
    ['a two-line console line', (l) => (l['expected'] = { stdout: ['A\nB'] })],
    ['an unknown exit reason', (l) => (l['expected'] = { stdout: ['A', 'B'], exitReason: 'crashed' })],
    ['a checkpoint with marker and consoleLine', (l) => (l['checkpoints'] = [{ ...checkpoint, marker: 'm', consoleLine: 'B' }])],
    ['a checkpoint with neither', (l) => (l['checkpoints'] = [checkpoint])],
    ['an empty explanation', (l) => (l['checkpoints'] = [{ ...checkpoint, marker: 'm', explain: '' }])],
    ['an expect with only an agent', (l) => (l['checkpoints'] = [{ ...checkpoint, marker: 'm', expect: { agent: 0 } }])],
    ['an unknown expectation', (l) => (l['checkpoints'] = [{ ...checkpoint, marker: 'm', expect: { pendingTimer: 1 } }])],
    ['an unknown queue', (l) => (l['checkpoints'] = [{ ...checkpoint, marker: 'm', expect: { queues: { later: 1 } } }])],
    ['a cell index that is not a number', (l) => (l['checkpoints'] = [{ ...checkpoint, marker: 'm', expect: { cells: { x: 1 } } }])],
    ['a type quiz with lines', (l) => (l['quiz'] = { prompt: '?', kind: 'type', lines: ['A', 'B'] })],
    ['a one-line order quiz', (l) => (l['quiz'] = { prompt: '?', kind: 'order', lines: ['A'] })],
    ['a timeout below 100 ms', (l) => (l['timeoutMs'] = 5)],
    ['a requirement that is not a built-in', (l) => (l['requires'] = ['crypto'])],
  ];

  it('accepts the valid example, like validateLesson', () => {
    expect(compileSchema()(base())).toBe(true);
    expect(lessonIssues(base(), ['main.ts'], { folder: 'two-lines' })).toEqual([]);
  });

  it.each(mistakes)('refuses %s, like validateLesson', (_what, mutate) => {
    const lesson = base();
    mutate(lesson);
    expect(compileSchema()(lesson)).toBe(false);
    expect(lessonIssues(lesson, ['main.ts'], { folder: 'two-lines' })).not.toEqual([]);
  });
});
