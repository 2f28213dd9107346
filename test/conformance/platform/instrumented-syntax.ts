/**
 * Platform conformance: the syntax the instrumentation rewrites must keep its meaning (function bodies wrapped in
 * try/finally, awaits and yields wrapped, statement markers, hoisted declarations, directives kept first, ASI). Each
 * program prints through `log` (console.log) and is compared with plain node at function and statement level.
 */
import type { PlatformCase } from '../platform-cases.ts';

/** The first line of every program: where they print through. */
const LOG = 'const log = (...args) => console.log(...args);\n';

function program(name: string, entry: string, code: string, files?: PlatformCase['files']): PlatformCase {
  return { name: `instrumented: ${name}`, entry, code: LOG + code, ...(files ? { files } : {}) };
}

const LIB = [{ path: 'lib.mjs', text: "export default 'D';\nexport const named = 'N', other = 'O';\n" }];

export const INSTRUMENTED_SYNTAX_CASES: readonly PlatformCase[] = [
  program('private fields, private methods, static blocks, static private', 'main.ts', `class Counter {
  #count: number = 0;
  static #instances = 0;
  static created: number;
  static { Counter.created = 0; log('static block ran'); }
  constructor(start: number) { this.#count = start; Counter.#instances++; Counter.created++; }
  #bump(by: number) { this.#count += by; return this; }
  inc() { return this.#bump(1); }
  get value() { return this.#count; }
  static get instances() { return Counter.#instances; }
  static has(o: object) { return #count in o; }
}
const c = new Counter(5).inc().inc();
log(c.value, Counter.instances, Counter.created, Counter.has(c), Counter.has({}));
`),
  program('super in methods, async methods and arrows inside methods', 'main.ts', `class Base { greet(x: string) { return 'base ' + x; } async later(x: string) { return 'later ' + x; } static kind() { return 'B'; } }
class Derived extends Base {
  greet(x: string) { const f = () => super.greet(x + '!'); return f(); }
  async later(x: string) { const a = await super.later(x); return a.toUpperCase() + (await Promise.resolve(super.greet('y'))); }
  static kind() { return super.kind() + 'D'; }
}
const d = new Derived();
log(d.greet('a'), Derived.kind());
d.later('z').then((v) => log(v));
const obj = { __proto__: { hi() { return 'proto hi'; } }, hi() { return 'own+' + super.hi(); } };
log(obj.hi());
`),
  program('default parameters that reference earlier parameters and call functions', 'main.ts', `let calls = 0;
function next() { return ++calls; }
function f(a: number, b = a * 2, c = next() + b, d = () => a + b + c) { return [a, b, c, d()]; }
log(f(1), f(2, 3), f(4, undefined, 10), calls);
const g = (x = next(), { y = x + 1, z = [x, y] } = {}) => [x, y, z];
log(g(), g(7, { y: 1 }));
`),
  program('destructured parameters with defaults and rest', 'main.ts', `function f({ a, b: { c = 3 } = {}, ...rest }: any, [x, , y = 9, ...more]: number[] = []) { return { a, c, rest, x, y, more }; }
log(f({ a: 1, k: 2 }, [1, 2]));
log(f({ a: 1, b: { c: 4 } }, [1, 2, 3, 4, 5]));
const h = ({ p = 1 } = {}, ...args: number[]) => p + args.length;
log(h(), h({ p: 5 }, 1, 2), h.length, f.length);
`),
  program('arguments object, including sloppy-mode mapping', 'main.js', `function sloppy(a) { arguments[0] = 99; return [a, arguments.length]; }
function strict(a) { 'use strict'; arguments[0] = 99; return [a, arguments.length]; }
function outer() { const inner = () => arguments[1]; return inner('no'); }
log(sloppy(1, 2), strict(1, 2), outer('x', 'y'));
function sum() { let t = 0; for (const v of arguments) t += v; return t; }
log(sum(1, 2, 3));
`),
  program('new.target and constructors', 'main.ts', `function F(this: any) { if (!new.target) return 'called'; this.made = true; }
class A { kind: string; constructor() { this.kind = new.target.name; } }
class B extends A { constructor() { super(); } }
log((F as any)(), JSON.stringify(new (F as any)()), new A().kind, new B().kind);
class R { constructor() { return { replaced: true }; } }
log(new R());
`),
  program('this in arrows, class field arrows, bound methods', 'main.ts', `class Btn { label = 'ok'; onClick = () => this.label; method() { return [1].map(() => this.label)[0]; } }
const b = new Btn();
const { onClick } = b;
log(onClick(), b.method());
const o = { v: 1, get() { return (() => (() => this.v)())(); } };
log(o.get());
function plain(this: any) { return () => this; }
log(plain.call('t')() === 't' || typeof plain.call('t')());
`),
  program('labels with break and continue', 'main.ts', `const out: string[] = [];
outer: for (let i = 0; i < 4; i++) {
  inner: for (let j = 0; j < 4; j++) {
    if (j === 1) continue inner;
    if (j === 3) continue outer;
    if (i === 2) break outer;
    out.push(i + ':' + j);
  }
}
block: { out.push('in block'); if (out.length) break block; out.push('never'); }
let n = 0;
loop: while (true) { do { n++; if (n > 3) break loop; } while (true); }
log(out.join(','), n);
`),
  program('getters and setters on classes and objects', 'main.ts', `class Temp { #c = 0; get f() { return this.#c * 9 / 5 + 32; } set f(v: number) { this.#c = (v - 32) * 5 / 9; } static get zero() { return new Temp(); } }
const t = Temp.zero; t.f = 212; log(t.f);
const o = { _x: 1, get x() { return this._x; }, set x(v) { this._x = v * 10; }, get ['comp' + 'uted']() { return 'c'; } };
o.x = 2; log(o.x, o.computed, Object.getOwnPropertyDescriptor(o, 'x')!.get!.name);
`),
  program('tagged templates keep the same strings object per call site', 'main.ts', `const seen: unknown[] = [];
function tag(strings: TemplateStringsArray, ...values: unknown[]) { seen.push(strings); return strings.raw.join('|') + values.join(','); }
function use(v: number) { return tag\`a\${v}b\\n\${v + 1}c\`; }
log(use(1), use(2), seen[0] === seen[1]);
const nested = (s: TemplateStringsArray) => (t: TemplateStringsArray) => s[0] + t[0];
log(nested\`x\`\`y\`);
`),
  program('try/finally with returns, throws and overriding finally', 'main.ts', `function a() { try { return 'try'; } finally { log('finally a'); } }
function b() { try { throw new Error('boom'); } catch (e) { return 'caught ' + (e as Error).message; } finally { log('finally b'); } }
function c() { try { return 'try'; } finally { return 'finally wins'; } }
function d(): string { for (const x of [1, 2]) { try { if (x === 1) continue; return 'ret ' + x; } finally { log('fin ' + x); } } return 'end'; }
function e() { try { try { throw 1; } finally { log('inner'); } } catch (x) { return 'outer ' + x; } }
log(a(), b(), c(), d(), e());
`),
  program('"use strict" directives in functions', 'main.js', `function sloppyThis() { return typeof this; }
function strictThis() { "use strict"; return typeof this; }
function strictNoSemi() { 'use strict'
  return typeof this }
const arrowStrict = () => { 'use strict'; return typeof this; };
log(sloppyThis(), strictThis(), strictNoSemi(), arrowStrict());
function assignUndeclared() { 'use strict'; try { undeclared = 1; } catch (e) { return e.name; } }
log(assignUndeclared());
`),
  program('generators: next values, return() and throw() run finally blocks', 'main.ts', `function* gen(): Generator<number, string, number> {
  try { const x = yield 1; log('got', x); const y = yield x + 1; log('got', y); return 'done'; }
  finally { log('gen finally'); }
}
const g1 = gen(); log(JSON.stringify(g1.next()), JSON.stringify(g1.next(10)), JSON.stringify(g1.next(20)), JSON.stringify(g1.next()));
const g2 = gen(); g2.next(); log(JSON.stringify(g2.return('early')));
const g3 = gen(); g3.next(); try { g3.throw(new Error('thrown in')); } catch (e) { log('rethrown', (e as Error).message); }
function* catcher() { while (true) { try { yield 'waiting'; } catch (e) { log('caught', e); } } }
const g4 = catcher(); g4.next(); log(JSON.stringify(g4.throw('x')));
const unstarted = gen(); log(JSON.stringify(unstarted.return('never ran')));
`),
  program('yield* delegation, bare yield and yield precedence', 'main.ts', `function* inner() { const r = yield 'i1'; yield 'i2:' + r; return 'inner-result'; }
function* outer() { const v = yield* inner(); log('delegate returned', v); yield; const w = yield 1 + 2; yield [w, yield* [7, 8]]; }
const it = outer(); const seen: unknown[] = [];
for (let r = it.next(), i = 0; !r.done; r = it.next('n' + i++)) seen.push(r.value);
log(JSON.stringify(seen));
`),
  program('async arrow functions and await ordering against microtasks', 'main.ts', `const order: string[] = [];
const a = async () => { order.push('a1'); await null; order.push('a2'); await undefined; order.push('a3'); };
const b = async (x: number) => x * 2;
Promise.resolve().then(() => order.push('p1')).then(() => order.push('p2')).then(() => order.push('p3'));
a();
queueMicrotask(() => order.push('qm'));
(async () => { order.push('b' + await b(2)); })();
order.push('sync');
setTimeout(() => log(order.join(' ')), 0);
`),
  program('await of thenables, rejections, await in catch/finally and nested awaits', 'main.ts', `const thenable = { then(res: (v: string) => void) { res('thenable'); } };
async function f() {
  const t = await thenable;
  try { await Promise.reject(new Error('nope')); } catch (e) { log('caught', (e as Error).message, await Promise.resolve('in catch')); }
  finally { log('finally', await 'in finally'); }
  return t + (await (await Promise.resolve(Promise.resolve('!'))));
}
f().then((v) => log('result', v));
async function g() { throw new Error('async throw'); }
g().catch((e) => log('rejected', e.message));
(async () => log('sequence', await 1, await 2, (await [3])[0]))();
`),
  program('async generators with for await, break calling return()', 'main.ts', `async function* ticks(n: number) { try { for (let i = 0; i < n; i++) { await null; yield i; } } finally { log('ticks finally'); } }
async function main() {
  const seen: number[] = [];
  for await (const t of ticks(5)) { if (t === 3) break; seen.push(t); }
  log('seen', seen.join(','));
  outer: for await (const t of ticks(3)) { for (const u of [1, 2]) { if (t === 1) continue outer; seen.push(t * 10 + u); } }
  log('seen2', seen.join(','));
  for await (const v of [Promise.resolve('p'), 'plain']) log('sync iterable', v);
  if (seen.length) for await (const v of ticks(1)) log('braceless', v);
  return 'main done';
}
main().then(log);
`),
  program('object methods with computed keys, symbols and async/generator methods', 'main.ts', `const key = 'dyn';
const o = {
  [key + 'Method']() { return 'computed'; },
  [Symbol.iterator]: function* () { yield 1; yield 2; },
  async ['as' + 'ync']() { return 'async method'; },
  *gen() { yield 'g'; },
  'quoted key'() { return 'quoted'; },
  123() { return 'numeric'; },
};
log(o.dynMethod(), [...o].join(), [...o.gen()].join(), o['quoted key'](), o[123](), o.dynMethod.name);
o.async().then(log);
`),
  program('optional chaining, optional calls and nullish operators', 'main.ts', `const o: any = { a: { b: () => 'called', n: null }, arr: [1] };
log(o?.a?.b?.(), o.x?.y.z, o.a.n?.foo, o.a.missing?.(), o.arr?.[0], (o.a?.b)(), o.q ?? 'dflt');
let v: any = null; v ??= () => 'assigned'; log(v());
async function f(p: any) { return (await p)?.deep?.value ?? 'none'; }
f(Promise.resolve({ deep: { value: 'v' } })).then(log);
`),
  program('class expressions, names and inheritance from expressions', 'main.ts', `const Anon = class { m() { return 'anon'; } };
const Named = class Inner { who() { return Inner.name; } };
const mixin = (B: any) => class extends B { mixed() { return 'mixed ' + super.m(); } };
const M = mixin(Anon);
log(Anon.name, new Named().who(), Named.name, new M().mixed(), typeof class {});
const fns = { arrow: () => 1, fn: function () {}, named: function inner() {} };
log(fns.arrow.name, fns.fn.name, fns.named.name);
`),
  program('hoisted function declarations called before they are declared', 'main.ts', `log(early(2), typeof later);
function early(x: number): number { return helper(x) + 1; function helper(y: number) { return y * 10; } }
var later = function () {};
{ log(inBlock()); function inBlock() { return 'block fn'; } }
function outer() { return inner(); function inner() { return 'inner hoisted'; } }
log(outer());
`),
  program('var hoisting, TDZ and closures in loops', 'main.ts', `function f() { log(typeof x, x); var x = 1; if (true) { var y = 2; } log(x, y); }
f();
try { (() => { log(z); let z = 1; })(); } catch (e) { log((e as Error).name); }
const fns: (() => number)[] = [];
for (let i = 0; i < 3; i++) fns.push(() => i);
for (var j = 0; j < 3; j++) fns.push(() => j);
log(fns.map((g) => g()).join());
`),
  program('a var and a function declaration with the same name in one function', 'main.js', `function f() { var g; log(typeof g); function g() { return 'fn'; } g = 'reassigned'; return g; }
function h(flag) { if (flag) { var k = 1; } function k() {} return typeof k; }
function dup() { function d() { return 1; } function d() { return 2; } return d(); }
log(f(), h(true), h(false), dup());
`),
  program('expression-bodied arrows: objects, sequences, conditionals, curried', 'main.ts', `const obj = () => ({ a: 1 });
const seq = (x: number) => (x++, x * 2);
const cond = (x: number) => x > 0 ? 'pos' : x < 0 ? 'neg' : 'zero';
const curry = (a: number) => (b: number) => (c: number) => a + b + c;
const comment = (x: number) /* => not here */ => /* nor => here */ x + 1;
const noSpace=()=>1;
const withParens = (x: number): number => (((x)));
log(JSON.stringify(obj()), seq(1), cond(0), cond(-2), curry(1)(2)(3), comment(1), noSpace(), withParens(4));
`),
  program('function names and lengths are unchanged', 'main.ts', `const arrow = (a: number, b: number) => a + b;
function decl(a: number, b = 2, ...c: number[]) { return a; }
const o = { method(x: number) { return x; }, get g() { return 1; } };
class K { static s() {} m(a: number, b: number, c: number) {} }
log(arrow.name, arrow.length, decl.name, decl.length, o.method.name, K.s.name, K.prototype.m.length, new K().m.name);
`),
  program('exceptions propagate through many frames and are caught', 'main.ts', `function level(n: number): number { if (n === 0) throw new RangeError('bottom'); return level(n - 1) + 1; }
function safe(n: number) { try { return level(n); } catch (e) { return (e as Error).name + ':' + (e as Error).message; } }
log(safe(5), safe(0));
const fib = (n: number): number => n < 2 ? n : fib(n - 1) + fib(n - 2);
log(fib(15));
`),
  program('switch with lexical declarations, fallthrough and returns', 'main.ts', `function s(x: number) {
  switch (x) {
    case 1: { const r = 'one'; return r; }
    case 2: let y = 'two';
    case 3: return 'fell ' + (x === 2 ? y! : 'three');
    default: return 'other';
  }
}
log(s(1), s(2), s(3), s(4));
`),
  program('code without semicolons (ASI) stays valid', 'main.js', `let a = 1
let b = a
;[a, b] = [b + 1, a + 2]
const f = () => a
const g = async () => await f()
log(a, b, f())
g().then(v => log('g', v))
function* gen() { const x = yield
  yield x }
const it = gen(); it.next(); log(it.next('sent').value)
let c = a
++c
log(c)
`),
  program('await inside expressions of every kind', 'main.ts', `async function f(x: number) { return x; }
async function main() {
  const arr = [await f(1), ...(await Promise.resolve([2, 3]))];
  const obj = { [await f(4)]: await f(5), s: \`t\${await f(6)}\` };
  const cond = (await f(0)) ? 'yes' : await f(7);
  const chained = (await Promise.resolve({ v: { w: 8 } })).v?.w;
  let sum = 0; for (let i = await f(0); i < (await f(3)); i += await f(1)) sum += i;
  const typed = typeof await f(9);
  return [arr, obj, cond, chained, sum, typed, -(await f(1)), !(await f(0))];
}
main().then((v) => log(JSON.stringify(v)));
`),
  program('top-level await in a module', 'main.ts', `export const before = 'b';
log('start');
const v = await Promise.resolve('awaited');
log(v);
for await (const x of [1, Promise.resolve(2)]) log('tla loop', x);
setTimeout(() => log('timer'), 0);
log(await new Promise((r) => setTimeout(() => r('after timer'), 0)));
`),
  program('module syntax: imports, exports and import.meta', 'main.ts', `log(typeof helper, renamed);
import def, { named as renamed, other } from './lib.mjs';
import * as ns from './lib.mjs';
export function helper() { return 'helper'; }
export const exportedLater = 'value';
export default class Thing {}
log(def, renamed, other, ns.named, import.meta.url);
export { renamed as again };
`, LIB),
  program('classes with static inheritance, accessors and symbol methods', 'main.ts', `class A { static create() { return new this(); } static tag = 'A'; toString() { return 'A!'; } get [Symbol.toStringTag]() { return 'TagA'; } }
class B extends A { static tag = super.tag + 'B'; toString() { return 'B<' + super.toString() + '>'; } }
log(String(B.create()), B.tag, Object.prototype.toString.call(new B()), B.create() instanceof B);
`),
  program('async iteration protocol by hand and Promise combinators', 'main.ts', `const delay = (v: string) => new Promise<string>((r) => setTimeout(() => r(v), 0));
async function main() {
  log(await Promise.all([delay('a'), 'b', delay('c')]));
  log(await Promise.race([delay('slow'), Promise.resolve('fast')]));
  const settled = await Promise.allSettled([Promise.reject(new Error('x')), delay('ok')]);
  log(settled.map((s) => s.status).join());
  const iter = { [Symbol.asyncIterator]() { let i = 0; return { next: async () => ({ done: i >= 2, value: i++ }), return: async () => { log('return called'); return { done: true, value: undefined }; } }; } };
  for await (const v of iter) { log('v', v); if (v === 1) break; }
}
main();
`),
];
