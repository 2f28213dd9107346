/**
 * Loads lesson folders from disk: `lessons/<id>/lesson.json` + `README.md` + the code files it lists.
 *
 * Invariants:
 * - Nothing outside the lesson folder is ever read: listed paths are checked lexically (no absolute paths, no
 *   `..`), every path component is lstat'ed (symbolic links are refused, not followed), and the real path of each
 *   file must stay inside the folder's real path.
 * - Sizes are capped before reading (`LESSON_LIMITS`), so a huge or binary file cannot stall the app.
 * - A loaded lesson is valid: lesson.json passed `validateLesson`, its markers match its checkpoints, README.md
 *   exists. Errors are `LessonLoadError`s whose message starts with the offending file.
 * - In a library, a broken lesson becomes an error entry; it never hides the others.
 */
import { lstat, readdir, readFile, realpath } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import type { LessonFile } from '../../shared/run/contract.ts';
import { isSafeLessonPath, type Lesson } from '../../shared/lesson/format.ts';
import { LessonFormatError, validateLesson } from '../../shared/lesson/lesson-schema.ts';
import { lessonSourceIssues } from '../../shared/lesson/markers.ts';

export const LESSON_LIMITS = {
  /** lesson.json */
  metaBytes: 64 * 1024,
  readmeBytes: 256 * 1024,
  /** each listed code/data file */
  fileBytes: 256 * 1024,
  /** all listed files together */
  totalBytes: 1024 * 1024,
  /** entries looked at while listing a lesson folder (a lesson needs a handful) */
  folderEntries: 200,
  /** lesson folders in one library */
  libraryLessons: 500,
} as const;

export interface LoadedLesson {
  /** Absolute path of the lesson folder. */
  readonly dir: string;
  readonly lesson: Lesson;
  /** README.md: the narrative, Markdown. */
  readonly readme: string;
  /** The files of `lesson.files`, in that order (entry first), ready for a RunRequest. */
  readonly files: readonly LessonFile[];
}

export class LessonLoadError extends Error {
  /** The file or folder at fault (absolute). */
  readonly path: string;
  constructor(path: string, message: string) {
    super(message);
    this.name = 'LessonLoadError';
    this.path = path;
  }
}

export interface LibraryError {
  /** Absolute path of the broken lesson folder (or entry). */
  readonly path: string;
  readonly message: string;
}

export interface LessonLibrary {
  /** Sorted by first catalogue row, then id. */
  readonly lessons: readonly LoadedLesson[];
  readonly errors: readonly LibraryError[];
}

/** Loads and validates one lesson folder. Throws LessonLoadError with a specific message. */
export async function loadLessonDir(dir: string): Promise<LoadedLesson> {
  const root = resolve(dir);
  const folder = basename(root);
  const fail = (file: string, message: string): never => {
    throw new LessonLoadError(join(root, file), file ? `${folder}/${file}: ${message}` : `${folder}: ${message}`);
  };
  const rootStat = await lstat(root).catch(() => fail('', 'no such folder'));
  if (rootStat.isSymbolicLink()) fail('', 'is a symbolic link; lesson folders must be real folders');
  if (!rootStat.isDirectory()) fail('', 'is not a folder');
  const realRoot = await realpath(root);

  const listing = await listFolder(root);
  const metaText = await readCapped(root, realRoot, 'lesson.json', LESSON_LIMITS.metaBytes, listing, fail);
  let json: unknown;
  try {
    json = JSON.parse(metaText);
  } catch (err) {
    fail('lesson.json', `is not valid JSON: ${(err as Error).message}`);
  }
  let lesson: Lesson;
  try {
    // Listed paths reached through a link count as present here, so the link itself is what gets reported.
    const viaLink = listed(json).filter((p) => [...listing.links].some((l) => p === l || p.startsWith(`${l}/`)));
    lesson = validateLesson(json, [...listing.files, ...viaLink], { folder });
  } catch (err) {
    if (err instanceof LessonFormatError) fail('lesson.json', err.message);
    throw err;
  }
  const readme = await readCapped(root, realRoot, 'README.md', LESSON_LIMITS.readmeBytes, listing, fail);
  if (readme.trim() === '') fail('README.md', 'is empty; the narrative says what to notice, why it matters and the pitfall');

  const files: LessonFile[] = [];
  let total = 0;
  for (const path of lesson.files) {
    const text = await readCapped(root, realRoot, path, LESSON_LIMITS.fileBytes, listing, fail);
    total += Buffer.byteLength(text);
    if (total > LESSON_LIMITS.totalBytes) fail(path, `the lesson's files are larger than ${LESSON_LIMITS.totalBytes / 1024} KB together`);
    files.push({ path, text });
  }
  const codeFiles = files.filter((f) => /\.(?:[cm]?ts|[cm]?js)$/.test(f.path));
  const sourceIssues = lessonSourceIssues(lesson, codeFiles);
  if (sourceIssues.length > 0) fail('lesson.json', sourceIssues.map((i) => `${i.path}: ${i.message}`).join('; '));
  return { dir: root, lesson, readme, files };
}

