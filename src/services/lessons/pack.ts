/**
 * Lesson packs: a set of lesson folders shared as a folder or a .zip — `<id>/lesson.json`, `<id>/README.md`,
 * `<id>/main.ts`, … (one wrapping folder, as produced by zipping a folder, is accepted; so is a single lesson with
 * lesson.json at the root).
 *
 * Invariants (import):
 * - Everything is checked before anything is written: entry paths (no absolute paths, drive letters, backslashes,
 *   `.`/`..` parts), entry types (no symbolic links, hard links or devices — in a folder they are lstat'ed, never
 *   followed), sizes (each entry ≤ 1 MB, the pack ≤ 20 MB, declared and actual), lesson ids, and clashes with
 *   lessons already in the library. A refused pack leaves the library exactly as it was.
 * - Accepted lessons are written to a temporary folder inside the library, fully validated there with the
 *   loader, and only then renamed into place, one folder rename per lesson.
 */
import { constants } from 'node:fs';
import { lstat, mkdir, mkdtemp, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { LESSON_ID_RE, type Lesson } from '../../shared/lesson/format.ts';
import { LessonFormatError, validateLesson } from '../../shared/lesson/lesson-schema.ts';
import { lessonSourceIssues } from '../../shared/lesson/markers.ts';
import { LESSON_LIMITS, loadLessonDir, type LoadedLesson } from './load.ts';
import { extractZipEntry, readZipDirectory, writeZip, ZipFormatError } from './zip.ts';

export const PACK_LIMITS = {
  entryBytes: 1024 * 1024,
  packBytes: 20 * 1024 * 1024,
  entries: 2000,
  pathLength: 240,
  depth: 6,
} as const;

export class PackError extends Error {
  override name = 'PackError';
  /** Every reason the pack was refused. */
  readonly problems: readonly string[];
  constructor(what: string, problems: readonly string[]) {
    const shown = problems.slice(0, 10).join('; ');
    super(`${what}: ${shown}${problems.length > 10 ? `; and ${problems.length - 10} more` : ''}`);
    this.problems = problems;
  }
}

export interface PackFile {
  /** Relative POSIX path inside the pack, already checked by `packPathProblem`. */
  readonly path: string;
  readonly bytes: Uint8Array;
}

/** Why `path` may not be used inside a pack (null when it is fine). */
export function packPathProblem(path: string): string | null {
  const shown = JSON.stringify(path);
  if (path === '') return 'an entry has an empty name';
  if (path.length > PACK_LIMITS.pathLength) return `${shown} is longer than ${PACK_LIMITS.pathLength} characters`;
  if (path.includes('\\')) return `${shown} contains a backslash (paths in a pack use "/")`;
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return `${shown} is an absolute path`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) return `${shown} contains control characters`;
  const parts = path.replace(/\/$/, '').split('/');
  if (parts.some((p) => p === '..')) return `${shown} climbs out of the pack with ".."`;
  if (parts.some((p) => p === '.' || p === '')) return `${shown} has an empty or "." path segment`;
  if (parts.length > PACK_LIMITS.depth) return `${shown} is nested deeper than ${PACK_LIMITS.depth} folders`;
  return null;
}

/** OS clutter that zip tools add; skipped silently. */
const isClutter = (path: string): boolean => path.startsWith('__MACOSX/') || /(?:^|\/)(?:\.DS_Store|Thumbs\.db|desktop\.ini)$/.test(path);

