/**
 * The app's own lesson library (lessons/): every lesson loads and validates, and together they cover every
 * row of the catalogue. Running them is `loopscope check lessons` (it needs the runtime host).
 */
import { isBuiltin } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CATALOGUE_ROWS } from '../../shared/lesson/format.ts';
import { loadLessonLibrary } from './load.ts';

const LESSONS = fileURLToPath(new URL('../../../lessons', import.meta.url));

describe('the built-in lesson library', () => {
  it('loads every lesson without errors', async () => {
    const { lessons, errors } = await loadLessonLibrary(LESSONS);
    expect(errors).toEqual([]);
    expect(lessons.length).toBeGreaterThanOrEqual(18);
  });

  it('covers every catalogue row', async () => {
    const { lessons } = await loadLessonLibrary(LESSONS);
    const covered = new Set(lessons.flatMap((l) => l.lesson.rows));
    const missing = Array.from({ length: CATALOGUE_ROWS }, (_, i) => i + 1).filter((row) => !covered.has(row));
    expect(missing).toEqual([]);
  });

  it('imports only Node built-ins (with node: specifiers), the packages the runtime serves and its own files', async () => {
    const served = ['async-mutex', '@loopscope/kit'];
    const { lessons } = await loadLessonLibrary(LESSONS);
    for (const l of lessons) {
      const allowed = { has: (spec: string) => (spec.startsWith('node:') && isBuiltin(spec)) || served.includes(spec) };
      for (const f of l.files) {
        // `import type` is erased before the code runs, so it loads nothing.
        for (const m of f.text.matchAll(/^import (?!type )(?:.* from )?'([^']+)';$/gm)) {
          const spec = m[1]!;
          if (!spec.startsWith('./')) expect(allowed.has(spec), `${l.lesson.id}/${f.path} imports ${spec}`).toBe(true);
        }
      }
    }
  });

  it('explains nondeterministic output in the narrative', async () => {
    const { lessons } = await loadLessonLibrary(LESSONS);
    for (const l of lessons.filter((x) => x.lesson.expected.anyOf)) {
      expect(l.readme, l.lesson.id).toMatch(/nondeterministic|race/i);
    }
  });

  it('has a JSON Schema that lists the same levels and topics as the validator', async () => {
    const schema = JSON.parse(readFileSync(`${LESSONS}/lesson.schema.json`, 'utf8')) as { properties: Record<string, { enum?: string[] }> };
    const { LESSON_LEVELS, LESSON_TOPICS } = await import('../../shared/lesson/format.ts');
    expect(schema.properties['level']?.enum).toEqual([...LESSON_LEVELS]);
    expect(schema.properties['topic']?.enum).toEqual([...LESSON_TOPICS]);
  });
});