/** Loads every lesson folder under `root` (or `root` itself when it is a lesson). Broken ones become `errors`; the rest load regardless. */
export async function loadLessonLibrary(root: string): Promise<LessonLibrary> {
  const base = resolve(root);
  // A lesson folder given as the library is that one lesson (`loopscope check lessons/x`, "Open folder…" on a lesson).
  if (await lstat(join(base, 'lesson.json')).then(() => true, () => false)) {
    try {
      return { lessons: [await loadLessonDir(base)], errors: [] };
    } catch (err) {
      return { lessons: [], errors: [{ path: base, message: err instanceof Error ? err.message : String(err) }] };
    }
  }
  const entries = await readdir(base, { withFileTypes: true });
  const lessons: LoadedLesson[] = [];
  const errors: LibraryError[] = [];
  const folders = entries.filter((e) => !e.name.startsWith('.') && e.name !== 'node_modules' && (e.isDirectory() || e.isSymbolicLink()));
  folders.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (folders.length > LESSON_LIMITS.libraryLessons) {
    errors.push({ path: base, message: `${folders.length} lesson folders; only the first ${LESSON_LIMITS.libraryLessons} were loaded` });
    folders.length = LESSON_LIMITS.libraryLessons;
  }
  for (const entry of folders) {
    const dir = join(base, entry.name);
    if (entry.isSymbolicLink()) {
      errors.push({ path: dir, message: `${entry.name}: is a symbolic link; lesson folders must be real folders` });
      continue;
    }
    try {
      lessons.push(await loadLessonDir(dir));
    } catch (err) {
      errors.push({ path: dir, message: err instanceof Error ? err.message : String(err) });
    }
  }
  lessons.sort((a, b) => firstRow(a) - firstRow(b) || (a.lesson.id < b.lesson.id ? -1 : 1));
  return { lessons, errors };
}

const listed = (json: unknown): string[] => {
  const files = typeof json === 'object' && json !== null ? (json as { files?: unknown }).files : undefined;
  return Array.isArray(files) ? files.filter((f): f is string => typeof f === 'string') : [];
};

const firstRow = (l: LoadedLesson): number => (l.lesson.rows.length > 0 ? Math.min(...l.lesson.rows) : Number.MAX_SAFE_INTEGER);

interface Listing {
  /** Regular files reachable through real (non-link) folders, as relative POSIX paths. */
  readonly files: Set<string>;
  /** Symbolic links found (files or folders), as relative POSIX paths. */
  readonly links: Set<string>;
}

/** Lists a lesson folder without following links (bounded in depth and entries). */
async function listFolder(root: string): Promise<Listing> {
  const files = new Set<string>();
  const links = new Set<string>();
  let seen = 0;
  const walk = async (rel: string, depth: number): Promise<void> => {
    const entries = await readdir(rel ? join(root, rel) : root, { withFileTypes: true });
    for (const e of entries) {
      if (++seen > LESSON_LIMITS.folderEntries) return;
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (e.isSymbolicLink()) links.add(path);
      else if (e.isFile()) files.add(path);
      else if (e.isDirectory() && depth < 3 && !e.name.startsWith('.') && e.name !== 'node_modules') await walk(path, depth + 1);
    }
  };
  await walk('', 0);
  return { files, links };
}

/**
 * Reads `path` (relative, POSIX) inside the lesson: refuses escapes and links on any component, checks the real
 * path stays inside `realRoot`, caps the size before reading, refuses binary content.
 */
async function readCapped(root: string, realRoot: string, path: string, maxBytes: number, listing: Listing, fail: (file: string, message: string) => never): Promise<string> {
  if (!isSafeLessonPath(path)) fail(path, 'is not a relative path inside the lesson');
  const parts = path.split('/');
  for (let i = 1; i <= parts.length; i++) {
    const partial = parts.slice(0, i).join('/');
    const st = await lstat(join(root, ...parts.slice(0, i))).catch(() => null);
    if (!st) fail(path, 'does not exist');
    if (st!.isSymbolicLink() || listing.links.has(partial)) fail(path, `${partial === path ? 'is' : `is inside ${partial}, which is`} a symbolic link; lessons may not contain links`);
    if (i < parts.length && !st!.isDirectory()) fail(path, `${partial} is not a folder`);
    if (i === parts.length) {
      if (!st!.isFile()) fail(path, 'is not a regular file');
      if (st!.size > maxBytes) fail(path, `is ${Math.ceil(st!.size / 1024)} KB; the limit is ${maxBytes / 1024} KB`);
    }
  }
  const full = join(root, ...parts);
  const real = await realpath(full);
  const inside = relative(realRoot, real);
  if (inside.startsWith('..') || inside.startsWith(sep) || inside === '') fail(path, 'resolves outside the lesson folder');
  const bytes = await readFile(full);
  if (bytes.length > maxBytes) fail(path, `is larger than ${maxBytes / 1024} KB`);
  if (bytes.includes(0)) fail(path, 'looks binary (it contains NUL bytes); lesson files are UTF-8 text');
  return bytes.toString('utf8').replace(/^\uFEFF/, '');
}
