/**
 * The `lessons.importPack` and `lessons.exportPack` calls, on top of src/services/lessons/pack.ts. Shared by the
 * desktop app and browser mode through AppService; only picking and saving differ (`PackDeps`).
 *
 * Invariants:
 * - A pack is imported into a new folder of its own under `packsDir` (named after the pack, never reused), which
 *   is then opened like an "Open folder…" folder: its lessons are not bundled, so the renderer asks before their
 *   first run (trust prompt).
 * - A refused pack writes nothing: pack.ts checks every entry before writing; the destination folder (which
 *   importPack may have created) is removed again if it failed, and an uploaded .zip lives only in a private
 *   temporary folder that is always removed.
 * - An upload is decoded here, on the Node side, from base64 the contract already bounded in size and alphabet.
 */
import { mkdtemp, readdir, rm, rmdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join } from 'node:path';
import type { CallResult, LessonKey, PackUpload } from '../../shared/ipc/contract.ts';
import { exportPack, importPack } from '../lessons/pack.ts';
import type { LessonStore } from '../store/lesson-store.ts';

export interface PackDeps {
  /** Where imported packs go, one folder per import (created when needed). */
  readonly packsDir: string;
  /** Desktop: a file-or-folder picker (ignores `requested`). Browser mode: checks and returns `requested`. null = cancelled. */
  pickPack(requested: string | undefined): Promise<string | null>;
  /** Desktop: a save dialog. Browser mode: a new path in the data dir. The path must not exist yet. null = cancelled. */
  savePack(fileName: string, format: 'zip' | 'folder'): Promise<string | null>;
}

/** A folder name from a pack's file or folder name: `My Pack (2).zip` → `my-pack-2`. */
export function packFolderName(source: string): string {
  const stem = basename(source).replace(/\.zip$/i, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return stem || 'pack';
}

async function freshFolder(parent: string, name: string): Promise<string> {
  const taken = new Set(await readdir(parent).catch(() => [] as string[]));
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? name : `${name}-${n}`;
    if (!taken.has(candidate)) return join(parent, candidate);
  }
}

async function removeIfEmpty(dir: string): Promise<void> {
  await rmdir(dir).catch(() => {}); // fails (and keeps it) when something is inside
}

export async function importPackCall(deps: PackDeps, store: LessonStore, params: { upload?: PackUpload; path?: string }): Promise<CallResult<'lessons.importPack'>> {
  let temp: string | null = null;
  try {
    let source: string;
    if (params.upload) {
      temp = await mkdtemp(join(tmpdir(), 'loopscope-upload-'));
      source = join(temp, packFolderName(params.upload.name) + '.zip');
      await writeFile(source, Buffer.from(params.upload.base64, 'base64'), { flag: 'wx', mode: 0o600 });
    } else {
      const picked = await deps.pickPack(params.path);
      if (picked === null) return { folder: null, imported: [], keys: [] };
      if (!isAbsolute(picked)) throw new Error(`Import needs an absolute path, got ${JSON.stringify(picked)}`);
      source = picked;
    }
    const dest = await freshFolder(deps.packsDir, packFolderName(params.upload?.name ?? source));
    let imported: readonly string[];
    try {
      ({ imported } = await importPack(source, dest));
    } catch (err) {
      await removeIfEmpty(dest);
      throw err;
    }
    const { folder } = await store.addFolder(dest);
    const list = await store.list();
    const keys = list.lessons.filter((l) => l.source === folder).map((l) => l.key);
    return { folder, imported, keys };
  } finally {
    if (temp) await rm(temp, { recursive: true, force: true });
  }
}

export async function exportPackCall(deps: PackDeps, store: LessonStore, params: { keys: readonly LessonKey[]; format: 'zip' | 'folder' }): Promise<CallResult<'lessons.exportPack'>> {
  if (params.keys.length === 0) throw new Error('Choose at least one lesson to export.');
  const dirs: string[] = [];
  for (const key of params.keys) dirs.push(await store.lessonDir(key));
  const first = params.keys[0]!.slice(params.keys[0]!.indexOf('/') + 1);
  const stem = params.keys.length === 1 ? first : 'lessons';
  const picked = await deps.savePack(params.format === 'zip' ? `${stem}.loopscope-pack.zip` : `${stem}-pack`, params.format);
  if (picked === null) return { savedTo: null, lessons: [] };
  const dest = params.format === 'zip' && !/\.zip$/i.test(picked) ? `${picked}.zip` : picked;
  const { lessons } = await exportPack(dirs, dest);
  return { savedTo: dest, lessons };
}
