/**
 * Payloads that replace or pollute the built-ins the sandbox's own in-context code might call at run time
 * (Object.prototype, Array.prototype, String.prototype, Map.prototype, Reflect, Promise, the array iterator), then
 * drive the module loader, the console, timers, workers and messages so every value those replacements are
 * handed is probed for a host-realm object. They also plant `execArgv`, `env` and `eval` on every prototype
 * a Worker's option bag could inherit from before starting a Worker (Node drops the permission model in a
 * Worker that is given any execArgv).
 */
import { js } from './payload.ts';
import type { Payload } from './payload.ts';

const FOREIGN = js`
/** Prints the escape marker when v is an object of another realm (its prototype chain ends at another Object.prototype). */
function __foreign(how, v) {
  if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return;
  let root = v;
  try { for (let i = 0; i < 1000; i++) { const next = Reflect.getPrototypeOf(root); if (next === null) break; root = next; } } catch (e) { return; }
  // Another realm's Object.prototype (its own constructor is an Object function) — not a null-rooted internal class
  // of Node's (the ESM loader's prototype chain ends at null too, in plain node as here).
  let isObjectProto = false;
  try { const d = Reflect.getOwnPropertyDescriptor(root, 'constructor'); isObjectProto = !!d && typeof d.value === 'function' && d.value.name === 'Object'; } catch (e) {}
  if (root !== v && root !== Object.prototype && isObjectProto) console.log(__MARK + ' host-realm object handed to ' + how);
}
`;

const POLLUTE = FOREIGN + js`
const __seen = new WeakSet();
const __apply = Reflect.apply, __wsHas = WeakSet.prototype.has, __wsAdd = WeakSet.prototype.add;
let __busy = false;
/** Probes a value once (objects only); never re-enters while probing (the probe itself calls the spies). */
function __look(how, v) {
  if (__busy || v === null || (typeof v !== 'object' && typeof v !== 'function') || __apply(__wsHas, __seen, [v])) return;
  __busy = true;
  try { __apply(__wsAdd, __seen, [v]); __foreign(how, v); __probe(how, v); } catch (e) {} finally { __busy = false; }
}
function __spy(owner, name) {
  const orig = owner[name];
  if (typeof orig !== 'function') return;
  Object.defineProperty(owner, name, {
    configurable: true, writable: true,
    value: function (...args) {
      if (!__busy) { __look('this of ' + name, this); for (let i = 0; i < args.length; i++) __look('argument of ' + name, args[i]); }
      return __apply(orig, this, args);
    },
  });
}
let __spies = 0;
for (const [owner, names] of [
  [Object.prototype, ['hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toString', 'valueOf', 'toLocaleString']],
  [Array.prototype, ['slice', 'map', 'filter', 'forEach', 'join', 'concat', 'push', 'pop', 'shift', 'unshift', 'splice', 'some', 'every', 'indexOf', 'includes', 'find']],
  [String.prototype, ['startsWith', 'endsWith', 'slice', 'split', 'indexOf', 'lastIndexOf', 'replace', 'includes', 'trim']],
  [Map.prototype, ['get', 'set', 'has', 'delete', 'entries', 'values', 'keys', 'forEach']],
  [Set.prototype, ['add', 'has', 'delete', 'values']],
  [WeakMap.prototype, ['get', 'set', 'has', 'delete']],
  [Promise.prototype, ['then', 'catch', 'finally']],
  [Promise, ['resolve', 'reject', 'all']],
  [Function.prototype, ['call', 'apply', 'bind']],
  [Object, ['keys', 'create', 'assign', 'freeze', 'getPrototypeOf', 'getOwnPropertyNames', 'defineProperty', 'entries']],
  [Array, ['from', 'isArray']],
  [Reflect, ['apply', 'construct', 'ownKeys', 'get']],
  [JSON, ['parse', 'stringify']],
]) for (const n of names) { __spy(owner, n); __spies++; }
// Getters planted on every prototype: reading a missing property of any context object runs them.
for (const proto of [Object.prototype, Array.prototype, Function.prototype]) {
  for (const key of ['execArgv', 'env', 'eval', 'argv', 'resourceLimits', 'workerData', 'packages', 'then', 'process']) {
    if (Object.prototype.hasOwnProperty.call(proto, key)) continue;
    Object.defineProperty(proto, key, { configurable: true, get() { __look('getter ' + key + ' on', this); return key === 'execArgv' ? ['--expose-internals'] : key === 'env' ? { POLLUTED: '1' } : undefined; } });
  }
}
const __iterNext = Object.getPrototypeOf([][Symbol.iterator]()).next;
Object.getPrototypeOf([][Symbol.iterator]()).next = function () { __look('array iterator', this); return __apply(__iterNext, this, []); };
console.log('spies planted: ' + (__spies > 60 ? 'yes' : 'no'));
`;

