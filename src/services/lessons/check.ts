/**
 * The lesson checker (`loopscope check`, `npm run check:lessons`): runs every lesson of a library through the
 * runtime and fails when a lesson's real behaviour drifts from what it promises.
 *
 * For each lesson: lesson.json is valid (load.ts), the console output equals `expected.stdout` (or one of
 * `expected.anyOf`), the run ends as `expected.exitReason` says (absent: it must not fail), stderr contains each
 * `expected.stderrIncludes`, every checkpoint resolves to a real step, by the same resolver the app uses
 * (src/shared/scene/checkpoints.ts) on the trace the app would build from the run's events, and every checkpoint
 * `expect`ation holds in the model's state at that step (check-expectations.ts).
 *
 * Invariants: one run per lesson (statement mode when any checkpoint is a marker, so markers can resolve); a
 * runtime failure of one lesson is reported on that lesson and the others still run; nothing here interprets
 * the trace beyond what the app does with it, so the check cannot disagree with what the app would show.
 *
 * Every lesson is run: a run is real Node (src/runtime/process), so whatever built-in a lesson's `requires` names is
 * there; nothing is skipped.
 */
import { basename } from 'node:path';
import { END_REASON_NAMES, isFailure, type TraceBatch, type TraceHeader } from '../../shared/trace/schema.ts';
import { TraceBuilder } from '../../shared/trace/builder.ts';
import type { RunEnd, RunRequest } from '../../shared/run/contract.ts';
import { CATALOGUE_ROWS, expectedVariants } from '../../shared/lesson/format.ts';
import { checkpointOutcomes, checkpointSpecs } from '../../shared/scene/checkpoints.ts';
import { verifyExpectations, type ExpectationSummary } from './check-expectations.ts';
import { diffLines, splitOutput, type DiffLine } from '../../shared/lesson/diff.ts';
import type { HeadlessResult, Runtime } from '../../runtime/api.ts';
import { runHeadless } from '../../runtime/headless.ts';
import { loadLessonLibrary, type LibraryError, type LoadedLesson } from './load.ts';

export interface CheckOptions {
  /** Check only these lesson ids. */
  readonly only?: readonly string[];
  /** Called as each lesson finishes (progress output). */
  readonly onResult?: (result: LessonCheckResult) => void;
  /** Report catalogue rows 1..n that no lesson covers (the built-in library covers all of them). 0 skips this. */
  readonly requireRows?: number;
  /** Overrides how a request is run (tests); defaults to runHeadless with the given runtime. */
  readonly run?: (request: RunRequest, runtime: Runtime) => Promise<HeadlessResult>;
}

export interface CheckpointResult {
  readonly name: string;
  readonly ok: boolean;
  /** The player's cursor just after the checkpoint's step; -1 when it did not resolve. */
  readonly cursor: number;
  /** Where it resolved ("main.ts:12, step 57") or why it did not. */
  readonly detail: string;
}

export interface LessonCheckResult {
  readonly id: string;
  readonly dir: string;
  readonly rows: readonly number[];
  readonly ok: boolean;
  /** Every way the lesson failed, as sentences. Empty when ok. */
  readonly problems: readonly string[];
  /** Console lines the run printed. */
  readonly actual: readonly string[];
  /** Expected vs actual, against the closest accepted output; only when the output differs. */
  readonly diff?: readonly DiffLine[];
  readonly checkpoints: readonly CheckpointResult[];
  /** Checkpoint expectations: how many checkpoints carry them, how many there are and how many hold. */
  readonly expectations: ExpectationSummary;
  /** The run's end reason name (END_REASON_NAMES) and message. */
  readonly endReason: string;
  readonly endMessage: string;
  readonly durationMs: number;
}

