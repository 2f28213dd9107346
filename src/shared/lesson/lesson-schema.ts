/**
 * lesson.json described once (src/shared/schema): `validateLesson` checks with it, and the JSON Schema editors
 * use (lessons/lesson.schema.json) and the field table in lessons/README.md are generated from it by
 * `npm run gen:schemas` (a test fails when the checked-in files differ). To add a field, add it here with a
 * description; the generated files follow.
 *
 * The rules a JSON Schema cannot state (listed files exist, the entry is files[0], names and markers are unique,
 * checkpoint console lines and quiz lines are printed in every accepted output, the id is the folder's name)
 * are refinements of the same description, fed the folder's file list and name as context.
 */
import { arr, int, literal, obj, opt, SchemaError, show, str, validate, type Schema } from '../schema/schema.ts';
import { expectSchema } from './expectations.ts';
import {
  CATALOGUE_ROWS,
  EXIT_REASONS,
  LESSON_ID_RE,
  LESSON_LEVELS,
  LESSON_META_FILES,
  LESSON_REQUIREMENT_RE,
  LESSON_TOPICS,
  MAX_LESSON_FILES,
  MAX_LESSON_ID_LENGTH,
  MAX_LESSON_REQUIREMENTS,
  MAX_TIMEOUT_MS,
  MIN_TIMEOUT_MS,
  isSafeLessonPath,
  subsequenceOf,
  type Lesson,
  type LessonIssue,
} from './format.ts';

/** What the refinements need from the folder the lesson.json came from. */
export interface LessonContext {
  /** Files present in the lesson folder (relative POSIX paths). */
  readonly fileList: readonly string[];
  /** The folder's name, which must equal the id (unchecked when absent). */
  readonly folder?: string;
}
const folderOf = (context: unknown): LessonContext => (context as LessonContext | undefined) ?? { fileList: [] };

/** isSafeLessonPath as a JSON Schema pattern (the function also refuses empty parts and parts padded with spaces). */
const SAFE_PATH_PATTERN = '^(?!/)(?!.*(?:^|/)\\.{1,2}(?:/|$))[\\w.\\- /]+$';
const NOT_INSIDE = 'is not a relative path inside the lesson (no leading "/", no "." or ".." parts; letters, digits, "_", "-", ".", "/" and spaces only)';

const lessonPath = (): Schema<string> =>
  str({ max: 200, nonBlank: true }).refine(
    (p, report) => {
      if (!isSafeLessonPath(p)) report(`${show(p)} ${NOT_INSIDE}`);
    },
    { pattern: SAFE_PATH_PATTERN },
  );

const codeFile = lessonPath().refine(
  (f, report, context) => {
    if ((LESSON_META_FILES as readonly string[]).includes(f)) report(`${f} is the lesson's metadata/narrative, not a code file; remove it from files`);
    else if (!folderOf(context).fileList.includes(f)) report(`${show(f)} does not exist in the lesson folder`);
  },
  { not: { enum: [...LESSON_META_FILES] } },
);

const consoleLine = str({ max: 100_000 }).refine(
  (line, report) => {
    if (line.includes('\n')) report('must be one line (split multi-line output into several entries)');
  },
  { pattern: '^[^\\n]*$' },
);
const consoleLines = arr(consoleLine, { max: 2000, noun: 'console lines' });

/** Exactly one of two keys is present (whatever their values: a bad value has its own message). */
function exactlyOne(a: string, b: string, none: string, both: string): [(v: unknown, report: (m: string) => void, c: unknown, raw: unknown) => void, { oneOf: object[] }] {
  return [
    (_v, report, _c, raw) => {
      const has = (k: string): boolean => Object.hasOwn(raw as object, k);
      if (has(a) && has(b)) report(both);
      else if (!has(a) && !has(b)) report(none);
    },
    { oneOf: [{ required: [a] }, { required: [b] }] },
  ];
}

const expected = obj(
  {
    stdout: opt(consoleLines.describe('The console lines, exactly as plain node prints them.')),
    anyOf: opt(
      arr(consoleLines, { min: 2, max: 50, unique: 'repeats an earlier accepted output', noun: 'accepted outputs', hint: ' (for a single output use "stdout")' }).describe(
        'Several accepted outputs, for honestly nondeterministic lessons (the narrative must explain why).',
      ),
    ),
    exitReason: opt(literal(...EXIT_REASONS).describe('How the run must end. Absent: it must not fail (completed, or process.exit(0)).')),
    stderrIncludes: opt(arr(str({ max: 500, nonBlank: true }), { min: 1, max: 100, noun: 'strings' }).describe('Each text must occur somewhere in the run\'s stderr.')),
  },
  { what: 'an object like { "stdout": [lines] } or { "anyOf": [[lines], [lines]] }' },
)
  .refine(
    ...exactlyOne(
      'stdout',
      'anyOf',
      'needs "stdout" (the console lines) or "anyOf" (several accepted outputs)',
      'has both "stdout" and "anyOf"; use "stdout" for deterministic output, "anyOf" only for honestly nondeterministic output',
    ),
  )
  .describe('What the run must print and how it must end; `loopscope check` compares.');

