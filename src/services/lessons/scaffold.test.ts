import { readdirSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir } from '../../../test/support/temp-dir.ts';
import { loadLessonDir } from './load.ts';
import { scaffoldLesson } from './scaffold.ts';

let root: string;
beforeEach(() => {
  root = makeTempDir('scaffold');
});
afterEach(() => removeTempDir(root));

describe('scaffoldLesson', () => {
  it('writes a lesson that loads and validates as is', async () => {
    const dir = await scaffoldLesson(root, 'my-first-lesson');
    const loaded = await loadLessonDir(dir);
    expect(loaded.lesson.title).toBe('My first lesson');
    expect(loaded.files.map((f) => f.path)).toEqual(['main.ts']);
    expect(loaded.readme).toMatch(/## What to notice/);
    expect(readdirSync(root)).toEqual(['my-first-lesson']); // no temporary folder left behind
  });

  it('refuses bad ids and existing lessons, writing nothing', async () => {
    for (const bad of ['My Lesson', '../escape', 'a--b', '', 'x'.repeat(65), 'trailing-']) {
      await expect(scaffoldLesson(root, bad)).rejects.toThrow(/is not a valid lesson id: use kebab-case/);
    }
    expect(readdirSync(root)).toEqual([]);
    await scaffoldLesson(root, 'taken');
    await expect(scaffoldLesson(root, 'taken')).rejects.toThrow(/a lesson "taken" already exists/);
    expect(readdirSync(root)).toEqual(['taken']);
  });
});
