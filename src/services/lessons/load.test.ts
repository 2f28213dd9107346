import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir, writeFiles } from '../../../test/support/temp-dir.ts';
import { MAIN_TS, lessonJson, writeLesson } from './fixtures.test-support.ts';
import { LESSON_LIMITS, LessonLoadError, loadLessonDir, loadLessonLibrary } from './load.ts';

let root: string;
beforeEach(() => {
  root = makeTempDir('lessons');
});
afterEach(() => removeTempDir(root));

describe('loadLessonDir', () => {
  it('loads metadata, narrative and files, entry first', async () => {
    const dir = writeLesson(root, 'two-files', { files: ['main.ts', 'worker.ts'] }, [{ path: 'worker.ts', text: 'export {};\n' }]);
    const loaded = await loadLessonDir(dir);
    expect(loaded.lesson.id).toBe('two-files');
    expect(loaded.readme).toMatch(/What to notice/);
    expect(loaded.files.map((f) => f.path)).toEqual(['main.ts', 'worker.ts']);
    expect(loaded.files[0]?.text).toBe(MAIN_TS);
  });

  it('names the file and field when lesson.json is invalid', async () => {
    const dir = writeLesson(root, 'bad-level', { level: 'expert' });
    await expect(loadLessonDir(dir)).rejects.toThrow('bad-level/lesson.json: level: must be one of "beginner", "intermediate", "advanced", not "expert"');
  });

  it('reports broken JSON with the parser message', async () => {
    writeFiles(root, [{ path: 'broken/lesson.json', text: '{ "id": ' }, { path: 'broken/README.md', text: '# x' }]);
    await expect(loadLessonDir(join(root, 'broken'))).rejects.toThrow(/broken\/lesson.json: is not valid JSON/);
  });

  it('requires the id to match the folder and a README', async () => {
    writeFiles(root, [{ path: 'renamed/lesson.json', text: lessonJson('original') }, { path: 'renamed/main.ts', text: MAIN_TS }]);
    await expect(loadLessonDir(join(root, 'renamed'))).rejects.toThrow(/must equal the lesson's folder name "renamed"/);
    writeFiles(root, [{ path: 'no-readme/lesson.json', text: lessonJson('no-readme') }, { path: 'no-readme/main.ts', text: MAIN_TS }]);
    await expect(loadLessonDir(join(root, 'no-readme'))).rejects.toThrow('no-readme/README.md: does not exist');
  });

  it('refuses a listed file that is a symbolic link, even to a file inside the lesson', async () => {
    const dir = writeLesson(root, 'linked', { files: ['main.ts', 'worker.ts'] });
    symlinkSync(join(dir, 'main.ts'), join(dir, 'worker.ts'));
    await expect(loadLessonDir(dir)).rejects.toThrow('linked/worker.ts: is a symbolic link; lessons may not contain links');
  });

  it('refuses files inside a linked folder and a linked lesson folder', async () => {
    const outside = makeTempDir('outside');
    try {
      writeFileSync(join(outside, 'secret.ts'), 'export const secret = 1;\n');
      const dir = writeLesson(root, 'link-dir', { files: ['main.ts', 'lib/secret.ts'] });
      symlinkSync(outside, join(dir, 'lib'));
      await expect(loadLessonDir(dir)).rejects.toThrow(/link-dir\/lib\/secret.ts: (does not exist|is inside lib, which is a symbolic link)/);
      symlinkSync(join(root, 'link-dir'), join(root, 'alias'));
      await expect(loadLessonDir(join(root, 'alias'))).rejects.toThrow('alias: is a symbolic link; lesson folders must be real folders');
    } finally {
      removeTempDir(outside);
    }
  });

  it('refuses listed paths that escape the folder', async () => {
    const dir = writeLesson(root, 'escape', { files: ['main.ts', '../escape/main.ts'] });
    await expect(loadLessonDir(dir)).rejects.toThrow(/files\[1\]: "..\/escape\/main.ts" is not a relative path inside the lesson/);
  });

  it('caps file sizes before reading and refuses binary files', async () => {
    const dir = writeLesson(root, 'huge', { files: ['main.ts', 'data.txt'] }, [{ path: 'data.txt', text: 'x'.repeat(LESSON_LIMITS.fileBytes + 1) }]);
    await expect(loadLessonDir(dir)).rejects.toThrow(/huge\/data.txt: is \d+ KB; the limit is 256 KB/);
    const bin = writeLesson(root, 'binary', { files: ['main.ts', 'blob.txt'] }, [{ path: 'blob.txt', text: 'a\u0000b' }]);
    await expect(loadLessonDir(bin)).rejects.toThrow(/binary\/blob.txt: looks binary/);
  });

  it('checks markers against the code', async () => {
    const dir = writeLesson(root, 'markers', { checkpoints: [{ name: 'Gone', marker: 'not-there', explain: 'x' }] });
    await expect(loadLessonDir(dir)).rejects.toThrow(/checkpoints\[0\].marker: no "\/\/ @checkpoint not-there" comment in main.ts; main.ts:1: marker "schedule" is not used/);
  });

  it('throws LessonLoadError carrying the offending path', async () => {
    const err = await loadLessonDir(join(root, 'missing')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LessonLoadError);
    expect((err as LessonLoadError).path).toBe(join(root, 'missing'));
  });
});

describe('loadLessonLibrary', () => {
  it('loads the good lessons and lists the broken ones with their paths', async () => {
    writeLesson(root, 'late-row', { rows: [9] });
    writeLesson(root, 'early-row', { rows: [2] });
    writeLesson(root, 'broken-one', { topic: 'nonsense' });
    mkdirSync(join(root, 'empty-folder'));
    mkdirSync(join(root, '.hidden'));
    writeFileSync(join(root, 'README.md'), '# library\n');
    const lib = await loadLessonLibrary(root);
    expect(lib.lessons.map((l) => l.lesson.id)).toEqual(['early-row', 'late-row']);
    expect(lib.errors.map((e) => e.path).sort()).toEqual([join(root, 'broken-one'), join(root, 'empty-folder')]);
    expect(lib.errors.find((e) => e.path.endsWith('broken-one'))?.message).toMatch(/topic: must be one of/);
    expect(lib.errors.find((e) => e.path.endsWith('empty-folder'))?.message).toBe('empty-folder/lesson.json: does not exist');
  });
});
