/**
 * Lessons on disk, as the app sees them: the bundled lessons (read-only originals), lesson folders the user
 * opened, and the learner's edits. Used by the Electron main process and the browser-mode server alike.
 *
 * Invariants:
 * - Originals are never written. An edit is a JSON file per lesson under `<dataDir>/edits/`, written atomically
 *   (temp + fsync + rename): after a crash the learner finds the last completed save, never a torn file.
 * - A lesson is "edited" exactly when an edit file exists; saving text equal to the original deletes it.
 * - Edits cover exactly the lesson's own files: a save naming any other path is refused (the renderer cannot
 *   make the store write or read arbitrary files).
 * - Keys are `bundled/<id>` and `folder-<n>/<id>`; n is the folder's position in the persisted folder list, and
 *   edit files are named by a hash of the folder path, so reordering cannot attach edits to the wrong lesson.
 */
import { createHash } from 'node:crypto';
import { readFile, rm, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { LessonDetail, LessonKey, LessonList, LessonSummary } from '../../shared/ipc/contract.ts';
import type { LessonFile } from '../../shared/run/contract.ts';
import type { LibraryLesson, LoadLibrary } from './library.ts';
import { flushWrites, writeFileAtomic } from './atomic-write.ts';

interface Source {
  /** `bundled` or `folder-<n>` */
  readonly prefix: string;
  readonly root: string;
  /** Stable name for edit files. */
  readonly editsId: string;
  lessons: Map<string, LibraryLesson> | null;
  problems: string[];
}

interface EditDocument {
  readonly version: 1;
  readonly key: string;
  readonly root: string;
  readonly savedAtMs: number;
  readonly files: readonly LessonFile[];
}

export interface LessonStoreOptions {
  readonly bundledRoot: string;
  readonly dataDir: string;
  readonly folders?: readonly string[];
  readonly load: LoadLibrary;
  /** Whether the lessons of an opened folder may run (the trust store); bundled lessons always may. Default: none. */
  readonly isTrusted?: (folder: string) => boolean;
}

/** What the side that runs code checks before it runs a lesson (AppService `runs.start`, `lessons.trust`). */
export interface LessonRunTarget {
  /** 'bundled' or the absolute folder it was opened from (`LessonSummary.source`). */
  readonly source: string;
  readonly title: string;
  readonly entry: string;
  /** The lesson's file paths. */
  readonly paths: readonly string[];
}

export class LessonStore {
  readonly #dataDir: string;
  readonly #load: LoadLibrary;
  readonly #isTrusted: (folder: string) => boolean;
  readonly #sources: Source[];

  constructor(options: LessonStoreOptions) {
    this.#dataDir = options.dataDir;
    this.#load = options.load;
    this.#isTrusted = options.isTrusted ?? (() => false);
    this.#sources = [{ prefix: 'bundled', root: resolve(options.bundledRoot), editsId: 'bundled', lessons: null, problems: [] }];
    for (const f of options.folders ?? []) this.#addSource(f);
  }

  get folders(): string[] {
    return this.#sources.slice(1).map((s) => s.root);
  }

  /** Reloads every source from disk (lessons may have changed) and lists them with their edited flags. */
  async list(): Promise<LessonList> {
    const lessons: LessonSummary[] = [];
    const problems: string[] = [];
    for (const source of this.#sources) {
      await this.#reload(source);
      problems.push(...source.problems);
      for (const lib of source.lessons?.values() ?? []) {
        const key = `${source.prefix}/${lib.lesson.id}`;
        lessons.push(summary(key, source, lib, await this.#hasEdit(source, lib.lesson.id), this.#isTrusted));
      }
    }
    return { lessons, folders: this.folders, problems };
  }

  async open(key: LessonKey): Promise<LessonDetail> {
    const { source, lib } = await this.#find(key);
    const edit = await this.#readEdit(source, lib.lesson.id);
    const files = lib.files.map((f) => ({ path: f.path, text: edit?.get(f.path) ?? f.text }));
    return detail(key, source, lib, files, edit !== null, this.#isTrusted);
  }

  /** Where a lesson comes from and what it consists of, as loaded from disk (not as the page says). */
  async runTarget(key: LessonKey): Promise<LessonRunTarget> {
    const { source, lib } = await this.#find(key);
    return { source: sourceName(source), title: lib.lesson.title, entry: lib.lesson.entry, paths: lib.files.map((f) => f.path) };
  }

  /**
   * Autosave. `files` may be a subset of the lesson's files (unlisted ones keep their current text). Saves and
   * resets of one lesson run one after another in call order — each reads, merges and writes — so the last
   * call wins even when an earlier one is slower.
   */
  save(key: LessonKey, files: readonly LessonFile[]): Promise<{ edited: boolean }> {
    return this.#serial(key, () => this.#save(key, files));
  }

  readonly #pending = new Map<LessonKey, Promise<unknown>>();
  /** Settles when every save and reset accepted so far has finished (or failed): the app waits for it at quit. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.#pending.values()]);
    await flushWrites();
  }
  #serial<T>(key: LessonKey, task: () => Promise<T>): Promise<T> {
    const next = (this.#pending.get(key) ?? Promise.resolve()).catch(() => {}).then(task);
    this.#pending.set(key, next);
    void next.finally(() => {
      if (this.#pending.get(key) === next) this.#pending.delete(key);
    }).catch(() => {});
    return next;
  }

  async #save(key: LessonKey, files: readonly LessonFile[]): Promise<{ edited: boolean }> {
    const { source, lib } = await this.#find(key);
    const originals = new Map(lib.files.map((f) => [f.path, f.text]));
    for (const f of files) if (!originals.has(f.path)) throw new Error(`${key} has no file ${JSON.stringify(f.path)}`);
    const current = (await this.#readEdit(source, lib.lesson.id)) ?? new Map<string, string>();
    for (const f of files) current.set(f.path, f.text);
    const changed = [...current].filter(([path, text]) => originals.get(path) !== text);
    const path = this.#editPath(source, lib.lesson.id);
    if (changed.length === 0) {
      await writeQueueSafeRemove(path);
      return { edited: false };
    }
    const doc: EditDocument = { version: 1, key, root: source.root, savedAtMs: Date.now(), files: changed.map(([p, text]) => ({ path: p, text })) };
    await writeFileAtomic(path, `${JSON.stringify(doc)}\n`);
    return { edited: true };
  }

  reset(key: LessonKey): Promise<LessonDetail> {
    return this.#serial(key, async () => {
      const { source, lib } = await this.#find(key);
      await writeQueueSafeRemove(this.#editPath(source, lib.lesson.id));
      return detail(key, source, lib, lib.files, false, this.#isTrusted);
    });
  }

  /** Adds a folder of lessons (a folder of lesson folders, or one lesson folder). Returns how many lessons it holds. */
  async addFolder(path: string): Promise<{ folder: string; added: number }> {
    if (!isAbsolute(path)) throw new Error(`Open folder needs an absolute path, got ${JSON.stringify(path)}`);
    const root = resolve(path);
    const info = await stat(root).catch(() => null);
    if (!info?.isDirectory()) throw new Error(`${root} is not a folder`);
    const existing = this.#sources.find((s) => s.root === root);
    const source = existing ?? this.#addSource(root);
    await this.#reload(source);
    if (!existing && (source.lessons?.size ?? 0) === 0) {
      this.#sources.pop();
      throw new Error(`No lessons found in ${root}${source.problems.length ? `: ${source.problems.join('; ')}` : ''}`);
    }
    return { folder: root, added: source.lessons?.size ?? 0 };
  }

  /** The folder holding a lesson's original files (for exporting it as a pack). */
  async lessonDir(key: LessonKey): Promise<string> {
    const { source, lib } = await this.#find(key);
    return lib.dir ?? join(source.root, lib.lesson.id);
  }

  #addSource(folder: string): Source {
    const root = resolve(folder);
    const editsId = `folder-${createHash('sha256').update(root).digest('hex').slice(0, 16)}`;
    const source: Source = { prefix: `folder-${this.#sources.length}`, root, editsId, lessons: null, problems: [] };
    this.#sources.push(source);
    return source;
  }

  async #reload(source: Source): Promise<void> {
    try {
      const lib = await this.#load(source.root);
      source.lessons = new Map(lib.lessons.map((l) => [l.lesson.id, l]));
      source.problems = lib.problems.map((p) => (source.prefix === 'bundled' ? p : `${source.root}: ${p}`));
    } catch (e) {
      source.lessons = new Map();
      source.problems = [`${source.root}: ${e instanceof Error ? e.message : String(e)}`];
    }
  }

  async #find(key: LessonKey): Promise<{ source: Source; lib: LibraryLesson }> {
    const slash = key.indexOf('/');
    const source = this.#sources.find((s) => s.prefix === key.slice(0, slash));
    if (!source) throw new Error(`No lesson ${key}: its folder is not open`);
    if (!source.lessons) await this.#reload(source);
    const lib = source.lessons?.get(key.slice(slash + 1));
    if (!lib) throw new Error(`No lesson ${key}`);
    return { source, lib };
  }

  #editPath(source: Source, id: string): string {
    return join(this.#dataDir, 'edits', `${source.editsId}--${id}.json`);
  }

  async #hasEdit(source: Source, id: string): Promise<boolean> {
    return (await stat(this.#editPath(source, id)).catch(() => null)) !== null;
  }

  /** The saved edits (path → text), or null when there are none or the file is unreadable. */
  async #readEdit(source: Source, id: string): Promise<Map<string, string> | null> {
    let text: string;
    try {
      text = await readFile(this.#editPath(source, id), 'utf8');
    } catch {
      return null;
    }
    try {
      const doc = JSON.parse(text) as EditDocument;
      const files = Array.isArray(doc.files) ? doc.files : [];
      return new Map(files.filter((f) => typeof f?.path === 'string' && typeof f.text === 'string').map((f) => [f.path, f.text]));
    } catch {
      return null; // unreadable edits: the original shows; the next save replaces the file
    }
  }
}

async function writeQueueSafeRemove(path: string): Promise<void> {
  // Let any queued write to this path land first, so a slow earlier save cannot resurrect the edit.
  await flushWrites(path);
  await rm(path, { force: true });
}

const sourceName = (source: Source): string => (source.prefix === 'bundled' ? 'bundled' : source.root);

function summary(key: string, source: Source, lib: LibraryLesson, edited: boolean, isTrusted: (folder: string) => boolean): LessonSummary {
  const l = lib.lesson;
  const name = sourceName(source);
  return { key, id: l.id, title: l.title, summary: l.summary ?? '', level: l.level, topic: l.topic, source: name, edited, trusted: name === 'bundled' || isTrusted(name) };
}

function detail(key: string, source: Source, lib: LibraryLesson, files: readonly LessonFile[], edited: boolean, isTrusted: (folder: string) => boolean): LessonDetail {
  return {
    ...summary(key, source, lib, edited, isTrusted),
    readme: lib.readme,
    entry: lib.lesson.entry,
    files: files.map((f) => ({ path: f.path, text: f.text })),
    extras: JSON.parse(JSON.stringify(lib.lesson)) as unknown,
  };
}