export const pollutedPayloads: readonly Payload[] = [
  {
    // The escape found on main before runtime v2: the in-context loader called the (replaceable)
    // Object.prototype.hasOwnProperty with the host's package table as `this`.
    name: 'replaced Object.prototype.hasOwnProperty: importing a package hands the loader nothing from the host',
    entry: 'main.js',
    code: FOREIGN + js`
const realHas = Object.prototype.hasOwnProperty;
let calls = 0;
Object.prototype.hasOwnProperty = function (key) {
  calls++;
  __foreign('hasOwnProperty', this);
  __probe('hasOwnProperty this', this);
  return realHas.call(this, key);
};
const { Mutex } = require('async-mutex');
try { require('not-a-package'); } catch (e) { __probeDeep('unknown package', e); }
Object.prototype.hasOwnProperty = realHas;
console.log('mutex loaded: ' + (typeof Mutex));
setTimeout(__done, 10);
`,
    expectStdout: ['mutex loaded: function'],
  },
  {
    name: 'polluted built-ins: the module loader, packages, console and timers never hand a host object to a replaced built-in',
    entry: 'main.js',
    code: POLLUTE + js`
const results = [];
for (const spec of ['async-mutex', 'async-mutex/lib/Mutex', 'node:events', 'events', 'node:util', './helper', './helper.js', './missing', 'fs', 'node:vm', '@loopscope/kit', 'tslib']) {
  try { results.push(typeof require(spec)); } catch (e) { __probeDeep('require ' + spec, e); results.push('threw'); }
}
try { __probe('require.resolve', require.resolve('./helper')); } catch (e) { __probeDeep('require.resolve', e); }
import('./helper.js').then((ns) => __probe('dynamic import', ns), (e) => __probeDeep('dynamic import', e));
const { Mutex } = require('async-mutex');
const m = new Mutex();
m.runExclusive(async () => { await null; console.log('mutex ran'); });
console.log('loaded: ' + results.join(','));
console.table([{ a: 1 }]);
console.dir({ nested: { deep: [1, 2, 3] } }, { depth: 0 });
console.log('%s %d %j %o', 'x', 1, { j: 1 }, { o: 1 });
setTimeout(() => { Promise.reject(new Error('late')).catch((e) => __probeDeep('late rejection', e)); }, 1);
setImmediate(() => { process.nextTick(() => { queueMicrotask(() => setTimeout(__done, 20)); }); });
`,
    files: [{ path: 'helper.js', text: "module.exports = { helper: true };\n" }],
    expectStdout: ['spies planted: yes', 'loaded: ', 'mutex ran'],
  },
  {
    name: 'polluted prototypes with execArgv, env and eval: Workers, channels and messages still start sandboxed',
    entry: 'main.js',
    code: POLLUTE + js`
const { Worker, MessageChannel } = require('node:worker_threads');
const ch = new MessageChannel();
ch.port2.on('message', (m) => { __probe('channel message', m); ch.port2.close(); });
ch.port1.postMessage({ hello: [1, 2] });
// a BroadcastChannel (drawn as messages to each other instance) and a port only in a transfer list
const bcA = new BroadcastChannel('polluted'), bcB = new BroadcastChannel('polluted');
bcB.onmessage = (e) => { __probe('broadcast message', e); bcA.close(); bcB.close(); };
bcA.postMessage({ hi: [3] });
const side = new MessageChannel(), carried = new MessageChannel();
side.port2.addEventListener('message', (e) => { __probe('transferred ports', e.ports); e.ports[0].close(); side.port2.close(); });
side.port1.postMessage('carrying', { transfer: [carried.port2] });
carried.port1.close();
const w = new Worker('./worker.js', { workerData: { n: 1, list: [1, 2, 3] } });
w.on('message', (m) => {
  __probe('worker message', m);
  console.log('worker said: ' + m.report);
});
w.on('error', (e) => __probeDeep('worker error', e));
w.on('exit', () => setTimeout(__done, 20));
`,
    files: [{
      path: 'worker.js',
      text: js`const { parentPort, workerData } = require('node:worker_threads');
let report = 'env=' + Object.keys(process.env).length;
try { require('fs').readFileSync('/etc/hostname', 'utf8'); report += ' fs=read'; } catch (e) { report += ' fs=denied'; }
parentPort.postMessage({ report, data: workerData });
`,
    }],
    // The Worker's option bag inherits the lesson's own polluted env and execArgv (real Node does that: env=1 is the
    // lesson's own variable); without the permission model in that Worker, the OS layer still denies the file.
    expectStdout: ['spies planted: yes', 'worker said: env=1 fs=denied'],
  },
];