export interface CheckReport {
  readonly results: readonly LessonCheckResult[];
  /** Lessons that could not be loaded (invalid lesson.json, missing files, links, …). */
  readonly loadErrors: readonly LibraryError[];
  readonly uncoveredRows: readonly number[];
  /** Over all lessons checked: checkpoints, those with expectations, expectations, and those that held. */
  readonly expectations: { readonly checkpoints: number; readonly withExpectations: number; readonly expectations: number; readonly held: number };
  readonly passed: number;
  readonly failed: number;
  readonly ok: boolean;
}

export async function checkLessons(root: string, runtime: Runtime, options: CheckOptions = {}): Promise<CheckReport> {
  const library = await loadLessonLibrary(root);
  const only = options.only;
  const lessons = only ? library.lessons.filter((l) => only.includes(l.lesson.id)) : library.lessons;
  const loadErrors = only ? library.errors.filter((e) => only.includes(basename(e.path))) : library.errors;
  const results: LessonCheckResult[] = [];
  for (const lesson of lessons) {
    const result = await checkLesson(lesson, runtime, options);
    results.push(result);
    options.onResult?.(result);
  }
  const covered = new Set(library.lessons.flatMap((l) => l.lesson.rows));
  const requireRows = options.requireRows ?? 0;
  const uncoveredRows = only ? [] : Array.from({ length: requireRows }, (_, i) => i + 1).filter((r) => !covered.has(r));
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed + loadErrors.length;
  const sum = (k: 'checkpoints' | 'withExpectations' | 'expectations' | 'held'): number => results.reduce((n, r) => n + r.expectations[k], 0);
  const expectations = { checkpoints: sum('checkpoints'), withExpectations: sum('withExpectations'), expectations: sum('expectations'), held: sum('held') };
  return { results, loadErrors, uncoveredRows, expectations, passed, failed, ok: failed === 0 && uncoveredRows.length === 0 };
}

/** Runs one loaded lesson and compares it with its expectations. */
export async function checkLesson(loaded: LoadedLesson, runtime: Runtime, options: Pick<CheckOptions, 'run'> = {}): Promise<LessonCheckResult> {
  const { lesson } = loaded;
  const problems: string[] = [];
  const markerCheckpoints = lesson.checkpoints.some((c) => c.marker !== undefined);
  const request: RunRequest = {
    files: loaded.files,
    entry: lesson.entry,
    mode: markerCheckpoints ? 'statement' : 'function',
    ...(lesson.timeoutMs ? { limits: { timeoutMs: lesson.timeoutMs } } : {}),
  };
  const started = performance.now();
  const noExpectations = { checkpoints: lesson.checkpoints.length, withExpectations: 0, expectations: 0, held: 0, problems: [] };
  const base = { id: lesson.id, dir: loaded.dir, rows: lesson.rows, expectations: noExpectations };
  let result: HeadlessResult;
  try {
    result = await (options.run ? options.run(request, runtime) : runHeadless(request, { runtime }));
  } catch (err) {
    const message = `the runtime could not run it: ${(err as Error).message}`;
    return { ...base, ok: false, problems: [message], actual: [], checkpoints: [], endReason: 'internal error', endMessage: message, durationMs: performance.now() - started };
  }
  const durationMs = performance.now() - started;
  const actual = splitOutput(result.stdout);
  const endReason = END_REASON_NAMES[result.end.reason] ?? `reason ${result.end.reason}`;

  // console output
  const variants = expectedVariants(lesson.expected);
  let diff: DiffLine[] | undefined;
  if (!variants.some((v) => sameLines(v, actual))) {
    const diffs = variants.map((v) => diffLines(v, actual));
    diff = diffs.reduce((best, d) => (changes(d) < changes(best) ? d : best));
    problems.push(variants.length > 1 ? `the console output matches none of the ${variants.length} accepted outputs (diff against the closest)` : 'the console output differs from expected.stdout');
  }

  // how it ended
  const wantReason = lesson.expected.exitReason;
  if (wantReason !== undefined) {
    if (wantReason !== endReason) problems.push(`expected the run to end with "${wantReason}", but it ended with "${endReason}": ${result.end.message}`);
  } else if (isFailure(result.end.reason, result.end.exitCode)) {
    problems.push(`the run failed with "${endReason}": ${result.end.message}`);
  }
  for (const text of lesson.expected.stderrIncludes ?? []) {
    if (!result.stderr.includes(text)) problems.push(`stderr does not contain ${JSON.stringify(text)}${result.stderr ? ` (stderr starts: ${JSON.stringify(result.stderr.slice(0, 160))})` : ' (stderr is empty)'}`);
  }

  // checkpoints
  let checkpoints: CheckpointResult[];
  try {
    checkpoints = resolveCheckpoints(loaded, result.header, result.batches, result.end);
  } catch (err) {
    checkpoints = [];
    problems.push(`the run's trace could not be read: ${(err as Error).message}`);
  }
  for (const c of checkpoints) if (!c.ok) problems.push(`checkpoint "${c.name}": ${c.detail}`);
  let expectations: ExpectationSummary = noExpectations;
  try {
    expectations = verifyExpectations(loaded, result.header, result.batches, result.end);
  } catch (err) {
    problems.push(`the checkpoint expectations could not be checked: ${(err as Error).message}`);
  }
  problems.push(...expectations.problems);

  return {
    ...base,
    ok: problems.length === 0,
    problems,
    actual,
    ...(diff ? { diff } : {}),
    checkpoints,
    expectations,
    endReason,
    endMessage: result.end.message,
    durationMs,
  };
}

