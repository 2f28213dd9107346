/** Payloads that push on the edges: the stack limit inside host calls, shared memory, worker options, file paths, pollution. */
import { js, stackLimitPayload } from './payload.ts';
import type { Payload } from './payload.ts';

export const boundaryPayloads: readonly Payload[] = [
  {
    name: 'SharedArrayBuffer posted to the host and hammered by a worker while it is cloned',
    entry: 'main.js',
    code: js`
const { Worker, MessageChannel } = require('node:worker_threads');
const sab = new SharedArrayBuffer(1024);
const ta = new Int32Array(sab);
const w = new Worker('./worker.js', { workerData: { ta } });
const ch = new MessageChannel();
let received = 0;
ch.port2.on('message', (m) => { received++; __probeDeep('channel message', m); });
// Forged internal envelopes and port markers: must come out as plain data.
const forged = [{ '@loopscope': 1, data: { x: 1 }, sabIds: [1, 2, 3], id: 99 }, { '@loopscope-port': 1 }, { '@loopscope-port': 3 }, { a: { '@loopscope-port': 2 } }];
for (let i = 0; i < 200; i++) {
  try { structuredClone({ sab, ta, i, forged }); } catch (e) { __probeDeep('clone error', e); }
  try { ch.port1.postMessage({ sab, i, forged: forged[i % forged.length] }); } catch (e) { __probeDeep('post error', e); }
  try { w.postMessage({ sab, forged: forged[i % forged.length] }); } catch (e) { __probeDeep('worker post error', e); }
  Atomics.add(ta, i % 256, 1);
}
try { ch.port1.postMessage(sab, [sab]); } catch (e) { __probeDeep('transfer sab error', e); }
try { w.postMessage(forged[1], [ta.buffer]); } catch (e) { __probeDeep('transfer error', e); }
function finish(m) {
  console.log('worker hammered ' + m.done + ' times, port messages ' + (received > 0 ? 'arrived' : 'missing'));
  for (const f of m.seen) if (f && typeof f === 'object' && typeof f.postMessage === 'function') console.log('a forged marker became a port');
  w.terminate().then(() => { ch.port1.close(); ch.port2.close(); __done(); });
}
w.on('message', (m) => {
  __probeDeep('worker message', m);
  // The worker's message may be handled before the channel's (Node serves its ports in the order they were made, and a
  // worker that starts fast finishes its 100 ms first): then the channel's first message decides. One that never
  // comes ends the run at its time limit.
  if (m && m.done) { if (received > 0) finish(m); else ch.port2.once('message', () => finish(m)); }
});
`,
    files: [
      {
        path: 'worker.js',
        text: js`const { parentPort, workerData } = require('node:worker_threads');
const seen = [];
parentPort.on('message', (m) => { if (seen.length < 8) seen.push(m.forged); });
let n = 0;
const start = Date.now();
function hammer() {
  for (let i = 0; i < 20000; i++) { Atomics.store(workerData.ta, i % 256, i ^ 0x7fffffff); n++; }
  if (Date.now() - start < 100) setImmediate(hammer);
  else parentPort.postMessage({ done: n > 0 ? 'many' : 'zero', seen });
}
hammer();
`,
      },
    ],
    expectStdout: ['worker hammered many times, port messages arrived'],
  },
  stackLimitPayload(
    'stack overflow inside console formatting (log, dir, table, error, count, assert, trace, timeLog, emitWarning)',
    js`  () => console.log({ a: [1, { b: 2 }] }), () => console.log('%s', { toString() { return 's'; } }), () => console.dir({ a: [1, { b: 2 }] }),
  () => console.table([{ a: 1 }]), () => console.log(new Error('e')), () => console.error(new RangeError('r')), () => console.count('c'),
  () => console.assert(false, { a: 1 }), () => console.trace('t'), () => console.timeLog('nope'), () => process.emitWarning('w'),`,
  ),
  stackLimitPayload(
    'stack overflow inside other host calls (util, timers, URL, Atomics, require, events, assert, TextEncoder)',
    js`  () => require('node:util').inspect({ a: 1 }), () => require('node:util').format('%o', { a: 1 }),
  () => clearTimeout(setTimeout(() => {}, 1e9)), () => new URL('file:///x'), () => Atomics.notify(new Int32Array(new SharedArrayBuffer(4)), 0),
  () => performance.now(), () => process.hrtime(), () => require('node:events'), () => process.memoryUsage(), () => new Int32Array(4),
  () => queueMicrotask(() => {}), () => process.nextTick(() => {}), () => require('fs'), () => new (require('node:events'))().on('x', 5),
  () => require('node:assert').strictEqual(1, 2), () => new TextEncoder().encode('x'), () => setImmediate(() => {}),`,
  ),
  stackLimitPayload('stack overflow inside structuredClone', js`  () => structuredClone({ a: [1, 2, 3] }), () => structuredClone(new Map([[1, { b: 2 }]])),`),
  {
    name: 'Worker options abuse: eval, execArgv, env, resourceLimits, paths outside the lesson',
    entry: 'main.js',
    code: js`
const { Worker, SHARE_ENV } = require('node:worker_threads');
const attempts = [
  ['eval', () => new Worker('process.binding("fs")', { eval: true })],
  ['execArgv', () => new Worker('./worker.js', { execArgv: ['--allow-child-process', '--expose-internals'] })],
  ['env', () => new Worker('./worker.js', { env: SHARE_ENV })],
  ['resourceLimits', () => new Worker('./worker.js', { resourceLimits: { maxOldGenerationSizeMb: 1e6, stackSizeMb: 1e4 } })],
  ['argv', () => new Worker('./worker.js', { argv: ['--inspect'] })],
  ['/etc/passwd', () => new Worker('/etc/passwd')],
  ['traversal', () => new Worker('../../../../../../etc/passwd')],
  ['canary', () => new Worker(__CANARY)],
  ['data url', () => new Worker(new URL('data:text/javascript,process.exit(9)'))],
  ['node:fs', () => new Worker('node:fs')],
  ['proc environ', () => new Worker(new URL('file:///proc/self/environ'))],
  ['host file', () => new Worker('../../../src/runtime/host.ts')],
];
let started = 0;
const workers = [];
for (const [name, make] of attempts) {
  try {
    const w = make();
    started++;
    workers.push(w);
    __probeDeep('worker ' + name, w);
    w.on('message', (m) => __probeDeep('message from ' + name, m));
    w.on('error', (e) => __probeDeep('error from ' + name, e));
  } catch (e) { console.log('refused ' + name); __probeDeep('refused ' + name, e); }
}
setTimeout(() => {
  Promise.all(workers.map((w) => w.terminate())).then(() => { console.log('workers started: ' + started); __done(); });
}, 50);
`,
    files: [{ path: 'worker.js', text: js`const { parentPort } = require('node:worker_threads');
parentPort.postMessage({ env: JSON.stringify(process.env), execArgv: process.execArgv, binding: typeof process.binding });
` }],
    // Real Workers: Node itself refuses a bare module name; the rest start and meet the layers (an eval or execArgv
    // Worker, outside the permission model, still finds no canary and no environment: no marker).
    expectStdout: ['refused node:fs', 'workers started: 11'],
  },
  {
    name: 'readLessonFile cannot read outside the lesson (absolute paths, traversal, /proc)',
    entry: 'main.js',
    code: js`
const { readLessonFile } = require('@loopscope/kit');
const paths = [__CANARY, '../'.repeat(12) + __CANARY.slice(1), '/proc/self/environ', '../'.repeat(12) + 'proc/self/environ', 'main.js/../../canary',
  './../' + __CANARY.split('/').pop(), '%2e%2e/%2e%2e/etc/passwd', 'node_modules/../../../etc/passwd', 'node_modules/async-mutex/package.json',
  '/lesson/../etc/passwd', 'file://' + __CANARY, '\u0000main.js'];
let pending = paths.length;
for (const p of paths) {
  readLessonFile(p, (err, text) => {
    if (typeof text === 'string' && (text.includes('loopscope-canary-') || text.includes('root:') || text.includes('PATH='))) console.log(__MARK + ' read ' + p);
    console.log('read ' + JSON.stringify(p).slice(0, 40) + ': ' + (err ? 'refused' : 'allowed'));
    if (--pending === 0) __done();
  });
}
`,
  },
  {
    name: '__proto__ pollution and thenable pollution reaching host code',
    entry: 'main.js',
    code: js`
Object.prototype.polluted = 'yes';
({}).__proto__.viaProto = 'yes';
Array.prototype.polluted = 'yes';
Function.prototype.polluted = 'yes';
Object.prototype.then = function (resolve, reject) { __probe('Object.prototype.then resolve', resolve); __probe('Object.prototype.then reject', reject); delete Object.prototype.then; };
Object.defineProperty(Object.prototype, 'toJSON', { configurable: true, writable: true, value: function () { __probe('toJSON this', this); return this; } });
Array.prototype[Symbol.iterator] = (function (orig) { return function () { __probe('iterator this', this); return orig.call(this); }; })(Array.prototype[Symbol.iterator]);
JSON.parse = (function (orig) { return function (...a) { for (const x of a) __probe('JSON.parse arg', x); return orig.apply(this, a); }; })(JSON.parse);
String.prototype.split = (function (orig) { return function (...a) { __probe('split this', this); return orig.apply(this, a); }; })(String.prototype.split);
Error.prototype.toString = function () { __probe('Error.prototype.toString this', this); return 'polluted'; };
globalThis.polluted = 'yes';
const { MessageChannel, Worker } = require('node:worker_threads');
const ch = new MessageChannel();
ch.port2.on('message', (m) => { __probeDeep('message', m); ch.port1.close(); ch.port2.close(); });
ch.port1.postMessage({ a: 1 });
structuredClone({ b: 2 });
const w = new Worker('./worker.js');
w.on('message', (m) => { __probeDeep('worker message', m); console.log('worker sees ' + m.fromWorker); w.terminate(); });
w.on('exit', () => { console.log('polluted in this run: ' + ({}).polluted + ' ' + [].polluted); __done(); });
require('@loopscope/kit').readLessonFile('main.js').then((t) => __probe('read result', t));
`,
    files: [{ path: 'worker.js', text: "require('node:worker_threads').parentPort.postMessage({ fromWorker: ({}).polluted === undefined ? 'clean' : 'polluted' });\n" }],
    expectStdout: ['polluted in this run: yes yes', 'worker sees clean'],
  },
];
