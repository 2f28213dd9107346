/**
 * The lesson format: what `lessons/<id>/lesson.json` may say, and how it is validated. Pure code (no Node, no
 * DOM): used by the loader and checker in the main process and by the renderer (lesson browser, quiz).
 *
 * Invariants:
 * - `validateLesson` either returns a fully typed `Lesson` or throws a `LessonFormatError` whose `issues` name
 *   every problem by its field path (`checkpoints[2].marker`) — it never throws anything else, whatever `json`
 *   is.
 * - Unknown fields are errors (a typo like `"expect"` must not silently drop the expectation).
 * - Cross-field rules hold for every valid lesson: `files[0] === entry`; every listed file exists; a checkpoint's
 *   `consoleLine` and every order-quiz line appear in every accepted output.
 * - The documented format is lessons/README.md; lessons/lesson.schema.json is its JSON Schema. Change all three
 *   together.
 */
import { END_REASON_NAMES } from '../trace/schema.ts';
import { validateExpect, type CheckpointExpect } from './expectations.ts';

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

export interface LessonIssue {
  /** Field path inside lesson.json, e.g. `checkpoints[2].marker`; '' for the document itself. */
  readonly path: string;
  readonly message: string;
}

export class LessonFormatError extends Error {
  readonly issues: readonly LessonIssue[];
  constructor(issues: readonly LessonIssue[]) {
    const shown = issues.slice(0, 8).map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
    const more = issues.length > 8 ? `; and ${issues.length - 8} more` : '';
    super(`${shown.join('; ')}${more}`);
    this.name = 'LessonFormatError';
    this.issues = issues;
  }
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
function subsequenceOf(variant: readonly string[], picks: readonly string[]): string[] {
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

/** All problems of a lesson.json document (empty when valid). `fileList`: the files present in the folder. */
export function lessonIssues(json: unknown, fileList: readonly string[], options: { folder?: string } = {}): LessonIssue[] {
  const v = new Validator();
  v.run(json, fileList, options.folder);
  return v.issues;
}

/**
 * Validates a parsed lesson.json. `fileList` lists the files present in the lesson folder (relative POSIX
 * paths); `options.folder` is the folder's name, which must equal the id. Throws LessonFormatError (only).
 */
export function validateLesson(json: unknown, fileList: readonly string[], options: { folder?: string } = {}): Lesson {
  const issues = lessonIssues(json, fileList, options);
  if (issues.length > 0) throw new LessonFormatError(issues);
  return json as Lesson;
}

// ------------------------------------------------------------------------------------------------ validator

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const show = (x: unknown): string => {
  if (typeof x === 'string') return JSON.stringify(x.length > 60 ? `${x.slice(0, 57)}...` : x);
  if (Array.isArray(x)) return 'an array';
  if (x === null) return 'null';
  return typeof x === 'object' ? 'an object' : String(x);
};

const TOP_KEYS = ['$schema', 'id', 'title', 'summary', 'level', 'topic', 'rows', 'entry', 'files', 'expected', 'checkpoints', 'quiz', 'timeoutMs', 'requires'];
const REQUIRED_KEYS = ['id', 'title', 'level', 'topic', 'rows', 'entry', 'files', 'expected', 'checkpoints', 'quiz'];

class Validator {
  readonly issues: LessonIssue[] = [];

  private fail(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  private keys(o: Obj, path: string, allowed: readonly string[], required: readonly string[]): void {
    const at = (k: string): string => (path ? `${path}.${k}` : k);
    for (const k of Object.keys(o)) if (!allowed.includes(k)) this.fail(at(k), `unknown field (allowed: ${allowed.join(', ')})`);
    for (const k of required) if (!(k in o)) this.fail(at(k), 'is required');
  }

  private text(x: unknown, path: string, max: number, allowEmpty = false): x is string {
    if (typeof x !== 'string') return this.fail(path, `must be a string, not ${show(x)}`), false;
    if (!allowEmpty && x.trim() === '') return this.fail(path, 'must not be empty'), false;
    if (x.length > max) return this.fail(path, `must be at most ${max} characters (it has ${x.length})`), false;
    return true;
  }

  private lines(x: unknown, path: string): x is string[] {
    if (!Array.isArray(x)) return this.fail(path, `must be an array of console lines, not ${show(x)}`), false;
    let ok = true;
    x.forEach((line, i) => {
      if (typeof line !== 'string') ok = (this.fail(`${path}[${i}]`, `must be a string, not ${show(line)}`), false);
      else if (line.includes('\n')) ok = (this.fail(`${path}[${i}]`, 'must be one line (split multi-line output into several entries)'), false);
    });
    if (x.length > 2000) ok = (this.fail(path, `has ${x.length} lines; at most 2000`), false);
    return ok;
  }

  run(json: unknown, fileList: readonly string[], folder: string | undefined): void {
    if (!isObj(json)) return this.fail('', `lesson.json must be a JSON object, not ${show(json)}`);
    const o = json;
    this.keys(o, '', TOP_KEYS, REQUIRED_KEYS);
    if ('$schema' in o && typeof o.$schema !== 'string') this.fail('$schema', 'must be a string');

    if ('id' in o && this.text(o.id, 'id', MAX_LESSON_ID_LENGTH)) {
      if (!LESSON_ID_RE.test(o.id)) this.fail('id', `${show(o.id)} is not kebab-case (lowercase letters and digits joined by single hyphens, e.g. "promise-all")`);
      else if (folder !== undefined && folder !== o.id) this.fail('id', `${show(o.id)} must equal the lesson's folder name ${show(folder)}`);
    }
    if ('title' in o) this.text(o.title, 'title', 120);
    if ('summary' in o) this.text(o.summary, 'summary', 300);
    if ('level' in o && !(LESSON_LEVELS as readonly unknown[]).includes(o.level)) this.fail('level', `must be one of ${LESSON_LEVELS.join(', ')}, not ${show(o.level)}`);
    if ('topic' in o && !(LESSON_TOPICS as readonly unknown[]).includes(o.topic)) this.fail('topic', `must be one of ${LESSON_TOPICS.join(', ')}, not ${show(o.topic)}`);
    if ('rows' in o) this.rows(o.rows);
    if ('requires' in o) this.requires(o.requires);
    if ('timeoutMs' in o) {
      const t = o.timeoutMs;
      if (typeof t !== 'number' || !Number.isInteger(t) || t < MIN_TIMEOUT_MS || t > MAX_TIMEOUT_MS) this.fail('timeoutMs', `must be a whole number of milliseconds from ${MIN_TIMEOUT_MS} to ${MAX_TIMEOUT_MS}, not ${show(t)}`);
    }
    const files = 'files' in o ? this.files(o.files, fileList) : null;
    if ('entry' in o && this.text(o.entry, 'entry', 200)) {
      if (!isSafeLessonPath(o.entry)) this.fail('entry', `${show(o.entry)} is not a relative path inside the lesson`);
      else if (files && files[0] !== o.entry) this.fail('entry', files.includes(o.entry) ? `must be listed first in files (files[0] is ${show(files[0])})` : `${show(o.entry)} must be listed in files, first`);
    }
    const variants = 'expected' in o ? this.expected(o.expected) : null;
    if ('checkpoints' in o) this.checkpoints(o.checkpoints, variants);
    if ('quiz' in o) this.quiz(o.quiz, variants);
  }

  private rows(x: unknown): void {
    if (!Array.isArray(x)) return this.fail('rows', `must be an array of catalogue row numbers, not ${show(x)}`);
    const seen = new Set<number>();
    x.forEach((row, i) => {
      if (typeof row !== 'number' || !Number.isInteger(row) || row < 1 || row > CATALOGUE_ROWS) this.fail(`rows[${i}]`, `must be a catalogue row number from 1 to ${CATALOGUE_ROWS}, not ${show(row)}`);
      else if (seen.has(row)) this.fail(`rows[${i}]`, `row ${row} is listed twice`);
      else seen.add(row);
    });
  }

  private requires(x: unknown): void {
    if (!Array.isArray(x) || x.length === 0) return this.fail('requires', `must be a non-empty array like ["node:crypto", "node:perf_hooks.monitorEventLoopDelay"], not ${show(x)}`);
    if (x.length > MAX_LESSON_REQUIREMENTS) this.fail('requires', `lists ${x.length} requirements; at most ${MAX_LESSON_REQUIREMENTS}`);
    const seen = new Set<string>();
    x.forEach((r, i) => {
      if (typeof r !== 'string' || !LESSON_REQUIREMENT_RE.test(r)) this.fail(`requires[${i}]`, `must be a Node built-in like "node:stream" or "node:perf_hooks.monitorEventLoopDelay", not ${show(r)}`);
      else if (seen.has(r)) this.fail(`requires[${i}]`, `${show(r)} is listed twice`);
      else seen.add(r);
    });
  }

  private files(x: unknown, fileList: readonly string[]): string[] | null {
    if (!Array.isArray(x) || x.length === 0) return this.fail('files', `must be a non-empty array of file paths, entry first, not ${show(x)}`), null;
    if (x.length > MAX_LESSON_FILES) this.fail('files', `lists ${x.length} files; at most ${MAX_LESSON_FILES}`);
    const out: string[] = [];
    x.forEach((f, i) => {
      const p = `files[${i}]`;
      if (!this.text(f, p, 200)) return;
      if (!isSafeLessonPath(f)) return this.fail(p, `${show(f)} is not a relative path inside the lesson (no leading "/", no "." or ".." parts, letters, digits, "_", "-", ".", "/" and spaces only)`);
      if ((LESSON_META_FILES as readonly string[]).includes(f)) return this.fail(p, `${f} is the lesson's metadata/narrative, not a code file; remove it from files`);
      if (out.includes(f)) return this.fail(p, `${show(f)} is listed twice`);
      if (!fileList.includes(f)) this.fail(p, `${show(f)} does not exist in the lesson folder`);
      out.push(f);
    });
    return out;
  }

  private expected(x: unknown): string[][] | null {
    if (!isObj(x)) return this.fail('expected', `must be an object like { "stdout": [lines] } or { "anyOf": [[lines], [lines]] }, not ${show(x)}`), null;
    this.keys(x, 'expected', ['stdout', 'anyOf', 'exitReason', 'stderrIncludes'], []);
    let variants: string[][] | null = null;
    if ('stdout' in x && 'anyOf' in x) this.fail('expected', 'has both "stdout" and "anyOf"; use "stdout" for deterministic output, "anyOf" only for honestly nondeterministic output');
    else if ('stdout' in x) variants = this.lines(x.stdout, 'expected.stdout') ? [x.stdout as string[]] : null;
    else if ('anyOf' in x) {
      const any = x.anyOf;
      if (!Array.isArray(any) || any.length < 2) this.fail('expected.anyOf', 'must be an array of at least two accepted outputs (for a single output use "stdout")');
      else if (any.every((v, i) => this.lines(v, `expected.anyOf[${i}]`))) {
        variants = any as string[][];
        const key = (v: string[]): string => JSON.stringify(v);
        variants.forEach((v, i) => {
          if (variants!.findIndex((w) => key(w) === key(v)) !== i) this.fail(`expected.anyOf[${i}]`, 'repeats an earlier accepted output');
        });
      }
    } else this.fail('expected', 'needs "stdout" (the console lines) or "anyOf" (several accepted outputs)');
    if ('exitReason' in x && !EXIT_REASONS.includes(x.exitReason as string)) this.fail('expected.exitReason', `must be one of ${EXIT_REASONS.map((r) => JSON.stringify(r)).join(', ')}, not ${show(x.exitReason)}`);
    if ('stderrIncludes' in x) {
      const s = x.stderrIncludes;
      if (!Array.isArray(s) || s.length === 0) this.fail('expected.stderrIncludes', 'must be a non-empty array of strings');
      else s.forEach((t, i) => this.text(t, `expected.stderrIncludes[${i}]`, 500));
    }
    return variants;
  }

  private checkpoints(x: unknown, variants: string[][] | null): void {
    if (!Array.isArray(x)) return this.fail('checkpoints', `must be an array, not ${show(x)}`);
    const names = new Set<string>();
    const markers = new Set<string>();
    x.forEach((c, i) => {
      const p = `checkpoints[${i}]`;
      if (!isObj(c)) return this.fail(p, `must be an object { "name", "marker" or "consoleLine", "explain" }, not ${show(c)}`);
      this.keys(c, p, ['name', 'marker', 'consoleLine', 'explain', 'expect', 'notes'], ['name', 'explain']);
      if ('expect' in c) validateExpect(c.expect, `${p}.expect`, (path, message) => this.fail(path, message));
      if ('name' in c && this.text(c.name, `${p}.name`, 80)) {
        if (names.has(c.name)) this.fail(`${p}.name`, `${show(c.name)} is used by an earlier checkpoint`);
        names.add(c.name);
      }
      if ('explain' in c) this.text(c.explain, `${p}.explain`, 2000);
      if ('notes' in c) this.text(c.notes, `${p}.notes`, 4000); // speaker notes: only the presenter's view shows them
      const hasMarker = 'marker' in c;
      const hasLine = 'consoleLine' in c;
      if (hasMarker === hasLine) return this.fail(p, 'needs exactly one of "marker" (a `// @checkpoint <id>` comment in the code) or "consoleLine" (a console line)');
      if (hasMarker && this.text(c.marker, `${p}.marker`, 64)) {
        if (!LESSON_ID_RE.test(c.marker)) this.fail(`${p}.marker`, `${show(c.marker)} is not kebab-case`);
        else if (markers.has(c.marker)) this.fail(`${p}.marker`, `${show(c.marker)} is used by an earlier checkpoint`);
        markers.add(c.marker);
      }
      if (hasLine && this.text(c.consoleLine, `${p}.consoleLine`, 500) && variants) {
        const missing = variants.findIndex((v) => !v.includes(c.consoleLine as string));
        if (missing >= 0) this.fail(`${p}.consoleLine`, `${show(c.consoleLine)} is not a line of the expected output${variants.length > 1 ? ` (anyOf[${missing}])` : ''}`);
      }
    });
  }

  private quiz(x: unknown, variants: string[][] | null): void {
    if (!isObj(x)) return this.fail('quiz', `must be an object { "prompt", "kind": "order" | "type" }, not ${show(x)}`);
    this.keys(x, 'quiz', ['prompt', 'kind', 'lines'], ['prompt', 'kind']);
    if ('prompt' in x) this.text(x.prompt, 'quiz.prompt', 1000);
    if (x.kind !== 'order' && x.kind !== 'type') return void ('kind' in x && this.fail('quiz.kind', `must be "order" or "type", not ${show(x.kind)}`));
    if (x.kind === 'type' && 'lines' in x) return this.fail('quiz.lines', 'only an "order" quiz has lines; a "type" quiz is scored against the expected output');
    if (!('lines' in x) || !this.lines(x.lines, 'quiz.lines')) return;
    const lines = x.lines as string[];
    if (lines.length < 2) return this.fail('quiz.lines', 'an order quiz needs at least two lines');
    if (!variants) return;
    variants.forEach((v, vi) => {
      const pool = [...v];
      lines.forEach((line, i) => {
        const at = pool.indexOf(line);
        if (at < 0) this.fail(`quiz.lines[${i}]`, `${show(line)} is not a line of the expected output${variants.length > 1 ? ` (anyOf[${vi}])` : ''}${v.includes(line) ? ' often enough (it is listed more times than printed)' : ''}`);
        else pool.splice(at, 1);
      });
    });
    if (variants.length === 1 && JSON.stringify(subsequenceOf(variants[0]!, lines)) !== JSON.stringify(lines)) {
      this.fail('quiz.lines', 'must be listed in the order the expected output prints them (the app shuffles them for the learner)');
    }
  }
}
