import { mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { flushWrites, writeFileAtomic } from './atomic-write.ts';
import { LessonStore } from './lesson-store.ts';
import type { LibraryLesson, LoadLibrary } from './library.ts';
import { SettingsFile } from '../settings/settings-file.ts';
import { DEFAULT_SETTINGS } from '../../shared/ipc/contract.ts';

const lesson = (id: string, files: Record<string, string>, topic = 'event-loop'): LibraryLesson => ({
  lesson: { id, title: `Lesson ${id}`, level: 'beginner', topic, rows: [1], entry: 'main.ts', files: Object.keys(files), expected: { stdout: [] }, checkpoints: [], quiz: { prompt: 'p', kind: 'type' } } as unknown as LibraryLesson['lesson'],
  readme: `# ${id}`,
  files: Object.entries(files).map(([path, text]) => ({ path, text })),
});

/** A loader over an in-memory map of folder → lessons. */
function fakeLoader(folders: Record<string, LibraryLesson[]>): LoadLibrary {
  return async (root) => {
    const lessons = folders[root];
    if (!lessons) throw new Error(`no such folder ${root}`);
    return { lessons, problems: [] };
  };
}

let dataDir: string;
let store: LessonStore;
const bundled = '/bundled-lessons';

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'loopscope-store-'));
  store = new LessonStore({
    bundledRoot: bundled,
    dataDir,
    load: fakeLoader({ [bundled]: [lesson('timers', { 'main.ts': 'setTimeout(f, 0);', 'worker.ts': 'w' }), lesson('ticks', { 'main.ts': 'tick' }, 'promises')] }),
  });
});

describe('lesson store', () => {
  it('lists bundled lessons with keys, unedited', async () => {
    const list = await store.list();
    expect(list.lessons.map((l) => [l.key, l.topic, l.edited])).toEqual([
      ['bundled/timers', 'event-loop', false],
      ['bundled/ticks', 'promises', false],
    ]);
  });

  it('keeps an edit, marks the lesson edited and reopens with the edit', async () => {
    await expect(store.save('bundled/timers', [{ path: 'main.ts', text: 'setTimeout(g, 5);' }])).resolves.toEqual({ edited: true });
    const reopened = await store.open('bundled/timers');
    expect(reopened.edited).toBe(true);
    expect(reopened.files).toEqual([{ path: 'main.ts', text: 'setTimeout(g, 5);' }, { path: 'worker.ts', text: 'w' }]);
    expect((await store.list()).lessons.find((l) => l.key === 'bundled/timers')?.edited).toBe(true);
  });

  it('settled() waits for a save still in flight, so quitting right after an edit keeps it', async () => {
    const saving = store.save('bundled/timers', [{ path: 'main.ts', text: 'edited at unload' }]);
    await store.settled();
    const again = new LessonStore({ bundledRoot: bundled, dataDir, load: fakeLoader({ [bundled]: [lesson('timers', { 'main.ts': 'setTimeout(f, 0);' })] }) });
    expect((await again.open('bundled/timers')).files[0]).toEqual({ path: 'main.ts', text: 'edited at unload' });
    await saving;
  });

  it('survives a fresh store (a restart): edits live in the data dir', async () => {
    await store.save('bundled/timers', [{ path: 'worker.ts', text: 'w2' }]);
    const again = new LessonStore({ bundledRoot: bundled, dataDir, load: fakeLoader({ [bundled]: [lesson('timers', { 'main.ts': 'setTimeout(f, 0);', 'worker.ts': 'w' })] }) });
    expect((await again.open('bundled/timers')).files[1]).toEqual({ path: 'worker.ts', text: 'w2' });
  });

  it('reset restores the original and clears "edited"', async () => {
    await store.save('bundled/timers', [{ path: 'main.ts', text: 'changed' }]);
    const reset = await store.reset('bundled/timers');
    expect(reset.edited).toBe(false);
    expect(reset.files[0]!.text).toBe('setTimeout(f, 0);');
    expect((await store.open('bundled/timers')).edited).toBe(false);
  });

  it('saving text equal to the original is not an edit', async () => {
    await store.save('bundled/timers', [{ path: 'main.ts', text: 'changed' }]);
    await expect(store.save('bundled/timers', [{ path: 'main.ts', text: 'setTimeout(f, 0);' }])).resolves.toEqual({ edited: false });
    expect((await store.open('bundled/timers')).edited).toBe(false);
  });

  it('refuses files the lesson does not have and unknown lessons', async () => {
    await expect(store.save('bundled/timers', [{ path: '../../../etc/passwd', text: 'x' }])).rejects.toThrow(/has no file/);
    await expect(store.save('bundled/timers', [{ path: 'extra.ts', text: 'x' }])).rejects.toThrow(/has no file/);
    await expect(store.open('bundled/nope')).rejects.toThrow(/No lesson bundled\/nope/);
    await expect(store.open('folder-3/timers')).rejects.toThrow(/folder is not open/);
  });

  it('never writes the originals and leaves no temporary files', async () => {
    for (let i = 0; i < 20; i++) void store.save('bundled/timers', [{ path: 'main.ts', text: `v${i}` }]);
    await store.save('bundled/timers', [{ path: 'main.ts', text: 'final' }]);
    await flushWrites();
    const files = readdirSync(join(dataDir, 'edits'));
    expect(files).toEqual(['bundled--timers.json']);
    expect((await store.open('bundled/timers')).files[0]!.text).toBe('final');
  });

  it('shows the original when the edit file is corrupt, and the next save replaces it', async () => {
    mkdirSync(join(dataDir, 'edits'), { recursive: true });
    writeFileSync(join(dataDir, 'edits', 'bundled--timers.json'), '{"files": [ tor');
    expect((await store.open('bundled/timers')).files[0]!.text).toBe('setTimeout(f, 0);');
    await store.save('bundled/timers', [{ path: 'main.ts', text: 'ok' }]);
    expect((await store.open('bundled/timers')).files[0]!.text).toBe('ok');
  });

  it('adds a folder of lessons under its own keys', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'loopscope-folder-'));
    const s = new LessonStore({ bundledRoot: bundled, dataDir, load: fakeLoader({ [bundled]: [], [folder]: [lesson('mine', { 'main.ts': 'mine' })] }) });
    await expect(s.addFolder(folder)).resolves.toEqual({ folder, added: 1 });
    expect(s.folders).toEqual([folder]);
    expect((await s.list()).lessons.map((l) => [l.key, l.source])).toEqual([['folder-1/mine', folder]]);
    await s.save('folder-1/mine', [{ path: 'main.ts', text: 'edited' }]);
    expect((await s.open('folder-1/mine')).files[0]!.text).toBe('edited');
    await expect(s.addFolder('relative/path')).rejects.toThrow(/absolute path/);
    await expect(s.addFolder(join(folder, 'missing'))).rejects.toThrow(/not a folder/);
  });
});

