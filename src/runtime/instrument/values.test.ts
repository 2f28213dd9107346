// Value sites in runtime v2 files (values.ts): what the rewrite calls, that each wrapped expression still evaluates
// to what it did, once, in source order, and that files without shared memory or watch markers pay nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { uninstrument } from '../process/uninstrument.ts';
import { TRACER_GLOBAL, instrumentNative } from './index.ts';
import { watchedNames, watchMarkerIssues } from '../../shared/lesson/watch-markers.ts';

type Call = [string, ...unknown[]];
let calls: Call[] = [];
const KEY = Symbol.for(TRACER_GLOBAL);

/** Instruments `text` as a v2 CommonJS file and runs it with a recording tracer; returns what it left in `out`. */
function run(text: string): { code: string; out: unknown } {
  const { code } = instrumentNative({ path: 'main.js', text }, { mode: 'function', frameIdBase: 100, asModule: false });
  calls = [];
  const g = globalThis as unknown as Record<symbol, unknown>;
  g[KEY] = {
    e: () => 1, x: () => {}, u: (_s: number, v: unknown) => v, r: (_s: number, v: unknown) => v, t: () => {}, m: () => 1,
    v: (name: string, value: unknown) => { calls.push(['v', name, value]); return value; },
    p: (name: string, result: unknown, now: unknown) => { calls.push(['p', name, now]); return result; },
    n: (name: string, value: unknown) => { calls.push(['n', name, value?.constructor?.name]); return value; },
    w: (o: Record<PropertyKey, unknown>, k: PropertyKey, v: unknown, name: string) => { calls.push(['w', name, k, v]); o[k] = v; return v; },
    W: (o: Record<PropertyKey, unknown>, k: PropertyKey, v: unknown, name: string) => { calls.push(['W', name, k, v]); o[k] = v; return v; },
  };
  const box: { out?: unknown } = {};
  new Function('box', code)(box);
  return { code, out: box.out };
}

afterEach(() => {
  delete (globalThis as unknown as Record<symbol, unknown>)[KEY];
});

describe('watched bindings (// @watch)', () => {
  it('records every assignment with the value the binding now holds, and the program computes the same', () => {
    const { out } = run([
      '// @watch balance',
      'let balance = 0;',
      'balance = balance + 5;',
      'balance += 2;',
      'const old = balance++;',
      '++balance;',
      'const f = () => balance = 1;',
      'const r = f();',
      'let other = 3; other = 4;',
      'box.out = [balance, old, r, other];',
    ].join('\n'));
    expect(out).toEqual([1, 7, 1, 4]);
    expect(calls).toEqual([['v', 'balance', 0], ['v', 'balance', 5], ['v', 'balance', 7], ['p', 'balance', 8], ['p', 'balance', 9], ['v', 'balance', 1]]);
  });

  it('keeps a watched function’s inferred name and a sequence value whole', () => {
    const { out } = run('// @watch fn, x\nlet fn = function () {};\nlet x = (1, 2);\nbox.out = [fn.name, x];');
    expect(out).toEqual(['fn', 2]);
    expect(calls).toEqual([['v', 'x', 2]]); // a function initializer is not a value to watch (and would lose its name)
  });

  it('reads names from comments and reports bad markers', () => {
    expect([...watchedNames('// @watch a, b\n  //@watch c d\n// @watch 9x')]).toEqual(['a', 'b', 'c', 'd']);
    expect(watchMarkerIssues([{ path: 'main.ts', text: 'x\n// @watch\n// @watch 9x' }])).toEqual([
      { path: 'main.ts:2', message: 'a watch marker names no variable: // @watch balance' },
      { path: 'main.ts:3', message: '"9x" is not a variable name (// @watch balance, total)' },
    ]);
  });
});

describe('named creations and shared element writes', () => {
  it('names locks and typed arrays by their variable, and routes element writes in shared-memory files', () => {
    const { out } = run([
      'const sab = new SharedArrayBuffer(8);',
      'const view = new Int32Array(sab);',
      'class Mutex {}',
      'const accountLock = new Mutex();',
      'const plain = [0, 0];',
      'let i = 0;',
      'view[i++] = (1, 2);',
      'plain[1] = 5;',
      'box.out = [view[0], i, plain[1], Atomics.load(view, 0)];',
    ].join('\n'));
    expect(out).toEqual([2, 1, 5, 2]);
    expect(calls).toEqual([['n', 'view', 'Int32Array'], ['n', 'accountLock', 'Mutex'], ['W', 'view', 0, 2]]);
  });

  it('uses the strict write in strict code (a failed write throws there, as in the original)', () => {
    const { code } = run('"use strict";\nconst workerData = {};\nconst v = new Uint8Array(new SharedArrayBuffer(1));\nv[0] = 1;');
    expect(code).toContain('__ls$w(v, (0), ( 1), "v")');
  });

  it('leaves element writes alone in files that use no shared memory (fib-style hot paths pay nothing)', () => {
    const text = 'function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }\nconst memo = new Int32Array(10);\nfor (let k = 0; k < 10; k++) memo[k] = fib(k);\nbox.out = memo[9];';
    const { code, out } = run(text);
    expect(out).toBe(34);
    expect(code).not.toMatch(/__ls\$[wWvp]\(/);
    expect(calls).toEqual([['n', 'memo', 'Int32Array']]); // one call at creation, none per write
  });

  it('Function.prototype.toString can undo every value rewrite', () => {
    const source = 'function deposit(view, amount) {\n  balance = balance + amount;\n  balance++;\n  const lock = new Mutex();\n  view[0] = balance;\n}';
    const { code } = run(`// @watch balance\nlet balance = 0;\nclass Mutex {}\nconst Atomics_ = 'SharedArrayBuffer';\n${source}`);
    const fn = code.slice(code.indexOf('function deposit'), code.lastIndexOf('}', code.indexOf('\n;__ls$x')) + 1);
    expect(fn).toContain('__ls$');
    expect(uninstrument(fn)).toBe(source);
  });
});
