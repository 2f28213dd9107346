/**
 * Where a failed run failed, in a lesson file: the first stack frame (or the "file:line:col" of a syntax error)
 * that names one of the lesson's files, so the editor can put a marker there. Pure; stacks come from the sandbox
 * already mapped to the original TypeScript lines, with the lesson's files under some root (`/lesson/main.ts`,
 * `file:///…/main.ts`) or bare (`main.ts:3:9` in a syntax error).
 */
import type { RunEnd } from '../run/contract.ts';
import { EndReason, EventKind } from '../trace/schema.ts';
import { strArg, type TraceColumns } from './trace-source.ts';

export interface ErrorLocation {
  readonly path: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  /** The error's first line, e.g. "Error: boom". */
  readonly message: string;
}

const LOCATION_RE = /((?:file:\/\/)?[^\s()'"]*?):(\d+):(\d+)/g;

/** The first `path:line:col` in `text` whose path is one of `paths` (matched as a whole trailing path). */
export function locateInText(text: string, paths: readonly string[], message: string): ErrorLocation | null {
  for (const m of text.matchAll(LOCATION_RE)) {
    const where = decodeURI(m[1]!.replace(/^file:\/\//, ''));
    const path = paths.find((p) => where === p || where.endsWith('/' + p));
    if (path) return { path, line: Number(m[2]), column: Number(m[3]), message };
  }
  return null;
}

/**
 * The location of the error that ended the run: the last Error event (uncaught, unhandled rejection, worker error)
 * whose stack names a lesson file, else the run end's message (syntax errors carry `file:line:col`). Null for a run
 * that did not fail or failed somewhere else (a limit, a host module).
 */
export function failedRunLocation(trace: TraceColumns | null, end: RunEnd | null, paths: readonly string[]): ErrorLocation | null {
  if (!end || end.reason === EndReason.Completed || end.reason === EndReason.ProcessExit || end.reason === EndReason.Stopped) return null;
  if (trace) {
    for (let i = trace.count - 1; i >= 0; i--) {
      if (trace.kind[i] !== EventKind.Error) continue;
      const message = strArg(trace, i, 1);
      const stack = strArg(trace, i, 2);
      const first = (stack.split('\n')[0] || message).trim();
      const at = locateInText(stack.slice(stack.indexOf('\n') + 1), paths, first) ?? locateInText(stack, paths, first);
      if (at) return at;
    }
  }
  return locateInText(end.message, paths, end.message.split('\n')[0]!.trim());
}
