/** Payloads that go looking for a host object: globals, modules, process internals, import(), WebAssembly. */
import { WASM_BYTES, js } from './payload.ts';
import type { Payload } from './payload.ts';

export const reachPayloads: readonly Payload[] = [
  {
    name: 'constructor chains through this, sloppy this and globalThis',
    entry: 'main.js',
    code: js`
const sloppyThis = (function () { return this; })();
__probe('top-level this', this);
__probe('sloppy this', sloppyThis);
__probe('globalThis', globalThis);
try { __tryFunctionCtor('this.constructor.constructor', this.constructor.constructor); } catch (e) { __probe('error', e); }
try { __tryFunctionCtor('globalThis.constructor', globalThis.constructor); } catch (e) { __probe('error', e); }
try { __tryFunctionCtor('sloppyThis.constructor.constructor', sloppyThis.constructor.constructor); } catch (e) { __probe('error', e); }
console.log('global prototype: ' + String(Object.getPrototypeOf(globalThis)));
__probe('Object', Object);
__probe('Function', Function);
__probe('eval', eval);
__check('indirect eval this', (0, eval)('this'));
__check('new Function this', new Function('return this')());
__done();
`,
  },
  {
    name: 'every injected global: timers, console, queueMicrotask, process, structuredClone, performance, …',
    entry: 'main.js',
    code: js`
const names = ['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate', 'queueMicrotask',
  'structuredClone', 'console', 'process', 'performance', 'TextEncoder', 'TextDecoder', 'URL', 'Event', 'EventTarget',
  'AbortController', 'AbortSignal', 'Atomics', 'SharedArrayBuffer', 'ArrayBuffer', 'Int32Array', 'Uint8Array', 'global'];
for (const name of names) {
  const value = globalThis[name];
  __probeDeep(name, value);
  if (typeof value === 'function' && value.prototype) __probeDeep(name + '.prototype', value.prototype);
}
for (const [name, value] of [['require', require], ['module', module], ['exports', exports], ['process.nextTick', process.nextTick],
  ['console.log', console.log], ['process.stdout', process.stdout], ['process.hrtime', process.hrtime], ['process.memoryUsage', process.memoryUsage]]) {
  __probeDeep(name, value);
}
__probeDeep('new TextEncoder()', new TextEncoder());
__probeDeep('new URL()', new URL('file:///x'));
__probeDeep('new AbortController()', new AbortController());
__probeDeep('AbortSignal.timeout()', AbortSignal.timeout(1));
__probeDeep('process.memoryUsage()', process.memoryUsage());
__probeDeep('process.hrtime()', process.hrtime());
console.log('process.env keys: ' + Object.keys(process.env).length);
__done();
`,
    expectStdout: ['process.env keys: 0'],
  },
  {
    name: 'reachability walk: every object reachable from globalThis (properties, getters, prototypes)',
    entry: 'main.js',
    code: js`
const queue = [['globalThis', globalThis], ['require', require], ['module', module]];
const seen = new Set();
let visited = 0;
while (queue.length && visited < 20000) {
  const [path, value] = queue.shift();
  if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value)) continue;
  seen.add(value);
  visited++;
  __probe(path, value);
  let keys = [];
  try { keys = Reflect.ownKeys(value); } catch (e) { continue; }
  for (const k of keys) {
    if (path.length > 200) break;
    let v;
    try { v = Reflect.get(value, k); } catch (e) { __probe(path + ' getter error', e); continue; }
    queue.push([path + '.' + String(k), v]);
  }
  try { queue.push([path + '.__proto__', Object.getPrototypeOf(value)]); } catch (e) {}
}
console.log('walked ' + (visited > 100 ? 'many' : 'few') + ' objects');
__done();
`,
    // Real Node's globals: the walk calls getters such as WritableStreamDefaultWriter.prototype.closed on their
    // prototypes, which return rejected promises: plain node ends this program with an unhandled rejection too.
    expectEnd: 'unhandled rejection',
    expectStdout: ['walked many objects'],
  },
  {
    name: "require, every built-in module's exports, node:events and async-mutex",
    entry: 'main.js',
    code: js`
const specs = ['node:events', 'events', 'node:timers', 'node:timers/promises', 'node:worker_threads', 'node:os', 'node:util',
  'node:assert', 'node:assert/strict', 'node:perf_hooks', '@loopscope/kit', 'async-mutex'];
let loaded = 0;
for (const spec of specs) {
  let mod;
  try { mod = require(spec); loaded++; } catch (e) { __probe('require error ' + spec, e); continue; }
  __probeDeep(spec, mod);
  if (mod && typeof mod === 'object') for (const k of Object.keys(mod)) { try { if (mod[k] && mod[k].prototype) __probeDeep(spec + '.' + k + '.prototype', mod[k].prototype); } catch (e) {} }
}
console.log('loaded ' + loaded + ' of ' + specs.length + ' modules');
const EventEmitter = require('node:events');
const emitter = new EventEmitter();
emitter.on('x', function (...args) { __probe('listener this', this); for (const a of args) __probe('listener arg', a); });
emitter.emit('x', 1, {});
__probeDeep('emitter', emitter);
const { Mutex, Semaphore } = require('async-mutex');
const mutex = new Mutex();
__probeDeep('mutex', mutex);
__probeDeep('Mutex.prototype', Mutex.prototype);
__probeDeep('new Semaphore', new Semaphore(2));
mutex.acquire().then((release) => {
  __probe('mutex release function', release);
  release();
  return mutex.runExclusive(() => 'exclusive');
}).then((v) => {
  console.log('mutex ran ' + v);
  const util = require('node:util');
  __probe('util.promisify result', util.promisify((cb) => cb(null, 1)));
  __probe('util.inspect', util.inspect);
  return require('node:events').once(emitter, 'later');
}).then((args) => {
  __probe('events.once result', args);
  __done();
});
setTimeout(() => emitter.emit('later', 'v'), 1);
`,
    expectStdout: ['loaded 12 of 12 modules', 'mutex ran exclusive'],
  },
  {
    name: 'import() of host modules and files, import.meta',
    entry: 'main.mjs',
    code: js`
const specs = ['node:fs', 'fs', 'node:child_process', 'node:vm', 'node:module', 'node:process', 'process', 'node:net', 'node:inspector',
  'data:text/javascript,export default globalThis.process', 'file:///etc/passwd', '/etc/passwd', '../../../../../../etc/passwd',
  'file://' + __CANARY, __CANARY, './helper.mjs?x', 'node:worker_threads'];
let failed = 0;
for (const spec of specs) {
  try {
    const ns = await import(spec);
    __probeDeep('import ' + spec, ns);
    if (ns && ns.default) __probeDeep('import default ' + spec, ns.default);
  } catch (e) {
    failed++;
    __probeDeep('import error ' + spec, e);
  }
}
console.log('imports refused: ' + failed);
__probeDeep('import.meta', import.meta);
try { __probe('import.meta.resolve', import.meta.resolve); __probe('resolve result', import.meta.resolve('node:fs')); } catch (e) { __probeDeep('resolve error', e); }
try { __probe('import.meta.resolve canary', import.meta.resolve(__CANARY)); } catch (e) { __probeDeep('resolve error', e); }
__done();
`,
    // A lesson file under a query string (not main.mjs itself: importing the module that is awaiting the import
    // never settles, in plain node as here — exit code 13).
    files: [{ path: 'helper.mjs', text: 'export const helper = 1;\n' }],
  },
  {
    name: 'process internals: binding, dlopen, mainModule, getBuiltinModule, _linkedBinding, env, …',
    entry: 'main.js',
    code: js`
const keys = ['binding', '_linkedBinding', 'dlopen', 'mainModule', 'getBuiltinModule', 'reallyExit', '_rawDebug', 'report', 'kill', 'abort',
  'chdir', 'setuid', 'openStdin', '_getActiveHandles', 'permission', 'channel', 'send', 'moduleLoadList', 'config', 'execPath',
  'debugPort', '_debugProcess', 'constrainedMemory', 'loadEnvFile', 'setSourceMapsEnabled', 'features'];
for (const k of keys) {
  let v;
  try { v = process[k]; } catch (e) { __probeDeep(k + ' getter error', e); continue; }
  console.log('process.' + k + ': ' + typeof v);
  __probeDeep('process.' + k, v);
}
for (const k of ['binding', '_linkedBinding', 'dlopen', 'getBuiltinModule']) {
  try { const r = process[k]('fs'); __probeDeep('process.' + k + '()', r); } catch (e) { __probeDeep('process.' + k + '() error', e); }
}
try { const m = process.mainModule; if (m && m.require) __probeDeep('mainModule.require', m.require('fs')); } catch (e) { __probe('e', e); }
console.log('env: ' + JSON.stringify(process.env) + ' argv0: ' + process.argv[0]);
__probeDeep('process', process);
__probeDeep('process.__proto__', Object.getPrototypeOf(process));
__done();
`,
    // The real process (a run is its own Node process): its internals exist, and what they reach is what the layers
    // allow (no marker: the canary stays unread); the environment is empty.
    expectStdout: ['process.binding: function', 'process.getBuiltinModule: function', 'env: {}'],
  },
  {
    name: "require('fs'), require('child_process'), module.constructor._load and other module internals",
    entry: 'main.js',
    code: js`
for (const spec of ['fs', 'node:fs', 'fs/promises', 'child_process', 'node:child_process', 'net', 'vm', 'module', 'process', 'inspector', 'v8', 'http', 'worker_threads/../fs', '../../../../../../etc/passwd', __CANARY]) {
  try {
    const m = require(spec);
    __probeDeep('require ' + spec, m);
    if (m && typeof m.readFileSync === 'function') console.log(__MARK + ' fs via require ' + m.readFileSync(__CANARY, 'utf8'));
  } catch (e) { __probeDeep('require error ' + spec, e); }
}
const M = module.constructor;
__probeDeep('module.constructor', M);
for (const k of ['_load', 'createRequire', '_resolveFilename', 'builtinModules', 'prototype', 'wrap', '_extensions', '_cache']) {
  try { const v = M && M[k]; console.log('module.constructor.' + k + ': ' + typeof v); __probeDeep(k, v); if (typeof v === 'function') __probe(k + '()', v('fs')); } catch (e) { __probeDeep('error', e); }
}
for (const k of ['require', 'parent', 'children', 'paths', 'main']) { try { __probeDeep('module.' + k, module[k]); } catch (e) {} }
for (const k of ['main', 'extensions', 'cache', 'resolve']) { try { __probeDeep('require.' + k, require[k]); } catch (e) {} }
try { __probe('module.require fs', module.require && module.require('fs')); } catch (e) { __probeDeep('e', e); }
__done();
`,
    // Real Node modules: module internals exist, and fs, child_process and the rest meet the layers (no marker).
    expectStdout: ['module.constructor._load: function'],
  },
  {
    name: 'WebAssembly: compiling a module that imports a function from the host',
    entry: 'main.js',
    code: js`
console.log('typeof WebAssembly: ' + typeof WebAssembly);
let W = globalThis.WebAssembly;
for (const candidate of [() => Function('return WebAssembly')(), () => (0, eval)('WebAssembly'), () => Object.getOwnPropertyDescriptor(globalThis, 'WebAssembly')]) {
  try { W = W || candidate(); } catch (e) {}
}
if (W && typeof W.Module === 'function') {
  try {
    const bytes = new Uint8Array(${WASM_BYTES});
    const instance = new W.Instance(new W.Module(bytes), { env: { f: function () { __probe('wasm import caller', arguments.callee.caller); } } });
    __probeDeep('wasm exports', instance.exports);
    instance.exports.run();
    console.log('wasm ran');
  } catch (e) { __probeDeep('wasm error', e); console.log('wasm refused: ' + e.message); }
  W.instantiate(new Uint8Array(${WASM_BYTES}), { env: { f() {} } }).then((r) => __probeDeep('instantiate', r), (e) => __probeDeep('instantiate error', e));
}
setTimeout(__done, 10);
`,
  },
];
