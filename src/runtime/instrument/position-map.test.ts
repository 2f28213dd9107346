import { describe, expect, it } from 'vitest';
import { instrumentNative } from './index.ts';
import { PositionMap } from './position-map.ts';

/** 1-based line and column of the first `needle` in `text`. */
function find(text: string, needle: string, from = 0): { line: number; column: number } {
  const at = text.indexOf(needle, from);
  if (at < 0) throw new Error(`no ${needle}`);
  const before = text.slice(0, at).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

describe('PositionMap (instrumented code → the learner\'s line and column)', () => {
  const text = [
    "const f = (a) => { if (a) { throw new Error('x'); } return a; };",
    'async function g() { await null; return f(1) + f(0); }',
    '\tfunction h() { return [1].map((v) => { return g(v); }); }',
  ].join('\n');

  for (const mode of ['function', 'statement'] as const) {
    it(`maps tokens after inserted tracer calls back to their column (${mode} level)`, () => {
      const out = instrumentNative({ path: 'main.js', text }, { mode, frameIdBase: 0 });
      const map = new PositionMap(out.map.mappings);
      for (const needle of ['throw', 'return a', 'return f', 'f(0)', 'g(v)', '[1].map']) {
        const generated = find(out.code, needle);
        expect(generated, needle).not.toEqual(find(text, needle)); // the instrumentation did move it
        expect(map.original(generated.line, generated.column), needle).toEqual(find(text, needle));
      }
    });
  }

  it('answers null for a line or column that maps to nothing', () => {
    const map = new PositionMap('AAAA;;AACA');
    expect(map.original(2, 1)).toBeNull();
    expect(map.original(9, 1)).toBeNull();
    expect(map.original(1, 1)).toEqual({ line: 1, column: 1 });
    expect(map.original(3, 1)).toEqual({ line: 2, column: 1 });
  });
});