/** Reads and checks every entry of a .zip pack. Throws PackError listing all problems; touches no disk but the read. */
export async function readZipPack(zipPath: string): Promise<PackFile[]> {
  const what = `refused ${basename(zipPath)}`;
  // Opened once and read from that descriptor with a cap: no stat-then-read gap, and a FIFO or device behind the
  // path is refused instead of read (O_NONBLOCK keeps a FIFO from stalling the open).
  const handle = await open(zipPath, constants.O_RDONLY | constants.O_NONBLOCK).catch(() => null);
  if (!handle) throw new PackError(what, [`${zipPath} is not a file`]);
  let bytes: Uint8Array;
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new PackError(what, [`${zipPath} is not a file`]);
    if (st.size > PACK_LIMITS.packBytes) throw new PackError(what, [`the archive is ${mb(st.size)}; a pack may be at most ${mb(PACK_LIMITS.packBytes)}`]);
    const buffer = new Uint8Array(PACK_LIMITS.packBytes + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > PACK_LIMITS.packBytes) throw new PackError(what, [`the archive grew past ${mb(PACK_LIMITS.packBytes)} while being read`]);
    }
    bytes = buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
  return readZipPackBytes(bytes, what);
}

export function readZipPackBytes(bytes: Uint8Array, what = 'refused the pack'): PackFile[] {
  let entries;
  try {
    entries = readZipDirectory(bytes, PACK_LIMITS.entries);
  } catch (err) {
    throw new PackError(what, [err instanceof ZipFormatError ? err.message : `not a readable ZIP archive (${(err as Error).message})`]);
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  let declared = 0;
  for (const e of entries) {
    const pathProblem = packPathProblem(e.name);
    if (pathProblem) problems.push(pathProblem);
    else if (isClutter(e.name)) continue;
    if (e.isSymlink) problems.push(`${JSON.stringify(e.name)} is a symbolic link; packs may not contain links`);
    else if (e.isSpecial) problems.push(`${JSON.stringify(e.name)} is not a regular file`);
    if (e.encrypted) problems.push(`${JSON.stringify(e.name)} is encrypted`);
    if (e.isDirectory) continue;
    const key = e.name.toLowerCase();
    if (seen.has(key)) problems.push(`${JSON.stringify(e.name)} appears twice`);
    seen.add(key);
    if (e.size > PACK_LIMITS.entryBytes) problems.push(`${JSON.stringify(e.name)} is ${mb(e.size)}; each file may be at most ${mb(PACK_LIMITS.entryBytes)}`);
    declared += e.size;
  }
  if (declared > PACK_LIMITS.packBytes) problems.push(`the pack unpacks to ${mb(declared)}; at most ${mb(PACK_LIMITS.packBytes)}`);
  if (problems.length > 0) throw new PackError(what, problems);

  const files: PackFile[] = [];
  let total = 0;
  for (const e of entries) {
    if (e.isDirectory || isClutter(e.name)) continue;
    try {
      const data = extractZipEntry(bytes, e, PACK_LIMITS.entryBytes);
      total += data.length;
      if (total > PACK_LIMITS.packBytes) throw new ZipFormatError(`the pack unpacks to more than ${mb(PACK_LIMITS.packBytes)}`);
      files.push({ path: e.name, bytes: data });
    } catch (err) {
      throw new PackError(what, [err instanceof ZipFormatError ? err.message : (err as Error).message]);
    }
  }
  return files;
}

/** Reads and checks every file of a pack folder, never following links. Throws PackError listing all problems. */
export async function readFolderPack(dir: string): Promise<PackFile[]> {
  const root = resolve(dir);
  const what = `refused ${basename(root)}`;
  const rootStat = await lstat(root).catch(() => null);
  if (!rootStat || !rootStat.isDirectory()) throw new PackError(what, [`${root} is not a folder${rootStat?.isSymbolicLink() ? ' (it is a symbolic link)' : ''}`]);
  const problems: string[] = [];
  const found: { path: string; full: string }[] = [];
  let total = 0;
  const walk = async (rel: string, depth: number): Promise<void> => {
    for (const e of await readdir(rel ? join(root, rel) : root, { withFileTypes: true })) {
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (found.length + problems.length > PACK_LIMITS.entries) return void problems.push(`the pack has more than ${PACK_LIMITS.entries} entries`);
      const pathProblem = packPathProblem(path);
      if (pathProblem) { problems.push(pathProblem); continue; }
      if (isClutter(path) || e.name === '.git') continue;
      const st = await lstat(join(root, rel, e.name));
      if (st.isSymbolicLink()) problems.push(`${JSON.stringify(path)} is a symbolic link; packs may not contain links`);
      else if (st.isDirectory()) {
        if (depth >= PACK_LIMITS.depth) problems.push(`${JSON.stringify(path)} is nested deeper than ${PACK_LIMITS.depth} folders`);
        else await walk(path, depth + 1);
      } else if (!st.isFile()) problems.push(`${JSON.stringify(path)} is not a regular file`);
      else if (st.nlink > 1) problems.push(`${JSON.stringify(path)} is a hard link (it has ${st.nlink} names); packs may not contain links`);
      else if (st.size > PACK_LIMITS.entryBytes) problems.push(`${JSON.stringify(path)} is ${mb(st.size)}; each file may be at most ${mb(PACK_LIMITS.entryBytes)}`);
      else {
        total += st.size;
        found.push({ path, full: join(root, rel, e.name) });
      }
    }
  };
  await walk('', 1);
  if (total > PACK_LIMITS.packBytes) problems.push(`the pack is ${mb(total)}; at most ${mb(PACK_LIMITS.packBytes)}`);
  if (problems.length > 0) throw new PackError(what, problems);
  const files: PackFile[] = [];
  for (const f of found) {
    const bytes = new Uint8Array(await readFile(f.full));
    if (bytes.length > PACK_LIMITS.entryBytes) throw new PackError(what, [`${JSON.stringify(f.path)} grew past ${mb(PACK_LIMITS.entryBytes)} while being read`]);
    files.push({ path: f.path, bytes });
  }
  return files;
}

/**
 * Groups pack files by lesson: strips one wrapping folder, maps `<id>/…` to lesson `id`, or a root-level
 * lesson.json to the lesson it names. Files outside any lesson folder (a pack README, LICENSE) are ignored.
 */
export function groupPackLessons(files: readonly PackFile[]): Map<string, PackFile[]> {
  let list = files.slice();
  const tops = new Set(list.map((f) => f.path.split('/')[0]));
  const [onlyTop] = tops;
  if (tops.size === 1 && onlyTop !== undefined && list.every((f) => f.path.includes('/')) && !list.some((f) => f.path === `${onlyTop}/lesson.json`) && list.some((f) => f.path.split('/').length >= 3)) {
    list = list.map((f) => ({ path: f.path.slice(onlyTop.length + 1), bytes: f.bytes })); // a wrapping folder
  }
  const lessons = new Map<string, PackFile[]>();
  const rootMeta = list.find((f) => f.path === 'lesson.json');
  if (rootMeta) {
    let id: unknown;
    try {
      id = (JSON.parse(new TextDecoder().decode(rootMeta.bytes)) as { id?: unknown }).id;
    } catch {
      throw new PackError('refused the pack', ['lesson.json at the root is not valid JSON']);
    }
    if (typeof id !== 'string' || !LESSON_ID_RE.test(id)) throw new PackError('refused the pack', ['lesson.json at the root has no valid kebab-case "id"']);
    lessons.set(id, list);
    return lessons;
  }
  const problems: string[] = [];
  for (const f of list) {
    const slash = f.path.indexOf('/');
    if (slash < 0) continue; // a root-level file of the pack itself
    const id = f.path.slice(0, slash);
    if (!LESSON_ID_RE.test(id)) {
      if (!problems.some((p) => p.startsWith(`folder ${JSON.stringify(id)}`))) problems.push(`folder ${JSON.stringify(id)} is not a kebab-case lesson id`);
      continue;
    }
    let group = lessons.get(id);
    if (!group) lessons.set(id, (group = []));
    group.push({ path: f.path.slice(slash + 1), bytes: f.bytes });
  }
  for (const [id, group] of lessons) if (!group.some((f) => f.path === 'lesson.json')) problems.push(`folder ${JSON.stringify(id)} has no lesson.json`);
  if (problems.length > 0) throw new PackError('refused the pack', problems);
  if (lessons.size === 0) throw new PackError('refused the pack', ['it contains no lesson folders (expected <lesson-id>/lesson.json, README.md and code files)']);
  return lessons;
}

export interface ImportResult {
  /** Ids of the lessons now in the library, in pack order. */
  readonly imported: readonly string[];
}

/**
 * Imports a pack (a .zip file or a folder) into the library folder `libraryRoot`. Refuses — writing nothing — when
 * any entry is unsafe or too big, any lesson is invalid, or a lesson id already exists (unless `replace`).
 */
export async function importPack(source: string, libraryRoot: string, options: { replace?: boolean } = {}): Promise<ImportResult> {
  // a .zip name that is not a folder is read as an archive (readZipPack refuses what is not a regular file)
  const isZip = /\.zip$/i.test(source) && !(await stat(source).then((s) => s.isDirectory(), () => false));
  const files = isZip ? await readZipPack(source) : await readFolderPack(source);
  const lessons = groupPackLessons(files);
  const root = resolve(libraryRoot);

  const clashes: string[] = [];
  for (const id of lessons.keys()) {
    if (await lstat(join(root, id)).then(() => true, () => false)) clashes.push(id);
  }
  if (clashes.length > 0 && !options.replace) {
    throw new PackError(`refused ${basename(source)}`, clashes.map((id) => `a lesson "${id}" already exists in ${root} (import with replace to overwrite it)`));
  }

  const invalid = [...lessons].flatMap(([id, group]) => lessonGroupProblems(id, group));
  if (invalid.length > 0) throw new PackError(`refused ${basename(source)}`, invalid);

  await mkdir(root, { recursive: true });
  const temp = await mkdtemp(join(root, '.loopscope-import-'));
  try {
    for (const [id, group] of lessons) {
      for (const f of group) {
        const full = join(temp, id, ...f.path.split('/'));
        await mkdir(dirname(full), { recursive: true });
        await writeFile(full, f.bytes, { flag: 'wx' });
      }
    }
    const problems: string[] = []; // the loader re-checks on disk (links, real paths): belt and braces
    for (const id of lessons.keys()) {
      await loadLessonDir(join(temp, id)).catch((err: Error) => problems.push(err.message));
    }
    if (problems.length > 0) throw new PackError(`refused ${basename(source)}`, problems);
    for (const id of lessons.keys()) {
      const target = join(root, id);
      if (!clashes.includes(id)) {
        await rename(join(temp, id), target);
        continue;
      }
      const old = join(temp, `.replaced-${id}`);
      await rename(target, old);
      await rename(join(temp, id), target).catch(async (err: unknown) => {
        await rename(old, target); // put the original back
        throw err;
      });
    }
    return { imported: [...lessons.keys()] };
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

/**
 * The loader's checks (load.ts), in memory, so an invalid lesson refuses the pack before anything is written:
 * valid lesson.json for this folder, a README, listed files present, within the loader's size caps, text, and
 * markers matching checkpoints.
 */
function lessonGroupProblems(id: string, group: readonly PackFile[]): string[] {
  const files = new Map(group.map((f) => [f.path, f.bytes]));
  const meta = files.get('lesson.json');
  if (!meta) return [`${id}/lesson.json: does not exist`];
  if (meta.length > LESSON_LIMITS.metaBytes) return [`${id}/lesson.json: is larger than ${LESSON_LIMITS.metaBytes / 1024} KB`];
  let lesson: Lesson;
  try {
    lesson = validateLesson(JSON.parse(utf8.decode(meta)), [...files.keys()], { folder: id });
  } catch (err) {
    return [`${id}/lesson.json: ${err instanceof LessonFormatError ? err.message : `is not valid JSON: ${(err as Error).message}`}`];
  }
  const problems: string[] = [];
  const readme = files.get('README.md');
  if (!readme) problems.push(`${id}/README.md: does not exist`);
  else if (utf8.decode(readme).trim() === '') problems.push(`${id}/README.md: is empty`);
  else if (readme.length > LESSON_LIMITS.readmeBytes) problems.push(`${id}/README.md: is larger than ${LESSON_LIMITS.readmeBytes / 1024} KB`);
  let total = 0;
  const code: { path: string; text: string }[] = [];
  for (const path of lesson.files) {
    const bytes = files.get(path)!;
    total += bytes.length;
    if (bytes.length > LESSON_LIMITS.fileBytes) problems.push(`${id}/${path}: is ${mb(bytes.length)}; the limit is ${LESSON_LIMITS.fileBytes / 1024} KB`);
    else if (bytes.includes(0)) problems.push(`${id}/${path}: looks binary (it contains NUL bytes); lesson files are UTF-8 text`);
    else if (/\.(?:[cm]?ts|[cm]?js)$/.test(path)) code.push({ path, text: utf8.decode(bytes) });
  }
  if (total > LESSON_LIMITS.totalBytes) problems.push(`${id}: the lesson's files are larger than ${LESSON_LIMITS.totalBytes / 1024} KB together`);
  for (const issue of lessonSourceIssues(lesson, code)) problems.push(`${id}/lesson.json: ${issue.path}: ${issue.message}`);
  return problems;
}

const utf8 = new TextDecoder();

/**
 * Exports lesson folders as a pack: `dest` ending in .zip writes an archive, anything else a folder. Every lesson
 * is loaded (so only valid lessons leave), and only its lesson.json, README.md and listed files are included.
 * Refuses an existing `dest`; writes to a temporary name and renames.
 */
export async function exportPack(lessonDirs: readonly string[], dest: string): Promise<{ lessons: readonly string[]; bytes: number }> {
  if (lessonDirs.length === 0) throw new PackError('nothing to export', ['no lessons were given']);
  const target = resolve(dest);
  if (await lstat(target).then(() => true, () => false)) throw new PackError(`refused to export to ${target}`, ['it already exists']);
  const loaded: LoadedLesson[] = [];
  for (const dir of lessonDirs) loaded.push(await loadLessonDir(dir));
  const ids = loaded.map((l) => l.lesson.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw new PackError('refused to export', [`the lesson "${dup}" is given twice`]);
  const enc = new TextEncoder();
  const files: PackFile[] = [];
  for (const l of loaded) {
    const meta = await readFile(join(l.dir, 'lesson.json'));
    files.push({ path: `${l.lesson.id}/lesson.json`, bytes: new Uint8Array(meta) });
    files.push({ path: `${l.lesson.id}/README.md`, bytes: enc.encode(l.readme) });
    for (const f of l.files) files.push({ path: `${l.lesson.id}/${f.path}`, bytes: enc.encode(f.text) });
  }
  const total = files.reduce((n, f) => n + f.bytes.length, 0);
  if (total > PACK_LIMITS.packBytes) throw new PackError('refused to export', [`the lessons add up to ${mb(total)}; a pack may be at most ${mb(PACK_LIMITS.packBytes)}`]);

  await mkdir(dirname(target), { recursive: true });
  const temp = await mkdtemp(join(dirname(target), `.${basename(target)}-`));
  try {
    if (/\.zip$/i.test(target)) {
      const zip = writeZip(files);
      await writeFile(join(temp, 'pack.zip'), zip, { flag: 'wx' });
      await rename(join(temp, 'pack.zip'), target);
      return { lessons: ids, bytes: zip.length };
    }
    const out = join(temp, 'pack');
    for (const f of files) {
      const full = join(out, ...f.path.split('/'));
      await mkdir(dirname(full), { recursive: true });
      await writeFile(full, f.bytes, { flag: 'wx' });
    }
    await rename(out, target);
    return { lessons: ids, bytes: total };
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

const mb = (bytes: number): string => (bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`);