const checkpoint = obj(
  {
    name: str({ max: 80, nonBlank: true }).describe('Shown in the player and as the slide title in presenter mode; unique.'),
    marker: opt(
      str({ max: MAX_LESSON_ID_LENGTH, pattern: LESSON_ID_RE, hint: 'kebab-case' }).describe(
        'Id of a `// @checkpoint <id>` comment in the code; resolves to the first step on the next code line. Unique.',
      ),
    ),
    consoleLine: opt(str({ max: 500, nonBlank: true }).describe('A console line; resolves to the step that printed it. Printed in every accepted output.')),
    explain: str({ max: 2000, nonBlank: true }).describe('What the learner sees at this step and why.'),
    expect: opt(expectSchema),
    notes: opt(str({ max: 4000, nonBlank: true }).describe("Speaker notes: shown only in the presenter's view, never to the audience or in exports.")),
  },
  { what: 'an object { "name", "marker" or "consoleLine", "explain" }' },
).refine(
  ...exactlyOne(
    'marker',
    'consoleLine',
    'needs exactly one of "marker" (a `// @checkpoint <id>` comment in the code) or "consoleLine" (a console line)',
    'needs exactly one of "marker" (a `// @checkpoint <id>` comment in the code) or "consoleLine" (a console line)',
  ),
);

const quiz = obj(
  {
    prompt: str({ max: 1000, nonBlank: true }).describe('The question the learner answers before running.'),
    kind: literal('order', 'type').describe('order: the learner arranges shuffled lines; type: the learner types the output.'),
    lines: opt(
      arr(consoleLine, { min: 2, max: 2000, noun: 'lines' }).describe(
        'order quizzes: the lines to arrange, listed in printed order (the app shuffles them). Omitted: the whole output.',
      ),
    ),
  },
  { what: 'an object { "prompt", "kind": "order" | "type" }' },
)
  .refine(
    (_q, report, _c, raw) => {
      const r = raw as Record<string, unknown>;
      if (r['kind'] === 'type' && Object.hasOwn(r, 'lines')) report('only an "order" quiz has lines; a "type" quiz is scored against the expected output', 'lines');
    },
    { if: { properties: { kind: { const: 'type' } } }, then: { not: { required: ['lines'] } } },
  )
  .describe('The predict-the-output quiz.');

/** Every accepted output, when `expected` is valid (the cross-checks below need it). */
function variantsOf(e: { readonly stdout?: readonly (string | undefined)[]; readonly anyOf?: readonly (readonly (string | undefined)[] | undefined)[] } | undefined): string[][] | null {
  const whole = (lines: readonly (string | undefined)[] | undefined): lines is string[] => !!lines && lines.every((l) => l !== undefined);
  if (e?.stdout && !e.anyOf) return whole(e.stdout) ? [e.stdout] : null;
  if (e?.anyOf && !e.stdout) return e.anyOf.every(whole) ? (e.anyOf as string[][]) : null;
  return null;
}

