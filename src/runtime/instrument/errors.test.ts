/** Syntax the lesson cannot use is reported at the original position, with a message saying what to change. */
import { describe, expect, it } from 'vitest';
import { stripTypeScriptTypes } from 'node:module';
import { InstrumentError, instrumentNative } from './index.ts';
import { locateStripError, stripTypes } from './strip-types.ts';

function errorOf(path: string, text: string): InstrumentError {
  try {
    instrumentNative({ path, text }, { mode: 'function', frameIdBase: 0 });
  } catch (err) {
    if (err instanceof InstrumentError) return err;
    throw err;
  }
  throw new Error('no error');
}

describe('InstrumentError', () => {
  it('reports a TypeScript syntax error at its line and column', () => {
    const err = errorOf('main.ts', 'let a = 1;\nlet b: = 3;\n');
    expect([err.file, err.line, err.column]).toEqual(['main.ts', 2, 8]);
    expect(err.message).toMatch(/^main\.ts:2:8 Unexpected token `=`/);
  });

  it('finds TypeScript errors deep in a file and inside expressions', () => {
    const filler = 'const z: number = 1;\n'.repeat(200);
    expect(pos(errorOf('main.ts', `${filler}function f(x: number {\n}\n`))).toEqual([201, 22]);
    expect(pos(errorOf('main.ts', 'const a = 1;\nconst s = foo bar;\n'))).toEqual([2, 15]);
    expect(pos(errorOf('main.ts', 'const a = 1;\nconst t = `unterminated\n'))).toEqual([2, 11]);
  });

  it('counts columns in UTF-16 units whatever the line holds (tabs, wide characters, emoji)', () => {
    expect(pos(errorOf('main.ts', '\tconst s = "漢字😀"; let b: = 1;'))).toEqual([1, 27]);
    expect(pos(errorOf('main.ts', 'const a = 1;\r\nconst é: string = "é"; let b: = 1;'))).toEqual([2, 31]);
  });

  it('can also find the error without the position Node adds to the stack', () => {
    for (const [text, message, offset] of [
      ['let a = 1;\nlet b: = 3;', 'Unexpected token `=`. Expected an identifier', 18],
      ['const a = 1;\nconst s = foo bar;', 'Expected a semicolon', 27],
      ['const a = 1;\nenum E { A }\n', 'TypeScript enum is not supported in strip-only mode', 13],
    ] as const) {
      let real = '';
      try { stripTypes('x.ts', text); } catch (err) { real = (err as InstrumentError).reason; }
      expect(real).not.toBe('');
      expect(locateStripError(text, message.startsWith('TypeScript') ? message : (realMessage(text) ?? message), '', message.includes('not supported'))).toBe(offset);
    }
  });

  it('reports a JavaScript syntax error at its line and column', () => {
    const err = errorOf('lib/util.js', 'const a = 1;\nconst b = (;\n');
    expect([err.file, err.line, err.column]).toEqual(['lib/util.js', 2, 12]);
    expect(err.message).toBe('lib/util.js:2:12 Unexpected token');
  });

  it('reports errors acorn finds after TypeScript stripping at the original position', () => {
    const err = errorOf('main.ts', 'const x: number = 1;\nconst y: string = x +* 2;\n');
    expect(pos(err)).toEqual([2, 22]);
  });

  it('explains that enum needs a const object', () => {
    const err = errorOf('main.ts', 'const a = 1;\nexport enum Color { Red, Green }\nlog(a);\n');
    expect(err.message).toContain('enum is not supported in lessons: use a const object');
    expect(pos(err)).toEqual([2, 8]);
  });

  it('explains the other syntax strip mode cannot erase', () => {
    expect(errorOf('main.ts', 'namespace N { export const x = 1; }').message).toContain('namespace is not supported in lessons');
    const pp = errorOf('main.ts', 'class A {\n  private q = 1;\n  constructor(private x: number) {}\n}');
    expect(pp.message).toContain('parameter properties');
    expect(pos(pp)).toEqual([3, 23]); // the stripper points at the parameter
    expect(errorOf('main.ts', "import fs = require('fs');").message).toContain("use import x from '…'");
    expect(errorOf('main.ts', 'const v = <any>window;').message).toContain('write value as T');
  });

  it('reports the module error for a file with import syntax, and the script error otherwise', () => {
    expect(pos(errorOf('main.ts', "import x from 'y';\nconst = 1;\n"))).toEqual([2, 7]);
    expect(pos(errorOf('main.js', 'with (o) {}\nlet = ;\n'))).toEqual([2, 7]); // sloppy `let` is an identifier
    const cjs = errorOf('main.cts', "import x from 'y';\n");
    expect(pos(cjs)).toEqual([1, 1]);
    expect(errorOf('main.mts', "with (o) {}\n").line).toBe(1);
  });

  it('rejects top-level return', () => {
    expect(pos(errorOf('main.js', 'const a = 1;\nreturn a;\n'))).toEqual([2, 1]);
  });
});

function pos(err: InstrumentError): [number, number] {
  return [err.line, err.column];
}

/** The stripper's own message for `text` (what the prefix search compares against). */
function realMessage(text: string): string | null {
  try {
    stripTypeScriptTypes(text, { mode: 'strip' });
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}
