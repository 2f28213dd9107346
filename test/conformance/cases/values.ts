/**
 * Values as a learner sees them: function metadata and source text, built-ins calling instrumented code, errors
 * and their messages, stack positions, sandbox-provided values, and console.log formatting.
 */
import { lines } from '../case.ts';
import type { OracleCase } from '../case.ts';

const js = String.raw;

export const valueCases: readonly OracleCase[] = [
  {
    name: 'function names, lengths and kinds survive instrumentation',
    entry: 'main.js',
    code: js`function add(a, b) { return a + b; }
const anon = function () {};
const arrow = (x) => x;
class K { method(x, y) {} static s() {} get g() { return 1; } }
async function af() {}
function* gf() {}
async function* agf() {}
console.log(add.name, add.length, anon.name, arrow.name, arrow.length, K.prototype.method.name, K.prototype.method.length, K.s.name);
console.log(Object.prototype.toString.call(af), Object.prototype.toString.call(gf), Object.prototype.toString.call(agf));
console.log(af.constructor.name, gf.constructor.name, agf.constructor.name, typeof K, K.name);
console.log(af() instanceof Promise, typeof gf().next, typeof agf()[Symbol.asyncIterator]);
console.log(Object.getOwnPropertyNames(add).sort().join(), Object.getOwnPropertyNames(arrow).sort().join());
const bound = add.bind(null, 1);
console.log(bound.name, bound.length, bound(2));
`,
    expect: lines(
      'add 2 anon arrow 1 method 2 s',
      '[object AsyncFunction] [object GeneratorFunction] [object AsyncGeneratorFunction]',
      'AsyncFunction GeneratorFunction AsyncGeneratorFunction function K',
      'true function function',
      'arguments,caller,length,name,prototype length,name',
      'bound add 1 3',
    ),
  },
  {
    name: 'shared-memory writes (member targets, TypedArray methods) keep results, source text, messages and stack frames',
    entry: 'main.js',
    code: js`const view = new Int32Array(new SharedArrayBuffer(16));
class Box { constructor() { this.view = view; } put(i, v) { this.view[i] = v; this.view.fill(v + 1, i + 1); } }
new Box().put(1, 3);
const notView = {};
try { notView.fill(0); } catch (e) { console.log(e.message); }
try { view.set([1, 2, 3], 3); } catch (e) { console.log(e.stack.split('\n').slice(1, 3).map((l) => l.trim().replace(/\(.*:(\d+:\d+)\)/, '($1)')).join(' | ')); }
try { view.sort(() => { throw new Error('cmp'); }); } catch (e) { console.log(e.stack.split('\n').slice(2, 4).map((l) => l.trim().replace(/\(.*:(\d+:\d+)\)/, '($1)')).join(' | ')); }
console.log(view.join(' '));
console.log(Box.prototype.put.toString());
console.log(view.set.name, view.set.length, String(Int32Array.prototype.fill), view.copyWithin(0, 2).join(' '));
`,
    expect: lines(
      'notView.fill is not a function', // V8 quotes the callee: the rewrite leaves it as written
      'at Int32Array.set (<anonymous>) | at Object.<anonymous> (6:12)', // no tracer frame between the method and the lesson
      'at Int32Array.sort (<anonymous>) | at Object.<anonymous> (7:12)',
      '0 3 4 4',
      'put(i, v) { this.view[i] = v; this.view.fill(v + 1, i + 1); }',
      'set 1 function fill() { [native code] } 4 4 4 4', // the methods are not replaced
    ),
  },
  {
    name: "Function.prototype.toString shows the learner's source, not instrumented code",
    entry: 'main.js',
    code: js`function add(a, b) { return a + b; }
const arrow = async (x) => { await x; };
class Point { constructor(x) { this.x = x; } }
console.log(add.toString());
console.log(String(arrow));
console.log(String(Point));
`,
    expect: lines('function add(a, b) { return a + b; }', 'async (x) => { await x; }', 'class Point { constructor(x) { this.x = x; } }'),
  },
  {
    name: 'built-ins calling back into instrumented functions (sort, map with thisArg, replace, JSON, Proxy, iterators)',
    entry: 'main.js',
    code: js`const arr = [3, 1, 2];
console.log(arr.sort((a, b) => a - b).join(), arr.map(function (x) { return x * this.k; }, { k: 10 }).join());
console.log([1, 2, 3].reduce((acc, x) => acc + x, 0), JSON.stringify({ a: 1, b: [2] }, (k, v) => (typeof v === 'number' ? v * 2 : v)));
console.log('a-b-c'.replace(/-(\w)/g, (m, c) => c.toUpperCase()));
const p = new Proxy({}, { get: (t, k) => 'proxied ' + String(k) });
console.log(p.anything);
const range = { from: 1, to: 3, [Symbol.iterator]() { let c = this.from; const t = this.to; return { next: () => (c <= t ? { value: c++, done: false } : { value: undefined, done: true }) }; } };
console.log([...range].join(), Math.max(...range));
console.log(Reflect.ownKeys({ b: 1, a: 2, 1: 3 }).join());
const { x, ...restObj } = { x: 1, y: 2, z: 3 };
console.log(x, JSON.stringify(restObj), null ?? 'default', undefined?.prop, ({ a: { b: 1 } }).a?.b);
console.log(/(?<year>\d{4})-(?<m>\d{2})/.exec('2024-05').groups.year, 2n ** 64n, typeof 1n);
const memo = new Map();
function fib(n) { if (n < 2) return n; if (memo.has(n)) return memo.get(n); const v = fib(n - 1) + fib(n - 2); memo.set(n, v); return v; }
function depth(n) { return n === 0 ? 0 : 1 + depth(n - 1); }
console.log(fib(80), depth(3000));
`,
    expect: lines('1,2,3 10,20,30', '6 {"a":2,"b":[4]}', 'aBC', 'proxied anything', '1,2,3 3', '1,b,a', '1 {"y":2,"z":3} default undefined 1', '2024 18446744073709551616n bigint', '23416728348467684 3000'),
  },
  {
    name: 'errors: custom classes, cause, and V8 messages that quote the source',
    entry: 'main.js',
    code: js`class ValidationError extends Error {
  constructor(field) { super('invalid ' + field); this.name = 'ValidationError'; this.field = field; }
}
try { throw new ValidationError('email'); } catch (e) {
  console.log(e.name, e.message, e.field, e instanceof ValidationError, e instanceof Error, String(e));
}
const cause = new Error('root');
const wrapped = new Error('wrapper', { cause });
console.log(wrapped.cause === cause, wrapped.cause.message);
try { undefinedFunction(); } catch (e) { console.log(e.name + ': ' + e.message); }
try { const o = {}; o.method(); } catch (e) { console.log(e.message); }
try { ({}).x.y; } catch (e) { console.log(e.message); }
try { null.f(); } catch (e) { console.log(e.message); }
try { JSON.parse('{'); } catch (e) { console.log(e instanceof SyntaxError, e.constructor === SyntaxError); }
`,
    expect: lines(
      'ValidationError invalid email email true true ValidationError: invalid email',
      'true root',
      'ReferenceError: undefinedFunction is not defined',
      'o.method is not a function',
      "Cannot read properties of undefined (reading 'y')",
      "Cannot read properties of null (reading 'f')",
      'true true',
    ),
  },
  {
    name: 'stack traces point at the original line and column (TypeScript, positions kept)',
    entry: 'main.ts',
    code: js`type Where = string;
function where(err: Error): Where {
  const frame = (err.stack ?? '').split('\n')[1] ?? '';
  const m = /:(\d+):(\d+)\)?$/.exec(frame);
  return m ? 'line ' + m[1] + ' col ' + m[2] : 'no position in: ' + frame;
}
console.log(where(new Error('top')));
function nested(): void {
  const label: string = 'nested';
      console.log(label + ' ' + where(new Error('inner')));
}
nested();
class Thrower { run(): never { throw new Error('from method'); } }
try { new Thrower().run(); } catch (e) { console.log(where(e as Error)); }
`,
    expect: lines('line 7 col 19', 'nested line 10 col 39', 'line 13 col 38'),
  },
  {
    name: 'a lock call inside a function keeps its receiver, arguments, result, throw and stack positions',
    entry: 'main.ts',
    code: js`const log: string[] = [];
const lock = {
  acquire(this: unknown, ...args: unknown[]): string { log.push('acquire ' + args.length + ' ' + (this === lock)); return 'released'; },
  runExclusive(fn: () => number): number { if (fn() < 0) throw new Error('negative'); return fn() * 2; },
};
function deposit(who: string, amount = 1, ...rest: number[]): string {
  { const shadow = who; log.push(shadow); }
  return lock.acquire(who, amount, ...rest) + ' ' + lock.runExclusive(() => amount);
}
console.log(deposit('bob', 100, 7), deposit('ann'), log.join(', '));
function fails(n: number): void {
  try { lock.runExclusive(() => n); } catch (e) {
    const frame = ((e as Error).stack ?? '').split('\n').slice(1, 3).map((l) => /(\w+) \(.*:(\d+):(\d+)\)$/.exec(l)?.slice(1).join(':')).join(' ');
    console.log((e as Error).message, frame);
  }
}
fails(-1);
console.log(deposit.toString().includes('lock.acquire(who, amount, ...rest)'));
`,
    expect: lines('released 200 released 2 bob, acquire 3 true, ann, acquire 2 true', 'negative runExclusive:4:64 fails:12:14', 'true'),
  },
  {
    name: 'sandbox values behave like Node: structuredClone, global, instanceof, sandbox API errors',
    entry: 'main.js',
    code: js`const cloned = structuredClone(new Map([[1, { a: 2 }]]));
console.log(cloned instanceof Map, cloned.get(1).a, Array.isArray(structuredClone([1])), structuredClone({ a: 1 }).constructor === Object);
console.log(typeof globalThis, typeof global, global === globalThis);
console.log(Object.getPrototypeOf(Promise.resolve()) === Promise.prototype, (async () => {})() instanceof Promise);
try { setTimeout('not a function'); } catch (e) { console.log(e instanceof TypeError, e.code, e.message); }
try { structuredClone(() => {}); } catch (e) { console.log(e.name, e.message); }
const t = setTimeout(() => {}, 1000);
console.log(typeof t, typeof t.ref, typeof t.unref, t.hasRef(), typeof t[Symbol.toPrimitive]);
clearTimeout(t);
`,
    expect: lines(
      'true 2 true true',
      'object object true',
      'true true',
      'true ERR_INVALID_ARG_TYPE The "callback" argument must be of type function. Received type string (\'not a function\')',
      'DataCloneError () => {} could not be cloned.',
      'object function function true function',
    ),
  },
  {
    name: 'console.log formats values exactly like Node',
    entry: 'main.js',
    code: js`class Point { constructor(x, y) { this.x = x; this.y = y; } }
console.log({ a: 1, b: 'two', c: [1, 2, { d: 3 }], e: { f: { g: { h: 1 } } } });
console.log(new Map([['k', 1]]), new Set([1, 'a']), [undefined, null, , 3]);
console.log(new Point(1, 2), [new Point(3, 4)]);
console.log('%s is %d years, %i, %f, %j %o %O %%', 'Ada', 36.5, 7.9, 1.5, 'j', { x: 1 }, { y: 2 });
console.log(5n, Symbol('s'), -0, 1e21, NaN, 'str', ['str']);
console.log(function named() {}, () => {}, class Foo {}, async () => {}, function* g() {});
console.log(Object.create(null), Object.assign(Object.create(null), { x: 1 }));
console.log(Promise.resolve(42), new Promise(() => {}));
console.log(new Int32Array([1, 2]), new ArrayBuffer(4));
console.log(new WeakMap(), Symbol.iterator, [1.5, -2], { 'key with space': 1, valid_id: 2 });
console.log(Array.from({ length: 120 }, (_, i) => i));
console.log({ long: 'y'.repeat(100) }, [['nested', ['deeper', ['deepest', ['too deep']]]]]);
console.log(Object.defineProperty({}, 'hidden', { value: 1, enumerable: false }), { get g() { return 1; }, set s(v) {} });
console.log([1, 2, 3].entries(), new Map([[1, 2]]).keys(), { [Symbol('k')]: 'symbol key' });
const circular = { name: 'c' };
circular.self = circular;
console.log(circular);
`,
    expect: lines(
      "{ a: 1, b: 'two', c: [ 1, 2, { d: 3 } ], e: { f: { g: [Object] } } }",
      "Map(1) { 'k' => 1 } Set(2) { 1, 'a' } [ undefined, null, <1 empty item>, 3 ]",
      'Point { x: 1, y: 2 } [ Point { x: 3, y: 4 } ]',
      'Ada is 36.5 years, 7, 1.5, "j" { x: 1 } { y: 2 } %',
      "5n Symbol(s) -0 1e+21 NaN str [ 'str' ]",
      '[Function: named] [Function (anonymous)] [class Foo] [AsyncFunction (anonymous)] [GeneratorFunction: g]',
      '[Object: null prototype] {} [Object: null prototype] { x: 1 }',
      'Promise { 42 } Promise { <pending> }',
      'Int32Array(2) [ 1, 2 ] ArrayBuffer { [Uint8Contents]: <00 00 00 00>, [byteLength]: 4 }',
      "WeakMap { <items unknown> } Symbol(Symbol.iterator) [ 1.5, -2 ] { 'key with space': 1, valid_id: 2 }",
      '[\n' +
        '   0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11,\n' +
        '  12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,\n' +
        '  24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35,\n' +
        '  36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47,\n' +
        '  48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59,\n' +
        '  60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71,\n' +
        '  72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83,\n' +
        '  84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95,\n' +
        '  96, 97, 98, 99,\n' +
        '  ... 20 more items\n' +
        ']',
      "{\n  long: '" + 'y'.repeat(100) + "'\n} [ [ 'nested', [ 'deeper', [Array] ] ] ]",
      '{} { g: [Getter], s: [Setter] }',
      "Object [Array Iterator] {} [Map Iterator] { 1 } { Symbol(k): 'symbol key' }",
      "<ref *1> { name: 'c', self: [Circular *1] }",
    ),
  },
];
