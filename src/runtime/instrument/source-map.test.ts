/** A position in V8's stack trace of the instrumented code maps back to the original TypeScript. */
import vm from 'node:vm';
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';
import { afterEach, describe, expect, it } from 'vitest';
import { TRACER_GLOBAL, instrumentNative, type InstrumentResult } from './index.ts';
import { runNative } from './native-run.test-support.ts';

const FILE = 'lessons/fail.instrumented.js';
const KEY = Symbol.for(TRACER_GLOBAL);
afterEach(() => {
  delete (globalThis as unknown as Record<symbol, unknown>)[KEY];
});

/**
 * Compiles the instrumented file as Node compiles a CommonJS module (its text is the function body, so V8's positions
 * are the file's), calls `exports.run()`, returns the error's first stack position inside the lesson.
 */
function throwPosition(result: InstrumentResult): { line: number; column: number } {
  const same = (_s: number, v: unknown): unknown => v;
  const noop = (): void => {};
  (globalThis as unknown as Record<symbol, unknown>)[KEY] = { m: () => 0, e: () => 1, x: noop, u: same, r: same, t: noop };
  const exports: Record<string, () => void> = {};
  vm.compileFunction(result.code, ['exports'], { filename: FILE })(exports);
  try {
    exports.run!();
  } catch (err) {
    const m = new RegExp(`${FILE.replace(/[.]/g, '\\.')}:(\\d+):(\\d+)`).exec((err as Error).stack ?? '');
    if (!m) throw new Error(`no lesson frame in ${(err as Error).stack}`, { cause: err });
    return { line: Number(m[1]), column: Number(m[2]) };
  }
  throw new Error('run() did not throw');
}

function original(result: InstrumentResult, pos: { line: number; column: number }) {
  const mapped = originalPositionFor(new TraceMap(result.map as ConstructorParameters<typeof TraceMap>[0]), { line: pos.line, column: pos.column - 1 });
  return { source: mapped.source, line: mapped.line, column: (mapped.column ?? -1) + 1 };
}

describe('source map', () => {
  const text = [
    'type Config = { retries: number; label: string };',
    '// the function opener and (statement mode) markers land on the next line, before the throw:',
    "function fail(config: Config): never { const message: string = `boom ${config.label}`; const err: Error = new Error(message); throw err; }",
    '',
    'exports.run = function run(): void { const c: Config = { retries: 3, label: "x" }; fail(c); }',
  ].join('\n');

  for (const mode of ['function', 'statement'] as const) {
    it(`maps a V8 stack position back to the TypeScript line and column (${mode} mode)`, () => {
      const result = instrumentNative({ path: 'lessons/fail.ts', text }, { mode, frameIdBase: 0, asModule: false });
      const pos = throwPosition(result);
      expect(pos.line).toBe(3); // the body keeps its lines: V8 already reports the original line
      const expectedColumn = text.split('\n')[2]!.indexOf('new Error') + 1;
      expect(pos.column).not.toBe(expectedColumn); // instrumentation shifted it on that line…
      expect(original(result, pos)).toEqual({ source: 'fail.ts', line: 3, column: expectedColumn }); // …the map undoes it
    });
  }

  it('maps positions on the first line, which shares its line with the prologue', () => {
    const first = 'exports.run = function run(): never { throw new TypeError("first line"); }\n';
    const result = instrumentNative({ path: 'lessons/fail.ts', text: first }, { mode: 'statement', frameIdBase: 0, asModule: false });
    const pos = throwPosition(result);
    expect(pos.line).toBe(1);
    expect(original(result, pos)).toEqual({ source: 'fail.ts', line: 1, column: first.indexOf('new TypeError') + 1 });
  });

  it('carries the original TypeScript text and keeps every line on its line', async () => {
    const ts = [
      "const value: number = await Promise.resolve(41);",
      'const first: number = value; // line 2',
      'async function later(n: number): Promise<number> {',
      '  await null; return n + first; // line 4',
      '}',
      "export const done = later(1).then((v: number) => log('line 6', v));",
    ].join('\n');
    const result = instrumentNative({ path: 'm.ts', text: ts }, { mode: 'statement', frameIdBase: 0 });
    expect(result.map.sources).toEqual(['m.ts']);
    expect(result.map.sourcesContent).toEqual([ts]);
    const codeLines = result.code.split('\n');
    expect(codeLines[1]).toContain('// line 2');
    expect(codeLines[3]).toContain('// line 4');
    expect(codeLines[5]).toContain("'line 6'");
    const run = await runNative(ts, { path: 'm.ts', mode: 'statement' });
    expect(run.output).toEqual(['line 6 42']);
  });
});
