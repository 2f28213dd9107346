/**
 * What a client asks the runtime to run, and what it gets back. Shared by the host process, the CLI, the
 * Electron main process, the browser-mode server and the renderer; pure data, validated at every boundary
 * with `validateRunRequest` (described once with src/shared/schema, like every other untrusted input).
 */
import { END_REASON_NAMES, type EndReason, type TraceBatch, type TraceHeader } from '../trace/schema.ts';
import { arr, bool, int, literal, num, obj, opt, SchemaError, show, str, validate, type Schema } from '../schema/schema.ts';

export interface LessonFile {
  /** Relative POSIX path inside the lesson, e.g. `main.ts`, `worker.ts`. No `..`, not absolute. */
  readonly path: string;
  readonly text: string;
}

export interface RunLimits {
  /** Wall-clock limit for the whole run. */
  readonly timeoutMs: number;
  /** V8 heap per agent (resourceLimits.maxOldGenerationSizeMb). */
  readonly heapMb: number;
  /** ArrayBuffer / SharedArrayBuffer bytes the lesson may allocate in all agents together. */
  readonly externalMemoryMb: number;
  /** Console calls kept; later ones dropped with a Truncated marker. */
  readonly maxConsoleLines: number;
  /** Events kept; the run ends with EventLimit when exceeded. */
  readonly maxEvents: number;
  /** Workers the lesson may create (all generations). */
  readonly maxWorkers: number;
}

/** Agents (main + workers) are numbered 0…255 in the trace. */
export const MAX_WORKERS = 250;

export const DEFAULT_LIMITS: RunLimits = {
  timeoutMs: 10_000,
  heapMb: 256,
  externalMemoryMb: 256,
  maxConsoleLines: 10_000,
  maxEvents: 5_000_000,
  maxWorkers: 64,
};

export interface RunRequest {
  readonly files: readonly LessonFile[];
  /** Path of the entry file among `files`. */
  readonly entry: string;
  /** 'statement' adds a Statement event before every statement. */
  readonly mode: 'function' | 'statement';
  /** false runs the same sandbox without instrumentation (benchmarks, oracle). Default true. */
  readonly traced?: boolean;
  readonly limits?: Partial<RunLimits>;
}

/** Sent once, after the last batch. */
export interface RunEnd {
  readonly reason: EndReason;
  /** Human-readable, specific: "Stopped after 10000 ms: the lesson was still running (an infinite loop?)". */
  readonly message: string;
  /** For ProcessExit, the code passed to process.exit(); otherwise 0 or 1. */
  readonly exitCode: number;
  readonly events: number;
  readonly durationMs: number;
  /** Runtime host process memory (resident set) at the run's start and its peak during the run. */
  readonly hostMemory?: { readonly baselineRssBytes: number; readonly peakRssBytes: number };
  /** The isolation layers that were active for this run, outermost first (e.g. "bubblewrap", "node permission model"). */
  readonly layers?: readonly string[];
}

/** What a run streams to whoever asked for it. */
export interface RunSink {
  onHeader(header: TraceHeader): void;
  onBatch(batch: TraceBatch): void;
  onEnd(end: RunEnd): void;
}

/** A lesson file path as a run request, a trace file and the IPC carry it: relative, no `.`/`..` parts. */
export const LESSON_FILE_PATH_RE = /^(?!\/)(?!.*(?:^|\/)\.\.?(?:\/|$))[\w.\-/ ]{1,200}$/;
const LESSON_FILE_PATH_HINT = 'a relative path inside the lesson (no leading "/", no "." or ".." parts)';
/** The lesson files a run request (or a trace header) may carry, together. */
export const MAX_RUN_FILES = 64;
export const MAX_RUN_FILES_CHARS = 2_000_000;

export const lessonFileSchema: Schema<LessonFile> = obj({
  path: str({ max: 200, pattern: LESSON_FILE_PATH_RE, hint: LESSON_FILE_PATH_HINT }),
  text: str({ max: MAX_RUN_FILES_CHARS }),
});

/** Files of one lesson: at most 64, 2 M characters together, each path once. */
export function lessonFilesSchema(maxFiles = MAX_RUN_FILES, maxChars = MAX_RUN_FILES_CHARS): Schema<LessonFile[]> {
  return arr(lessonFileSchema, { min: 0, max: maxFiles, noun: 'files' }).refine((files, report) => {
    let total = 0;
    const seen = new Set<string>();
    files.forEach((f, i) => {
      total += f?.text?.length ?? 0;
      if (f?.path === undefined) return;
      if (seen.has(f.path)) report(`${show(f.path)} is listed twice`, `[${i}].path`);
      seen.add(f.path);
    });
    if (total > maxChars) report(`the files hold ${total} characters together; at most ${maxChars}`);
  });
}

const positive = num({ gt: 0 });

export const runRequestSchema: Schema<RunRequest> = obj({
  files: lessonFilesSchema().refine((files, report) => {
    if (files.length === 0) report('must be a non-empty array of files');
  }),
  entry: str({ max: 200 }),
  mode: literal('function', 'statement'),
  traced: opt(bool),
  limits: opt(
    obj(
      {
        timeoutMs: opt(positive),
        heapMb: opt(positive),
        externalMemoryMb: opt(positive),
        maxConsoleLines: opt(positive),
        maxEvents: opt(positive),
        maxWorkers: opt(num({ gt: 0, max: MAX_WORKERS })), // agents are numbered in a byte
      },
      { keyNoun: 'limit' },
    ),
  ),
}).refine((r, report) => {
  if (r.entry !== undefined && r.files && !r.files.some((f) => f?.path === r.entry)) report(`${show(r.entry)} must name one of the files`, 'entry');
});

/** Throws an Error with a specific message (the bad field's path and what it must be) when `value` is not a valid RunRequest. */
export function validateRunRequest(value: unknown): RunRequest {
  const result = validate(runRequestSchema, value, { maxIssues: 1 });
  if (!result.ok) throw new SchemaError(result.issues, 'invalid run request: ');
  return result.value;
}

export const runEndSchema: Schema<RunEnd> = obj({
  reason: int({ min: 0, max: END_REASON_NAMES.length - 1, what: 'a known end reason' }) as Schema<EndReason>,
  message: str({ max: 100_000 }),
  exitCode: int(),
  events: int({ min: 0 }),
  durationMs: num(),
  hostMemory: opt(obj({ baselineRssBytes: num(), peakRssBytes: num() })),
  layers: opt(arr(str({ max: 1000 }), 64)),
});

export function resolveLimits(request: RunRequest): RunLimits {
  return { ...DEFAULT_LIMITS, ...request.limits };
}