// The inferred type has `stdout`/`anyOf` and `marker`/`consoleLine` both optional; the exactly-one rules make it a Lesson.
export const lessonSchema = obj(
  {
    $schema: opt(str({ max: 500 }).describe('Path or URL of this JSON Schema, for editors ("../lesson.schema.json").')),
    id: str({ max: MAX_LESSON_ID_LENGTH, nonBlank: true, pattern: LESSON_ID_RE, hint: 'kebab-case (lowercase letters and digits joined by single hyphens, e.g. "promise-all")' })
      .refine((id, report, context) => {
        const folder = folderOf(context).folder;
        if (folder !== undefined && folder !== id) report(`${show(id)} must equal the lesson's folder name ${show(folder)}`);
      })
      .describe('kebab-case; equal to the folder name.'),
    title: str({ max: 120, nonBlank: true }).describe('Shown in the lesson browser and above the narrative.'),
    summary: opt(str({ max: 300, nonBlank: true }).describe('One sentence for the lesson browser.')),
    level: literal(...LESSON_LEVELS).describe('How much the learner should already know.'),
    topic: literal(...LESSON_TOPICS).describe('Where the lesson browser files it.'),
    rows: arr(int({ min: 1, max: CATALOGUE_ROWS, what: 'a catalogue row number' }), { unique: (row) => `row ${String(row)} is listed twice`, noun: 'catalogue row numbers', max: CATALOGUE_ROWS }).describe(
      'Rows of the lesson catalogue (lessons/README.md, "The catalogue") this lesson covers.',
    ),
    entry: lessonPath().describe('The file that runs first; must be files[0].'),
    files: arr(codeFile, { min: 1, max: MAX_LESSON_FILES, unique: true, noun: 'file paths', hint: ', entry first' }).describe(
      'Code (and data) files, entry first; relative paths inside the lesson folder.',
    ),
    expected,
    checkpoints: arr(checkpoint, { max: 200, noun: 'checkpoints' }).describe('Places the player can jump to, with an explanation; slides in presenter mode.'),
    quiz,
    timeoutMs: opt(int({ min: MIN_TIMEOUT_MS, max: MAX_TIMEOUT_MS, what: 'a whole number of milliseconds' }).describe("The run's wall-clock limit (default: the runtime's 10 s).")),
    requires: opt(
      arr(str({ max: 200, pattern: LESSON_REQUIREMENT_RE, hint: 'a Node built-in like "node:stream" or "node:perf_hooks.monitorEventLoopDelay"' }).meta({ examples: ['node:crypto', 'node:perf_hooks.monitorEventLoopDelay'] }), {
        min: 1,
        max: MAX_LESSON_REQUIREMENTS,
        unique: true,
        noun: 'requirements',
        hint: ' like ["node:crypto", "node:perf_hooks.monitorEventLoopDelay"]',
      }).describe(
        'Node built-ins (or one export of one) the lesson needs that a runtime may not provide. A runtime without one of them cannot run the lesson; the checker reports it as skipped, naming what is missing.',
      ),
    ),
  },
  { what: 'a JSON object' },
).refine((lesson, report) => {
  const files = lesson.files;
  if (lesson.entry !== undefined && files) {
    if (files[0] !== lesson.entry) report(files.includes(lesson.entry) ? `must be listed first in files (files[0] is ${show(files[0])})` : `${show(lesson.entry)} must be listed in files, first`, 'entry');
  }
  const variants = variantsOf(lesson.expected);
  const names = new Set<string>();
  const markers = new Set<string>();
  (lesson.checkpoints ?? []).forEach((c, i) => {
    if (!c) return;
    if (c.name !== undefined) {
      if (names.has(c.name)) report(`${show(c.name)} is used by an earlier checkpoint`, `checkpoints[${i}].name`);
      names.add(c.name);
    }
    if (c.marker !== undefined) {
      if (markers.has(c.marker)) report(`${show(c.marker)} is used by an earlier checkpoint`, `checkpoints[${i}].marker`);
      markers.add(c.marker);
    }
    if (c.consoleLine !== undefined && variants) {
      const missing = variants.findIndex((v) => !v.includes(c.consoleLine!));
      if (missing >= 0) report(`${show(c.consoleLine)} is not a line of the expected output${variants.length > 1 ? ` (anyOf[${missing}])` : ''}`, `checkpoints[${i}].consoleLine`);
    }
  });
  const lines = lesson.quiz?.lines;
  if (!variants || !lines || lesson.quiz?.kind !== 'order' || lines.some((l) => l === undefined)) return;
  const picks = lines as string[];
  let printed = true;
  variants.forEach((v, vi) => {
    const pool = [...v];
    picks.forEach((line, i) => {
      const at = pool.indexOf(line);
      if (at >= 0) return void pool.splice(at, 1);
      printed = false;
      report(`${show(line)} is not a line of the expected output${variants.length > 1 ? ` (anyOf[${vi}])` : ''}${v.includes(line) ? ' often enough (it is listed more times than printed)' : ''}`, `quiz.lines[${i}]`);
    });
  });
  if (printed && variants.length === 1 && JSON.stringify(subsequenceOf(variants[0]!, picks)) !== JSON.stringify(picks)) {
    report('must be listed in the order the expected output prints them (the app shuffles them for the learner)', 'quiz.lines');
  }
}) as Schema<unknown> as Schema<Lesson>;

/** What `validateLesson` throws: `issues` names every problem by its field path; the message shows the first eight. */
export class LessonFormatError extends SchemaError {
  override name = 'LessonFormatError';
}

/** All problems of a lesson.json document (empty when valid). `fileList`: the files present in the folder. */
export function lessonIssues(json: unknown, fileList: readonly string[], options: { folder?: string } = {}): LessonIssue[] {
  const context: LessonContext = { fileList, ...(options.folder === undefined ? {} : { folder: options.folder }) };
  return [...validate(lessonSchema, json, { context }).issues];
}

/**
 * Validates a parsed lesson.json and returns a checked copy. `fileList` lists the files present in the lesson
 * folder (relative POSIX paths); `options.folder` is the folder's name, which must equal the id. Throws
 * LessonFormatError (only), whatever `json` is.
 */
export function validateLesson(json: unknown, fileList: readonly string[], options: { folder?: string } = {}): Lesson {
  const context: LessonContext = { fileList, ...(options.folder === undefined ? {} : { folder: options.folder }) };
  const result = validate(lessonSchema, json, { context });
  if (!result.ok) throw new LessonFormatError(result.issues);
  return result.value;
}
