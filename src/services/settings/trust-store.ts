/**
 * Which lesson folders the user agreed to run, decided and kept by the side that runs code (the Electron main
 * process, the browser-mode server) — never by the page. Its own file in the data directory
 * (`trusted-folders.json`), separate from the settings the renderer may write (`settings.set` has no key for it),
 * written atomically.
 *
 * Invariants:
 * - A folder is trusted only after `trust(folder)`, which AppService calls when the user chose Run: in the desktop
 *   app in a native dialog from main, in browser mode in the page's prompt (the page is the only UI there).
 * - Folders are absolute, resolved paths, matched exactly (the same string the lesson store uses as a source).
 * - A missing, corrupt or oversized file trusts nothing (the corrupt file is kept aside, as with settings).
 * - Trust written by older versions into settings.json (`trustedFolders`, which the page could write) is not carried
 *   over: a learner is asked once more.
 */
import { readFile, rename, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { writeFileAtomic } from '../store/atomic-write.ts';

export const TRUST_FILE = 'trusted-folders.json';
const MAX_FILE_BYTES = 1024 * 1024;
const MAX_FOLDERS = 1000;

export class TrustStore {
  readonly path: string;
  #folders: readonly string[] = [];

  private constructor(path: string) {
    this.path = path;
  }

  static async open(dataDir: string): Promise<TrustStore> {
    const store = new TrustStore(join(dataDir, TRUST_FILE));
    await store.#load();
    return store;
  }

  get folders(): readonly string[] {
    return this.#folders;
  }

  isTrusted(folder: string): boolean {
    return this.#folders.includes(folder);
  }

  /** Remembers that the user agreed to run the lessons of `folder` (absolute). */
  async trust(folder: string): Promise<void> {
    if (!isAbsolute(folder)) throw new Error(`a trusted folder must be an absolute path, got ${JSON.stringify(folder)}`);
    const root = resolve(folder);
    if (this.#folders.includes(root)) return;
    const folders = [...this.#folders, root].slice(-MAX_FOLDERS);
    await writeFileAtomic(this.path, `${JSON.stringify({ version: 1, folders }, null, 2)}\n`);
    this.#folders = folders;
  }

  async #load(): Promise<void> {
    const info = await stat(this.path).catch(() => null);
    if (!info) return; // first start: nothing trusted
    try {
      if (!info.isFile() || info.size > MAX_FILE_BYTES) throw new Error('not a small regular file');
      const doc = JSON.parse(await readFile(this.path, 'utf8')) as { version?: unknown; folders?: unknown };
      if (doc.version !== 1 || !Array.isArray(doc.folders)) throw new Error('unknown format');
      this.#folders = doc.folders.filter((f): f is string => typeof f === 'string' && isAbsolute(f) && f === resolve(f)).slice(0, MAX_FOLDERS);
    } catch {
      await rename(this.path, `${this.path}.corrupt`).catch(() => {});
    }
  }
}
