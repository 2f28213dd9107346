// One loader everywhere: `loopscope run <dir|file>` reads lessons and snippets with the same rules (and messages)
// as the app's library and `loopscope check`. Each case below is an attack a lesson folder or a file argument tried.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir } from '../../../test/support/temp-dir.ts';
import { lessonJson, MAIN_TS, writeLesson } from './fixtures.test-support.ts';
import { loadLessonDir, loadLessonLibrary } from './load.ts';
import { loadRunTarget } from './run-target.ts';

const ROOT = new URL('../../..', import.meta.url).pathname;
const cli = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin/loopscope.mjs'), ...args], { encoding: 'utf8', cwd: ROOT, timeout: 60_000 });

let work: string;
let secret: string;
beforeEach(() => {
  work = makeTempDir('run-target');
  secret = join(work, 'secret.txt');
  writeFileSync(secret, 'SSH-PRIVATE-KEY-CONTENTS');
});
afterEach(() => removeTempDir(work));

/** The message each loader gives for `dir`, or null when it loads. */
async function messages(dir: string): Promise<{ app: string | null; run: string | null; check: string | null }> {
  const app = await loadLessonDir(dir).then(() => null, (e: Error) => e.message);
  const run = await loadRunTarget(dir).then(() => null, (e: Error) => e.message);
  const lib = await loadLessonLibrary(dir);
  return { app, run, check: lib.errors[0]?.message ?? null };
}

describe('a lesson folder, the same for the app, run and check', () => {
  it('refuses a listed file that is a link to a file outside (a secret is never read)', async () => {
    const dir = writeLesson(work, 'linked', { files: ['main.ts', 'data.txt'] });
    symlinkSync(secret, join(dir, 'data.txt'));
    const m = await messages(dir);
    expect(m.app).toBe('linked/data.txt: is a symbolic link; lessons may not contain links');
    expect(m.run).toBe(m.app);
    expect(m.check).toBe(m.app);
    const r = cli('run', dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`loopscope: ${m.app}\n`);
    expect(r.stdout + r.stderr).not.toContain('SSH-PRIVATE-KEY');
  });

  it('refuses lesson.json naming ../../dev/zero before reading anything (it drove the old CLI to 4 GB)', async () => {
    const dir = writeLesson(work, 'zero', { files: ['main.ts', '../../dev/zero'] });
    const m = await messages(dir);
    expect(m.app).toMatch(/^zero\/lesson\.json: .*"\.\.\/\.\.\/dev\/zero" is not a relative path inside the lesson/);
    expect(m.run).toBe(m.app);
    const r = cli('run', dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`loopscope: ${m.app}\n`);
  });

  it('refuses a listed file over the size cap from its size, and a folder that is a link', async () => {
    const dir = writeLesson(work, 'big', { files: ['main.ts', 'big.txt'] });
    writeFileSync(join(dir, 'big.txt'), 'x'.repeat(300 * 1024));
    expect((await messages(dir)).run).toBe('big/big.txt: is 300 KB; the limit is 256 KB');
    symlinkSync(dir, join(work, 'via-link'));
    await expect(loadRunTarget(join(work, 'via-link'))).rejects.toThrow(/via-link: is not a \.ts\/\.js file|symbolic link/);
  });

  it('a valid lesson folder gives its listed files, entry and time limit', async () => {
    const dir = writeLesson(work, 'fine', { timeoutMs: 2000 });
    writeFileSync(join(dir, 'notes.txt'), 'not listed: not sent');
    expect(await loadRunTarget(dir)).toEqual({ files: [{ path: 'main.ts', text: MAIN_TS }], entry: 'main.ts', timeoutMs: 2000 });
  });
});

describe('a file argument', () => {
  it('is read once with a cap: /dev/zero behind a .ts name and a FIFO are refused at once', async () => {
    symlinkSync('/dev/zero', join(work, 'zero.ts'));
    await expect(loadRunTarget(join(work, 'zero.ts'))).rejects.toThrow('zero.ts: is not a regular file');
    execFileSync('mkfifo', [join(work, 'pipe.ts')]);
    await expect(loadRunTarget(join(work, 'pipe.ts'))).rejects.toThrow('pipe.ts: is not a regular file');
    writeFileSync(join(work, 'huge.ts'), `// ${'x'.repeat(400 * 1024)}\n`);
    await expect(loadRunTarget(join(work, 'huge.ts'))).rejects.toThrow(/huge\.ts: is 401 KB; the limit is 256 KB/);
    const r = cli('run', join(work, 'zero.ts'));
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`loopscope: ${join(work, 'zero.ts')}: is not a regular file\n`);
  });

  it('brings its sibling code and data files, but not links, folders or oversized files', async () => {
    const dir = join(work, 'snippet');
    mkdirSync(dir);
    writeFileSync(join(dir, 'main.ts'), "console.log('hi');\n");
    writeFileSync(join(dir, 'helper.ts'), 'export const x = 1;\n');
    symlinkSync(secret, join(dir, 'leak.txt'));
    mkdirSync(join(dir, 'folder.ts'));
    writeFileSync(join(dir, 'big.json'), `"${'x'.repeat(300 * 1024)}"`);
    writeFileSync(join(dir, 'lesson.json'), lessonJson('x'));
    const t = await loadRunTarget(join(dir, 'main.ts'));
    expect(t.entry).toBe('main.ts');
    expect(t.files.map((f) => f.path)).toEqual(['main.ts', 'helper.ts', 'lesson.json']);
    expect(JSON.stringify(t)).not.toContain('SSH-PRIVATE-KEY');
  });
});
