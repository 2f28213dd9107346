/**
 * The app's settings, as one small JSON file in the data directory (userData in the desktop app, the server's
 * data dir in browser mode). Written atomically; a missing or corrupt file yields defaults (the corrupt file
 * is kept aside as settings.json.corrupt so nothing is silently lost).
 *
 * Holds what the renderer may read and change (`Settings`, validated by the IPC contract) and what only the
 * Node side uses: opened lesson folders and the window bounds. The file is read with the same descriptions
 * (src/shared/schema) but leniently: each valid setting, folder and the bounds are kept, each bad one falls back
 * to its default, so a file an older or newer app wrote still opens.
 */
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, SETTINGS_SHAPE, type Settings } from '../../shared/ipc/contract.ts';
import { bool, num, obj, opt, str, validate, type Schema } from '../../shared/schema/schema.ts';
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
      const raw = JSON.parse(text) as unknown;
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('not an object');
      const doc = raw as Record<string, unknown>;
      this.#doc = {
        version: 1,
        settings: readSettings(doc['settings']),
        folders: Array.isArray(doc['folders']) ? doc['folders'].filter((f): f is string => validate(folder, f).ok) : [],
        windowBounds: doc['windowBounds'] ? sanitizeBounds(doc['windowBounds']) : null,
      };
    } catch {
      await rename(this.path, `${this.path}.corrupt`).catch(() => {});
    }
  }
}

const folder = str({ max: 4096 });

/** Each known setting that is valid is kept; bad or unknown ones fall back to the default (a newer or older app wrote them). */
function readSettings(raw: unknown): Settings {
  if (typeof raw !== 'object' || raw === null) return DEFAULT_SETTINGS;
  const settings: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const key of Object.keys(SETTINGS_SHAPE) as (keyof Settings)[]) {
    if (!Object.hasOwn(raw, key)) continue;
    const checked = validate(SETTINGS_SHAPE[key] as Schema<unknown>, (raw as Record<string, unknown>)[key]);
    if (checked.ok) settings[key] = checked.value;
  }
  return settings as unknown as Settings;
}

const boundsSchema = obj({ x: opt(num()), y: opt(num()), width: num({ min: 200 }), height: num({ min: 150 }), maximized: opt(bool) });

/** Bounds a window can be restored to (whole pixels, at least 200×150), or null. */
function sanitizeBounds(raw: unknown): WindowBounds | null {
  const checked = validate(boundsSchema, raw);
  if (!checked.ok) return null;
  const b = checked.value;
  const at = b.x !== undefined && b.y !== undefined ? { x: Math.round(b.x), y: Math.round(b.y) } : {};
  return { ...at, width: Math.round(b.width), height: Math.round(b.height), maximized: b.maximized === true };
}
