/**
 * What a client asks the runtime to run, and what it gets back. Shared by the host process, the CLI, the
 * Electron main process, the browser-mode server and the renderer; pure data, validated at every boundary
 * with `validateRunRequest`.
 */
import type { EndReason, TraceBatch, TraceHeader } from '../trace/schema.ts';

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

const PATH_RE = /^(?!\/)(?!.*(?:^|\/)\.\.?(?:\/|$))[\w.\-/ ]{1,200}$/;

/** Throws an Error with a specific message when `value` is not a valid RunRequest. */
export function validateRunRequest(value: unknown): RunRequest {
  const fail = (why: string): never => {
    throw new Error(`invalid run request: ${why}`);
  };
  if (typeof value !== 'object' || value === null) fail('not an object');
  const v = value as Record<string, unknown>;
  if (!Array.isArray(v.files) || v.files.length === 0 || v.files.length > 64) fail('files must be a non-empty array of at most 64 files');
  let total = 0;
  for (const f of v.files as unknown[]) {
    if (typeof f !== 'object' || f === null) fail('a file is not an object');
    const { path, text } = f as Record<string, unknown>;
    if (typeof path !== 'string' || !PATH_RE.test(path)) fail(`bad file path ${JSON.stringify(path)}`);
    if (typeof text !== 'string') fail(`file ${String(path)} has no text`);
    total += (text as string).length;
  }
  if (total > 2_000_000) fail('files are larger than 2 MB in total');
  if (typeof v.entry !== 'string' || !(v.files as LessonFile[]).some((f) => f.path === v.entry)) fail('entry must name one of the files');
  if (v.mode !== 'function' && v.mode !== 'statement') fail('mode must be "function" or "statement"');
  if (v.traced !== undefined && typeof v.traced !== 'boolean') fail('traced must be a boolean');
  if (v.limits !== undefined) {
    if (typeof v.limits !== 'object' || v.limits === null) fail('limits must be an object');
    for (const [k, n] of Object.entries(v.limits as object)) {
      if (!(k in DEFAULT_LIMITS)) fail(`unknown limit ${k}`);
      if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) fail(`limit ${k} must be a positive number`);
      if (k === 'maxWorkers' && n > MAX_WORKERS) fail(`limit maxWorkers must be at most ${MAX_WORKERS} (agents are numbered in a byte)`);
    }
  }
  return v as unknown as RunRequest;
}

export function resolveLimits(request: RunRequest): RunLimits {
  return { ...DEFAULT_LIMITS, ...request.limits };
}