const sameLines = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
const changes = (d: readonly DiffLine[]): number => d.filter((l) => l.op !== ' ').length;

/**
 * Resolves every checkpoint of a lesson against a finished run, with the app's resolver
 * (src/shared/scene/checkpoints.ts) on the trace the app would build from the same events.
 */
export function resolveCheckpoints(loaded: LoadedLesson, header: TraceHeader, batches: readonly TraceBatch[], end: RunEnd): CheckpointResult[] {
  const builder = new TraceBuilder(header);
  for (const b of batches) builder.append(b);
  const trace = builder.finish(end);
  return checkpointOutcomes(trace, checkpointSpecs(loaded.lesson), loaded.files).map((c) => ({ name: c.name, ok: c.cursor >= 0, cursor: c.cursor, detail: c.detail }));
}

/** The report as text for the CLI: one line per lesson, details and diffs under failures, a summary. */
export function formatCheckReport(report: CheckReport, options: { verbose?: boolean } = {}): string {
  const out: string[] = [];
  for (const e of report.loadErrors) out.push(`✗ ${e.message}`);
  for (const r of report.results) out.push(...formatLessonResult(r, options));
  const rows = report.uncoveredRows.length ? `; catalogue rows not covered: ${report.uncoveredRows.join(', ')}` : '';
  const e = report.expectations;
  out.push('', `checkpoints: ${e.withExpectations}/${e.checkpoints} carry expectations, ${e.held} expectations hold${e.held < e.expectations ? ` (${e.expectations - e.held} of ${e.expectations} do not)` : ''}`);
  out.push(`${report.passed} passed, ${report.failed} failed${rows}`);
  return out.join('\n');
}

export function formatLessonResult(r: LessonCheckResult, options: { verbose?: boolean } = {}): string[] {
  const rows = r.rows.length === 0 ? '' : ` (row${r.rows.length === 1 ? '' : 's'} ${r.rows.join(', ')})`;
  const out = [`${r.ok ? '✓' : '✗'} ${r.id}${rows} ${Math.round(r.durationMs)} ms`];
  if (r.ok && !options.verbose) return out;
  for (const p of r.problems) out.push(`    ${p}`);
  if (r.diff) {
    out.push('    expected (-) vs actual (+):');
    for (const l of r.diff) out.push(`      ${l.op} ${l.text}`);
  }
  if (options.verbose) for (const c of r.checkpoints) out.push(`    ${c.ok ? '✓' : '✗'} checkpoint "${c.name}": ${c.detail}`);
  return out;
}

export { CATALOGUE_ROWS };
