import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../shared/ipc/contract.ts';
import { makeTempDir, removeTempDir } from '../../../test/support/temp-dir.ts';
import { SettingsFile } from './settings-file.ts';

let dir = '';
beforeEach(() => {
  dir = makeTempDir('settings-file');
});
afterEach(() => removeTempDir(dir));

const write = (doc: unknown): void => writeFileSync(join(dir, 'settings.json'), typeof doc === 'string' ? doc : JSON.stringify(doc));

describe('the settings file', () => {
  it('starts with the defaults and keeps what was saved', async () => {
    const first = await SettingsFile.open(dir);
    expect(first.settings).toEqual(DEFAULT_SETTINGS);
    await first.update({ theme: 'dark', editorFontSizePx: 18 });
    await first.setFolders(['/home/me/lessons']);
    await first.setWindowBounds({ x: 10.4, y: 20, width: 1280.6, height: 800, maximized: false });
    const again = await SettingsFile.open(dir);
    expect(again.settings).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark', editorFontSizePx: 18 });
    expect(again.folders).toEqual(['/home/me/lessons']);
    expect(again.windowBounds).toEqual({ x: 10, y: 20, width: 1281, height: 800, maximized: false });
  });

  it('keeps each valid setting and drops each bad or unknown one (a newer or older app wrote it)', async () => {
    write({ version: 1, settings: { theme: 'neon', editorFontSizePx: 20, runMode: 'statement', panes: { browserCssPx: -1 }, future: true }, folders: ['/a', 7, '/b'], windowBounds: null });
    const file = await SettingsFile.open(dir);
    expect(file.settings).toEqual({ ...DEFAULT_SETTINGS, editorFontSizePx: 20, runMode: 'statement' });
    expect(file.folders).toEqual(['/a', '/b']);
    expect(file.windowBounds).toBeNull();
  });

  it('forgets window bounds a window cannot be restored to', async () => {
    write({ version: 1, settings: {}, folders: [], windowBounds: { x: 0, y: 0, width: 50, height: 50, maximized: true } });
    expect((await SettingsFile.open(dir)).windowBounds).toBeNull();
    write({ version: 1, settings: {}, folders: [], windowBounds: { x: 5, width: 900, height: 700, maximized: true } });
    expect((await SettingsFile.open(dir)).windowBounds).toEqual({ width: 900, height: 700, maximized: true });
  });

  it('sets a corrupt file aside as settings.json.corrupt and starts from the defaults', async () => {
    for (const corrupt of ['{"version": 1, "settings": ', '[1, 2]']) {
      write(corrupt);
      const file = await SettingsFile.open(dir);
      expect(file.settings).toEqual(DEFAULT_SETTINGS);
      expect(existsSync(join(dir, 'settings.json'))).toBe(false);
      expect(readFileSync(join(dir, 'settings.json.corrupt'), 'utf8')).toBe(corrupt);
    }
  });
});
