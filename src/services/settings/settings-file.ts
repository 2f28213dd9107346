/**
 * The app's settings, as one small JSON file in the data directory (userData in the desktop app, the server's
 * data dir in browser mode). Written atomically; a missing or corrupt file yields defaults (the corrupt file
 * is kept aside as settings.json.corrupt so nothing is silently lost).
 *
 * Holds what the renderer may read and change (`Settings`, validated by the IPC contract) and what only the
 * Node side uses: opened lesson folders and the window bounds.
 */
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, validateResult, type Settings } from '../../shared/ipc/contract.ts';
import { writeFileAtomic } from '../store/atomic-write.ts';

export interface WindowBounds {
  readonly x?: number;
  readonly y?: number;
  readonly width: number;
  readonly height: number;
  readonly maximized: boolean;
}

interface SettingsDocument {
  readonly version: 1;
  readonly settings: Settings;
  readonly folders: readonly string[];
  readonly windowBounds: WindowBounds | null;
}

export class SettingsFile {
  readonly path: string;
  #doc: SettingsDocument = { version: 1, settings: DEFAULT_SETTINGS, folders: [], windowBounds: null };

  private constructor(path: string) {
    this.path = path;
  }

  static async open(dataDir: string): Promise<SettingsFile> {
    const file = new SettingsFile(join(dataDir, 'settings.json'));
    await file.#load();
    return file;
  }

  get settings(): Settings {
    return this.#doc.settings;
  }
  get folders(): readonly string[] {
    return this.#doc.folders;
  }
  get windowBounds(): WindowBounds | null {
    return this.#doc.windowBounds;
  }

  readonly #listeners = new Set<(settings: Settings) => void>();
  /** Called after every settings change (the desktop app applies the theme to native UI live). Returns an unsubscribe. */
  onChange(listener: (settings: Settings) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** `patch` must already be validated by the contract. */
  async update(patch: Partial<Settings>): Promise<Settings> {
    const settings = { ...this.#doc.settings, ...patch };
    try {
      await this.#write({ ...this.#doc, settings });
    } finally {
      // The new settings are in effect even when the disk write failed (#write keeps them in memory): say so.
      for (const listener of this.#listeners) listener(settings);
    }
    return settings;
  }
  async setFolders(folders: readonly string[]): Promise<void> {
    await this.#write({ ...this.#doc, folders: [...folders] });
  }
  async setWindowBounds(bounds: WindowBounds): Promise<void> {
    await this.#write({ ...this.#doc, windowBounds: sanitizeBounds(bounds) });
  }

  async #write(doc: SettingsDocument): Promise<void> {
    this.#doc = doc;
    await writeFileAtomic(this.path, `${JSON.stringify(doc, null, 2)}\n`);
  }

  async #load(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch {
      return; // first start: defaults
    }
    try {
      const raw = JSON.parse(text) as Partial<SettingsDocument>;
      const settings = readSettings(raw.settings);
      const folders = Array.isArray(raw.folders) ? raw.folders.filter((f): f is string => typeof f === 'string') : [];
      this.#doc = { version: 1, settings, folders, windowBounds: raw.windowBounds ? sanitizeBounds(raw.windowBounds) : null };
    } catch {
      await rename(this.path, `${this.path}.corrupt`).catch(() => {});
    }
  }
}

/** Each known setting that is valid is kept; bad or unknown ones fall back to the default (a newer or older app wrote them). */
function readSettings(raw: unknown): Settings {
  if (typeof raw !== 'object' || raw === null) return DEFAULT_SETTINGS;
  let settings: Settings = DEFAULT_SETTINGS;
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
    if (!(key in raw)) continue;
    const candidate = { ...settings, [key]: (raw as Record<string, unknown>)[key] };
    try {
      settings = validateResult('settings.get', candidate);
    } catch {
      // keep the default for this key
    }
  }
  return settings;
}

function sanitizeBounds(b: WindowBounds): WindowBounds | null {
  const n = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? Math.round(v) : undefined);
  const width = n(b.width);
  const height = n(b.height);
  if (width === undefined || height === undefined || width < 200 || height < 150) return null;
  const x = n(b.x);
  const y = n(b.y);
  return { ...(x !== undefined && y !== undefined ? { x, y } : {}), width, height, maximized: b.maximized === true };
}
