/**
 * What the lesson store needs from a lesson library loader, and the default loader. The loader reads a folder of
 * lesson folders (or a single lesson folder) and validates each `lesson.json` with the shared lesson format; a
 * broken lesson becomes a problem string, never an exception.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Lesson } from '../../shared/lesson/format.ts';
import type { LessonFile } from '../../shared/run/contract.ts';
import { loadLessonDir, loadLessonLibrary } from '../lessons/load.ts';

export interface LibraryLesson {
  readonly lesson: Lesson;
  readonly readme: string;
  /** The lesson's code files in `lesson.files` order (entry first), original text. */
  readonly files: readonly LessonFile[];
  /** The lesson folder (absolute). The default loader always sets it; test fakes may leave it out. */
  readonly dir?: string;
}

export interface LoadedLibrary {
  readonly lessons: readonly LibraryLesson[];
  readonly problems: readonly string[];
}

export type LoadLibrary = (root: string) => Promise<LoadedLibrary>;

/**
 * The default loader (src/services/lessons/load.ts): a folder holding `lesson.json` is one lesson; any other folder
 * is a library of lesson folders.
 */
export const loadLibrary: LoadLibrary = async (root) => {
  if (await stat(join(root, 'lesson.json')).then(() => true, () => false)) {
    try {
      return { lessons: [await loadLessonDir(root)], problems: [] };
    } catch (e) {
      return { lessons: [], problems: [e instanceof Error ? e.message : String(e)] };
    }
  }
  const lib = await loadLessonLibrary(root);
  return { lessons: lib.lessons, problems: lib.errors.map((e) => e.message) };
};
