/**
 * The rest of `loopscope run`, loaded once its run process is starting (main.ts): reads and validates the lesson,
 * runs it, prints its console output as plain node would, and writes the trace.
 */
import { lstat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { resolveLimits, validateRunRequest, type RunRequest } from '../shared/run/contract.ts';
import { loadRunTarget } from '../services/lessons/run-target.ts';
import { EndReason, isFailure } from '../shared/trace/schema.ts';
import type { Runtime } from '../runtime/api.ts';
import { consoleWasTruncated, runHeadless } from '../runtime/headless.ts';
import { UsageError } from './usage-error.ts';

export interface RunOptions {
  readonly mode: RunRequest['mode'];
  readonly format: 'loopscope' | 'chrome' | 'html';
  readonly timeoutMs?: number;
  /** Where to write the trace (-o). */
  readonly output?: string;
  /** Print which isolation layers were active (--layers). */
  readonly layers: boolean;
}

/**
 * Builds a run request from a file (plus its sibling code files) or a lesson folder, through the same validated
 * loader the app and `loopscope check` use (src/services/lessons/run-target.ts).
 */
export async function requestFor(target: string, mode: RunRequest['mode'], timeoutMs?: number): Promise<RunRequest> {
  if (!(await lstat(resolve(target)).catch(() => null))) throw new UsageError(`no such file or folder: ${target}`);
  // a refused lesson or file throws a LessonLoadError: main() prints its message and exits 1
  const loaded = await loadRunTarget(target);
  const limit = timeoutMs ?? loaded.timeoutMs;
  return validateRunRequest({ files: loaded.files, entry: loaded.entry, mode, ...(limit ? { limits: { timeoutMs: limit } } : {}) });
}

/** Runs `target` on `runtime` (whose run process is already starting) and disposes of it. Returns the exit code. */
export async function runCommand(runtime: Runtime, target: string, options: RunOptions): Promise<number> {
  let result;
  let request: RunRequest;
  try {
    request = await requestFor(target, options.mode, options.timeoutMs);
    result = await runHeadless(request, {
      runtime,
      onConsole(stream, text) {
        (stream === 1 || stream === 3 ? process.stderr : process.stdout).write(text);
      },
    });
  } finally {
    await runtime.dispose();
  }
  const { end } = result;
  if (end.reason !== EndReason.Completed) process.stderr.write(`loopscope: ${end.message}\n`);
  if (consoleWasTruncated(result.batches)) {
    process.stderr.write(`loopscope: the console output was cut after ${resolveLimits(request).maxConsoleLines.toLocaleString('en-US')} lines (the run's console limit); later lines were dropped\n`);
  }
  if (options.layers) process.stderr.write(`loopscope: layers: ${end.layers?.length ? end.layers.join('; ') : 'none reported'}\n`);
  // The trace builder and the exports load only for -o, after the run: not while the run process boots beside us.
  if (options.output !== undefined) await (await import('./trace-output.ts')).writeTrace(result, target, options.output, options.format);
  if (!isFailure(end.reason, end.exitCode)) return 0;
  return end.reason === EndReason.ProcessExit ? end.exitCode : 1;
}
