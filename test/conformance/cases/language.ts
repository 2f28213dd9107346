/**
 * Language semantics the instrumentation must not change (function wrappers, await/yield rewriting, type
 * stripping). Each snippet prints what it observes; the traced run must print exactly what plain node prints.
 */
import { lines } from '../case.ts';
import type { OracleCase } from '../case.ts';

const js = String.raw;

export const languageCases: readonly OracleCase[] = [
  {
    name: 'classes: private fields and methods, static blocks, static private state, #x in obj',
    entry: 'main.js',
    code: js`class Counter {
  static #instances = 0;
  static created;
  static { Counter.created = 'static block ran'; }
  #count = 0;
  constructor() { Counter.#instances++; }
  increment() { this.#count++; return this; }
  get value() { return this.#count; }
  static get instances() { return Counter.#instances; }
  #secret() { return 'private method'; }
  reveal() { return this.#secret(); }
  static isCounter(x) { return #count in x; }
}
const c = new Counter().increment().increment();
new Counter();
console.log(Counter.created, c.value, Counter.instances, c.reveal(), Counter.isCounter(c), Counter.isCounter({}));
try { Counter.prototype.increment.call({}); } catch (e) { console.log(e.constructor.name + ': ' + e.message); }
`,
    expect: lines('static block ran 2 2 private method true false', 'TypeError: Cannot read private member #count from an object whose class did not declare it'),
  },
  {
    name: 'super in async methods, async static methods, async generators and arrows',
    entry: 'main.js',
    code: js`class Base {
  async load(x) { await null; return 'base:' + x; }
  static async make() { return 'base static'; }
}
class Child extends Base {
  async load(x) { const parent = await super.load(x); return 'child(' + parent + ')'; }
  static async make() { return 'child of ' + (await super.make()); }
  async *items() { yield await super.load('gen'); yield 'second'; }
  arrow() { return async () => super.load('arrow'); }
}
(async () => {
  const c = new Child();
  console.log(await c.load(1));
  console.log(await Child.make());
  for await (const item of c.items()) console.log(item);
  console.log(await c.arrow()());
})();
`,
    expect: lines('child(base:1)', 'child of base static', 'base:gen', 'second', 'base:arrow'),
  },
  {
    name: 'default and destructured parameters, rest, and function length',
    entry: 'main.js',
    code: js`function f(a, b = a + 1, { c = 3, d: [e = 5, ...rest] = [] } = {}, ...more) {
  return JSON.stringify([a, b, c, e, rest, more]);
}
console.log(f(1), f.length);
console.log(f(1, undefined, { d: [undefined, 7, 8] }, 'x', 'y'));
const g = ({ name = 'anon', tags: [first] = ['none'] } = {}) => name + '/' + first;
console.log(g(), g({ name: 'n', tags: ['t1', 't2'] }), g.length);
let evaluated = 0;
function lazy(x = ++evaluated) { return x; }
lazy(); lazy(10); lazy();
console.log('default evaluated ' + evaluated + ' times');
function scope(a, b = () => a) { var a = 'shadow'; return b(); }
console.log(scope('param'));
`,
    expect: lines('[1,2,3,5,[],[]] 1', '[1,2,3,5,[7,8],["x","y"]]', 'anon/none n/t1 0', 'default evaluated 2 times', 'param'),
  },
  {
    name: 'arguments: mapped in sloppy functions, unmapped in strict or with defaults, seen by arrows',
    entry: 'main.js',
    code: js`function sloppy(a) { arguments[0] = 'changed'; return a; }
function strictFn(a) { 'use strict'; arguments[0] = 'changed'; return a; }
function withDefault(a = 0) { arguments[0] = 'changed'; return a; }
console.log(sloppy('orig'), strictFn('orig'), withDefault('orig'));
function count() { return arguments.length + ':' + Array.prototype.slice.call(arguments).join(','); }
console.log(count(), count(1, 2, 3));
const outer = function () { return (() => arguments[0] + '/' + arguments.length)(); };
console.log(outer('outer arg', 2));
function callee() { return typeof arguments.callee; }
console.log(callee(), Object.prototype.toString.call((function () { return arguments; })()));
async function asyncArgs() { await null; return arguments.length; }
asyncArgs(1, 2).then((n) => console.log('async arguments ' + n));
`,
    expect: lines('changed orig orig', '0: 3:1,2,3', 'outer arg/2', 'function [object Arguments]', 'async arguments 2'),
  },
  {
    name: "CommonJS top level: this is module.exports and arguments are the module wrapper's five",
    entry: 'main.js',
    code: js`console.log(this === module.exports, typeof this);
console.log(arguments.length, typeof arguments[1], arguments[2] === module);
function sloppyThis() { return this === globalThis; }
function strictThis() { 'use strict'; return this; }
console.log(sloppyThis(), strictThis());
const obj = { m() { return this === obj; }, arrow: () => this === module.exports };
console.log(obj.m(), obj.arrow());
`,
    expect: lines('true object', '5 function true', 'true undefined', 'true true'),
  },
  {
    name: 'ES module top level: this is undefined, no require/module/arguments',
    entry: 'main.mjs',
    code: js`console.log(typeof this, typeof require, typeof module, typeof exports, typeof __filename);
console.log(typeof import.meta.url, import.meta.url.startsWith('file://'), import.meta.url.endsWith('/main.mjs'));
const f = () => typeof this;
console.log(f());
`,
    expect: lines('undefined undefined undefined undefined undefined', 'string true true', 'undefined'),
  },
  {
    name: 'new.target in functions, classes, subclasses and Reflect.construct',
    entry: 'main.js',
    code: js`function F() { return new.target === undefined ? 'called' : 'constructed'; }
console.log(F(), new F() instanceof F);
class A { constructor() { console.log('new.target is ' + new.target.name); } }
class B extends A {}
new A();
new B();
function G() { this.kind = new.target ? 'new' : 'call'; }
console.log(new G().kind);
console.log(Reflect.construct(A, [], B) instanceof B);
const arrowInFn = function () { return (() => new.target)(); };
console.log(new arrowInFn() instanceof arrowInFn, arrowInFn());
`,
    expect: lines('called true', 'new.target is A', 'new.target is B', 'new', 'new.target is B', 'true', 'false undefined'),
  },
  {
    name: 'labels: break and continue to outer loops, labelled blocks',
    entry: 'main.js',
    code: js`outer: for (let i = 0; i < 3; i++) {
  inner: for (let j = 0; j < 3; j++) {
    if (j === 1) continue outer;
    if (i === 2) break outer;
    console.log('i' + i + ' j' + j);
  }
}
block: {
  console.log('in block');
  if (Math.PI > 3) break block;
  console.log('never');
}
let n = 0;
loop: while (true) {
  do {
    n++;
    if (n > 4) break loop;
  } while (n % 2);
  console.log('n=' + n);
}
console.log('end n=' + n);
`,
    expect: lines('i0 j0', 'i1 j0', 'in block', 'n=2', 'n=4', 'end n=5'),
  },
  {
    name: 'getters and setters: object literals, classes, static, computed names, descriptors',
    entry: 'main.js',
    code: js`const o = {
  _v: 1,
  get v() { return this._v * 10; },
  set v(x) { this._v = x; console.log('set to ' + x); },
};
o.v = 5;
console.log(o.v);
class T {
  static #n = 0;
  static get n() { return T.#n; }
  static set n(v) { T.#n = v * 2; }
  get ['comp' + 'uted']() { return 'computed getter'; }
}
T.n = 21;
console.log(T.n, new T().computed);
const d = Object.getOwnPropertyDescriptor(o, 'v');
console.log(typeof d.get, typeof d.set, d.get.name, d.set.name);
Object.defineProperty(o, 'ro', { get() { return 'readonly'; } });
console.log(o.ro, Object.keys(o).join());
`,
    expect: lines('set to 5', '50', '42 computed getter', 'function function get v set v', 'readonly _v,v'),
  },
  {
    name: 'tagged templates: raw strings, cooked strings, one frozen strings array per call site',
    entry: 'main.js',
    code: 'function tag(strings, ...values) {\n' +
      "  return strings.raw.join('|') + ' / ' + strings.join('|') + ' / ' + values.join(',');\n" +
      '}\n' +
      'console.log(tag`a${1}b${2}\\t`);\n' +
      'const sites = [];\n' +
      'function keep(s) { sites.push(s); return s; }\n' +
      'for (let i = 0; i < 2; i++) keep`same site`;\n' +
      'keep`same site`;\n' +
      'console.log(sites[0] === sites[1], sites[1] === sites[2], Object.isFrozen(sites[0]));\n' +
      'console.log(String.raw`x\\ty${3}`);\n' +
      'const nested = (s, ...v) => s[0] + v[0];\n' +
      'console.log(nested`outer ${`inner ${1 + 1}`}`);\n',
    expect: lines('a|b|\\t / a|b|\t / 1,2', 'true false true', 'x\\ty3', 'outer inner 2'),
  },
  {
    name: 'try / finally: finally runs before return, can override it, and swallows errors',
    entry: 'main.js',
    code: js`function a() { try { return 'try'; } finally { console.log('finally runs before return'); } }
function b() { try { return 'try'; } finally { return 'finally wins'; } }
function c() { try { throw new Error('x'); } catch (e) { return 'catch ' + e.message; } finally { console.log('finally after catch'); } }
function d() { for (const x of [1, 2, 3]) { try { if (x === 2) return 'returned at ' + x; } finally { console.log('finally ' + x); } } }
function e() { let i = 0; try { return i; } finally { i = 99; } }
function f() { try { throw new Error('lost'); } finally { return 'finally swallowed the error'; } }
console.log([a(), b(), c(), d(), e(), f()].join(' | '));
async function g() { try { await null; return 'async try'; } finally { console.log('async finally'); } }
g().then((v) => console.log(v));
`,
    expect: lines('finally runs before return', 'finally after catch', 'finally 1', 'finally 2', 'try | finally wins | catch x | returned at 2 | 0 | finally swallowed the error', 'async finally', 'async try'),
  },
  {
    name: 'generators: next(value), return(), throw(), yield* delegation',
    entry: 'main.js',
    code: js`function* gen() {
  try {
    const x = yield 1;
    console.log('got ' + x);
    yield 2;
    yield 3;
  } catch (e) {
    console.log('caught ' + e);
    yield 'from catch';
  } finally {
    console.log('gen finally');
  }
}
let g = gen();
console.log(JSON.stringify([g.next(), g.next('hello'), g.return('early'), g.next()]));
g = gen();
g.next();
console.log(JSON.stringify(g.throw('boom')));
console.log(JSON.stringify(g.next()));
const fresh = gen();
console.log(JSON.stringify(fresh.return('before start')));
function* inner() { const r = yield 'inner'; return 'inner returned ' + r; }
function* outer() { const v = yield* inner(); console.log(v); }
const o = outer();
console.log(o.next().value);
o.next('x');
console.log([...(function* () { yield* [1, 2]; yield 3; })()].join());
`,
    expect: lines(
      'got hello',
      'gen finally',
      '[{"value":1,"done":false},{"value":2,"done":false},{"value":"early","done":true},{"done":true}]',
      'caught boom',
      '{"value":"from catch","done":false}',
      'gen finally',
      '{"done":true}',
      '{"value":"before start","done":true}',
      'inner',
      'inner returned x',
      '1,2,3',
    ),
  },
  {
    name: 'hoisting: function declarations, var, the TDZ, block functions, loop closures',
    entry: 'main.js',
    code: js`console.log(typeof hoisted, hoisted());
function hoisted() { return 'function declarations are hoisted'; }
console.log(v);
var v = 'var assigned later';
try { console.log(tdz); } catch (e) { console.log(e.name + ': ' + e.message); }
let tdz = 1;
console.log(typeof notDeclaredAnywhere);
{
  function inBlock() { return 'block function'; }
}
console.log(typeof inBlock);
const fns = [];
for (var i = 0; i < 3; i++) fns.push(() => i);
const fns2 = [];
for (let j = 0; j < 3; j++) fns2.push(() => j);
console.log(fns.map((f) => f()).join(), fns2.map((f) => f()).join());
console.log(typeof later, (function () { return typeof inner; function inner() {} })());
var later = function () {};
`,
    expect: lines('function function declarations are hoisted', 'undefined', "ReferenceError: Cannot access 'tdz' before initialization", 'undefined', 'function', '3,3,3 0,1,2', 'undefined function'),
  },
];
