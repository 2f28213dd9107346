/**
 * The lesson checker (`loopscope check`, `npm run check:lessons`): runs every lesson of a library through the
 * runtime and fails when a lesson's real behaviour drifts from what it promises.
 *
 * For each lesson: lesson.json is valid (load.ts), the console output equals `expected.stdout` (or one of
 * `expected.anyOf`), the run ends as `expected.exitReason` says (absent: it must not fail), stderr contains each
 * `expected.stderrIncludes`, and every checkpoint resolves to a real step, by the same resolver the app uses
 * (src/shared/scene/checkpoints.ts) on the trace the app would build from the run's events.
 *
 * Invariants: one run per lesson (statement mode when any checkpoint is a marker, so markers can resolve); a
 * runtime failure of one lesson is reported on that lesson and the others still run; nothing here interprets
 * the trace beyond what the app does with it, so the check cannot disagree with what the app would show.
 *
 * A lesson whose `requires` names a built-in the runtime does not provide (found by running a two-line probe
 * in that same runtime, once per requirement) is reported as skipped, with what is missing — never as passed,
 * and never silently. A lesson that uses such a module without declaring it still fails.
 */
import { basename } from 'node:path';
import { END_REASON_NAMES, isFailure, type TraceBatch, type TraceHeader } from '../../shared/trace/schema.ts';
import { TraceBuilder } from '../../shared/trace/builder.ts';
import type { RunEnd, RunRequest } from '../../shared/run/contract.ts';
import { CATALOGUE_ROWS, expectedVariants, type Lesson } from '../../shared/lesson/format.ts';
import { checkpointOutcomes, checkpointSpecs } from '../../shared/scene/checkpoints.ts';
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
  /** Set when the lesson was not run: why ("needs node:crypto, which this runtime does not provide"). */
  readonly skipped?: string;
  /** Every way the lesson failed, as sentences. Empty when ok. */
  readonly problems: readonly string[];
  /** Console lines the run printed. */
  readonly actual: readonly string[];
  /** Expected vs actual, against the closest accepted output; only when the output differs. */
  readonly diff?: readonly DiffLine[];
  readonly checkpoints: readonly CheckpointResult[];
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
  readonly passed: number;
  readonly failed: number;
  /** Lessons not run because the runtime lacks something their `requires` names. */
  readonly skipped: number;
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
  const skipped = results.filter((r) => r.skipped !== undefined).length;
  const passed = results.filter((r) => r.ok).length - skipped;
  const failed = results.length - passed - skipped + loadErrors.length;
  return { results, loadErrors, uncoveredRows, passed, failed, skipped, ok: failed === 0 && uncoveredRows.length === 0 };
}

/** Probe results per runtime: requirement -> provided? Each requirement is probed once per runtime. */
const probes = new WeakMap<Runtime, Map<string, Promise<boolean>>>();

/**
 * Whether `runtime` provides a `requires` entry (`node:stream`, `node:perf_hooks.monitorEventLoopDelay`): runs a
 * two-line ES module that imports it and prints the export's type. A module the runtime refuses ends the probe
 * with an error; a missing export prints "undefined".
 */
export function runtimeProvides(requirement: string, runtime: Runtime, run: NonNullable<CheckOptions['run']> = (request, rt) => runHeadless(request, { runtime: rt })): Promise<boolean> {
  let cache = probes.get(runtime);
  if (!cache) probes.set(runtime, (cache = new Map()));
  const known = cache.get(requirement);
  if (known) return known;
  const dot = requirement.indexOf('.');
  const specifier = dot < 0 ? requirement : requirement.slice(0, dot);
  const name = dot < 0 ? '' : requirement.slice(dot + 1);
  const text = `import * as probed from ${JSON.stringify(specifier)};\nconsole.log(${name ? `typeof probed[${JSON.stringify(name)}]` : "'object'"});\n`;
  const request: RunRequest = { files: [{ path: 'probe.mjs', text }], entry: 'probe.mjs', mode: 'function' };
  const answer = run(request, runtime).then(
    (result) => !isFailure(result.end.reason, result.end.exitCode) && ['function', 'object'].includes(splitOutput(result.stdout)[0] ?? ''),
    () => false,
  );
  cache.set(requirement, answer);
  return answer;
}

async function missingRequirements(lesson: Lesson, runtime: Runtime, run: CheckOptions['run']): Promise<string[]> {
  const missing: string[] = [];
  for (const r of lesson.requires ?? []) if (!(await runtimeProvides(r, runtime, run))) missing.push(r);
  return missing;
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
  const base = { id: lesson.id, dir: loaded.dir, rows: lesson.rows };
  const missing = await missingRequirements(lesson, runtime, options.run);
  if (missing.length > 0) {
    const why = `needs ${missing.join(', ')}, which this runtime does not provide`;
    return { ...base, ok: true, skipped: why, problems: [], actual: [], checkpoints: [], endReason: 'skipped', endMessage: why, durationMs: performance.now() - started };
  }
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

  return {
    ...base,
    ok: problems.length === 0,
    problems,
    actual,
    ...(diff ? { diff } : {}),
    checkpoints,
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
  const skipped = report.skipped ? `, ${report.skipped} skipped` : '';
  out.push('', `${report.passed} passed, ${report.failed} failed${skipped}${rows}`);
  return out.join('\n');
}

export function formatLessonResult(r: LessonCheckResult, options: { verbose?: boolean } = {}): string[] {
  const rows = r.rows.length === 0 ? '' : ` (row${r.rows.length === 1 ? '' : 's'} ${r.rows.join(', ')})`;
  if (r.skipped !== undefined) return [`- ${r.id}${rows} skipped: ${r.skipped}`];
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
