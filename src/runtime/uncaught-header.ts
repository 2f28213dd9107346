/**
 * The uncaught-error header a run process's Node prints (runtime v2), made what plain node prints on the same file.
 *
 * Node writes it natively, before the stack: `<file>:<line>`, the source line, a caret under the throw. It takes the
 * line from the code V8 compiled — for a lesson file that is the instrumented code, with the tracer's calls in it.
 * Plain node shows the file's own line (for TypeScript: the line with its types blanked, as its type stripping
 * compiles it). The host has both the lesson's text and the instrumentation's map, so it puts the line, its number
 * and the caret's column back. Everything else Node printed is left as it is.
 */
import { pathToFileURL } from 'node:url';
import { PositionMap } from './instrument/position-map.ts';
import { isTypeScriptPath, stripTypes } from './instrument/strip-types.ts';

export interface HeaderSource {
  readonly positions: PositionMap;
  /** The lines plain node's V8 compiles (the file's text; for TypeScript, with types blanked). */
  readonly lines: readonly string[];
}

/** Lesson files of a run by the names Node prints for them: the absolute path and its file URL. */
export function headerSources(runDir: string, files: readonly { path: string; text: string; mappings: string }[]): Map<string, HeaderSource> {
  const out = new Map<string, HeaderSource>();
  const dir = runDir.endsWith('/') ? runDir : `${runDir}/`;
  for (const f of files) {
    let text = f.text;
    if (isTypeScriptPath(f.path)) {
      try { text = stripTypes(f.path, f.text); } catch { continue; }
    }
    const source: HeaderSource = { positions: new PositionMap(f.mappings), lines: text.split('\n') };
    const abs = dir + f.path;
    out.set(abs, source);
    out.set(pathToFileURL(abs).href, source);
  }
  return out;
}

const CARET = /^([ \t]*)(\^+)$/;
const LOCATION = /^(.+):(\d+)$/;

/** `stderr` with every uncaught-error header that names a lesson file shown as plain node shows it. */
export function fixUncaughtHeaders(stderr: string, sources: ReadonlyMap<string, HeaderSource>): string {
  if (sources.size === 0 || !stderr.includes('^')) return stderr;
  const lines = stderr.split('\n');
  for (let i = 0; i + 2 < lines.length; i++) {
    const where = LOCATION.exec(lines[i]!);
    const caret = where ? CARET.exec(lines[i + 2]!) : null;
    const source = where ? sources.get(where[1]!) : undefined;
    if (!where || !caret || !source) continue;
    const pos = source.positions.original(Number(where[2]), caret[1]!.length + 1);
    const line = pos ? source.lines[pos.line - 1] : undefined;
    if (!pos || line === undefined) continue;
    let prefix = '';
    for (let k = 0; k < pos.column - 1; k++) prefix += line[k] === '\t' ? '\t' : ' ';
    lines[i] = `${where[1]}:${pos.line}`;
    lines[i + 1] = line;
    lines[i + 2] = prefix + caret[2]!;
    i += 2;
  }
  return lines.join('\n');
}
