/**
 * Conformance programs for the Node platform around the language (runtime v2): built-in modules, process
 * semantics, error output, module systems, start-up ordering. Each is compared with plain `node` on stdout,
 * stderr and exit code (platform.test.ts); only the lesson folder's path is normalised.
 */
export interface PlatformCase {
  readonly name: string;
  /** .js (Node's syntax detection), .mjs, .cjs, .ts */
  readonly entry: string;
  readonly code: string;
  readonly files?: readonly { path: string; text: string }[];
}

const js = String.raw;

export const PLATFORM_CASES: readonly PlatformCase[] = [
  // ---------------------------------------------------------------- assert
  { name: 'assert.throws with a RegExp and a class', entry: 'main.js', code: js`const assert = require('node:assert');
assert.throws(() => { throw new TypeError('bad input'); }, /bad/);
assert.throws(() => { throw new TypeError('bad input'); }, TypeError);
try { assert.throws(() => { throw new TypeError('bad'); }, RangeError); } catch (e) { console.log(e.constructor.name, e.message); }
try { assert.throws(() => {}); } catch (e) { console.log(e.code, e.message); }
` },
  { name: 'assert(x > 5) message quotes the expression', entry: 'main.js', code: js`const assert = require('node:assert');
const x = 3;
try { assert(x > 5); } catch (e) { console.log(e.message); }
try { assert.ok(x === 4, 'x must be four'); } catch (e) { console.log(e.message, e.code); }
` },
  { name: 'assert.deepStrictEqual on Dates, Sets and Maps', entry: 'main.js', code: js`const assert = require('node:assert');
assert.deepStrictEqual(new Set([1, 2]), new Set([2, 1]));
assert.deepStrictEqual(new Map([[1, { a: 1 }]]), new Map([[1, { a: 1 }]]));
try { assert.deepStrictEqual(new Date(0), new Date(1)); } catch (e) { console.log(e.message.split('\n')[0]); }
console.log(require('node:util').isDeepStrictEqual(new Set([1]), new Set([1])), require('node:util').isDeepStrictEqual([1], ['1']));
` },
  { name: 'assert.notDeepStrictEqual and assert.match exist', entry: 'main.mjs', code: js`import assert from 'node:assert/strict';
assert.notDeepStrictEqual({ a: 1 }, { a: 2 });
assert.match('hello world', /world/);
try { assert.match('abc', /x/); } catch (e) { console.log(e.code, e.message.split('\n')[0]); }
try { assert.equal(1, '1'); } catch (e) { console.log(e.message.split('\n')[0]); }
` },
  { name: 'assert.rejects with an expected error', entry: 'main.mjs', code: js`import assert from 'node:assert';
await assert.rejects(Promise.reject(new Error('nope')), /nope/);
try { await assert.rejects(Promise.resolve(1)); } catch (e) { console.log(e.message); }
console.log('done');
` },
  // ---------------------------------------------------------------- URL
  { name: 'URL normalises, parses ports, search params and origin', entry: 'main.js', code: js`const u = new URL('HTTP://Example.COM:8080/a/./b/../c?x=1&y=two#frag');
console.log(u.href, u.port, u.origin, u.pathname, u.hash);
console.log(u.searchParams.get('y'), [...u.searchParams.keys()].join(','));
u.searchParams.append('z', 'a b');
console.log(u.search);
console.log(new URL('../up', 'https://a.example/x/y/z').href, new URL('https://a.example:443/').port === '');
try { new URL('not a url'); } catch (e) { console.log(e.code, e.name); }
console.log(URL.canParse('https://ok'), new URLSearchParams({ a: '1', b: '2' }).toString());
` },
  // ---------------------------------------------------------------- console
  { name: 'console.table of objects and arrays', entry: 'main.js', code: js`console.table([{ a: 1, b: 'x' }, { a: 2, c: true }]);
console.table({ row1: { v: 1 }, row2: { v: 2 } });
console.table([[1, 2], [3, 4]], ['0']);
` },
  { name: 'console.dir options and console.group indentation', entry: 'main.js', code: js`console.dir({ a: { b: { c: { d: 1 } } } }, { depth: 0 });
console.dir({ a: { b: { c: { d: 1 } } } }, { depth: null });
console.group('outer');
console.log('inside');
process.stdout.write('raw\n');
console.group();
console.warn('deeper');
console.groupEnd();
console.groupEnd();
console.log('out');
` },
  { name: 'console.assert, count, countReset and time labels', entry: 'main.js', code: js`console.assert(1 === 2, 'math is %s', 'broken');
console.assert(true, 'never');
console.count(); console.count('x'); console.count(); console.countReset(); console.count();
console.log('%s|%d|%i|%f|%j|%o|%O|%%', 'str', 42.5, 42.5, '3.5', { j: 1 }, [1], { o: 1 });
` },
  { name: 'console.log of classes, getters, symbols, nested arrays and errors with cause', entry: 'main.js', code: js`class Point { constructor() { this.x = 1; } get len() { return 1; } }
console.log(new Point(), [[[[1]]]], { [Symbol('k')]: 1 }, Object.create(null));
const e = new Error('outer', { cause: new TypeError('inner') });
console.log(e.message, e.cause.message);
console.log([new Map([[{ a: 1 }, new Set([1])]])]);
console.log(Buffer.from('hi'), new Uint8Array(3), [1, , 3], -0, 10n ** 20n);
` },
  // ---------------------------------------------------------------- util.inspect
  { name: 'util.inspect options', entry: 'main.js', code: js`const util = require('node:util');
const o = { a: [1, 2, 3, 4], b: { c: { d: { e: 1 } } }, s: 'text' };
console.log(util.inspect(o, { depth: 0 }));
console.log(util.inspect(o, { compact: false, breakLength: 20 }));
console.log(util.inspect(o, { colors: false, sorted: true, maxArrayLength: 2 }));
console.log(util.inspect('x'.repeat(30), { maxStringLength: 5 }));
class C { [util.inspect.custom]() { return 'custom C'; } }
console.log(util.inspect(new C()), new C());
console.log(util.format('%s=%d', 'n', 5, 'extra'), util.types.isPromise(Promise.resolve()));
` },
  // ---------------------------------------------------------------- events
  { name: 'events.once resolves after the emit, in order with other microtasks', entry: 'main.mjs', code: js`import { EventEmitter, once } from 'node:events';
const e = new EventEmitter();
once(e, 'go').then(([v]) => console.log('once', v));
Promise.resolve().then(() => console.log('promise 1')).then(() => console.log('promise 2'));
e.emit('go', 42);
queueMicrotask(() => console.log('microtask'));
` },
  { name: 'events.on async iteration and cleanup', entry: 'main.mjs', code: js`import { EventEmitter, on } from 'node:events';
const e = new EventEmitter();
setTimeout(() => { e.emit('tick', 1); e.emit('tick', 2); e.emit('tick', 3); }, 1);
let n = 0;
for await (const [v] of on(e, 'tick')) { console.log('tick', v); if (++n === 2) break; }
console.log('listeners left', e.listenerCount('tick'));
` },
  { name: 'MaxListenersExceededWarning is printed once', entry: 'main.js', code: js`const { EventEmitter } = require('node:events');
const e = new EventEmitter();
for (let i = 0; i < 11; i++) e.on('x', () => {});
for (let i = 0; i < 5; i++) e.on('x', () => {});
console.log(e.listenerCount('x'));
` },
  { name: 'EventEmitter error event without a listener throws', entry: 'main.js', code: js`const { EventEmitter } = require('node:events');
const e = new EventEmitter();
try { e.emit('error', new Error('bad thing')); } catch (err) { console.log('caught', err.message); }
try { e.emit('error', 'a string'); } catch (err) { console.log(err.code, err.message); }
` },
  // ---------------------------------------------------------------- AbortController, DOMException, BroadcastChannel, TextEncoder
  { name: 'AbortSignal listener order, reason and DOMException', entry: 'main.js', code: js`const c = new AbortController();
c.signal.addEventListener('abort', () => console.log('listener 1'));
c.signal.onabort = () => console.log('onabort');
c.signal.addEventListener('abort', () => console.log('listener 2'));
c.abort();
console.log(c.signal.reason instanceof DOMException, c.signal.reason.name, c.signal.reason.code);
console.log(typeof BroadcastChannel, new DOMException('m', 'DataCloneError').code);
// Last: an unref'd timeout never fires once the script has ended (nothing may keep the loop alive). Plain node's loop
// ends within 1 ms. A traced run's first loop turn took 3–10 ms while V8 scavenged the tracer's start-up garbage in
// it (now collected before the lesson: preload.ts collectYoungGarbage); at 5 ms the timeout still fires in 0–4 runs
// of 30 on 2 busy cores, and 25 ms still catches anything that really keeps the loop alive (a ref'd handle would keep
// it for the whole run).
const t = AbortSignal.timeout(25);
t.addEventListener('abort', () => console.log('timeout', t.reason.name));
` },
  { name: 'TextEncoder.encodeInto and TextDecoder', entry: 'main.js', code: js`const enc = new TextEncoder();
const buf = new Uint8Array(5);
console.log(enc.encodeInto('héllo', buf), buf);
console.log(new TextDecoder().decode(enc.encode('€ ok')), new TextDecoder('utf-16le').encoding);
` },
  { name: 'typed array constructor identity and structuredClone', entry: 'main.js', code: js`const ta = new Int32Array(2);
console.log(ta.constructor === Int32Array, Object.getPrototypeOf(Int32Array).name);
const clone = structuredClone({ d: new Date(0), m: new Map([[1, 2]]), e: new Error('x') });
console.log(clone.d instanceof Date, clone.m.get(1), clone.e instanceof Error, clone.e.message);
try { structuredClone(() => {}); } catch (e) { console.log(e.name, e.message); }
` },
  // ---------------------------------------------------------------- process semantics
  // The tracer reaches V8's gc through a context made while --expose-gc is briefly on (preload.ts
  // collectYoungGarbage): neither the lesson's global nor a context it makes may have one.
  { name: 'no gc function: the global, a new vm context, a created context', entry: 'main.js', code: js`const vm = require('node:vm');
console.log(typeof gc, typeof globalThis.gc, vm.runInNewContext('typeof gc'), vm.runInContext('typeof gc', vm.createContext({})));
console.log(process.execArgv.length, require('node:v8').getHeapStatistics().total_heap_size > 0);
` },
  { name: 'process.exitCode at a natural end', entry: 'main.js', code: js`process.exitCode = 3;
console.log('bye');
` },
  { name: 'beforeExit and exit events, in order', entry: 'main.js', code: js`let rounds = 0;
process.on('beforeExit', (code) => { console.log('beforeExit', code); if (rounds++ < 1) setTimeout(() => console.log('more work'), 1); });
process.on('exit', (code) => console.log('exit', code));
console.log('main');
` },
  { name: 'process.exit inside exit handler keeps the first code', entry: 'main.js', code: js`process.on('exit', (code) => { console.log('exit with', code); });
setTimeout(() => console.log('never'), 10);
process.exit(4);
` },
  { name: 'uncaughtException handler receives an unhandled rejection', entry: 'main.js', code: js`process.on('uncaughtException', (err, origin) => console.log('caught:', err.message, origin));
Promise.reject(new Error('rejected'));
setTimeout(() => console.log('still alive'), 1);
` },
  { name: 'a throw inside the uncaughtException handler exits with 7', entry: 'main.js', code: js`process.on('uncaughtException', () => { throw new Error('handler failed'); });
throw new Error('first');
` },
  { name: 'unhandledRejection and rejectionHandled events', entry: 'main.js', code: js`process.on('unhandledRejection', (r) => console.log('unhandled', r.message));
process.on('rejectionHandled', () => console.log('handled later'));
const p = Promise.reject(new Error('late'));
setTimeout(() => p.catch(() => console.log('caught')), 5);
` },
  { name: 'process.emitWarning: type, code and the warning event', entry: 'main.js', code: js`process.on('warning', (w) => console.log('event:', w.name, w.code, w.message));
process.emitWarning('something odd', { type: 'CustomWarning', code: 'LS001' });
process.emitWarning('plain');
` },
  { name: 'process basics a lesson may print', entry: 'main.js', code: js`console.log(typeof process.pid, process.argv.length, typeof process.hrtime.bigint(), process.argv[1].endsWith('main.js'), process.cwd() === __dirname);
console.log(typeof process.memoryUsage().heapUsed, process.platform === require('node:os').platform());
` },
  // ---------------------------------------------------------------- uncaught output
  { name: 'uncaught error header: file:line, source line and caret', entry: 'main.js', code: js`function fail() {
  null.boom;
}
fail();
` },
  { name: 'uncaught error with cause and code', entry: 'main.js', code: js`const e = new Error('outer', { cause: new Error('inner') });
e.code = 'E_OUTER';
throw e;
` },
  { name: 'throwing a non-error value', entry: 'main.js', code: js`throw { reason: 'plain object', n: 1 };
` },
  { name: 'unhandled rejection with a non-error reason', entry: 'main.js', code: js`Promise.reject('just a string');
` },
  { name: 'syntax error reported by node', entry: 'main.js', code: js`console.log('never');
const = 5;
` },
  // ---------------------------------------------------------------- start-up ordering, module systems
  { name: 'CommonJS: nextTick before promises at start-up, then immediates and timers', entry: 'main.cjs', code: js`setImmediate(() => console.log('immediate'));
Promise.resolve().then(() => console.log('promise'));
process.nextTick(() => console.log('tick'));
queueMicrotask(() => console.log('microtask'));
console.log('sync');
` },
  { name: 'ES module: promises before nextTick at start-up', entry: 'main.mjs', code: js`process.nextTick(() => console.log('tick'));
Promise.resolve().then(() => console.log('promise'));
console.log('sync');
` },
  { name: 'ES module live bindings', entry: 'main.mjs', code: js`import { count, increment } from './counter.mjs';
console.log(count);
increment();
increment();
console.log(count);
`, files: [{ path: 'counter.mjs', text: 'export let count = 0;\nexport function increment() { count++; }\n' }] },
  { name: 'CommonJS require cache, module.exports and circular requires', entry: 'main.js', code: js`const a = require('./a.js');
console.log(a.name, a.fromB, require('./a.js') === a, require.main === module);
`, files: [{ path: 'a.js', text: "exports.name = 'a';\nconst b = require('./b.js');\nexports.fromB = b.seenA;\n" }, { path: 'b.js', text: "const a = require('./a.js');\nexports.seenA = a.name;\n" }] },
  { name: 'importing CommonJS from ESM and dynamic import', entry: 'main.mjs', code: js`import cjs, { named } from './lib.cjs';
console.log(cjs.named, named);
const mod = await import('./lib.cjs');
console.log(mod.default === cjs, typeof import.meta.url, import.meta.filename.endsWith('main.mjs'));
`, files: [{ path: 'lib.cjs', text: "exports.named = 'N';\n" }] },
  { name: 'top-level await orders with timers', entry: 'main.mjs', code: js`console.log('a');
await new Promise((r) => setTimeout(r, 2));
console.log('b');
setImmediate(() => console.log('c'));
await null;
console.log('d');
` },
  { name: 'TypeScript types are stripped; enums need a real compiler', entry: 'main.ts', code: js`interface P { x: number }
const p: P = { x: 2 };
function twice(n: number): number { return n * 2; }
console.log(twice(p.x) as number);
type T = string | number;
const t: T = 'ok';
console.log(t);
` },
  // ---------------------------------------------------------------- Function.prototype.toString
  { name: 'Function.prototype.toString shows the source as written', entry: 'main.js', code: js`function add(a, b) {
  // adds
  return a + b;
}
const arrow = (x) => x * 2;
async function later() { await null; return 1; }
function* gen() { yield 1; }
class K { method() { return 'm'; } }
console.log(add.toString());
console.log(String(arrow), later.toString(), gen.toString());
console.log(K.prototype.method.toString(), String(K).split('\n')[0]);
` },
  // ---------------------------------------------------------------- stack frames
  { name: 'stack frames name methods, constructors and top-level code', entry: 'main.js', code: js`class Account {
  constructor(balance) { this.balance = balance; if (balance < 0) throw new Error('negative'); }
  withdraw(n) { if (n > this.balance) throw new Error('insufficient funds'); this.balance -= n; }
}
try { new Account(5).withdraw(10); } catch (e) { console.log(e.stack.split('\n').slice(0, 3).join('\n')); }
try { new Account(-1); } catch (e) { console.log(e.stack.split('\n').slice(0, 3).join('\n')); }
` },
  { name: 'Error.captureStackTrace and stackTraceLimit', entry: 'main.js', code: js`function f() { const o = {}; Error.captureStackTrace(o); return o.stack.split('\n').length > 1; }
console.log(f());
Error.stackTraceLimit = 1;
function a() { return new Error('x').stack.split('\n').length; }
console.log(a());
` },
  // ---------------------------------------------------------------- workers
  { name: 'worker error classes survive to the parent', entry: 'main.js', code: js`const { Worker } = require('node:worker_threads');
const w = new Worker('./w.js');
w.on('error', (e) => console.log(e.constructor.name, e.message, e.code));
w.on('exit', (c) => console.log('exit', c));
`, files: [{ path: 'w.js', text: "const e = new RangeError('too far');\ne.code = 'E_RANGE';\nthrow e;\n" }] },
  { name: 'worker resourceLimits and threadId', entry: 'main.js', code: js`const { Worker } = require('node:worker_threads');
const w = new Worker('./w.js', { resourceLimits: { maxOldGenerationSizeMb: 16 } });
w.on('message', (m) => console.log('limits', m));
w.on('exit', (c) => console.log('exit', c));
`, files: [{ path: 'w.js', text: "const { parentPort, resourceLimits } = require('node:worker_threads');\nparentPort.postMessage(resourceLimits.maxOldGenerationSizeMb);\n" }] },
  { name: 'ports inside workerData and port close events', entry: 'main.mjs', code: js`import { Worker, MessageChannel } from 'node:worker_threads';
const { port1, port2 } = new MessageChannel();
const w = new Worker(new URL('./w.mjs', import.meta.url), { workerData: { port: port2 }, transferList: [port2] });
port1.on('message', (m) => { console.log('via port:', m); port1.close(); });
port1.on('close', () => console.log('port closed'));
`, files: [{ path: 'w.mjs', text: "import { workerData } from 'node:worker_threads';\nworkerData.port.postMessage('hello');\nworkerData.port.close();\n" }] },
  { name: 'CommonJS worker script: nextTick before promises', entry: 'main.js', code: js`const { Worker } = require('node:worker_threads');
new Worker('./w.js').on('exit', () => console.log('worker done'));
`, files: [{ path: 'w.js', text: "Promise.resolve().then(() => console.log('promise'));\nprocess.nextTick(() => console.log('tick'));\nconsole.log('worker sync');\n" }] },
  { name: 'worker eval and SHARE_ENV are real options', entry: 'main.js', code: js`const { Worker } = require('node:worker_threads');
const w = new Worker("require('node:worker_threads').parentPort.postMessage(6 * 7)", { eval: true });
w.on('message', (m) => console.log('eval says', m));
` },
  // ---------------------------------------------------------------- timers and promises
  { name: 'timers/promises setInterval async iterator', entry: 'main.mjs', code: js`import { setInterval as every } from 'node:timers/promises';
let n = 0;
for await (const v of every(2, 'tick')) { console.log(v, ++n); if (n === 3) break; }
console.log('done');
` },
  { name: 'timer refresh, unref and hasRef', entry: 'main.js', code: js`const t = setTimeout(() => console.log('fired'), 5);
console.log(t.hasRef());
t.unref();
console.log(t.hasRef());
t.ref();
const never = setInterval(() => {}, 1000);
never.unref();
` },
  { name: 'Promise combinators and AggregateError output', entry: 'main.js', code: js`Promise.any([Promise.reject(new Error('a')), Promise.reject(new Error('b'))]).catch((e) => console.log(e.constructor.name, e.errors.map((x) => x.message)));
Promise.allSettled([1, Promise.reject(2)]).then((r) => console.log(JSON.stringify(r)));
Promise.race([new Promise((r) => setTimeout(r, 5, 'slow')), 'now']).then((v) => console.log('race', v));
Promise.withResolvers && console.log(typeof Promise.withResolvers().resolve);
` },
  { name: 'thenable adoption takes extra ticks', entry: 'main.js', code: js`const thenable = { then(r) { console.log('then called'); r('value'); } };
Promise.resolve(thenable).then((v) => console.log('adopted', v));
Promise.resolve().then(() => console.log('p1')).then(() => console.log('p2')).then(() => console.log('p3'));
` },
  { name: 'async iteration helpers: Array.fromAsync', entry: 'main.mjs', code: js`async function* g() { yield 1; await null; yield 2; }
console.log(await Array.fromAsync(g()));
console.log(await Array.fromAsync([Promise.resolve(3), 4]));
` },
  { name: 'using and await using dispose in order', entry: 'main.mjs', code: js`class R { constructor(n) { this.n = n; } [Symbol.dispose]() { console.log('dispose', this.n); } }
{
  using a = new R(1);
  using b = new R(2);
  console.log('body');
}
console.log('after');
` },
  // ---------------------------------------------------------------- fs inside the lesson folder
  { name: 'fs reads the lesson folder; readFile callback runs after immediates scheduled in the script', entry: 'main.js', code: js`const fs = require('node:fs');
fs.readFile(__filename, 'utf8', (err, text) => console.log('read', err, text.length > 10));
setImmediate(() => console.log('immediate'));
console.log(fs.readdirSync(__dirname).includes('main.js'), fs.existsSync('data.txt'), fs.readFileSync('data.txt', 'utf8'));
`, files: [{ path: 'data.txt', text: 'lesson data' }] },
  { name: 'fs.promises and writes inside the lesson folder', entry: 'main.mjs', code: js`import { writeFile, readFile, unlink } from 'node:fs/promises';
await writeFile('out.txt', 'written');
console.log(await readFile('out.txt', 'utf8'));
await unlink('out.txt');
console.log('removed');
` },
  { name: 'JSON, Intl and Date formatting', entry: 'main.js', code: js`console.log(JSON.stringify({ a: [1, { b: 2 }] }, null, 2));
console.log(new Intl.NumberFormat('en-US').format(1234567.891), new Date(0).toISOString());
console.log([3, 1, 2].toSorted(), Object.groupBy([1, 2, 3], (x) => (x % 2 ? 'odd' : 'even')));
` },
];
import { MORE_PLATFORM_CASES } from './platform/index.ts'; (PLATFORM_CASES as PlatformCase[]).push(...MORE_PLATFORM_CASES); // area files: test/conformance/platform/
