/** Payloads that make host code hand them something: errors, handles, callbacks, traps, inspection hooks. */
import { js } from './payload.ts';
import type { Payload } from './payload.ts';

export const hostValuePayloads: readonly Payload[] = [
  {
    name: 'host errors: errors thrown (or rejected) by every sandbox API',
    entry: 'main.js',
    code: js`
const { Worker, MessageChannel } = require('node:worker_threads');
const EventEmitter = require('node:events');
const attempts = [
  () => setTimeout('not a function'), () => setInterval(null), () => setImmediate(1), () => queueMicrotask(1), () => process.nextTick(1),
  () => structuredClone(() => {}), () => structuredClone(Symbol('s')), () => structuredClone({ get x() { throw new Error('getter'); } }),
  () => structuredClone(new Proxy({}, {})), () => structuredClone({}, { transfer: [1] }), () => structuredClone(new WeakMap()),
  () => require('fs'), () => require('./missing'), () => require('node:vm'), () => require(''), () => require(Symbol('s')),
  () => new Worker('./missing.js'), () => new Worker('x', { eval: true }), () => new Worker(new URL('file:///etc/passwd')),
  () => Atomics.wait(new Int32Array(4), 0, 0), () => Atomics.notify({}, 0), () => new ArrayBuffer(-1), () => new Int32Array(-1),
  () => new URL('not a url'), () => new EventEmitter().on('x', 5), () => new EventEmitter().emit('error', 'boom'),
  () => require('node:assert').strictEqual(1, 2), () => require('node:assert').deepStrictEqual({ a: 1 }, { a: 2 }),
  () => require('node:util').inspect(new Proxy({}, { get() { throw new Error('trap'); } })),
  () => console.log('%d %i %f', Symbol('a'), Symbol('b'), Symbol('c')), () => console.log(Object.create(null, { toString: { get() { throw new Error('x'); } } }) + ''),
  () => process.stdout.write(Symbol('s')), () => new MessageChannel().port1.postMessage(() => {}),
  () => new MessageChannel().port1.postMessage(new SharedArrayBuffer(8), [new SharedArrayBuffer(8)]),
  () => require('@loopscope/kit').sendSignal('SIGKILL'), () => require('@loopscope/kit').request(),
  () => require('node:timers/promises').setTimeout(1, null, { signal: AbortSignal.abort() }),
  () => require('node:os').userInfo(), () => process.hrtime(1), () => performance.measure(Symbol('s')),
];
let thrown = 0;
let rejected = 0;
attempts.forEach((attempt, i) => {
  try {
    const r = attempt();
    // A Worker reports a bad script as an 'error' event (real Node): listen, or it would end the run.
    if (r instanceof Worker) r.on('error', (e) => __probeDeep('worker error ' + i, e));
    if (r && typeof r.then === 'function') r.then((v) => __probe('result ' + i, v), (e) => { rejected++; __probeDeep('rejection ' + i, e); });
    else __probe('result ' + i, r);
  } catch (e) {
    thrown++;
    __probeDeep('error ' + i, e);
    try { __probe('error cause ' + i, e.cause); __probe('error errors ' + i, e.errors); __probe('error context ' + i, e.context); } catch (x) {}
  }
});
console.log('sandbox APIs threw: ' + (thrown > 20 ? 'yes' : 'too few (' + thrown + ')'));
const { readLessonFile } = require('@loopscope/kit');
readLessonFile('missing.txt', (err) => { __probeDeep('readLessonFile error', err); });
readLessonFile('missing.txt').catch((err) => { __probeDeep('readLessonFile rejection', err); });
const w = new Worker('./worker.js');
w.on('error', (err) => { __probeDeep('worker error event', err); });
w.on('exit', (code) => {
  __probe('terminate() promise', w.terminate());
  setTimeout(__done, 20);
});
`,
    files: [{ path: 'worker.js', text: "throw new TypeError('worker fails on purpose');\n" }],
    expectStdout: ['sandbox APIs threw: yes'],
  },
  {
    name: 'host objects: timer handles, immediates, Worker, MessagePort, MessageChannel, messages',
    entry: 'main.js',
    code: js`
const { Worker, MessageChannel, parentPort } = require('node:worker_threads');
function probeHandle(name, h) {
  __probeDeep(name, h);
  for (const s of Object.getOwnPropertySymbols(h)) { try { __probeDeep(name + '[' + String(s) + ']', h[s]); } catch (e) {} }
  for (const m of ['ref', 'unref', 'hasRef', 'refresh']) { try { if (typeof h[m] === 'function') __probe(name + '.' + m + '()', h[m]()); } catch (e) { __probe('error', e); } }
  try { __probe(name + ' primitive', h[Symbol.toPrimitive] && h[Symbol.toPrimitive]('number')); } catch (e) {}
}
const t = setTimeout(() => {}, 100000);
probeHandle('Timeout', t);
clearTimeout(t);
const iv = setInterval(() => {}, 100000);
probeHandle('Interval', iv);
clearInterval(iv);
const im = setImmediate(() => {});
probeHandle('Immediate', im);
clearImmediate(im);
const ch = new MessageChannel();
probeHandle('port1', ch.port1);
__probeDeep('MessageChannel', ch);
ch.port2.on('message', (m) => { __probeDeep('channel message', m); });
ch.port1.postMessage({ hello: 'world', nested: { port: 'x' } });
const w = new Worker('./worker.js', { workerData: { ask: 'send me what you can reach' } });
probeHandle('Worker', w);
w.on('message', (m) => {
  __probeDeep('worker message', m);
  console.log('worker says: ' + (m && m.reply));
  w.terminate().then((code) => { __probe('terminate result', code); ch.port1.close(); ch.port2.close(); __done(); });
});
`,
    files: [{ path: 'worker.js', text: "const { parentPort, workerData } = require('node:worker_threads');\nparentPort.postMessage({ reply: 'hi', data: workerData, port: null, self: typeof globalThis });\n" }],
    expectStdout: ['worker says: hi'],
  },
  {
    name: 'Error.prepareStackTrace replaced, CallSite getThis / getFunction of host frames',
    entry: 'main.js',
    code: js`
let spyCalls = 0;
function spy(err, frames) {
  spyCalls++;
  for (const f of frames) {
    try { __probe('CallSite', f); } catch (e) {}
    try { __probe('CallSite.getThis', f.getThis()); } catch (e) {}
    try { __probe('CallSite.getFunction', f.getFunction()); } catch (e) {}
    try { __probe('CallSite.getTypeName', f.getTypeName()); } catch (e) {}
  }
  return 'spied';
}
try { Error.prepareStackTrace = spy; } catch (e) { __probe('assign error', e); }
try { Object.defineProperty(Error, 'prepareStackTrace', { value: spy, writable: true, configurable: true }); } catch (e) { __probe('define error', e); }
try { Object.setPrototypeOf(Error, new Proxy(Object.getPrototypeOf(Error), { get(t, k, r) { return k === 'prepareStackTrace' ? spy : Reflect.get(t, k, r); } })); } catch (e) { __probe('proto error', e); }
const RealError = Error;
try { globalThis.Error = Object.assign(function Error(m) { return new RealError(m); }, { prepareStackTrace: spy, captureStackTrace: RealError.captureStackTrace }); } catch (e) {}
function capture(where) { try { const o = {}; RealError.captureStackTrace(o); String(o.stack); String(new RealError(where).stack); } catch (e) { __probe('capture error', e); } }
capture('top');
setTimeout(function () { capture('timer'); }, 0);
setImmediate(function () { capture('immediate'); });
process.nextTick(function () { capture('tick'); });
queueMicrotask(function () { capture('microtask'); });
Promise.resolve().then(function () { capture('then'); });
[3, 1, 2].sort(function (a, b) { capture('sort'); return a - b; });
console.log('%s', { toString() { capture('toString from console.log'); return 'formatted'; } });
console.log('%d', { valueOf() { capture('valueOf from console.log'); return 7; } });
structuredClone({ get x() { capture('getter from structuredClone'); return 1; } });
JSON.parse('{"a":1}', function (k, v) { capture('reviver'); return v; });
const EventEmitter = require('node:events');
const e = new EventEmitter();
e.on('x', function () { capture('listener'); });
e.emit('x');
setTimeout(function () {
  globalThis.Error = RealError;
  console.log('spy called: ' + (spyCalls > 0 ? 'yes' : 'no'));
  __done();
}, 10);
`,
    expectStdout: ['formatted', '7'],
  },
  {
    name: 'Proxy on err.name / err.message, thrown into console.log and the uncaught-error path',
    entry: 'main.js',
    code: js`
let trapCalls = 0;
let inTrap = false;
function deep(n) { return n === 0 ? 0 : 1 + deep(n - 1); }
const handler = {};
for (const trap of ['get', 'getOwnPropertyDescriptor', 'ownKeys', 'has', 'getPrototypeOf', 'apply', 'construct', 'defineProperty', 'set']) {
  handler[trap] = function (...args) {
    trapCalls++;
    if (!inTrap && trapCalls < 400) {
      inTrap = true;
      try {
        for (const a of args) __probe('trap ' + trap + ' arg', a);
        __probe('trap this', this);
        try { String(new Error('inside trap').stack); } catch (e) { __probe('stack error in trap', e); }
        // A stack overflow while host code is formatting the error (a few times: each costs many trace events).
        if (trap === 'get' && (args[1] === 'name' || args[1] === 'message' || args[1] === 'stack') && trapCalls < 60) {
          try { deep(1e6); } catch (e) { __probe('overflow in trap', e); }
        }
      } finally { inTrap = false; }
    }
    return Reflect[trap](...args);
  };
}
const perr = new Proxy(new Error('proxied'), handler);
const attempts = [
  () => console.log(perr), () => console.error(perr), () => console.log('%s|%o|%O|%j', perr, perr, perr, perr),
  () => console.dir(perr), () => console.table([perr]), () => console.log([perr, { e: perr }]), () => console.log(String(perr)),
  () => console.assert(false, perr), () => console.trace(perr), () => process.emitWarning(perr), () => structuredClone(perr),
  () => require('node:util').inspect(perr), () => require('node:util').format('%s', perr), () => require('node:assert').ok(false, perr),
];
for (const a of attempts) { try { a(); } catch (e) { __probeDeep('console error', e); } }
const named = new Error('named');
let nameReads = 0;
Object.defineProperty(named, 'name', { get() { if (++nameReads < 10) { try { deep(1e6); } catch (e) { __probe('overflow in name getter', e); } } return new Proxy({}, handler); } });
try { console.log(named); } catch (e) { __probeDeep('named error', e); }
process.on('uncaughtException', (err, origin) => { __probeDeep('uncaughtException arg', err); __probe('origin', origin); });
process.on('unhandledRejection', (reason, promise) => { __probeDeep('unhandledRejection reason', reason); __probeDeep('unhandledRejection promise', promise); });
setTimeout(() => { throw perr; }, 0);
setTimeout(() => { throw named; }, 1);
Promise.reject(perr);
setTimeout(() => { console.log('traps ran: ' + (trapCalls > 0 ? 'yes' : 'no')); __done(); }, 30);
`,
    expectStdout: ['traps ran: yes'],
  },
  {
    name: 'Promise Symbol.species, then and constructor hijacking (ES module with top-level await)',
    entry: 'main.mjs',
    code: js`
import { setTimeout as sleep } from 'node:timers/promises';
import { once, EventEmitter } from 'node:events';
import { Mutex } from 'async-mutex';
import { readLessonFile } from '@loopscope/kit';
const origThen = Promise.prototype.then;
Promise.prototype.then = function (onFulfilled, onRejected) {
  __probe('then this', this);
  __probe('then onFulfilled', onFulfilled);
  __probe('then onRejected', onRejected);
  return origThen.call(this, onFulfilled, onRejected);
};
class Evil extends Promise {
  static get [Symbol.species]() {
    return function Species(executor) { __probe('species executor', executor); return new Promise(executor); };
  }
}
Object.defineProperty(Promise, Symbol.species, { configurable: true, get() {
  return function PromiseSpecies(executor) { __probe('Promise species executor', executor); return new Evil(executor); };
} });
Object.defineProperty(Promise.prototype, 'constructor', { configurable: true, get() { return function Ctor(executor) { __probe('constructor executor', executor); return new Evil(executor); }; } });
const resolveHook = Promise.resolve;
Promise.resolve = function (v) { __probe('Promise.resolve arg', v); return resolveHook.call(this, v); };
await new Evil((resolve) => resolve(1));
await sleep(1);
const emitter = new EventEmitter();
setTimeout(() => emitter.emit('go', 1), 1);
await once(emitter, 'go');
const mutex = new Mutex();
await mutex.runExclusive(async () => { await null; });
await readLessonFile('main.mjs');
try { structuredClone(Promise.resolve(1)); } catch (e) { __probeDeep('clone a promise', e); }
console.log('awaits survived hijacking');
__done();
`,
    expectStdout: ['awaits survived hijacking'],
  },
  {
    name: "Symbol.for('nodejs.util.inspect.custom') on logged objects",
    entry: 'main.js',
    code: js`
const custom = Symbol.for('nodejs.util.inspect.custom');
let customCalls = 0;
function customInspect(depth, options, inspect) {
  customCalls++;
  __probe('custom this', this);
  __probeDeep('custom options', options);
  __probe('custom inspect fn', inspect);
  try { __probe('options.stylize', options.stylize); } catch (e) {}
  return 'custom!';
}
const obj = { [custom]: customInspect };
class Thing { [custom](...args) { return customInspect.apply(this, args); } }
const errWithCustom = Object.assign(new Error('e'), { [custom]: customInspect });
const attempts = [
  () => console.log(obj), () => console.dir(obj), () => console.log('%o %O', obj, obj), () => console.error([new Thing()]),
  () => console.table([obj]), () => console.log(errWithCustom), () => console.log(new Map([[obj, obj]])),
  () => require('node:util').inspect(obj), () => require('node:util').format('%s', obj), () => process.emitWarning(obj),
  () => require('node:assert').deepStrictEqual(obj, { other: 1 }),
];
for (const a of attempts) { try { a(); } catch (e) { __probeDeep('error', e); } }
console.log('custom inspect called ' + (customCalls > 0 ? 'sometimes' : 'never'));
__done();
`,
  },
  {
    name: 'arguments.callee.caller chains from callbacks the host calls (sloppy mode)',
    entry: 'main.js',
    code: js`
let walks = 0;
function walk(how, fn) {
  walks++;
  let f = fn;
  for (let i = 0; i < 40 && f; i++) {
    __probe(how + ' caller ' + i, f);
    try { f = f.caller; } catch (e) { __probe(how + ' caller error', e); break; }
  }
}
setTimeout(function timerCb() { walk('timer', arguments.callee.caller); walk('timer named', timerCb.caller); }, 0);
const iv = setInterval(function intervalCb() { walk('interval', arguments.callee.caller); clearInterval(iv); }, 1);
setImmediate(function () { walk('immediate', arguments.callee.caller); });
process.nextTick(function () { walk('tick', arguments.callee.caller); });
queueMicrotask(function () { walk('microtask', arguments.callee.caller); });
Promise.resolve().then(function () { walk('then', arguments.callee.caller); });
[2, 1].sort(function () { walk('sort', arguments.callee.caller); return 0; });
console.log('%s', { toString: function () { walk('toString from console.log', arguments.callee.caller); return 'x'; } });
console.log('%d', { valueOf: function () { walk('valueOf from console.log', arguments.callee.caller); return 1; } });
try { structuredClone({ get x() { walk('getter from structuredClone', arguments.callee.caller); return 1; } }); } catch (e) { __probe('e', e); }
JSON.stringify({ toJSON: function () { walk('toJSON', arguments.callee.caller); return 1; } });
try { new URL({ toString: function () { walk('URL toString', arguments.callee.caller); return 'file:///x'; } }); } catch (e) { __probe('e', e); }
const EventEmitter = require('node:events');
const e = new EventEmitter();
e.on('x', function () { walk('listener', arguments.callee.caller); });
e.emit('x');
const { MessageChannel } = require('node:worker_threads');
const ch = new MessageChannel();
ch.port2.on('message', function () { walk('port message', arguments.callee.caller); ch.port2.close(); ch.port1.close(); });
ch.port1.postMessage(1);
require('@loopscope/kit').readLessonFile('main.js', function () { walk('I/O callback', arguments.callee.caller); });
process.on('exit', function () { walk('exit listener', arguments.callee.caller); });
setTimeout(function () { console.log('walks: ' + (walks >= 10 ? 'enough' : walks)); __done(); }, 30);
`,
    expectStdout: ['walks: enough'],
  },
  {
    name: 'AbortSignal, EventTarget and timers/promises callbacks',
    entry: 'main.mjs',
    code: js`
import { setInterval as every, setTimeout as sleep } from 'node:timers/promises';
const signal = AbortSignal.timeout(1);
signal.addEventListener('abort', function (event) { __probe('abort listener this', this); __probeDeep('abort event', event); __probeDeep('abort reason', signal.reason); });
signal.onabort = function (...args) { for (const a of args) __probeDeep('onabort arg', a); };
const target = new EventTarget();
target.addEventListener('x', { handleEvent(e) { __probeDeep('handleEvent arg', e); } });
target.dispatchEvent(new Event('x'));
const controller = new AbortController();
const pending = sleep(1000, 'never', { signal: controller.signal }).catch((e) => { __probeDeep('aborted sleep', e); return 'aborted'; });
controller.abort(new Proxy({}, { get(t, k, r) { __probe('reason trap receiver', r); return Reflect.get(t, k, r); } }));
console.log('sleep ' + (await pending));
let ticks = 0;
for await (const v of every(1, 'tick')) { __probe('interval value', v); if (++ticks === 3) break; }
await sleep(5);
console.log('interval ticks: ' + ticks);
__done();
`,
    expectStdout: ['sleep aborted', 'interval ticks: 3'],
  },
  {
    name: 'console.log of exotic objects: revoked proxies, function proxies, hostile constructor getters',
    entry: 'main.js',
    code: js`
const { proxy: revoked, revoke } = Proxy.revocable({}, {});
revoke();
const trapAll = {};
let inTrap = false;
for (const trap of ['get', 'getOwnPropertyDescriptor', 'ownKeys', 'has', 'getPrototypeOf', 'apply']) {
  trapAll[trap] = (...args) => {
    if (!inTrap) { inTrap = true; try { for (const a of args) __probe('trap ' + trap, a); } finally { inTrap = false; } }
    return Reflect[trap](...args);
  };
}
const fnProxy = new Proxy(function target() {}, trapAll);
const hostile = Object.defineProperty({}, 'constructor', { get() { __probe('constructor getter caller', arguments.callee.caller); return Object; } });
const toStringTag = { get [Symbol.toStringTag]() { __probe('toStringTag getter caller', arguments.callee.caller); return 'Tag'; } };
const attempts = [() => console.log(revoked), () => console.log(fnProxy), () => console.log(hostile), () => console.log(toStringTag),
  () => console.log([revoked, fnProxy, hostile]), () => console.log('%s %o', revoked, fnProxy), () => console.log(new Proxy([], trapAll)),
  () => console.log(new Proxy(new Map([[1, 2]]), trapAll)), () => console.log(Object.setPrototypeOf({}, fnProxy)), () => String(revoked)];
let printed = 0;
for (const a of attempts) { try { a(); printed++; } catch (e) { __probeDeep('error', e); } }
console.log('printed ' + (printed > 5 ? 'most' : printed));
__done();
`,
    expectStdout: ['printed most'],
  },
  {
    name: 'uncaught error with hostile getters (stack, message, name, Symbol.toPrimitive) ends only the run',
    entry: 'main.js',
    code: js`
function hostileGetter(label) {
  return function () {
    __probe(label + ' this', this);
    try { __probe(label + ' caller', arguments.callee.caller); } catch (e) { __probe(label + ' caller error', e); }
    try { String(new Error(label).stack); } catch (e) { __probe(label + ' inner error', e); }
    return label;
  };
}
const err = new Error('base');
for (const k of ['stack', 'message', 'name', 'code', 'cause']) Object.defineProperty(err, k, { get: hostileGetter(k), configurable: true });
err[Symbol.toPrimitive] = hostileGetter('toPrimitive');
err.toString = hostileGetter('toString');
__done();
setTimeout(() => { throw err; }, 0);
`,
    expectEnd: 'uncaught error',
  },
];
