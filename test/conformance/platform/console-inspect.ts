/**
 * Platform conformance: console methods and util.inspect/util.format output — the text a lesson prints for
 * every kind of value. Compared with plain node on stdout and stderr.
 */
import type { PlatformCase } from '../platform-cases.ts';

const js = String.raw;

export const CONSOLE_CASES: readonly PlatformCase[] = [
  { name: 'inspect: primitives, -0, bigint, symbols and sparse arrays', entry: 'main.js', code: js`console.log(-0, 0n, 12345678901234567890n, Symbol('s'), Symbol.iterator, undefined, null, NaN);
console.log([1, , 3], new Array(5), [undefined, null], ['a', "b'c", 'd"e']);
console.log('top-level strings are bare', ['nested strings are quoted']);
` },
  { name: 'inspect: Map, Set, WeakMap, iterators and entries', entry: 'main.js', code: js`const m = new Map([['a', 1], [{ k: 1 }, [2]]]);
console.log(m, new Set(['x', 1]), new WeakMap(), new WeakSet());
console.log(m.keys(), m.entries(), new Set([1, 2]).values(), [1, 2][Symbol.iterator]());
console.log(new Map(), new Set());
` },
  { name: 'inspect: functions, classes, bound and async functions', entry: 'main.js', code: js`class Animal {}
class Dog extends Animal { static kind = 'dog'; }
function named() {}
const anon = (() => () => {})();
console.log(named, anon, Dog, Animal, named.bind(null), async function af() {}, function* gen() {}, async function* ag() {});
console.log({ method() {}, arrow: () => {}, [Symbol('f')]: function () {} });
console.log(Object.assign(function withProps() {}, { extra: 1 }));
` },
  { name: 'inspect: promises in every state', entry: 'main.js', code: js`const rejected = Promise.reject(new Error('no'));
rejected.catch(() => {});
console.log(Promise.resolve(42), new Promise(() => {}), Promise.resolve({ a: [1] }));
console.log(require('node:util').inspect(rejected).split('\n').filter((l) => !l.includes('node:internal')).join('\n'));
` },
  { name: 'inspect: typed arrays, ArrayBuffer, DataView and Buffer', entry: 'main.js', code: js`console.log(new Uint8Array([1, 2, 255]), new Float64Array(2), new BigInt64Array([5n]));
console.log(new ArrayBuffer(4), new DataView(new ArrayBuffer(2)), new SharedArrayBuffer(2));
console.log(Buffer.from('hello'), Buffer.alloc(60).fill(7));
console.log(new Uint8Array(200));
` },
  { name: 'inspect: Date, RegExp, boxed primitives and Errors in objects', entry: 'main.js', code: js`console.log(new Date(86400000), new Date(NaN), /a+b/gi, new Number(3), new String('s'), new Boolean(false), Object(Symbol('b')), Object(1n));
const e = new RangeError('in object');
e.stack = 'RangeError: in object\n    at somewhere';
console.log({ e });
` },
  { name: 'inspect: circular references and shared references', entry: 'main.js', code: js`const a = { name: 'a' };
a.self = a;
const b = { left: a, right: a, list: [a] };
b.list.push(b);
console.log(a);
console.log(b);
` },
  { name: 'inspect: depth, breakLength and compact defaults', entry: 'main.js', code: js`console.log({ l1: { l2: { l3: { l4: { l5: 1 } } } } });
console.log({ aaaaaaaaaa: 'bbbbbbbbbbbbbbbbbbbb', cccccccccc: 'dddddddddddddddddddd', eeeeeeeeee: 'ffffffffffffffffffff', g: [1, 2, 3] });
console.log(Array.from({ length: 30 }, (_, i) => i * 1000));
console.log(Array.from({ length: 120 }, (_, i) => i));
console.log('x'.repeat(20000).length, ['y'.repeat(200)]);
` },
  { name: 'inspect: getters, setters, non-enumerables and null prototypes', entry: 'main.js', code: js`const o = { get g() { return 1; }, set s(v) {}, get gs() { return 2; }, set gs(v) {} };
Object.defineProperty(o, 'hidden', { value: 1, enumerable: false });
console.log(o);
const np = Object.create(null);
np.x = 1;
console.log(np, Object.create(Object.create(null)));
class C { #priv = 1; pub = 2; }
console.log(new C());
` },
  { name: 'inspect: custom inspect symbol and toString not used', entry: 'main.js', code: js`const util = require('node:util');
class Money { constructor(v) { this.v = v; } [util.inspect.custom](depth, opts, inspect) { return 'Money<' + inspect(this.v, opts) + '>'; } toString() { return 'unused'; } }
console.log(new Money(5), [new Money('x')], { m: new Money({ n: 1 }) });
console.log(String(new Money(1)), '' + { toString() { return 'ts'; } });
` },
  { name: 'inspect: class instances with Symbol.toStringTag and anonymous classes', entry: 'main.js', code: js`class Tagged { get [Symbol.toStringTag]() { return 'Tag'; } }
const Anon = (() => class {})();
class Sub extends Array {}
console.log(new Tagged(), new Anon(), Sub.from([1, 2]), Object.prototype.toString.call(new Tagged()));
console.log(new (class Named extends Map {})([[1, 2]]));
` },
  { name: 'util.format: placeholders, extra and missing arguments', entry: 'main.js', code: js`const util = require('node:util');
console.log(util.format('%s and %s', 'one'));
console.log(util.format('%d %i %f', '10.5', 3.9, 'x'));
console.log(util.format('%s', { a: { b: { c: 1 } } }, 'extra', 7));
console.log(util.format('%c styled %s', 'color: red', 'text'));
console.log(util.format(1, 2, '%s'), util.format('%s', 2n, Symbol('z')), util.format('%s', -0));
` },
  { name: 'util.inspect: showHidden, colors off, sorted and getters options', entry: 'main.js', code: js`const util = require('node:util');
console.log(util.inspect([1, 2], { showHidden: true }));
console.log(util.inspect({ b: 1, a: 2, c: { z: 1, y: 2 } }, { sorted: true }));
console.log(util.inspect({ get v() { return 'computed'; } }, { getters: true }));
console.log(util.inspect('str', { colors: true }) === '\u001b[32m\'str\'\u001b[39m');
console.log(util.inspect(new Array(200).fill(0), { maxArrayLength: 3 }));
console.log(util.inspect('a'.repeat(30), { maxStringLength: 5 }));
` },
  { name: 'console.error, warn, info, debug and trace go to the right stream', entry: 'main.js', code: js`console.info('info to stdout');
console.debug('debug to stdout');
console.warn('warn to stderr');
console.error('error to stderr', { n: 1 });
console.trace('trace label %d', 5);
` },
  { name: 'console.group with groupCollapsed, nested objects and errors', entry: 'main.js', code: js`console.group('level 1');
console.log({ a: { b: [1, 2, { c: 3 }] } });
console.groupCollapsed('level 2');
console.error('error inside');
console.log('multi\nline');
console.groupEnd();
console.groupEnd();
console.groupEnd();
console.log('back to zero');
` },
  { name: 'console.time, timeEnd and timeLog with unknown labels warn', entry: 'main.js', code: js`console.timeEnd('never started');
console.timeLog('nope');
console.time('t');
console.time('t');
console.countReset('missing');
` },
  { name: 'console.table with columns, primitives and nested values', entry: 'main.js', code: js`console.table(['a', 'b']);
console.table([{ x: 1, y: { z: 2 } }, { x: 'long value here', y: null }], ['x']);
console.table(new Map([['k1', { v: 1 }], ['k2', { v: 2 }]]));
console.table(5);
console.table([]);
` },
  { name: 'console.dir with showHidden and colors false; dirxml', entry: 'main.js', code: js`console.dir([1, 2], { showHidden: true });
console.dir('string in dir');
console.dirxml({ a: 1 }, [2]);
console.log();
console.log('');
console.log(' ', '');
` },
  { name: 'new console.Console writing to a stream with groupIndentation', entry: 'main.js', code: js`const { Console } = require('node:console');
const c = new Console({ stdout: process.stdout, stderr: process.stdout, groupIndentation: 4 });
c.group('custom');
c.log('indented by four');
c.error('stderr routed to stdout');
c.groupEnd();
c.log('done');
` },
  { name: 'process.stdout.write with callbacks, encodings and no newline', entry: 'main.js', code: js`process.stdout.write('no newline');
process.stdout.write(' then more\n', () => console.log('write callback'));
process.stdout.write(Buffer.from('buffer chunk\n'));
process.stdout.write('68690a', 'hex');
process.stderr.write('to stderr\n');
console.log(process.stdout.isTTY, process.stderr.isTTY);
` },
  { name: 'inspect: errors with extra properties, AggregateError and nested causes', entry: 'main.js', code: js`function strip(s) { return s.split('\n').filter((l) => !l.trim().startsWith('at ')).join('\n'); }
const util = require('node:util');
const e = new Error('with props');
e.code = 'E_X'; e.details = { n: 1 };
console.log(strip(util.inspect(e)));
console.log(strip(util.inspect(new AggregateError([new Error('one'), new TypeError('two')], 'many'))));
console.log(strip(util.inspect(new Error('top', { cause: new Error('middle', { cause: 'bottom string' }) }))));
` },
  // The console capture runs on every line: it must use only built-ins captured before the lesson (it printed
  // 'HIJACKED' for every line once String.prototype.slice was replaced, and crashed without Reflect.apply).
  { name: 'console with String.prototype.slice, endsWith and Reflect.apply replaced by the lesson', entry: 'main.js', code: js`String.prototype.slice = function () { return 'HIJACKED'; };
String.prototype.endsWith = function () { return false; };
Reflect.apply = function () { throw new Error('Reflect.apply hijacked'); };
console.log('still plain', [1, 2]);
process.stdout.write('written\n');
process.stdout.write(Buffer.from('bytes\n'));
console.error('to stderr');
setTimeout(() => console.log('timer'), 1);
Promise.resolve().then(() => console.log('microtask'));
` },
  // The tracer sends its trace through typed arrays: it must not call what a lesson can replace on them (`fill`, or
  // `subarray`, which asks the array's `constructor[Symbol.species]` for the one it makes).
  { name: 'console and traced calls with %TypedArray%.prototype fill, subarray and Int32Array species replaced', entry: 'main.js', code: js`const TA = Object.getPrototypeOf(Int32Array.prototype);
TA.fill = function () { console.log('fill hijacked'); return this; };
TA.subarray = function () { console.log('subarray hijacked'); return this; };
Object.defineProperty(Int32Array, Symbol.species, { get() { throw new Error('species hijacked'); } });
function work(n) { return n < 2 ? n : work(n - 1) + work(n - 2); }
console.log('fib', work(18));
for (let i = 0; i < 3; i++) console.log('line', i, 'x'.repeat(70000).length);
setTimeout(() => console.log('timer', work(15)), 1);
` },
  // Node's own Buffer.from and fs.writeSync read `length`/`byteLength`/`byteOffset` as properties: the tracer must
  // send its frames without them (plain node prints strings to a pipe without touching a typed array).
  { name: 'console, a worker and traced calls with %TypedArray%.prototype length, byteLength, byteOffset and buffer redefined', entry: 'main.js', code: js`const { Worker } = require('node:worker_threads');
const TA = Object.getPrototypeOf(Uint8Array.prototype);
Object.defineProperty(TA, 'length', { get() { return 0; }, configurable: true });
Object.defineProperty(TA, 'byteLength', { get() { return 0; }, configurable: true });
Object.defineProperty(TA, 'byteOffset', { get() { return 1e9; }, configurable: true });
Object.defineProperty(TA, 'buffer', { get() { throw new Error('buffer hijacked'); }, configurable: true });
function work(n) { return n < 2 ? n : work(n - 1) + work(n - 2); }
const a = new Int32Array([7, 8]);
console.log('main: length', a.length, 'byteLength', a.byteLength, 'second', a[1], 'fib', work(18));
console.error('main: to stderr');
process.stdout.write('main: raw write ' + 'é'.repeat(3) + '\n');
for (let i = 0; i < 3; i++) console.log('line', i, 'x'.repeat(70000).length);
Promise.resolve().then(() => console.log('main: microtask'));
const w = new Worker('./w.js');
w.on('message', (m) => console.log('main got', m));
// The timer starts at 'exit' (which Node emits after the worker's messages): started at the message, it raced the exit
w.on('exit', (code) => { console.log('worker exit', code); setTimeout(() => console.log('main: timer', work(12)), 2); });
`, files: [{ path: 'w.js', text: js`const { parentPort } = require('node:worker_threads');
const TA = Object.getPrototypeOf(Uint8Array.prototype);
Object.defineProperty(TA, 'length', { get() { return 0; }, configurable: true });
Object.defineProperty(TA, 'byteLength', { get() { return 0; }, configurable: true });
function work(n) { return n < 2 ? n : work(n - 1) + work(n - 2); }
const b = new Float64Array(3);
parentPort.postMessage('worker sees length ' + b.length + ' ' + b.byteLength + ' fib ' + work(15));
` }] },
];
