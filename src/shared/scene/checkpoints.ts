/**
 * Lesson checkpoints → cursor positions, and the editor line to highlight at a step.
 *
 * A checkpoint names either a console line (the cursor lands just after that line is printed) or a
 * `// @checkpoint id` marker in the code (the first step that runs the marked line: its Statement event in
 * statement mode; in function mode, the first entry into the innermost function whose body holds the line, or
 * the script itself for top-level code). Resolution is one pass over the trace, done once per finished run.
 */
import { findCheckpointMarkers } from '../lesson/markers.ts';
import type { RuntimeState } from '../trace/runtime-state.ts';
import { EventKind } from '../trace/schema.ts';
import type { FrameTable } from './frames.ts';
import { arg, strArg, type TraceColumns } from './trace-source.ts';

export interface CheckpointSpec {
  readonly name: string;
  readonly consoleLine?: string;
  readonly marker?: string;
  readonly explain?: string;
  /** Speaker notes (presenter's view only). */
  readonly notes?: string;
}

export interface ResolvedCheckpoint {
  readonly name: string;
  /** Cursor position: the state just after the checkpoint's event. */
  readonly cursor: number;
  readonly explain: string;
  readonly notes: string;
}

/** Reads `checkpoints` from a lesson's extras (untyped JSON), keeping only well-formed entries. */
export function checkpointSpecs(extras: unknown): CheckpointSpec[] {
  const list = (extras as { checkpoints?: unknown } | null)?.checkpoints;
  if (!Array.isArray(list)) return [];
  return list.flatMap((c): CheckpointSpec[] => {
    if (typeof c !== 'object' || c === null) return [];
    const o = c as Record<string, unknown>;
    if (typeof o.name !== 'string') return [];
    return [{ name: o.name, consoleLine: typeof o.consoleLine === 'string' ? o.consoleLine : undefined, marker: typeof o.marker === 'string' ? o.marker : undefined, explain: typeof o.explain === 'string' ? o.explain : '', notes: typeof o.notes === 'string' ? o.notes : '' }];
  });
}

export function resolveCheckpoints(trace: TraceColumns, specs: readonly CheckpointSpec[], files: readonly { readonly path: string; readonly text: string }[]): ResolvedCheckpoint[] {
  if (specs.length === 0) return [];
  const { markers } = findCheckpointMarkers(files);
  const frames = trace.header.frames;
  const out: ResolvedCheckpoint[] = [];
  for (const spec of specs) {
    let cursor = -1;
    if (spec.consoleLine !== undefined) {
      for (let i = 0; i < trace.count && cursor < 0; i++) {
        if (trace.kind[i] === EventKind.Console && strArg(trace, i, 1).replace(/\n$/, '') === spec.consoleLine) cursor = i + 1;
      }
    } else if (spec.marker !== undefined) {
      const m = markers.find((k) => k.id === spec.marker);
      if (m) {
        // statement frames on the line, else the innermost function (or script) whose range holds it
        const stmt = new Set(frames.filter((f) => f.kind === 'statement' && f.file === m.file && f.line === m.line).map((f) => f.id));
        const holders = frames.filter((f) => (f.kind === 'function' || f.kind === 'script') && f.file === m.file && f.line <= m.line && (f.endLine >= m.line || f.kind === 'script'));
        const innermost = holders.sort((a, b) => b.line - a.line || (a.kind === 'script' ? 1 : -1))[0];
        for (let i = 0; i < trace.count && cursor < 0; i++) {
          const k = trace.kind[i];
          if (k === EventKind.Statement && stmt.has(arg(trace, i, 0))) cursor = i + 1;
          else if (stmt.size === 0 && k === EventKind.Enter && innermost && arg(trace, i, 0) === innermost.id) cursor = i + 1;
        }
      }
    }
    if (cursor >= 0) out.push({ name: spec.name, cursor, explain: spec.explain ?? '', notes: spec.notes ?? '' });
  }
  return out.sort((a, b) => a.cursor - b.cursor);
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
