import { describe, expect, it } from 'vitest';
import { instrumentNative } from './instrument/index.ts';
import { fixUncaughtHeaders, headerSources } from './uncaught-header.ts';

const RUN_DIR = '/runs/run-1/';

function sourcesFor(path: string, text: string) {
  const out = instrumentNative({ path, text }, { mode: 'statement', frameIdBase: 0 });
  return { out, sources: headerSources(RUN_DIR, [{ path, text, mappings: out.map.mappings }]) };
}

/** What Node prints natively for a throw at `needle` in `code` (the compiled, instrumented text). */
function nativeHeader(name: string, code: string, needle: string): string {
  const at = code.indexOf(needle);
  const lines = code.slice(0, at).split('\n');
  const line = code.split('\n')[lines.length - 1]!;
  const column = lines[lines.length - 1]!.length;
  let prefix = '';
  for (let i = 0; i < column; i++) prefix += line[i] === '\t' ? '\t' : ' ';
  return `${name}:${lines.length}\n${line}\n${prefix}^\n\nError: x\n    at f (${name}:1:1)\n`;
}

describe('the uncaught-error header of a run process', () => {
  it('shows the learner\'s line and caret, not the instrumented line (CommonJS path)', () => {
    const text = "const a = 1;\n\tfunction f() { if (a) { throw new Error('x'); } }\nf();\n";
    const { out, sources } = sourcesFor('main.js', text);
    const name = `${RUN_DIR}main.js`;
    const fixed = fixUncaughtHeaders(nativeHeader(name, out.code, 'throw'), sources);
    expect(fixed.split('\n').slice(0, 3)).toEqual([`${name}:2`, "\tfunction f() { if (a) { throw new Error('x'); } }", '\t                        ^']);
    expect(fixed.split('\n').slice(3)).toEqual(nativeHeader(name, out.code, 'throw').split('\n').slice(3)); // the stack untouched
  });

  it('shows a TypeScript line with its types blanked, as plain node\'s type stripping compiles it (file URL)', () => {
    const text = "function f(n: number): void { if (n) { throw new Error('x'); } }\nf(1);\n";
    const { out, sources } = sourcesFor('main.ts', text);
    const name = `file://${RUN_DIR}main.ts`;
    const fixed = fixUncaughtHeaders(nativeHeader(name, out.code, 'throw'), sources);
    expect(fixed.split('\n').slice(0, 3)).toEqual([`${name}:1`, "function f(n        )       { if (n) { throw new Error('x'); } }", `${' '.repeat(39)}^`]);
  });

  it('leaves headers of other files and text without a header as they are', () => {
    const { sources } = sourcesFor('main.js', 'throw 1;\n');
    const other = 'node:internal/modules/cjs/loader:1568\n  throw err;\n  ^\n\nError: nope\n';
    expect(fixUncaughtHeaders(other, sources)).toBe(other);
    expect(fixUncaughtHeaders('plain text ^\n', sources)).toBe('plain text ^\n');
  });
});
