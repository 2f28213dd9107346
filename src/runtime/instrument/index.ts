/**
 * Source transform that instruments one lesson file for the sandbox.
 *
 *   TypeScript --strip types (same offsets)--> JavaScript --acorn--> AST --one walk, one MagicString--> wrapper
 *
 * Contract with the sandbox (src/runtime/sandbox/modules.js calls the wrapper with these arguments, in order):
 *   (function (__ls$e, __ls$x, __ls$u, __ls$r, __ls$t, __ls$imp, __ls$dimp, __ls$exp, __ls$meta,
 *              require, module, exports, __filename, __dirname) { <body>
 *   })
 * - `async function` when the file uses top-level await; a module's body starts with "use strict".
 * - Every function body becomes `const __ls$s = __ls$e(frameId); try { … } finally { __ls$x(__ls$s); }` (after its
 *   directive prologue). The top-level code is not wrapped: the sandbox pushes the script frame (frames[0]) itself.
 * - `await X` → `__ls$r(s, await __ls$u(s, X, 0), 0)` and `yield X` → `__ls$r(s, yield __ls$u(s, X, 1), 1)`, where s
 *   is the function's `__ls$s` or `0` at top level; `for await` suspends around its hidden awaits.
 * - Statement mode adds `__ls$t(statementFrameId);` before each statement of a statement list. Every mode adds it
 *   before each top-level statement and before the statement a `// @checkpoint` comment points at.
 * - The body keeps the original text on its original lines (the wrapper header shares line 1), so V8 line numbers are
 *   the file's; columns and everything else go through `map` (code → original file).
 * - Frame lines/columns are 1-based positions in the original (TypeScript) file; endColumn is exclusive.
 * - ES module syntax is always rewritten to the loader calls (module-rewrite.ts), traced or not.
 * - `Function.prototype.toString()` of a lesson function shows the learner's code, not this rewrite: the sandbox
 *   run process's toString strips what the rewrite inserted (`uninstrument`, process/uninstrument.ts).
 * - Not preserved: module bindings are snapshots, not live bindings; default parameter values are evaluated before
 *   the function's enter event.
 */
import MagicString from 'magic-string';
import type { Frame } from '../../shared/trace/schema.ts';
import { findCheckpointMarkers } from '../../shared/lesson/markers.ts';
import { InstrumentError } from './errors.ts';
import { parseCode } from './parse.ts';
import { isTypeScriptPath, stripTypes } from './strip-types.ts';
import { VALUE_FUNCTIONS } from './values.ts';
import { Walker } from './walker.ts';

export { InstrumentError };

export interface InstrumentOptions {
  mode: 'function' | 'statement';
  /** Id of the first frame this file gets (its script frame); the others follow consecutively. */
  frameIdBase: number;
  /** Default true. False: only the module rewriting and the wrapper, no tracer calls (benchmarks, oracle, packages). */
  traced?: boolean;
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
  /** A single function expression (see the header comment). */
  code: string;
  /** Maps `code` to the original file text (which it also carries). */
  map: SourceMapV3Json;
  /** frames[0] is the file's script frame `(main) <path>`; untraced files get only that one. */
  frames: Frame[];
  isModule: boolean;
  hasTopLevelAwait: boolean;
  /** Module specifiers used by import/export-from, import('literal') and require('literal'), first use first, once each. */
  imports: string[];
}

/**
 * The outer wrapper's parameters (the tracer and the module plumbing), in the order the sandbox passes them. It
 * returns the module function itself, which takes exactly Node's CommonJS wrapper parameters for a script (so
 * `arguments` and `this` at top level are what Node gives) and none for an ES module (where `require`, `module`,
 * `__filename` … do not exist).
 */
export const WRAPPER_PARAMS = [
  '__ls$e', '__ls$x', '__ls$u', '__ls$r', '__ls$t', '__ls$imp', '__ls$dimp', '__ls$exp', '__ls$meta',
] as const;
export const CJS_WRAPPER_PARAMS = ['exports', 'require', 'module', '__filename', '__dirname'] as const;

export function instrument(file: { path: string; text: string }, options: InstrumentOptions): InstrumentResult {
  const traced = options.traced !== false;
  const code = isTypeScriptPath(file.path) ? stripTypes(file.path, file.text) : file.text;
  const { program, isModule } = parseCode(file.path, code);
  const s = new MagicString(code);
  const checkpointLines = new Set(findCheckpointMarkers([file]).markers.map((m) => m.line));
  const walker = new Walker({
    path: file.path, original: file.text, code, s, traced, statements: options.mode === 'statement', checkpointLines, frameIdBase: options.frameIdBase, isModule,
  });
  walker.run(program);

  if (code.startsWith('#!')) s.update(0, 2, '//'); // the hashbang is no longer at offset 0
  const inner = isModule ? '' : CJS_WRAPPER_PARAMS.join(', ');
  const prologue = isModule ? `"use strict";${walker.modules?.hoisted.join(' ') ?? ''}` : '';
  s.prepend(`(function (${WRAPPER_PARAMS.join(', ')}) { return ${walker.hasTopLevelAwait ? 'async ' : ''}function (${inner}) {${prologue}`);
  s.append('\n}})');

  const generated = s.generateMap({ hires: true, source: file.path, includeContent: true });
  return {
    code: s.toString(),
    map: { version: 3, sources: [file.path], sourcesContent: [file.text], names: generated.names, mappings: generated.mappings },
    frames: walker.frames,
    isModule,
    hasTopLevelAwait: walker.hasTopLevelAwait,
    imports: walker.imports,
  };
}

/** The global (a registered symbol) where a v2 run process keeps the tracer functions the instrumented code calls. */
export const TRACER_GLOBAL = 'loopscope.tracer';

export interface NativeOptions extends InstrumentOptions {
  /** How Node decided to run the file (from the load hook); undefined: decide like Node's syntax detection. */
  readonly asModule?: boolean;
}

/**
 * Runtime v2: instruments one file that Node itself loads as a real CommonJS or ES module (through
 * `module.registerHooks`). Same tracer calls as `instrument`, but no wrapper and no module rewriting: a one-line
 * prologue (after the hashbang and directive prologue, on the same line, so line numbers stay the file's) takes
 * the tracer functions from a global and enters the file's `(main)` frame; the end of the file exits it.
 * Untraced: types stripped only. `code` carries its source map inline; the v2 preload drops it and maps stack
 * positions itself (process/call-sites.ts, position-map.ts) — the run has no `--enable-source-maps`.
 */
export function instrumentNative(file: { path: string; text: string }, options: NativeOptions): InstrumentResult {
  const traced = options.traced !== false;
  const code = isTypeScriptPath(file.path) ? stripTypes(file.path, file.text) : file.text;
  const { program, isModule } = parseCode(file.path, code, options.asModule);
  const s = new MagicString(code);
  // As in `instrument`: a checkpoint's step is exactly where its comment is, in every mode (v2 left these out, so in
  // function mode a marker inside a function resolved to the script's start).
  const checkpointLines = new Set(findCheckpointMarkers([file]).markers.map((m) => m.line));
  const walker = new Walker({
    path: file.path, original: file.text, code, s, traced, statements: options.mode === 'statement', checkpointLines, frameIdBase: options.frameIdBase, isModule, native: true, values: true,
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
  const withMap = `${s.toString()}\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}\n`;
  return { code: withMap, map, frames: walker.frames, isModule, hasTopLevelAwait: walker.hasTopLevelAwait, imports: walker.imports };
}
