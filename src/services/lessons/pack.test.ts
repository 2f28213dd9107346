import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, linkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir } from '../../../test/support/temp-dir.ts';
import { MAIN_TS, lessonJson, writeLesson } from './fixtures.test-support.ts';
import { loadLessonLibrary } from './load.ts';
import { PackError, exportPack, importPack, packPathProblem } from './pack.ts';
import { readZipDirectory } from './zip.ts';

const enc = new TextEncoder();
let work: string;
let library: string;
beforeEach(() => {
  work = makeTempDir('pack');
  library = join(work, 'library');
  writeLesson(library, 'already-here');
});
afterEach(() => removeTempDir(work));

/** Every file under `dir` with its size and mtime: "untouched" means this does not change. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      const st = statSync(full);
      out.push(`${full.slice(dir.length)} ${st.isDirectory() ? 'dir' : st.size} ${st.mtimeMs}`);
      if (st.isDirectory()) walk(full);
    }
  };
  walk(dir);
  return out;
}

function lessonEntries(id: string, prefix = `${id}/`): Zippable {
  return {
    [`${prefix}lesson.json`]: enc.encode(lessonJson(id)),
    [`${prefix}README.md`]: enc.encode(`# ${id}\n`),
    [`${prefix}main.ts`]: enc.encode(MAIN_TS),
  };
}

function writeZipFile(name: string, entries: Zippable): string {
  const path = join(work, name);
  writeFileSync(path, zipSync(entries));
  return path;
}

async function refusal(p: Promise<unknown>): Promise<PackError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(PackError);
  return err as PackError;
}

describe('importPack from a .zip', () => {
  it('imports valid lessons (through a wrapping folder) and they load', async () => {
    const zip = writeZipFile('pack.zip', { ...lessonEntries('pack-one', 'my-pack/pack-one/'), ...lessonEntries('pack-two', 'my-pack/pack-two/'), 'my-pack/README.md': enc.encode('# pack') });
    const result = await importPack(zip, library);
    expect(result.imported).toEqual(['pack-one', 'pack-two']);
    const lib = await loadLessonLibrary(library);
    expect(lib.lessons.map((l) => l.lesson.id).sort()).toEqual(['already-here', 'pack-one', 'pack-two']);
    expect(lib.errors).toEqual([]);
    expect(readdirSync(library).filter((n) => n.startsWith('.'))).toEqual([]); // temp folder gone
  });

  it('imports a single lesson zipped at its root', async () => {
    const zip = writeZipFile('one.zip', lessonEntries('solo-lesson', ''));
    expect((await importPack(zip, library)).imported).toEqual(['solo-lesson']);
  });

  it.each([
    ['zip-slip', { '../x': enc.encode('pwned') }, /"..\/x" climbs out of the pack/],
    ['zip-slip inside a lesson', { 'evil/../../x.ts': enc.encode('pwned') }, /climbs out of the pack/],
    ['absolute path', { '/tmp/loopscope-pwned': enc.encode('pwned') }, /"\/tmp\/loopscope-pwned" is an absolute path/],
    ['drive letter', { 'C:/pwned.ts': enc.encode('pwned') }, /is an absolute path/],
    ['backslash', { 'evil\\..\\..\\x.ts': enc.encode('pwned') }, /contains a backslash/],
    ['oversize entry', { 'big/data.txt': new Uint8Array(1024 * 1024 + 1) }, /"big\/data.txt" is 1.0 MB; each file may be at most 1.0 MB/],
  ])('refuses a %s and leaves the library untouched', async (_name, bad, message) => {
    const zip = writeZipFile('evil.zip', { ...lessonEntries('innocent'), ...(bad as Zippable) });
    const before = snapshot(work);
    const err = await refusal(importPack(zip, library));
    expect(err.message).toMatch(message);
    expect(snapshot(work)).toEqual(before);
  });

  it('refuses symbolic links stored in the archive', async () => {
    const zip = writeZipFile('link.zip', { ...lessonEntries('innocent'), 'innocent/worker.ts': [enc.encode('/etc/passwd'), { os: 3, attrs: (0o120777 << 16) >>> 0 }] });
    const before = snapshot(work);
    expect((await refusal(importPack(zip, library))).message).toMatch(/"innocent\/worker.ts" is a symbolic link/);
    expect(snapshot(work)).toEqual(before);
  });

  it('refuses a pack whose total size is over 20 MB', async () => {
    const entries: Zippable = { ...lessonEntries('innocent') };
    for (let i = 0; i < 21; i++) entries[`innocent/blob-${i}.txt`] = new Uint8Array(1024 * 1024 - 10);
    const zip = writeZipFile('huge.zip', entries);
    const before = snapshot(work);
    expect((await refusal(importPack(zip, library))).message).toMatch(/unpacks to 21.0 MB; at most 20.0 MB/);
    expect(snapshot(work)).toEqual(before);
  });

  it('refuses an entry that inflates past the size it declares (a lying zip bomb)', async () => {
    const path = writeZipFile('bomb.zip', { ...lessonEntries('innocent'), 'innocent/bomb.txt': new Uint8Array(2 * 1024 * 1024) });
    const bytes = readFileSync(path);
    // Rewrite bomb.txt's declared size in the central directory to 100 bytes.
    const entry = readZipDirectory(bytes).find((e) => e.name === 'innocent/bomb.txt')!;
    const cd = bytes.indexOf(Buffer.from('innocent/bomb.txt'), entry.localOffset + 30 + 17) - 46;
    bytes.writeUInt32LE(100, cd + 24);
    writeFileSync(path, bytes);
    const before = snapshot(work);
    expect((await refusal(importPack(path, library))).message).toMatch(/innocent\/bomb.txt: inflates past its declared size \(100 bytes\)/);
    expect(snapshot(work)).toEqual(before);
  });

  it('refuses the whole pack when one lesson is invalid, and clashes with existing lessons', async () => {
    const broken = { ...lessonEntries('fine-one'), ...lessonEntries('broken-one'), 'broken-one/lesson.json': enc.encode(lessonJson('broken-one', { level: 'expert' })) };
    const brokenZip = writeZipFile('broken.zip', broken);
    const clashZip = writeZipFile('clash.zip', lessonEntries('already-here'));
    const before = snapshot(work);
    expect((await refusal(importPack(brokenZip, library))).message).toMatch(/broken-one\/lesson.json: level: must be one of/);
    expect((await refusal(importPack(clashZip, library))).message).toMatch(/a lesson "already-here" already exists/);
    expect(snapshot(work)).toEqual(before);
  });

  it('replaces an existing lesson only when asked', async () => {
    const entries = { ...lessonEntries('already-here'), 'already-here/README.md': enc.encode('# replaced\n') };
    await importPack(writeZipFile('new.zip', entries), library, { replace: true });
    expect(readFileSync(join(library, 'already-here', 'README.md'), 'utf8')).toBe('# replaced\n');
    expect(readdirSync(library)).toEqual(['already-here']);
  });

  it('refuses files that are not zips and folders that are not lessons', async () => {
    writeFileSync(join(work, 'fake.zip'), 'not a zip at all');
    expect((await refusal(importPack(join(work, 'fake.zip'), library))).message).toMatch(/not a ZIP archive/);
    expect((await refusal(importPack(writeZipFile('loose.zip', { 'Not An Id/lesson.json': enc.encode('{}') }), library))).message).toMatch(/folder "Not An Id" is not a kebab-case lesson id/);
  });

  it('refuses a FIFO or a device behind a .zip name at once, writing nothing', async () => {
    execFileSync('mkfifo', [join(work, 'pipe.zip')]);
    expect((await refusal(importPack(join(work, 'pipe.zip'), library))).message).toMatch(/pipe\.zip is not a file/);
    symlinkSync('/dev/zero', join(work, 'zero.zip'));
    expect((await refusal(importPack(join(work, 'zero.zip'), library))).message).toMatch(/zero\.zip is not a file/);
    expect(readdirSync(library)).toEqual(['already-here']);
  });
});

describe('importPack from a folder', () => {
  it('imports lesson folders', async () => {
    const source = join(work, 'source');
    writeLesson(source, 'from-folder');
    expect((await importPack(source, library)).imported).toEqual(['from-folder']);
  });

  it('refuses symbolic and hard links without following them, writing nothing', async () => {
    const source = join(work, 'source');
    writeLesson(source, 'linky');
    writeFileSync(join(work, 'secret.txt'), 'secret');
    symlinkSync(join(work, 'secret.txt'), join(source, 'linky', 'data.txt'));
    const before = snapshot(library);
    expect((await refusal(importPack(source, library))).message).toMatch(/"linky\/data.txt" is a symbolic link/);
    const hard = join(work, 'hard');
    writeLesson(hard, 'hardly');
    linkSync(join(work, 'secret.txt'), join(hard, 'hardly', 'data.txt'));
    expect((await refusal(importPack(hard, library))).message).toMatch(/"hardly\/data.txt" is a hard link/);
    expect(snapshot(library)).toEqual(before);
  });

  it('refuses an oversize file', async () => {
    const source = join(work, 'source');
    writeLesson(source, 'heavy');
    writeFileSync(join(source, 'heavy', 'data.txt'), new Uint8Array(1024 * 1024 + 1));
    expect((await refusal(importPack(source, library))).message).toMatch(/"heavy\/data.txt" is 1.0 MB/);
  });
});

describe('exportPack', () => {
  it('round-trips lessons through a .zip and a folder', async () => {
    writeLesson(library, 'second', {}, []);
    const zip = join(work, 'out', 'lessons.zip');
    const exported = await exportPack([join(library, 'already-here'), join(library, 'second')], zip);
    expect(exported.lessons).toEqual(['already-here', 'second']);
    expect(readZipDirectory(readFileSync(zip)).map((e) => e.name).sort()).toEqual([
      'already-here/README.md', 'already-here/lesson.json', 'already-here/main.ts', 'second/README.md', 'second/lesson.json', 'second/main.ts',
    ]);
    const other = join(work, 'other-library');
    expect((await importPack(zip, other)).imported).toEqual(['already-here', 'second']);
    const folder = join(work, 'out', 'folder-pack');
    await exportPack([join(other, 'second')], folder);
    expect(readdirSync(join(folder, 'second')).sort()).toEqual(['README.md', 'lesson.json', 'main.ts']);
  });

  it('refuses to overwrite and to export an invalid lesson', async () => {
    mkdirSync(join(work, 'exists'));
    expect((await refusal(exportPack([join(library, 'already-here')], join(work, 'exists')))).message).toMatch(/already exists/);
    writeLesson(library, 'invalid', { rows: [99] });
    await expect(exportPack([join(library, 'invalid')], join(work, 'x.zip'))).rejects.toThrow(/rows\[0\]/);
    expect(readdirSync(work).sort()).toEqual(['exists', 'library']);
  });
});

describe('packPathProblem', () => {
  it('accepts ordinary lesson paths', () => {
    expect(packPathProblem('my-lesson/main.ts')).toBeNull();
    expect(packPathProblem('my-lesson/')).toBeNull();
  });
});
