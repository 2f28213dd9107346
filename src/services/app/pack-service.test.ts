/**
 * Lesson packs through the app's API, as the renderer uses them (an in-memory transport, the real store, loader and
 * pack code): an uploaded .zip becomes a folder of non-bundled lessons; a malicious pack is refused with a clear
 * message and nothing is written; lessons export as a .zip that imports again.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir } from '../../../test/support/temp-dir.ts';
import { FakeRuntime } from '../../runtime/fake-runtime.test-support.ts';
import { validateCall, type Call, type CallResult, type CallType } from '../../shared/ipc/contract.ts';
import { MAIN_TS, lessonJson, writeLesson } from '../lessons/fixtures.test-support.ts';
import { SettingsFile } from '../settings/settings-file.ts';
import { TrustStore } from '../settings/trust-store.ts';
import { LessonStore } from '../store/lesson-store.ts';
import { loadLibrary } from '../store/library.ts';
import { AppService } from './app-service.ts';
import { packFolderName } from './pack-service.ts';

const enc = new TextEncoder();
let work: string;
beforeEach(() => {
  work = makeTempDir('pack-service');
});
afterEach(() => removeTempDir(work));

async function setup() {
  const bundled = join(work, 'bundled');
  writeLesson(bundled, 'bundled-one');
  const dataDir = join(work, 'data');
  const settings = await SettingsFile.open(dataDir);
  const trust = await TrustStore.open(dataDir);
  const store = new LessonStore({ bundledRoot: bundled, dataDir, load: loadLibrary, isTrusted: (f) => trust.isTrusted(f) });
  const saved: string[] = [];
  const service = new AppService({
    store,
    settings,
    trust,
    runtime: new FakeRuntime(),
    pickFolder: async (p) => p ?? null,
    saveExport: async () => null,
    packs: {
      packsDir: join(dataDir, 'packs'),
      pickPack: async (p) => p ?? null,
      savePack: async (name) => {
        const path = join(work, 'out', name);
        saved.push(path);
        return path;
      },
    },
  });
  const events: string[] = [];
  const connection = service.connect((e) => events.push(e.type));
  // Calls go through the contract's validator first, as every transport does.
  const call = <T extends CallType>(c: Call<T>): Promise<CallResult<T>> => connection.handle(validateCall(c)) as Promise<CallResult<T>>;
  return { call, dataDir, settings, events, saved };
}

const upload = (name: string, entries: Zippable) => ({ name, base64: Buffer.from(zipSync(entries)).toString('base64') });
const lessonEntries = (id: string, prefix = `${id}/`): Zippable => ({
  [`${prefix}lesson.json`]: enc.encode(lessonJson(id)),
  [`${prefix}README.md`]: enc.encode(`# ${id}\n`),
  [`${prefix}main.ts`]: enc.encode(MAIN_TS),
});

describe('lessons.importPack', () => {
  it('imports an uploaded .zip into its own folder; its lessons are listed as not bundled and the folder is remembered', async () => {
    const { call, dataDir, settings, events } = await setup();
    const r = await call({ type: 'lessons.importPack', upload: upload('My Pack.zip', lessonEntries('pack-one')) });
    expect(r.folder).toBe(join(dataDir, 'packs', 'my-pack'));
    expect(r.imported).toEqual(['pack-one']);
    expect(r.keys).toEqual(['folder-1/pack-one']);
    const list = await call({ type: 'lessons.list' });
    expect(list.lessons.find((l) => l.key === 'folder-1/pack-one')?.source).toBe(r.folder);
    expect(settings.folders).toEqual([r.folder]);
    expect(events).toContain('lessons.changed');
    // the same pack again goes into a new folder, never over the first
    const again = await call({ type: 'lessons.importPack', upload: upload('My Pack.zip', lessonEntries('pack-one')) });
    expect(again.folder).toBe(join(dataDir, 'packs', 'my-pack-2'));
  });

  it.each([
    ['a path climbing out with ..', { ...lessonEntries('evil'), '../escape.ts': enc.encode('x') }, /climbs out of the pack/],
    ['an absolute path', { ...lessonEntries('evil'), '/etc/evil.ts': enc.encode('x') }, /absolute path/],
    ['an oversized file', { ...lessonEntries('evil'), 'evil/big.bin': new Uint8Array(1024 * 1024 + 1) }, /each file may be at most/],
  ])('refuses a pack with %s, with a clear message, writing nothing', async (_what, entries, message) => {
    const { call, dataDir, settings, events } = await setup();
    await expect(call({ type: 'lessons.importPack', upload: upload('evil.zip', entries) })).rejects.toThrow(message);
    expect(existsSync(join(dataDir, 'packs')) ? readdirSync(join(dataDir, 'packs')) : []).toEqual([]);
    expect(settings.folders).toEqual([]);
    expect(events).not.toContain('lessons.changed');
    expect((await call({ type: 'lessons.list' })).lessons.map((l) => l.key)).toEqual(['bundled/bundled-one']);
  });

  it('refuses a folder pack holding a symbolic link (browser mode: an absolute path)', async () => {
    const { call, dataDir } = await setup();
    const folder = join(work, 'folder-pack');
    writeLesson(folder, 'linked');
    const { symlinkSync } = await import('node:fs');
    symlinkSync('/etc/passwd', join(folder, 'linked', 'passwd'));
    await expect(call({ type: 'lessons.importPack', path: folder })).rejects.toThrow(/symbolic link/);
    expect(existsSync(join(dataDir, 'packs', 'folder-pack'))).toBe(false);
  });

  it('names the import folder safely', () => {
    expect(packFolderName('/tmp/Évil ../../Pack (2).ZIP')).toBe('pack-2');
    expect(packFolderName('....zip')).toBe('pack');
  });
});

describe('lessons.exportPack', () => {
  it('exports a lesson as a .zip that imports again', async () => {
    const { call, saved } = await setup();
    const r = await call({ type: 'lessons.exportPack', keys: ['bundled/bundled-one'], format: 'zip' });
    expect(r).toEqual({ savedTo: saved[0], lessons: ['bundled-one'] });
    const bytes = readFileSync(r.savedTo!);
    const back = await call({ type: 'lessons.importPack', upload: { name: 'back.zip', base64: bytes.toString('base64') } });
    expect(back.imported).toEqual(['bundled-one']);
  });

  it('exports as a folder, and refuses an empty selection', async () => {
    const { call } = await setup();
    const r = await call({ type: 'lessons.exportPack', keys: ['bundled/bundled-one'], format: 'folder' });
    expect(readdirSync(join(r.savedTo!, 'bundled-one')).sort()).toEqual(['README.md', 'lesson.json', 'main.ts']);
    await expect(call({ type: 'lessons.exportPack', keys: [], format: 'zip' })).rejects.toThrow(/at least one lesson/);
  });
});

describe('the contract for packs and trust', () => {
  it.each([
    [{ type: 'lessons.importPack', upload: { name: '../evil.zip', base64: 'AAAA' } }, /upload.name/],
    [{ type: 'lessons.importPack', upload: { name: 'pack.tar', base64: 'AAAA' } }, /upload.name/],
    [{ type: 'lessons.importPack', upload: { name: 'pack.zip', base64: 'not base64!' } }, /upload.base64/],
    [{ type: 'lessons.importPack', upload: { name: 'pack.zip', base64: 'A'.repeat(30 * 1024 * 1024) } }, /lessons.importPack.upload.base64: must be at most \d+ characters \(it has 31457280\)/],
    [{ type: 'lessons.exportPack', keys: ['../../etc'], format: 'zip' }, /keys\[0\]/],
    [{ type: 'lessons.exportPack', keys: ['bundled/a'], format: 'tar' }, /format/],
    // trust is not a setting: the page cannot write it (AppService lessons.trust, trust-store.ts)
    [{ type: 'settings.set', patch: { trustedFolders: ['/home/me/lessons'] } }, /trustedFolders/],
    [{ type: 'settings.set', patch: { trustedFolders: 'all' } }, /trustedFolders/],
    [{ type: 'lessons.trust', key: '../../etc' }, /key/],
    [{ type: 'runs.start', runId: 'r', request: { files: [{ path: 'main.ts', text: '' }], entry: 'main.ts', mode: 'function' } }, /lesson/],
  ])('rejects %j', (raw, message) => {
    expect(() => validateCall(raw)).toThrow(message);
  });

  it('accepts well-formed pack and trust calls', () => {
    expect(validateCall({ type: 'lessons.importPack' })).toEqual({ type: 'lessons.importPack' });
    expect(validateCall({ type: 'lessons.importPack', upload: { name: 'My pack (1).zip', base64: 'UEsDBA==' } }).type).toBe('lessons.importPack');
    expect(validateCall({ type: 'lessons.trust', key: 'folder-1/x' })).toEqual({ type: 'lessons.trust', key: 'folder-1/x' });
  });

  it('trusted folders an older app wrote into settings.json (where the page could write them) trust nothing', async () => {
    const { dataDir } = await setup();
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ version: 1, settings: { theme: 'dark', trustedFolders: [work] }, folders: [], windowBounds: null }));
    const settings = await SettingsFile.open(dataDir);
    expect(settings.settings).not.toHaveProperty('trustedFolders');
    expect(settings.settings.theme).toBe('dark');
    expect((await TrustStore.open(dataDir)).isTrusted(work)).toBe(false);
  });
});
