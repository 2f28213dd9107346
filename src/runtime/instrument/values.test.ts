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
    k: (args: unknown[], rest?: unknown[]) => { calls.push(rest === undefined ? ['k', ...args] : ['k', ...args, rest]); return 7; },
    K: (token: number, result: unknown) => { calls.push(['K', token]); return result; },
    w: (o: Record<PropertyKey, unknown>, k: PropertyKey, v: unknown, name: string) => { calls.push(['w', name, k, v]); o[k] = v; return v; },
    W: (o: Record<PropertyKey, unknown>, k: PropertyKey, v: unknown, name: string) => { calls.push(['W', name, k, v]); o[k] = v; return v; },
    ...Object.fromEntries(['c', 'C'].map((f) => [f, (o: Record<PropertyKey, number>, k: PropertyKey, op: string, rhs: () => number, name: string) => {
      const old = o[k]!;
      const next = op === 'x++' || op === '++x' ? old + 1 : op === 'x--' || op === '--x' ? old - 1 : op === '+=' ? old + rhs() : NaN;
      calls.push([f, name, k, op, next]);
      o[k] = next;
      return op[0] === 'x' ? old : next;
    }])),
    o: (target: { constructor?: { name?: string } }, name: string, arg: unknown, site: number) => { calls.push(['o', name, target?.constructor?.name, site]); return arg; },
    q: (base: Record<PropertyKey, unknown>, key: PropertyKey | PropertyKey[], name: string, arg: unknown, site: number) => {
      const target = (Array.isArray(key) ? key : [key]).reduce((o: unknown, k) => (o as Record<PropertyKey, unknown>)[k], base) as { constructor?: { name?: string } } | undefined;
      calls.push(['q', name, target?.constructor?.name, site]);
      return arg;
    },
    g: (view: { constructor?: { name?: string } }, site: number) => { calls.push(['g', view?.constructor?.name, site]); return view; },
    a: (arg: unknown, site: number, k: number) => { calls.push(['a', k, arg, site]); return arg; },
    O: (result: unknown, site: number, method?: string) => { calls.push(['O', site, method]); return result; },
    A: (result: { constructor?: { name?: string } }) => { calls.push(['A', result?.constructor?.name]); return result; },
    y: (arg: { constructor?: { name?: string } }, _site: number, k: number, last?: number) => { calls.push(['y', k, typeof arg === 'object' ? arg?.constructor?.name : arg, ...(last === undefined ? [] : [last])]); return arg; },
    Y: (result: unknown, _site: number, op: string) => { calls.push(['Y', op, result]); return result; },
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
    expect(calls).toEqual([['n', 'view', 'Int32Array'], ['n', 'accountLock', 'Mutex'], ['W', 'view', 0, 2], ['y', 0, 'Int32Array'], ['y', 1, 0], ['Y', 'load', 2]]);
  });

  it('records Atomics calls around the lesson\'s own call: each argument once, in order, the wait before it blocks', () => {
    const source = [
      'function step(view, i) {',
      '  Atomics.add(view, i, 5);',
      '  const old = Atomics.compareExchange(view, i, 5, Atomics.load(view, i) + 2);',
      '  return [old, Atomics.wait(view, i, 0, 0), Atomics.notify(view, i)];',
      '}',
    ].join('\n');
    const { code, out } = run(`const view = new Int32Array(new SharedArrayBuffer(8));\n${source}\nconst { load } = Atomics;\nbox.out = [step(view, 1), load(view, 1)];`);
    expect(out).toEqual([[5, 'not-equal', 0], 7]);
    expect(calls).toEqual([
      ['n', 'view', 'Int32Array'],
      ['y', 0, 'Int32Array'], ['y', 1, 1], ['y', 2, 5], ['Y', 'add', 0],
      ['y', 0, 'Int32Array'], ['y', 1, 1], ['y', 2, 5], ['y', 0, 'Int32Array'], ['y', 1, 1], ['Y', 'load', 5], ['y', 3, 7], ['Y', 'compareExchange', 5],
      ['y', 0, 'Int32Array'], ['y', 1, 1], ['y', 2, 0], ['y', 3, 0, 1], ['Y', 'wait', 'not-equal'], // `, 1`: the wait is recorded before it blocks
      ['y', 0, 'Int32Array'], ['y', 1, 1], ['Y', 'notify', 0],
    ]); // `load` reached another way is not recorded
    const fn = code.slice(code.indexOf('function step'), code.indexOf('\n__ls$t(', code.indexOf('function step')));
    expect(fn).toContain('__ls$Y(Atomics.add(__ls$y(');
    expect(uninstrument(fn)).toBe(source);
  });

  it('routes element updates and compound assignments, evaluating the key once and the value after the read', () => {
    const { out } = run([
      'const view = new Int32Array(new SharedArrayBuffer(16));',
      'let i = 0;',
      'const a = view[i++]++;',
      'const b = ++view[0];',
      'const c = view[1] += (view[1] = 5, 2);',
      'async function f() { view[2] += await 3; }',
      'box.out = [a, b, c, i, view[0], view[1]];',
    ].join('\n'));
    // view[1] is read (0) before the right side writes 5 into it: 0 + 2, as in plain JavaScript
    expect(out).toEqual([0, 2, 2, 1, 2, 2]);
    expect(calls.filter((c) => c[0] === 'C')).toEqual([['C', 'view', 0, 'x++', 1], ['C', 'view', 0, '++x', 2], ['C', 'view', 1, '+=', 2]]);
  });

  it('leaves a compound assignment holding an await alone (its value cannot become a closure)', () => {
    const { code } = run('const view = new Int32Array(new SharedArrayBuffer(4));\nasync function f() { view[0] += await 1; }');
    expect(code).toContain('view[0] += ');
    expect(code).not.toContain('__ls$C(view');
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

  it('routes element writes through member chains (this.view[i], obj.arr[i]++, grid[i][j], this.#cells[k] += x)', () => {
    const { code, out } = run([
      'const sab = new SharedArrayBuffer(16);',
      'class Box { #cells = new Int32Array(sab); constructor() { this.view = new Int32Array(sab); }',
      '  poke(i) { this.view[i] = 7; this.#cells[i + 1] += 2; return this.#cells[i + 1]; } }',
      'const obj = { arr: new Int32Array(sab) };',
      'const grid = [obj.arr];',
      'const r = new Box().poke(0);',
      'obj.arr[2]++;',
      'grid[0][3] = -5;',
      'obj . arr[0] = 9;', // spaces in the chain: left as written (uninstrument could not find its text again)
      'box.out = [r, Array.from(obj.arr)];',
    ].join('\n'));
    expect(out).toEqual([2, [9, 2, 1, -5]]);
    expect(calls.filter((c) => c[0] !== 'n')).toEqual([['W', 'view', 0, 7], ['C', 'cells', 1, '+=', 2], ['C', 'arr', 2, 'x++', 1], ['W', 'grid', 3, -5]]);
    expect(code).toContain('obj . arr[0] = 9');
  });

  it('routes the writing TypedArray methods (set, fill, copyWithin, sort, reverse) and leaves the calls the lesson’s own', () => {
    const { code, out } = run([
      'const view = new Int32Array(new SharedArrayBuffer(16));',
      'const holder = { view };',
      'const views = [view];',
      'const m = new Map();',
      'class C { constructor() { this.view = view; } clear() { this.view.fill(0, 3); } }',
      'view.set([4, 3, 2], 1);',
      'views[0].copyWithin(0, 3);',
      'holder.view.reverse();',
      'view.subarray(0, 2).sort();',
      'new C().clear();',
      'm.set("a", 1);',
      'view.set(...[[8], 0]);',
      'let message = "";',
      'try { holder.fill(1); } catch (e) { message = e.message; }',
      'box.out = [Array.from(view), m.get("a"), message];',
    ].join('\n'));
    expect(out).toEqual([[8, 3, 4, 0], 1, 'holder.fill is not a function']); // V8 still quotes the callee as written
    expect(code).toContain('__ls$O(view.set(__ls$o(view, "view", [4, 3, 2], ');
    expect(calls.filter((c) => c[0] !== 'n').map((c) => c.slice(0, 3))).toEqual([
      ['o', 'view', 'Int32Array'], ['a', 1, 1], ['O', expect.any(Number), 'set'],
      ['q', 'views', 'Int32Array'], ['a', 1, 3], ['O', expect.any(Number), 'copyWithin'],
      ['A', 'Int32Array'], ['A', 'Int32Array'],
      ['q', 'view', 'Int32Array'], ['a', 1, 3], ['O', expect.any(Number), 'fill'],
      ['o', 'm', 'Map'], ['a', 1, 1], ['O', expect.any(Number), 'set'],
      ['o', 'view', 'Int32Array'], ['O', expect.any(Number), ''], // a spread: which argument is which is unknown
    ]); // holder.fill(1): holder is bound to an object literal, so its call is left alone

    const sites = calls.filter((c) => c[0] === 'o' || c[0] === 'q' || c[0] === 'O');
    for (let i = 0; i + 1 < sites.length; i += 2) expect(sites[i]![3]).toBe(sites[i + 1]![1]); // o/q and O paired by site
  });

  it('routes method writes on longer chains, call results and borrowed methods, each argument once and in order', () => {
    const { code, out } = run([
      'const view = new Int32Array(new SharedArrayBuffer(16));',
      'const a = { b: { c: view } };',
      'const grid = [[view]];',
      'let got = 0;',
      'function getView() { got++; return view; }',
      'let i = 0, j = 0;',
      'a.b.c.fill(1, 2);',
      'grid[i][j].set([5], 3);',
      'getView().fill(7, 0, 1);',
      'getView().set([9]);', // set returns undefined: nothing to find the view by, so left as written
      'Int32Array.prototype.set.call(view, [6], 1);',
      'Int32Array.prototype.fill.apply(view, [4, 2, 3]);',
      'let reads = 0;',
      'class Cells { #cells = view; get #other() { reads++; return view; } put() { this.#cells.set([8], 2); this.#other.set([5], 3); } }',
      'new Cells().put();',
      'let message = "";',
      'try { getView().nope.fill(1); } catch (e) { message = e.message; }',
      'box.out = [Array.from(view), got, reads, message];',
    ].join('\n'));
    expect(out).toEqual([[9, 6, 8, 5], 3, 1, "Cannot read properties of undefined (reading 'fill')"]);
    expect(calls.filter((c) => c[0] !== 'n').map((c) => c.slice(0, 3))).toEqual([
      ['q', 'c', 'Int32Array'], ['a', 1, 2], ['O', expect.any(Number), 'fill'],
      ['q', 'grid', 'Int32Array'], ['a', 1, 3], ['O', expect.any(Number), 'set'],
      ['a', 0, 7], ['a', 1, 0], ['a', 2, 1], ['O', expect.any(Number), 'fill'],
      ['g', 'Int32Array', expect.any(Number)], ['a', 0, [6]], ['a', 1, 1], ['O', expect.any(Number), 'set'],
      ['g', 'Int32Array', expect.any(Number)], ['a', 0, [4, 2, 3]], ['O', expect.any(Number), 'fill'],
      ['o', 'cells', 'Int32Array'], ['a', 1, 2], ['O', expect.any(Number), 'set'],
    ]); // this.#other (an accessor: read twice it would run twice) and getView().nope.fill(1) (threw first): no hook
    const cls = code.slice(code.indexOf('class Cells'), code.indexOf('\n', code.indexOf('class Cells')));
    expect(cls).toContain('__ls$o(this.#cells, "cells", [8], ');
    expect(uninstrument(cls)).toBe('class Cells { #cells = view; get #other() { reads++; return view; } put() { this.#cells.set([8], 2); this.#other.set([5], 3); } }');
    expect(code).toContain('__ls$q(a, ["b","c"], "c", 1, ');
    expect(code).toContain('__ls$q(grid, [i,j], "grid", [5], ');
  });

  it('Function.prototype.toString undoes the member-chain and method-call rewrites', () => {
    const source = [
      'function step(views, i) {',
      '  this.view[i] = 1;',
      '  views[0][i]++;',
      '  this.cells[i] += f(a, (b));',
      '  views[0].fill(f(1, 2), 0, 1);',
      '  this.view.set(...[[1], 2]);',
      '  view.set([3], 1).x;',
      '  view.subarray(0, 2).sort();',
      '  view.fill(1).reverse();',
      '  m.set(k, v);',
      '  vüe.fill(2, 1);',
      '  v\\u0061lue.fill(3, 1);',
      '  a.b.c.fill(g(1), 2);',
      '  grid[i][0].copyWithin(0, 1, 2);',
      '  getView().fill(7, 0, 1).sort((x, y) => y - x);',
      '  Int32Array.prototype.set.call(view, [6], 1);',
      '  Uint8Array.prototype.fill.apply(getView(), [4, 2, 3]);',
      '}',
    ].join('\n');
    const { code } = run(`const view = new Int32Array(new SharedArrayBuffer(16)), m = new Map(), vüe = view, value = view;\n${source}`);
    const fn = code.slice(code.indexOf('function step'), code.lastIndexOf('}', code.indexOf('\n;__ls$x')) + 1);
    expect(fn).toContain('__ls$O(');
    expect(fn).toContain('__ls$A(');
    expect(uninstrument(fn)).toBe(source);
  });

  it('hands a lock call the arguments of the function that makes it, before the call, and drops them after', () => {
    const { out } = run([
      'const order = [];',
      'const lock = { acquire(...a) { order.push("acquire " + a.length + " " + (this === lock)); return "got"; }, runExclusive(f) { order.push("run"); return f(); } };',
      'function depositSafe(who, amount = 1) { return lock.runExclusive(() => who + amount); }',
      'const take = (id, ...more) => lock.acquire(id, more.length);',
      'box.out = [depositSafe("bob", 100), take(3, "x", "y"), order];',
    ].join('\n'));
    expect(out).toEqual(['bob100', 'got', ['run', 'acquire 2 true']]);
    expect(calls).toEqual([['k', 'bob', 100], ['K', 7], ['k', 3, ['x', 'y']], ['K', 7]]);
  });

  it('names no arguments where a parameter is destructured or declared again at the call, in a default, nor at top level', () => {
    const { code, out } = run([
      'const lock = { acquire: (x) => x };',
      'function a({ who }) { return lock.acquire(who); }',
      'function b(who) { { const who = 2; return lock.acquire(who); } }',
      'function c(who) { try { throw 1; } catch (who) { return lock.acquire(who); } }',
      'function d(x = lock.acquire(6), y = 0) { return x + y; }', // in a default, y is not initialized yet
      'box.out = [a({ who: 1 }), b(0), c(0), lock.acquire(4), lock?.acquire(5), d()];',
    ].join('\n'));
    expect(out).toEqual([1, 2, 1, 4, 5, 6]);
    expect(code).not.toContain('__ls$k(');
    expect(calls).toEqual([]);
  });

  it('Function.prototype.toString can undo every value rewrite', () => {
    const source = 'function deposit(view, amount) {\n  balance = balance + amount;\n  balance++;\n  const lock = new Mutex();\n  view[0] = balance;\n  view[1]++;\n  --view[2];\n  view[3] += amount;\n  return lock.acquire(amount);\n}';
    const { code } = run(`// @watch balance\nlet balance = 0;\nclass Mutex {}\nconst Atomics_ = 'SharedArrayBuffer';\n${source}`);
    const fn = code.slice(code.indexOf('function deposit'), code.lastIndexOf('}', code.indexOf('\n;__ls$x')) + 1);
    expect(fn).toContain('__ls$');
    expect(uninstrument(fn)).toBe(source);
  });
});
