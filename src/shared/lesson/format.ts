/**
 * The lesson format: what `lessons/<id>/lesson.json` may say — its types, limits and the helpers that read a valid
 * lesson. Pure code (no Node, no DOM): used by the loader and checker and by the renderer (lesson browser, quiz).
 *
 * The format is described once, in lesson-schema.ts (`validateLesson`); lessons/lesson.schema.json and the field
 * table in lessons/README.md are generated from that description (`npm run gen:schemas`).
 */
import { END_REASON_NAMES } from '../trace/schema.ts';
import type { CheckpointExpect } from './expectations.ts';

export { scoreQuiz, type QuizLineScore, type QuizScore } from './quiz.ts';

export const LESSON_LEVELS = ['beginner', 'intermediate', 'advanced'] as const;
export type LessonLevel = (typeof LESSON_LEVELS)[number];

export const LESSON_TOPICS = ['event-loop', 'promises', 'async-await', 'patterns', 'workers', 'shared-memory', 'processes', 'reliability'] as const;
export type LessonTopic = (typeof LESSON_TOPICS)[number];

/** Rows of the lesson catalogue (lessons/README.md, "The catalogue") a lesson may claim. */
export const CATALOGUE_ROWS = 43;

/**
 * A `requires` entry: a Node built-in module (`node:stream`), optionally with one export it needs
 * (`node:perf_hooks.monitorEventLoopDelay`). Built-in names never contain a dot, so the first dot splits them.
 */
export const LESSON_REQUIREMENT_RE = /^node:[a-z_]+(?:\/[a-z_]+)*(?:\.[A-Za-z_$][\w$]*)?$/;
export const MAX_LESSON_REQUIREMENTS = 8;

/** The `exitReason` a lesson may expect: the run's end reason as the app names it (`END_REASON_NAMES`). */
export const EXIT_REASONS: readonly string[] = END_REASON_NAMES;

export const LESSON_ID_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const MAX_LESSON_ID_LENGTH = 64;
export const MAX_LESSON_FILES = 16;
export const MIN_TIMEOUT_MS = 100;
export const MAX_TIMEOUT_MS = 10_000;
/** Files a lesson folder always has besides its code; they may not be listed in `files`. */
export const LESSON_META_FILES = ['lesson.json', 'README.md'] as const;

export interface LessonExpectedCommon {
  /** How the run must end (one of EXIT_REASONS). Absent: it must not fail (completed, or process.exit(0)). */
  readonly exitReason?: string;
  /** Each string must occur somewhere in the run's stderr. */
  readonly stderrIncludes?: readonly string[];
}
export type LessonExpected =
  | (LessonExpectedCommon & { readonly stdout: readonly string[]; readonly anyOf?: undefined })
  | (LessonExpectedCommon & { readonly anyOf: readonly (readonly string[])[]; readonly stdout?: undefined });

/** `expect`: what is true on the stage at the checkpoint, verified by `loopscope check` (expectations.ts). */
export type LessonCheckpoint =
  | { readonly name: string; readonly marker: string; readonly consoleLine?: undefined; readonly explain: string; readonly expect?: CheckpointExpect; readonly notes?: string }
  | { readonly name: string; readonly consoleLine: string; readonly marker?: undefined; readonly explain: string; readonly expect?: CheckpointExpect; readonly notes?: string };

export type LessonQuiz =
  | { readonly prompt: string; readonly kind: 'order'; readonly lines?: readonly string[] }
  | { readonly prompt: string; readonly kind: 'type' };

export interface Lesson {
  readonly id: string;
  readonly title: string;
  /** One sentence for the lesson browser. */
  readonly summary?: string;
  readonly level: LessonLevel;
  readonly topic: LessonTopic;
  /** Catalogue rows (1-based) this lesson covers. */
  readonly rows: readonly number[];
  readonly entry: string;
  /** Code (and data) files, entry first. Relative POSIX paths inside the lesson folder. */
  readonly files: readonly string[];
  readonly expected: LessonExpected;
  readonly checkpoints: readonly LessonCheckpoint[];
  readonly quiz: LessonQuiz;
  readonly timeoutMs?: number;
  /**
   * Node built-ins (or exports of them) the lesson is about beyond the event-loop basics, e.g. `node:crypto` or
   * `node:perf_hooks.monitorEventLoopDelay`: information for readers and pack authors. Every run is real Node, so
   * the checker runs every lesson whatever it lists.
   */
  readonly requires?: readonly string[];
}

/** A problem in a lesson.json (lesson-schema.ts `lessonIssues`). */
export interface LessonIssue {
  /** Field path inside lesson.json, e.g. `checkpoints[2].marker`; '' for the document itself. */
  readonly path: string;
  readonly message: string;
}

/** A relative POSIX path inside a lesson: no leading `/`, no `.`/`..` segments, no backslashes or drive letters. */
export function isSafeLessonPath(path: string): boolean {
  if (path.length === 0 || path.length > 200 || path.startsWith('/')) return false;
  if (!/^[\w.\- /]+$/.test(path)) return false;
  return path.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..' && seg.trim() === seg);
}

/** Every accepted console output of a lesson (one list for `stdout`, several for `anyOf`). */
export function expectedVariants(expected: LessonExpected): readonly (readonly string[])[] {
  return expected.stdout ? [expected.stdout] : expected.anyOf ?? [];
}

/**
 * The accepted answers of a lesson's quiz: for `type`, the whole expected output (each variant); for `order` with
 * `lines`, those lines in the order each variant prints them; for `order` without `lines`, the whole output.
 * Pass the result to `scoreQuiz`.
 */
export function quizAnswerKey(lesson: Pick<Lesson, 'expected' | 'quiz'>): string[][] {
  const variants = expectedVariants(lesson.expected).map((v) => [...v]);
  const quiz = lesson.quiz;
  if (quiz.kind === 'type' || !quiz.lines) return variants;
  return variants.map((variant) => subsequenceOf(variant, quiz.lines ?? []));
}

/** The picked lines in the order `variant` prints them (each pick consumes one occurrence). */
export function subsequenceOf(variant: readonly string[], picks: readonly string[]): string[] {
  const remaining = [...picks];
  const out: string[] = [];
  for (const line of variant) {
    const at = remaining.indexOf(line);
    if (at >= 0) {
      out.push(line);
      remaining.splice(at, 1);
    }
  }
  return out;
}
