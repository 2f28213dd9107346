/**
 * The app's own lesson library (lessons/): every lesson loads and validates, and together they cover every
 * row of the catalogue. Running them is `loopscope check lessons` (it needs the runtime host).
 */
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

  it('uses only modules the sandbox provides or its "requires" declares, with node: specifiers', async () => {
    const sandbox = ['node:worker_threads', 'node:events', 'node:timers', 'node:timers/promises', 'node:os', 'node:util', 'node:assert', 'node:perf_hooks', 'async-mutex', '@loopscope/kit'];
    const { lessons } = await loadLessonLibrary(LESSONS);
    for (const l of lessons) {
      const allowed = new Set([...sandbox, ...(l.lesson.requires ?? []).map((r) => r.split('.')[0]!)]);
      for (const f of l.files) {
        // `import type` is erased before the code runs, so it loads nothing.
        for (const m of f.text.matchAll(/^import (?!type )(?:.* from )?'([^']+)';$/gm)) {
          const spec = m[1]!;
          if (!spec.startsWith('./')) expect(allowed, `${l.lesson.id}/${f.path} imports ${spec}`).toContain(spec);
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
