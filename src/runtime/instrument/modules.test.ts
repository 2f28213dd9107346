/** Script/module detection and the rewriting of ES module syntax to the sandbox's loader calls. */
import { describe, expect, it } from 'vitest';
import { instrument } from './index.ts';
import { runInstrumented } from './test-harness.ts';

const fn = (path: string, text: string) => instrument({ path, text }, { mode: 'function', frameIdBase: 0 });

describe('script or module', () => {
  it('follows Node: module syntax or top-level await make a module, the extension can force either', () => {
    expect(fn('a.ts', 'const x = require("fs");').isModule).toBe(false);
    expect(fn('a.ts', 'export {};').isModule).toBe(true);
    expect(fn('a.js', "import 'x';").isModule).toBe(true);
    expect(fn('a.ts', 'console.log(import.meta.url);').isModule).toBe(true);
    const tla = fn('a.ts', 'await Promise.resolve();');
    expect([tla.isModule, tla.hasTopLevelAwait]).toEqual([true, true]);
    expect(fn('a.mts', 'const x = 1;').isModule).toBe(true);
    expect(fn('a.mjs', 'const x = 1;').code).toContain('{"use strict";const x = 1;');
    expect(fn('a.cjs', 'const x = 1;').isModule).toBe(false);
    expect(fn('a.ts', 'async function f() { await 1; }').hasTopLevelAwait).toBe(false);
  });

  it('wraps the body in the sandbox function on the first line', () => {
    const r = fn('a.js', '#!/usr/bin/env node\nconst x = 1;');
    expect(r.code).toBe(
      '(function (__ls$e, __ls$x, __ls$u, __ls$r, __ls$t, __ls$imp, __ls$dimp, __ls$exp, __ls$meta) { return function (exports, require, module, __filename, __dirname) {' +
        '///usr/bin/env node\nconst x = 1;\n}})',
    );
  });

  it('lists the module specifiers in first-use order, once each', () => {
    const r = fn('a.ts', [
      "import a from './a.ts';",
      "export { b } from './b.ts';",
      "export * from './c.ts';",
      "import './a.ts';",
      "const d = require('./d.js');",
      "const e = await import('./e.ts');",
      'const f = await import(name);',
      'const g = require(name);',
    ].join('\n'));
    expect(r.imports).toEqual(['./a.ts', './b.ts', './c.ts', './d.js', './e.ts']);
  });
});

describe('module rewriting', () => {
  const lib = { default: 'D', named: 'N', other: 'O', 'odd name': 'S', sum: (a: number, b: number) => a + b };

  it('turns imports into loader calls hoisted above the code that uses them', async () => {
    const { output } = await runInstrumented([
      "log(d, n, o, typeof ns.sum, s, side);",
      "import d, { named as n, other as o } from 'lib';",
      "import * as ns from 'lib';",
      "import { 'odd name' as s } from 'lib';",
      "import 'side';",
      "import * as side from 'side';",
    ].join('\n'), { modules: { lib, side: { loaded: true } } });
    expect(output).toEqual(['D N O function S {"loaded":true}']);
  });

  it('exports declarations, specifiers, defaults and re-exports', async () => {
    const { exports, output } = await runInstrumented([
      'export const a: number = 1, { b, c: [d] } = { b: 2, c: [3] };',
      'export let e = 4',
      'export function f(): string { return "f"; }',
      'export class G {}',
      'const h = 5, i = 6;',
      'export { h, i as renamed, later };',
      'var later = 7;',
      "export { named as reNamed, default as reDefault } from 'lib';",
      "export * as libNs from 'lib';",
      "export * from 'other';",
      'export default h + i;',
      "log('ran');",
    ].join('\n'), { modules: { lib, other: { fromStar: 'star' } } });
    expect(output).toEqual(['ran']);
    expect({ ...exports, f: typeof exports.f, G: typeof exports.G, libNs: typeof exports.libNs }).toEqual({
      a: 1, b: 2, d: 3, e: 4, f: 'function', G: 'function', h: 5, renamed: 6, later: 7, reNamed: 'N', reDefault: 'D',
      libNs: 'object', fromStar: 'star', default: 11,
    });
  });

  it('exports functions before anything runs, like hoisted ES exports', () => {
    const r = fn('a.ts', "import x from 'lib';\nexport default function main() {}\nexport function helper() {}\nexport { helper as alias };");
    const head = r.code.slice(0, r.code.indexOf('__ls$imp('));
    expect(head).toContain('__ls$exp.default = main;');
    expect(head).toContain('__ls$exp.helper = helper;');
    expect(head).toContain('__ls$exp.alias = helper;');
  });

  it('handles anonymous default exports and parenthesised ones', async () => {
    const anonymousFn = await runInstrumented('export default function () { return 1; }');
    expect(typeof anonymousFn.exports.default).toBe('function');
    expect(anonymousFn.result.frames[1]?.name).toBe('default');
    const anonymousClass = await runInstrumented('export default class { x = 1 }');
    expect(typeof anonymousClass.exports.default).toBe('function');
    const seq = await runInstrumented('export default (1, 2)\nlog("after")');
    expect([seq.exports.default, seq.output]).toEqual([2, ['after']]);
    const arrow = await runInstrumented('export default async (x: number) => await x;');
    expect(await (arrow.exports.default as (x: number) => Promise<number>)(3)).toBe(3);
  });

  it('rewrites import() and import.meta', async () => {
    const { output } = await runInstrumented("const m = await import('lib');\nlog(m.named, import.meta.url, typeof import.meta.dirname);", { modules: { lib } });
    expect(output).toEqual(['N file:///lesson/main.ts string']);
  });

  it('lets a module declare the names the CommonJS wrapper uses as parameters', async () => {
    const { output } = await runInstrumented("import module from 'lib';\nconst require = 1, exports = 2;\nlog(module, require, exports);\nexport {};", { modules: { lib } });
    expect(output).toEqual(['D 1 2']);
  });

  it('leaves CommonJS alone', async () => {
    const { output, exports, result } = await runInstrumented("const { named } = require('lib');\nexports.x = named;\nmodule.exports.y = this === exports;", { path: 'c.js', modules: { lib } });
    expect(result.isModule).toBe(false);
    expect(output).toEqual([]);
    expect(exports).toEqual({ x: 'N', y: true });
  });

  it('rewrites modules the same way when untraced', async () => {
    const { output, exports, result } = await runInstrumented("import { named } from 'lib';\nexport const v = named + '!';\nlog(v);", { modules: { lib }, traced: false });
    expect(output).toEqual(['N!']);
    expect(exports).toEqual({ v: 'N!' });
    expect(result.code).not.toContain('__ls$e(');
  });
});
