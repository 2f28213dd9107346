/**
 * Lesson checkpoints → cursor positions, and the editor line to highlight at a step. The one resolver: the app
 * (after a run) and `loopscope check` (src/services/lessons/check.ts) both call it, so the checker cannot pass a
 * checkpoint the app would place elsewhere.
 *
 * A checkpoint names either a console line (the cursor lands just after the first console event that prints
 * that line, alone or among the lines of one call) or a `// @checkpoint id` marker in the code (the first step
 * that runs the marked line: its Statement event in statement mode; in function mode, the first entry into the
 * innermost function whose body holds the line, or the script itself for top-level code). Markers are read from
 * the lesson's code files only. Resolution is one pass over the trace per checkpoint, done once per finished run.
 */
import { findCheckpointMarkers, type CheckpointMarker } from '../lesson/markers.ts';
import type { RuntimeState } from '../trace/runtime-state.ts';
import { EventKind, type Frame } from '../trace/schema.ts';
import type { FrameTable } from './frames.ts';
import { arg, strArg, type TraceColumns } from './trace-source.ts';

export interface CheckpointSpec {
  readonly name: string;
  readonly consoleLine?: string | undefined;
  readonly marker?: string | undefined;
  readonly explain?: string;
}

export interface ResolvedCheckpoint {
  readonly name: string;
  /** Cursor position: the state just after the checkpoint's event. */
  readonly cursor: number;
  readonly explain: string;
}

/** How one checkpoint resolved against one trace, for the app (cursor) and for authors (detail). */
export interface CheckpointOutcome extends ResolvedCheckpoint {
  /** -1 when the checkpoint does not resolve in this run. */
  readonly cursor: number;
  /** Where it resolved ("main.ts:12, step 57") or why it did not, as a sentence. */
  readonly detail: string;
}

type SourceFile = { readonly path: string; readonly text: string };

/** Files that can hold `// @checkpoint` markers: the lesson's code, not its README or data. */
const CODE_FILE = /\.(?:[cm]?ts|[cm]?js)$/;

/** Reads `checkpoints` from a lesson's extras (untyped JSON), keeping only well-formed entries. */
export function checkpointSpecs(extras: unknown): CheckpointSpec[] {
  const list = (extras as { checkpoints?: unknown } | null)?.checkpoints;
  if (!Array.isArray(list)) return [];
  return list.flatMap((c): CheckpointSpec[] => {
    if (typeof c !== 'object' || c === null) return [];
    const o = c as Record<string, unknown>;
    if (typeof o.name !== 'string') return [];
    return [{ name: o.name, consoleLine: typeof o.consoleLine === 'string' ? o.consoleLine : undefined, marker: typeof o.marker === 'string' ? o.marker : undefined, explain: typeof o.explain === 'string' ? o.explain : '' }];
  });
}

/** The checkpoints that resolve in this run, in step order (what the player shows). */
export function resolveCheckpoints(trace: TraceColumns, specs: readonly CheckpointSpec[], files: readonly SourceFile[]): ResolvedCheckpoint[] {
  if (specs.length === 0) return [];
  return checkpointOutcomes(trace, specs, files)
    .filter((c) => c.cursor >= 0)
    .map(({ name, cursor, explain }) => ({ name, cursor, explain }))
    .sort((a, b) => a.cursor - b.cursor);
}

/** Every checkpoint's outcome, in the order of `specs` (what the checker reports). */
export function checkpointOutcomes(trace: TraceColumns, specs: readonly CheckpointSpec[], files: readonly SourceFile[]): CheckpointOutcome[] {
  const { markers } = findCheckpointMarkers(files.filter((f) => CODE_FILE.test(f.path)));
  return specs.map((spec): CheckpointOutcome => {
    const base = { name: spec.name, explain: spec.explain ?? '' };
    if (spec.marker !== undefined) return { ...base, ...markerOutcome(trace, spec.marker, markers) };
    const line = spec.consoleLine ?? '';
    const cursor = consoleCursor(trace, line);
    return { ...base, cursor, detail: cursor >= 0 ? `console line ${JSON.stringify(line)}, step ${cursor}` : `the run never printed ${JSON.stringify(line)}` };
  });
}

function consoleCursor(trace: TraceColumns, line: string): number {
  for (let i = 0; i < trace.count; i++) {
    if (trace.kind[i] === EventKind.Console && strArg(trace, i, 1).replace(/\n$/, '').split('\n').includes(line)) return i + 1;
  }
  return -1;
}

function markerOutcome(trace: TraceColumns, id: string, markers: readonly CheckpointMarker[]): { cursor: number; detail: string } {
  const m = markers.find((k) => k.id === id);
  if (!m) return { cursor: -1, detail: `no "// @checkpoint ${id}" comment in the lesson's code` };
  const where = `${m.file}:${m.line}`;
  const frames = trace.header.frames;
  // statement frames on the line, else the innermost function (or script) whose range holds it
  const stmt = new Set(frames.filter((f) => f.kind === 'statement' && f.file === m.file && f.line === m.line).map((f) => f.id));
  const innermost = stmt.size === 0 ? innermostHolder(frames, m) : undefined;
  if (stmt.size === 0 && !innermost) return { cursor: -1, detail: `marker "${id}" points at ${where}, where the trace has no statement (put the marker right above a statement)` };
  for (let i = 0; i < trace.count; i++) {
    const k = trace.kind[i];
    if ((k === EventKind.Statement && stmt.has(arg(trace, i, 0))) || (k === EventKind.Enter && innermost && arg(trace, i, 0) === innermost.id)) {
      return { cursor: i + 1, detail: `${where}, step ${i + 1}` };
    }
  }
  return { cursor: -1, detail: `marker "${id}" at ${where} was never reached in the run` };
}

function innermostHolder(frames: readonly Frame[], m: CheckpointMarker): Frame | undefined {
  const holders = frames.filter((f) => (f.kind === 'function' || f.kind === 'script') && f.file === m.file && f.line <= m.line && (f.endLine >= m.line || f.kind === 'script'));
  return holders.sort((a, b) => b.line - a.line || (a.kind === 'script' ? 1 : -1))[0];
}

/**
 * The source line to highlight for a state: the statement about to run (statement mode), else the innermost
 * lesson function on a running agent's stack (main thread first; top-level script code has no line in function
 * mode). With `shownPath` (the file the editor shows),
 * the innermost frame in that file wins, so stepping through a helper in another file still marks the caller.
 */
export function editorLineAt(state: RuntimeState | null, frames: FrameTable, shownPath?: string): { path: string; line: number } | null {
  if (!state) return null;
  let first: { path: string; line: number } | null = null;
  for (const a of state.agents) {
    if (!a) continue;
    if (a.statementFrameId >= 0) {
      const f = frames.get(a.statementFrameId);
      if (f && f.file && f.line > 0) {
        if (shownPath === undefined || f.file === shownPath) return { path: f.file, line: f.line };
        first ??= { path: f.file, line: f.line };
      }
    }
    for (let i = a.stack.length - 1; i >= 0; i--) {
      const f = frames.get(a.stack[i]!.frameId);
      // a script frame spans the whole file: its line 1 says nothing about where the script is
      if (!f || a.stack[i]!.host || !f.file || f.line <= 0 || f.kind === 'host' || f.kind === 'script') continue;
      if (shownPath === undefined || f.file === shownPath) return { path: f.file, line: f.line };
      first ??= { path: f.file, line: f.line };
    }
  }
  return first;
}
