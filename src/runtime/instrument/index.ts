/**
 * Source transform that instruments one lesson file for a run process (runtime v2), which Node itself loads as a
 * real CommonJS or ES module through `module.registerHooks` (src/runtime/process/preload.ts):
 *
 *   TypeScript --strip types (same offsets)--> JavaScript --acorn--> AST --one walk, one MagicString--> JavaScript
 *
 * Contract with the tracer (src/runtime/process/agent.ts puts its functions on the global TRACER_GLOBAL):
 * - a one-line prologue (after the hashbang line and the directive prologue, on the same line) reads the tracer
 *   functions into `__ls$e`, `__ls$x`, … and enters the file's script frame (frames[0]): `__ls$m = __ls$T.m(id)`;
 *   the end of the file exits it (`;__ls$x(__ls$m);`);
 * - every function body becomes `const __ls$s = __ls$e(frameId); try { … } finally { __ls$x(__ls$s); }` (after its
 *   directive prologue);
 * - `await X` → `__ls$r(s, await __ls$u(s, X, 0), 0)` and `yield X` → `__ls$r(s, yield __ls$u(s, X, 1), 1)`, where s
 *   is the function's `__ls$s` or `0` at top level; `for await` suspends around its hidden awaits;
 * - statement mode adds `__ls$t(statementFrameId);` before each statement of a statement list. Every mode adds it
 *   before each top-level statement and before the statement a `// @checkpoint` comment points at;
 * - value sites (watched bindings, named locks and views, shared element writes) call the value functions (values.ts).
 * - ES module syntax, `import()` and `import.meta` stay as written: the file is a real module.
 * - Every line keeps its text on its line, so V8 line numbers are the file's; columns go through `map` (code →
 *   original file). Frame lines/columns are 1-based positions in the original (TypeScript) file; endColumn is
 *   exclusive.
 * - `Function.prototype.toString()` of a lesson function shows the learner's code, not this rewrite: the run
 *   process's toString strips what the rewrite inserted (`uninstrument`, process/uninstrument.ts).
 */
import MagicString from 'magic-string';
import type { Frame } from '../../shared/trace/schema.ts';
import { findCheckpointMarkers } from '../../shared/lesson/markers.ts';
import { InstrumentError } from './errors.ts';
import { parseCode } from './parse.ts';
import { isTypeScriptPath, stripTypes } from './strip-types.ts';
import { TRACER_GLOBAL } from './tracer-global.ts';
import { VALUE_FUNCTIONS } from './values.ts';
import { Walker } from './walker.ts';

export { InstrumentError, TRACER_GLOBAL };

export interface InstrumentOptions {
  mode: 'function' | 'statement';
  /** Id of the first frame this file gets (its script frame); the others follow consecutively. */
  frameIdBase: number;
  /** Default true. False: types stripped only, no tracer calls (untraced runs). */
  traced?: boolean;
  /** How Node decided to run the file (from the load hook); undefined: decide like Node's syntax detection. */
  readonly asModule?: boolean;
}

/** A source map (revision 3) as JSON. */
export interface SourceMapV3Json {
  version: 3;
  file?: string;
  sources: string[];
  sourcesContent: (string | null)[];
  names: string[];
  mappings: string;
}

export interface InstrumentResult {
  /** The instrumented file (see the header comment), its source map inline at the end. */
  code: string;
  /** The same without the source map: what a run process loads (it maps stack positions itself, see below). */
  bare: string;
  /** Maps `code` to the original file text (which it also carries). */
  map: SourceMapV3Json;
  /** frames[0] is the file's script frame `(main) <path>`; untraced files get only that one. */
  frames: Frame[];
  isModule: boolean;
}

/**
 * Instruments one lesson file (see the header comment). `code` carries its source map inline; the preload drops it
 * and maps stack positions itself (process/call-sites.ts, position-map.ts) — the run has no `--enable-source-maps`.
 */
export function instrumentNative(file: { path: string; text: string }, options: InstrumentOptions): InstrumentResult {
  const traced = options.traced !== false;
  const code = isTypeScriptPath(file.path) ? stripTypes(file.path, file.text) : file.text;
  const { program, isModule } = parseCode(file.path, code, options.asModule);
  const s = new MagicString(code);
  // A checkpoint's step is exactly where its comment is, in every mode (else, in function mode, a marker inside a
  // function would resolve to the script's start).
  const checkpointLines = new Set(findCheckpointMarkers([file]).markers.map((m) => m.line));
  const walker = new Walker({
    path: file.path, original: file.text, code, s, traced, statements: options.mode === 'statement', checkpointLines, frameIdBase: options.frameIdBase, isModule,
  });
  walker.run(program);
  if (traced) {
    let at = code.startsWith('#!') ? Math.max(0, code.indexOf('\n') + 1) : 0;
    if (code.startsWith('#!') && code.indexOf('\n') < 0) at = code.length;
    for (const st of program.body) {
      if (st.type !== 'ExpressionStatement' || st.directive === undefined) break;
      at = st.end;
    }
    const semi = at > 0 && code[at - 1] !== ';' && code[at - 1] !== '\n' ? ';' : '';
    const scriptFrame = walker.frames[0]!.id;
    s.prependRight(at, `${semi}const __ls$T = globalThis[Symbol.for('${TRACER_GLOBAL}')], __ls$e = __ls$T.e, __ls$x = __ls$T.x, __ls$u = __ls$T.u, __ls$r = __ls$T.r, __ls$t = __ls$T.t, ${VALUE_FUNCTIONS.map((f) => `__ls$${f} = __ls$T.${f}, `).join('')}__ls$m = __ls$T.m(${scriptFrame});`);
    s.append('\n;__ls$x(__ls$m);');
  }
  const generated = s.generateMap({ hires: true, source: file.path.split('/').pop() ?? file.path, includeContent: true });
  const map: SourceMapV3Json = { version: 3, sources: [file.path.split('/').pop() ?? file.path], sourcesContent: [file.text], names: generated.names, mappings: generated.mappings };
  const bare = s.toString();
  const withMap = `${bare}\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}\n`;
  return { code: withMap, bare, map, frames: walker.frames, isModule };
}
