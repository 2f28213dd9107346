/**
 * What `loopscope run <target>` runs, read from disk with the same rules the app and `loopscope check` use.
 *
 * - A folder is a lesson: it goes through `loadLessonDir` (load.ts) — no links (lstat on every component), every
 *   file inside the folder, sizes capped before reading, lesson.json validated — so the CLI, the checker and the
 *   app accept and refuse the same folders with the same messages.
 * - A file is a snippet. It is opened once (no separate stat-then-read), must be a regular file, and is read with
 *   a cap, so a path like /dev/zero or a FIFO is refused instead of read forever. Its sibling code and data files
 *   (imports, workers) come along under the lesson rules: regular files only (links are skipped), each and all
 *   together capped, at most MAX_SIBLINGS.
 *
 * Errors are `LessonLoadError`s whose message names the file and the rule.
 */
import { constants } from 'node:fs';
import { lstat, open, readdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { isSafeLessonPath } from '../../shared/lesson/format.ts';
import type { LessonFile } from '../../shared/run/contract.ts';
import { LESSON_LIMITS, LessonLoadError, loadLessonDir } from './load.ts';

export interface RunTarget {
  readonly files: readonly LessonFile[];
  readonly entry: string;
  /** The lesson's own time limit (lesson.json `timeoutMs`), when it has one. */
  readonly timeoutMs?: number;
}

const CODE = /\.(?:[cm]?ts|[cm]?js)$/;
const DATA = /\.(?:json|txt|md|csv)$/;
export const MAX_SIBLINGS = 40;

export async function loadRunTarget(target: string): Promise<RunTarget> {
  const abs = resolve(target);
  const info = await lstat(abs).catch(() => null);
  if (!info) throw new LessonLoadError(abs, `${target}: no such file or folder`);
  if (info.isDirectory()) {
    const loaded = await loadLessonDir(abs);
    return { files: loaded.files, entry: loaded.lesson.entry, ...(loaded.lesson.timeoutMs ? { timeoutMs: loaded.lesson.timeoutMs } : {}) };
  }
  return loadSnippet(abs, target);
}

async function loadSnippet(abs: string, shown: string): Promise<RunTarget> {
  const entry = basename(abs);
  if (!CODE.test(entry)) throw new LessonLoadError(abs, `${shown}: is not a .ts/.js file`);
  if (!isSafeLessonPath(entry)) throw new LessonLoadError(abs, `${shown}: the file name may use letters, digits, "_", "-", "." and spaces only`);
  const text = await readOnce(abs, shown, LESSON_LIMITS.fileBytes);
  const files: LessonFile[] = [{ path: entry, text }];
  let total = Buffer.byteLength(text);
  const dir = dirname(abs);
  const names = (await readdir(dir)).filter((n) => n !== entry && (CODE.test(n) || DATA.test(n)) && isSafeLessonPath(n)).sort();
  for (const name of names) {
    if (files.length > MAX_SIBLINGS) break;
    const st = await lstat(join(dir, name)).catch(() => null);
    if (!st?.isFile() || st.size > LESSON_LIMITS.fileBytes) continue; // links, folders, devices and big files are not lesson files
    const sibling = await readOnce(join(dir, name), name, LESSON_LIMITS.fileBytes, { noFollow: true }).catch(() => null);
    if (sibling === null) continue;
    total += Buffer.byteLength(sibling);
    if (total > LESSON_LIMITS.totalBytes) throw new LessonLoadError(dir, `${shown}: it and its sibling code files are larger than ${LESSON_LIMITS.totalBytes / 1024} KB together`);
    files.push({ path: name, text: sibling });
  }
  return { files, entry };
}

/**
 * Opens `path` once and reads at most `maxBytes` from that descriptor: refuses anything but a regular file (a
 * FIFO is opened non-blocking, so it cannot stall), files over the cap, and binary content.
 */
export async function readOnce(path: string, shown: string, maxBytes: number, options: { noFollow?: boolean } = {}): Promise<string> {
  const flags = constants.O_RDONLY | constants.O_NONBLOCK | (options.noFollow ? constants.O_NOFOLLOW : 0);
  const handle = await open(path, flags).catch((e: NodeJS.ErrnoException) => {
    throw new LessonLoadError(path, e.code === 'ELOOP' ? `${shown}: is a symbolic link; lessons may not contain links` : `${shown}: cannot be read (${e.code ?? e.message})`);
  });
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new LessonLoadError(path, `${shown}: is not a regular file`);
    if (st.size > maxBytes) throw new LessonLoadError(path, `${shown}: is ${Math.ceil(st.size / 1024)} KB; the limit is ${maxBytes / 1024} KB`);
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > maxBytes) throw new LessonLoadError(path, `${shown}: is larger than ${maxBytes / 1024} KB`);
    }
    const bytes = buffer.subarray(0, length);
    if (bytes.includes(0)) throw new LessonLoadError(path, `${shown}: looks binary (it contains NUL bytes); lesson files are UTF-8 text`);
    return bytes.toString('utf8').replace(/^\uFEFF/, '');
  } finally {
    await handle.close();
  }
}