describe('atomic writes', () => {
  it('serializes writes to one path: the last call wins', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loopscope-atomic-'));
    const path = join(dir, 'x.json');
    await Promise.all(Array.from({ length: 25 }, (_, i) => writeFileAtomic(path, `content ${i}`)));
    expect(readFileSync(path, 'utf8')).toBe('content 24');
    expect(readdirSync(dir)).toEqual(['x.json']);
  });

  it('leaves the old file intact when a write fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loopscope-atomic-'));
    const path = join(dir, 'x.json');
    await writeFileAtomic(path, 'old');
    mkdirSync(join(dir, 'blocker'));
    await expect(writeFileAtomic(join(dir, 'blocker'), 'new')).rejects.toThrow();
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir).sort()).toEqual(['blocker', 'x.json']);
  });
});

describe('settings file', () => {
  it('tells listeners about every change (the desktop app applies the theme to native UI live)', async () => {
    const file = await SettingsFile.open(mkdtempSync(join(tmpdir(), 'loopscope-settings-')));
    const themes: string[] = [];
    const off = file.onChange((s) => themes.push(s.theme));
    await file.update({ theme: 'dark' });
    await file.update({ theme: 'system' }); // back to "Follow system" after a restart with Dark saved
    off();
    await file.update({ theme: 'light' });
    expect(themes).toEqual(['dark', 'system']);
  });

  it('starts with defaults, persists changes atomically and reads them back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loopscope-settings-'));
    const file = await SettingsFile.open(dir);
    expect(file.settings).toEqual(DEFAULT_SETTINGS);
    await file.update({ theme: 'dark' });
    await file.setWindowBounds({ x: 10, y: 20, width: 1000, height: 700, maximized: true });
    await file.setFolders(['/x']);
    const again = await SettingsFile.open(dir);
    expect(again.settings.theme).toBe('dark');
    expect(again.windowBounds).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: true });
    expect(again.folders).toEqual(['/x']);
  });

  it('falls back to defaults on a corrupt file and keeps the corrupt copy aside', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loopscope-settings-'));
    writeFileSync(join(dir, 'settings.json'), '{ not json');
    const file = await SettingsFile.open(dir);
    expect(file.settings).toEqual(DEFAULT_SETTINGS);
    expect(existsSync(join(dir, 'settings.json.corrupt'))).toBe(true);
  });

  it('keeps the valid settings of a file with one bad or unknown value', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loopscope-settings-'));
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ version: 1, settings: { theme: 'dark', editorFontSizePx: 'huge', futureOption: 1 }, folders: [] }));
    const file = await SettingsFile.open(dir);
    expect(file.settings).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark' });
  });
});
