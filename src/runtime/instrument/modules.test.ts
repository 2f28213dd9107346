/** Script or module, decided like Node; module syntax stays as written, and the prologue keeps every line's number. */
import { describe, expect, it } from 'vitest';
import { instrumentNative } from './index.ts';
import { runNative } from './native-run.test-support.ts';

const fn = (path: string, text: string, asModule?: boolean) =>
  instrumentNative({ path, text }, { mode: 'function', frameIdBase: 0, ...(asModule === undefined ? {} : { asModule }) });
const body = (code: string): string => code.slice(0, code.lastIndexOf('\n//# sourceMappingURL='));

describe('script or module', () => {
  it('follows Node: module syntax or top-level await make a module, the extension can force either', () => {
    expect(fn('a.ts', 'const x = require("fs");').isModule).toBe(false);
    expect(fn('a.ts', 'export {};').isModule).toBe(true);
    expect(fn('a.js', "import 'x';").isModule).toBe(true);
    expect(fn('a.ts', 'console.log(import.meta.url);').isModule).toBe(true);
    expect(fn('a.ts', 'await Promise.resolve();').isModule).toBe(true);
    expect(fn('a.mts', 'const x = 1;').isModule).toBe(true);
    expect(fn('a.cjs', 'const x = 1;').isModule).toBe(false);
    expect(fn('a.ts', 'async function f() { await 1; }').isModule).toBe(false);
  });

  it('takes what Node decided when the load hook knows it', () => {
    expect(fn('a.js', 'const x = 1;', true).isModule).toBe(true);
    expect(() => fn('a.js', "import 'x';", false)).toThrow(/1:1/);
  });

  it('puts the prologue on the first line, after a hashbang line and a directive prologue', () => {
    const hashbang = body(fn('a.js', '#!/usr/bin/env node\nconst x = 1;').code).split('\n');
    expect(hashbang[0]).toBe('#!/usr/bin/env node');
    expect(hashbang[1]).toMatch(/^const __ls\$T = globalThis\[Symbol\.for\('loopscope\.tracer'\)\].*__ls\$m = __ls\$T\.m\(0\);__ls\$t\(1\); const x = 1;$/);
    expect(hashbang[2]).toBe(';__ls$x(__ls$m);');
    const strict = body(fn('a.js', "'use strict'\nconst y = 2;").code).split('\n');
    expect(strict[0]).toMatch(/^'use strict';const __ls\$T = /); // still the directive: the file stays strict
    expect(strict[1]).toBe('__ls$t(1); const y = 2;');
  });

  it('leaves import, export, import() and import.meta as written', () => {
    const text = "import a from './a.ts';\nexport { b } from './b.ts';\nexport const c = await import('./c.ts');\nconsole.log(import.meta.url, a);";
    const code = body(fn('m.ts', text).code);
    for (const piece of ["import a from './a.ts';", "export { b } from './b.ts';", "export const c = __ls$r(0, await __ls$u(0,  import('./c.ts'), 0), 0);", 'console.log(import.meta.url, a);']) {
      expect(code).toContain(piece);
    }
  });
});

describe('instrumented modules run as modules', () => {
  it('a module may declare the names CommonJS passes its wrapper (there is no wrapper)', async () => {
    const { output } = await runNative('const require = 1, exports = 2, module = 3;\nlog(require, exports, module, typeof __filename);\nexport {};');
    expect(output).toEqual(['1 2 3 undefined']);
  });

  it('a script gets exactly what Node gives a CommonJS module: this, arguments, require', async () => {
    const { output, result } = await runNative("log(this === module.exports, arguments.length, typeof require('node:fs').readFileSync, __filename.endsWith('main.cjs'));", { path: 'c.js' });
    expect(result.isModule).toBe(false);
    expect(output).toEqual(['true 5 function true']);
  });

  it('untraced files only lose their types', async () => {
    const { output, events, result } = await runNative("const n: number = 2;\nexport const v = n + 1;\nlog(v, typeof import.meta.url);", { traced: false });
    expect(result.code).not.toContain('__ls$');
    expect(output).toEqual(['3 string']);
    expect(events).toEqual([]);
  });
});
