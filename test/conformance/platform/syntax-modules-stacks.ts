/**
 * Platform conformance: modern syntax (classes, private fields, static blocks, generators, async generators,
 * using/await using), ES-module live bindings and cycles, Function.prototype.toString of lesson functions, and
 * stack traces (method, constructor, async and native frame names). Compared with plain node.
 */
import type { PlatformCase } from '../platform-cases.ts';

const js = String.raw;

/** Lesson-file frames only: Node's internal frames are left out where a program prints a stack itself. */
const FRAMES = js`function frames(e) { return e.stack.split('\n').filter((l) => l.includes('main.') || !l.startsWith('    at ')).join('\n'); }
`;

export const SYNTAX_CASES: readonly PlatformCase[] = [
  { name: 'syntax: private fields, private methods, #x in obj and static blocks', entry: 'main.js', code: js`class Counter {
  #count = 0;
  static #instances = 0;
  static { Counter.#instances = 100; }
  constructor() { Counter.#instances++; }
  #bump() { return ++this.#count; }
  inc() { return this.#bump(); }
  static has(o) { return #count in o; }
  static get instances() { return Counter.#instances; }
}
const c = new Counter();
c.inc(); console.log(c.inc(), Counter.has(c), Counter.has({}), Counter.instances);
try { Counter.prototype.inc.call({}); } catch (e) { console.log(e.name, e.message); }
` },
  { name: 'syntax: class accessors, super calls, static inheritance and new.target', entry: 'main.js', code: js`class Shape { constructor() { this.kind = new.target.name; } area() { return 0; } static create() { return new this(); } describe() { return this.kind + ' ' + this.area(); } }
class Square extends Shape { constructor(s = 2) { super(); this.s = s; } area() { return this.s ** 2; } describe() { return 'square: ' + super.describe(); } }
console.log(Square.create().describe(), new Shape().describe(), Object.getPrototypeOf(Square) === Shape);
try { Square(); } catch (e) { console.log(e.message); }
` },
  { name: 'syntax: generators with return, throw and yield*', entry: 'main.js', code: js`function* inner() { const x = yield 'inner 1'; console.log('inner got', x); return 'inner result'; }
function* outer() {
  try { const r = yield* inner(); console.log('delegated', r); yield 'outer 2'; }
  finally { console.log('cleanup'); }
}
const g = outer();
console.log(g.next(), g.next('sent'), g.return('early'), g.next());
const h = outer(); h.next();
try { h.throw(new Error('thrown in')); } catch (e) { console.log('came out', e.message); }
console.log([...(function* () { yield 1; yield 2; })()]);
` },
  { name: 'syntax: async generators, for await and early break', entry: 'main.mjs', code: js`async function* ticks() {
  try { for (let i = 0; ; i++) { await new Promise((r) => setTimeout(r, 1)); yield i; } }
  finally { console.log('generator closed'); }
}
for await (const t of ticks()) { console.log('tick', t); if (t === 2) break; }
const ag = ticks();
console.log(await ag.next(), await ag.return('done'), await ag.next());
` },
  { name: 'syntax: iterator helpers and Symbol.asyncIterator on a class', entry: 'main.js', code: js`function* naturals() { let n = 0; while (true) yield n++; }
console.log(naturals().filter((n) => n % 2).map((n) => n * 10).take(3).toArray());
console.log(Iterator.from({ next() { return { done: true }; } }).toArray());
class Feed { async *[Symbol.asyncIterator]() { yield 'a'; yield 'b'; } }
(async () => { for await (const x of new Feed()) console.log('feed', x); })();
` },
  { name: 'syntax: await using disposes asynchronously in reverse order', entry: 'main.mjs', code: js`class Conn { constructor(n) { this.n = n; } async [Symbol.asyncDispose]() { await null; console.log('async dispose', this.n); } }
class File { [Symbol.dispose]() { console.log('sync dispose'); } }
async function work() {
  await using a = new Conn(1);
  using f = new File();
  await using b = new Conn(2);
  console.log('working');
  return 'result';
}
console.log(await work());
` },
  { name: 'syntax: using with a throw gives SuppressedError', entry: 'main.js', code: js`{
  const stack = new DisposableStack();
  stack.defer(() => console.log('deferred 1'));
  stack.defer(() => console.log('deferred 2'));
  stack.dispose();
  console.log(stack.disposed);
}
function f() {
  using r = { [Symbol.dispose]() { throw new Error('dispose failed'); } };
  throw new Error('body failed');
}
try { f(); } catch (e) { console.log(e.constructor.name, e.error.message, e.suppressed.message); }
` },
  { name: 'syntax: destructuring defaults, optional chaining, nullish and logical assignment', entry: 'main.js', code: js`const { a = 1, b: { c = 2 } = {}, ...rest } = { x: 9, y: 8 };
let n = null; n ??= 'set'; let t = 1; t &&= 'and'; let f = 0; f ||= 'or';
console.log(a, c, rest, n, t, f, ({}).p?.q?.(), [1]?.[0], 0 ?? 'no', 1_000_000, 0b101, 0o17, 2n ** 64n);
const [x, , z = 'dz', ...others] = 'abcdef';
console.log(x, z, others, Object.fromEntries([['k', 1]]), 'a-b-c'.replaceAll('-', '+'), [1, 2, 3].at(-1), Object.hasOwn({ q: 1 }, 'q'));
` },
  { name: 'syntax: labelled loops, getters on classes, tagged templates', entry: 'main.js', code: js`outer: for (let i = 0; i < 3; i++) { for (let j = 0; j < 3; j++) { if (j === 2) continue outer; if (i === 2) break outer; console.log(i, j); } }
function tag(strings, ...values) { return strings.raw.join('|') + ' ' + values.join(','); }
console.log(tag~a${1}b\n${2}c~, String.raw~x\ty~, (function () { return this; }).call(undefined) === undefined ? 'strict' : 'sloppy');
`.replaceAll('~', '`') },
  { name: 'syntax: closures in loops, var hoisting and TDZ', entry: 'main.js', code: js`const fs = [];
for (var i = 0; i < 3; i++) fs.push(() => i);
for (let j = 0; j < 3; j++) fs.push(() => j);
console.log(fs.map((f) => f()), typeof hoisted, hoisted2());
var hoisted = 1;
function hoisted2() { return 'function hoisted'; }
try { tdz; let tdz = 1; } catch (e) { console.log(e.name, e.message); }
` },
  { name: 'syntax: Proxy and Reflect traps', entry: 'main.js', code: js`const log = [];
const p = new Proxy({ a: 1 }, { get(t, k, r) { log.push('get ' + String(k)); return Reflect.get(t, k, r); }, has(t, k) { log.push('has ' + k); return k in t; }, ownKeys(t) { log.push('ownKeys'); return Reflect.ownKeys(t); } });
p.a; 'a' in p; Object.keys(p);
console.log(log);
console.log(Reflect.apply(Math.max, null, [1, 3, 2]), Reflect.construct(Date, [0]).getTime());
` },
  { name: 'syntax: WeakRef, FinalizationRegistry exist; Symbol descriptions; structuredClone errors', entry: 'main.js', code: js`const target = {};
const ref = new WeakRef(target);
console.log(ref.deref() === target, typeof FinalizationRegistry, Symbol('d').description, Symbol.for('k') === Symbol.for('k'));
try { structuredClone({ f() {} }); } catch (e) { console.log(e.name, e.message); }
console.log(structuredClone(new Map([[1, new Set([2])]])));
` },
  { name: 'syntax: TypeScript parameter types, generics, interfaces and as casts are stripped', entry: 'main.ts', code: js`interface Named { name: string }
type Pair<T> = [T, T];
function first<T extends Named>(items: T[]): T | undefined { return items[0]; }
const pair: Pair<number> = [1, 2];
const who = first([{ name: 'ada' } as Named]);
class Box<T> { value?: T; constructor(value?: T) { this.value = value; } }
console.log(who?.name, pair, (pair as unknown as number[]).length, new Box<number>().value, typeof (null! as Named));
` },
  { name: 'modules: live binding updates seen by the importer and a namespace', entry: 'main.mjs', code: js`import { count, increment } from './counter.mjs';
import * as ns from './counter.mjs';
console.log(count, ns.count);
increment(); increment();
console.log(count, ns.count, Object.keys(ns), ns[Symbol.toStringTag]);
try { ns.count = 5; } catch (e) { console.log(e.name); }
`, files: [{ path: 'counter.mjs', text: 'export let count = 0;\nexport function increment() { count += 1; }\n' }] },
  { name: 'modules: import bindings are read-only', entry: 'main.mjs', code: js`import { value } from './v.mjs';
try { value = 2; } catch (e) { console.log(e.name, e.message); }
console.log(value);
`, files: [{ path: 'v.mjs', text: 'export const value = 1;\n' }] },
  { name: 'modules: circular ES modules see hoisted functions and TDZ', entry: 'main.mjs', code: js`import { a, callB } from './a.mjs';
console.log(a, callB());
`, files: [
    { path: 'a.mjs', text: "import { b, bFn } from './b.mjs';\nexport const a = 'a';\nexport function callB() { return bFn() + ' ' + b; }\nconsole.log('a evaluated');\n" },
    { path: 'b.mjs', text: "import { callB } from './a.mjs';\nexport const b = 'b';\nexport function bFn() { return 'bFn'; }\nconsole.log('b evaluated', typeof callB);\ntry { a; } catch (e) { console.log(e.name); }\n" },
  ] },
  { name: 'modules: evaluation order of imports and default exports', entry: 'main.mjs', code: js`import def, { named } from './one.mjs';
import './two.mjs';
console.log('main', def(), named);
console.log(import.meta.url.endsWith('/main.mjs'), typeof import.meta.resolve, import.meta.filename.endsWith('main.mjs'), import.meta.dirname === process.cwd());
`, files: [
    { path: 'one.mjs', text: "console.log('one');\nexport default function () { return 'default fn'; }\nexport const named = 'named';\n" },
    { path: 'two.mjs', text: "import './one.mjs';\nconsole.log('two');\n" },
  ] },
  { name: 'modules: CommonJS exports mutate after require; ESM named import of CJS', entry: 'main.mjs', code: js`import cjs, { fixed } from './lib.cjs';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
cjs.bump();
console.log(cjs.n, fixed, require('./lib.cjs') === cjs);
`, files: [{ path: 'lib.cjs', text: "exports.n = 1;\nexports.fixed = 'fixed';\nexports.bump = function () { exports.n++; };\n" }] },
  { name: 'modules: require(esm) of a synchronous ES module', entry: 'main.cjs', code: js`const m = require('./esm.mjs');
console.log(m.greet('cjs'), m.default, Object.keys(m).sort());
`, files: [{ path: 'esm.mjs', text: "export function greet(who) { return 'hi ' + who; }\nexport default 'dflt';\n" }] },
  { name: 'modules: CJS module wrapper values', entry: 'main.js', code: js`console.log(typeof module, typeof exports, typeof require, module.id, require.main === module, __filename.endsWith('main.js'), typeof __dirname, this === module.exports, arguments.length);
` },
  { name: 'toString: functions, arrows, methods, classes and getters as written', entry: 'main.js', code: js`function add(a, b) {
  // keep this comment
  return a + b;
}
const arrow = (x) =>   x * 2;
class Acc { constructor(v) { this.v = v; } get value() { return this.v; } static of(v) { return new Acc(v); } }
const obj = { async *gen() { yield 1; }, ['comp' + 'uted']() {} };
console.log(add.toString());
console.log(String(arrow), Acc.toString());
console.log(Object.getOwnPropertyDescriptor(Acc.prototype, 'value').get.toString(), Acc.of.toString());
console.log(obj.gen.toString(), obj.computed.toString());
console.log(Math.max.toString(), add.bind(null).toString(), (function () {}).toString());
` },
  { name: 'toString: a function built at run time and one from a .ts file', entry: 'main.ts', code: js`function typed(a: number, b: string = 'x'): string { return a + b; }
console.log(typed.toString());
console.log(new Function('a', 'b', 'return a * b').toString());
console.log((async (x: number) => x).toString());
` },
  { name: 'stack: method, constructor, static, getter and top-level frame names', entry: 'main.js', code: FRAMES + js`class Account {
  constructor(balance) { this.balance = balance; if (balance < 0) throw new Error('negative'); }
  withdraw(n) { if (n > this.balance) throw new Error('insufficient'); this.balance -= n; }
  static open(b) { return new Account(b); }
  get broken() { throw new Error('getter'); }
}
try { new Account(10).withdraw(20); } catch (e) { console.log(frames(e)); }
try { Account.open(-1); } catch (e) { console.log(frames(e)); }
try { new Account(1).broken; } catch (e) { console.log(frames(e)); }
const handlers = { onClick() { throw new Error('handler'); } };
try { handlers.onClick(); } catch (e) { console.log(frames(e)); }
` },
  { name: 'stack: async frames across awaits', entry: 'main.mjs', code: FRAMES + js`async function fetchUser() { await null; throw new Error('no user'); }
async function loadPage() { await fetchUser(); }
async function main() { try { await loadPage(); } catch (e) { console.log(frames(e)); } }
await main();
` },
  { name: 'stack: callbacks through native frames (Array.map, JSON.parse reviver)', entry: 'main.js', code: js`function frames(e) { return e.stack.split('\n').slice(0, 5).join('\n'); }
try { [1].map(function mapper() { throw new Error('in map'); }); } catch (e) { console.log(frames(e)); }
try { JSON.parse('{"a":1}', function reviver() { throw new Error('in reviver'); }); } catch (e) { console.log(frames(e)); }
try { [3, 1].sort(() => { throw new Error('in sort'); }); } catch (e) { console.log(frames(e)); }
` },
  { name: 'stack: full uncaught stack from a method in CommonJS', entry: 'main.js', code: js`class Account {
  constructor(b) { this.b = b; }
  withdraw(n) { if (n > this.b) throw new Error('insufficient funds'); }
}
function checkout() { new Account(5).withdraw(10); }
checkout();
` },
  { name: 'stack: full uncaught stack from a promise chain in ESM', entry: 'main.mjs', code: js`function fail() { throw new TypeError('in then'); }
Promise.resolve(1).then(function step() { return fail(); });
` },
  { name: 'stack: error.stack of an async function rejected by a timer', entry: 'main.js', code: js`function frames(e) { return e.stack.split('\n').filter((l) => !l.includes('node:internal')).join('\n'); }
function wait() { return new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), 1)); }
async function job() { await wait(); }
job().catch((e) => console.log(frames(e)));
` },
  { name: 'stack: prepareStackTrace sees call sites with function and type names', entry: 'main.js', code: js`Error.prepareStackTrace = (err, sites) => sites.filter((s) => s.getFileName()?.endsWith('main.js')).map((s) => [s.getFunctionName(), s.getTypeName(), s.getMethodName(), s.isConstructor(), s.getLineNumber()].join(' ')).join('\n');
class Svc { run() { return new Error('x').stack; } }
function outer() { return new Svc().run(); }
console.log(outer());
console.log(new (class Ctor { constructor() { this.s = new Error('c').stack; } })().s);
` },
  { name: 'stack: source lines in .ts stacks map to the TypeScript file', entry: 'main.ts', code: js`type Item = { price: number };
function total(items: Item[]): number {
  return items.reduce((sum: number, item: Item) => {
    if (item.price < 0) throw new RangeError('negative price');
    return sum + item.price;
  }, 0);
}
console.log(total([{ price: 2 }]));
try { total([{ price: -1 }]); } catch (e) { console.log((e as Error).stack!.split('\n').slice(0, 3).join('\n')); }
` },
  // The run process loads each lesson file as the host instrumented it (preload.ts LessonModule): a require() or
  // import() made after the lesson replaced built-ins must call none of them (it used to instrument the file right
  // there, and acorn called the lesson's Array.prototype.push 60 times). (Not a .ts file: plain node's own type
  // stripper calls the lesson's push and charCodeAt.)
  { name: 'require() and import() of lesson files after Array, String, RegExp and URI built-ins were replaced', entry: 'main.js', code: js`const calls = {};
const wrap = (owner, name) => {
  const real = owner[name];
  calls[name] = 0;
  owner[name] = function (...args) { calls[name]++; return Reflect.apply(real, this, args); };
};
for (const m of ['push', 'pop', 'shift', 'join', 'map', 'indexOf']) wrap(Array.prototype, m);
for (const m of ['slice', 'startsWith', 'endsWith', 'includes', 'charCodeAt', 'lastIndexOf']) wrap(String.prototype, m);
for (const m of ['exec', 'test']) wrap(RegExp.prototype, m);
wrap(globalThis, 'decodeURIComponent');
const used = () => Object.keys(calls).filter((k) => calls[k] > 0).map((k) => k + '=' + calls[k]).join(' ') || 'none';
const dep = require('./dep.cjs');
console.log('required', dep.twice(21), used());
import('./esm dep.mjs').then((m) => console.log('imported', m.value, used()));
`, files: [
    { path: 'dep.cjs', text: js`function twice(n) { return n * 2; }
module.exports = { twice };
` },
    { path: 'esm dep.mjs', text: js`export const value = await Promise.resolve('esm');
` },
  ] },
  // …and a file the lesson rewrites before loading it, or one Node parses as a module for a package.json "type", is
  // instrumented in the run process as Node loads it: what runs is what plain node runs.
  { name: 'a lesson file rewritten before its require(), and a .js module by package.json type', entry: 'main.js', code: js`const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
writeFileSync(join(__dirname, 'later.js'), 'function who() { return "rewritten"; }\nmodule.exports = who();\n');
console.log(require('./later.js'));
import('./sub/mod.js').then((m) => console.log(m.default));
`, files: [
    { path: 'later.js', text: js`module.exports = 'original';
` },
    { path: 'sub/package.json', text: '{ "type": "module" }\n' },
    { path: 'sub/mod.js', text: js`function kind() { return typeof this + ' ' + typeof require; }
console.log('top-level this', typeof this, kind());
` },
  ] },
];
