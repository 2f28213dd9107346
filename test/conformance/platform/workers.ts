/**
 * Platform conformance: worker_threads, MessageChannel, BroadcastChannel and Atomics — worker errors with and
 * without an 'error' listener, resourceLimits, ports in workerData and their close events, transfer, wait/notify
 * and waitAsync. Every program orders its output through messages or joins, so plain node prints it the same
 * way on every run. Compared with plain node.
 */
import type { PlatformCase } from '../platform-cases.ts';

const js = String.raw;

export const WORKER_CASES: readonly PlatformCase[] = [
  { name: 'worker: uncaught error without an error listener kills the parent', entry: 'main.js', code: js`const { Worker } = require('node:worker_threads');
new Worker('./w.js');
`, files: [{ path: 'w.js', text: "throw new TypeError('worker broke');\n" }] },
  { name: 'worker: error listener gets the error and exit code 1', entry: 'main.mjs', code: js`import { Worker } from 'node:worker_threads';
const w = new Worker(new URL('./w.mjs', import.meta.url));
w.on('error', (e) => console.log('error:', e.name, e.message, e instanceof Error));
w.on('exit', (code) => console.log('exit', code));
`, files: [{ path: 'w.mjs', text: "await null;\nthrow new SyntaxError('late failure');\n" }] },
  { name: 'worker: a thrown non-error value reaches the parent', entry: 'main.js', code: js`const { Worker } = require('node:worker_threads');
const w = new Worker('./w.js');
w.on('error', (e) => console.log('error:', typeof e, JSON.stringify(e)));
w.on('exit', (code) => console.log('exit', code));
`, files: [{ path: 'w.js', text: "throw { reason: 'plain object' };\n" }] },
  { name: 'worker: unhandled rejection in a worker is an error event', entry: 'main.js', code: js`const { Worker } = require('node:worker_threads');
const w = new Worker('./w.js');
w.on('error', (e) => console.log('error:', e.message));
w.on('exit', (code) => console.log('exit', code));
`, files: [{ path: 'w.js', text: "Promise.reject(new Error('rejected in worker'));\n" }] },
  { name: 'worker: process.exit in a worker ends only the worker', entry: 'main.js', code: js`const { Worker } = require('node:worker_threads');
const w = new Worker('./w.js');
w.on('exit', (code) => { console.log('worker exit', code); console.log('parent still running'); });
`, files: [{ path: 'w.js', text: "console.log('worker says bye');\nprocess.exit(3);\n" }] },
  { name: 'worker: terminate resolves with exit code 1', entry: 'main.mjs', code: js`import { Worker } from 'node:worker_threads';
const w = new Worker('setInterval(() => {}, 1000); require("node:worker_threads").parentPort.postMessage("up")', { eval: true });
w.once('message', async (m) => { console.log(m); console.log('terminated with', await w.terminate()); });
w.on('exit', (code) => console.log('exit event', code));
` },
  { name: 'worker: resourceLimits out of memory ends the worker with ERR_WORKER_OUT_OF_MEMORY', entry: 'main.js', code: js`const { Worker } = require('node:worker_threads');
const w = new Worker('./w.js', { resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 2 } });
w.on('error', (e) => console.log('error:', e.code, e.constructor.name));
w.on('exit', (code) => console.log('exit', code));
`, files: [{ path: 'w.js', text: "const keep = [];\nfor (;;) keep.push(new Array(1e5).fill({ x: keep.length }));\n" }] },
  { name: 'worker: workerData is cloned, not shared', entry: 'main.js', code: js`const { Worker } = require('node:worker_threads');
const data = { list: [1, 2], when: new Date(0), map: new Map([['k', 'v']]) };
const w = new Worker('./w.js', { workerData: data });
w.on('message', (m) => { console.log('worker saw', m); console.log('parent still has', data.list); });
`, files: [{ path: 'w.js', text: "const { workerData, parentPort } = require('node:worker_threads');\nworkerData.list.push(3);\nparentPort.postMessage([workerData.list, workerData.when instanceof Date, workerData.map.get('k')]);\n" }] },
  { name: 'worker: isMainThread, threadId and a worker name', entry: 'main.js', code: js`const { Worker, isMainThread, threadId } = require('node:worker_threads');
console.log('main', isMainThread, threadId);
const w = new Worker('./w.js', { name: 'helper' });
w.on('message', (m) => console.log('worker', m, w.threadId === m[1]));
`, files: [{ path: 'w.js', text: "const { isMainThread, threadId, parentPort } = require('node:worker_threads');\nparentPort.postMessage([isMainThread, threadId]);\n" }] },
  { name: 'worker: messages arrive in order and the parent closes after exit', entry: 'main.js', code: js`const { Worker } = require('node:worker_threads');
const w = new Worker('./w.js');
const got = [];
w.on('message', (m) => got.push(m));
w.on('exit', () => console.log(got.join(' ')));
`, files: [{ path: 'w.js', text: "const { parentPort } = require('node:worker_threads');\nfor (let i = 0; i < 10; i++) parentPort.postMessage(i);\n" }] },
  { name: 'worker: ping-pong over parentPort, then close', entry: 'main.mjs', code: js`import { Worker } from 'node:worker_threads';
const w = new Worker(new URL('./w.mjs', import.meta.url));
let n = 0;
w.on('message', (m) => { console.log('parent got', m); if (++n < 3) w.postMessage(m + 1); else w.postMessage('stop'); });
w.on('exit', (c) => console.log('exit', c));
w.postMessage(0);
`, files: [{ path: 'w.mjs', text: "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', (m) => { if (m === 'stop') parentPort.close(); else parentPort.postMessage(m * 10); });\n" }] },
  { name: 'worker: console output from a worker reaches stdout and stderr', entry: 'main.js', code: js`const { Worker } = require('node:worker_threads');
const w = new Worker('./w.js');
w.on('exit', () => console.log('parent after worker'));
`, files: [{ path: 'w.js', text: "console.log('worker log', { a: 1 });\nconsole.error('worker error line');\n" }] },
  { name: 'MessageChannel: messages, close event on both ports', entry: 'main.js', code: js`const { MessageChannel } = require('node:worker_threads');
const { port1, port2 } = new MessageChannel();
port2.on('message', (m) => { console.log('port2 got', m); if (m === 'last') port2.close(); });
port1.on('close', () => console.log('port1 close'));
port2.on('close', () => console.log('port2 close'));
port1.postMessage('first');
port1.postMessage('last');
` },
  { name: 'MessageChannel: receiveMessageOnPort reads synchronously', entry: 'main.js', code: js`const { MessageChannel, receiveMessageOnPort } = require('node:worker_threads');
const { port1, port2 } = new MessageChannel();
port1.postMessage({ n: 1 });
port1.postMessage({ n: 2 });
console.log(receiveMessageOnPort(port2));
console.log(receiveMessageOnPort(port2));
console.log(receiveMessageOnPort(port2));
port1.close();
` },
  { name: 'MessageChannel: transferring an ArrayBuffer detaches it', entry: 'main.js', code: js`const { MessageChannel } = require('node:worker_threads');
const { port1, port2 } = new MessageChannel();
const buf = new Uint8Array([1, 2, 3]).buffer;
port2.once('message', (m) => { console.log('received', new Uint8Array(m)); port2.close(); });
port1.postMessage(buf, [buf]);
console.log('after transfer', buf.byteLength);
try { port1.postMessage(() => 1); } catch (e) { console.log(e.name, e.message); }
` },
  { name: 'MessageChannel: port handed to a worker through postMessage transfer', entry: 'main.js', code: js`const { Worker, MessageChannel } = require('node:worker_threads');
const w = new Worker('./w.js');
const { port1, port2 } = new MessageChannel();
port1.on('message', (m) => { console.log('from worker port', m); port1.close(); });
const { once } = require('node:events');
w.postMessage({ port: port2 }, [port2]);
Promise.all([once(port1, 'close'), once(w, 'exit')]).then(([, [code]]) => console.log('port1 closed and worker exited', code));
`, files: [{ path: 'w.js', text: "const { parentPort } = require('node:worker_threads');\nparentPort.once('message', ({ port }) => { port.postMessage('hi'); port.close(); parentPort.close(); });\n" }] },
  { name: 'MessageChannel: onmessage, a post right after close, an unref’d listening port, a port sent through a port', entry: 'main.js', code: js`const { MessageChannel } = require('node:worker_threads');
const a = new MessageChannel();
a.port2.onmessage = (e) => {
  console.log('onmessage', e.data);
  if (e.data === 2) { a.port2.close(); a.port1.postMessage('after close'); }
};
a.port1.postMessage(1);
a.port1.postMessage(2);
a.port2.addEventListener('close', () => console.log('a closed'));
const b = new MessageChannel();
b.port2.on('message', (m) => console.log('never printed', m));
b.port2.unref(); // listening, but it does not keep the process alive
const c = new MessageChannel();
const d = new MessageChannel();
c.port2.once('message', ({ inner }) => {
  inner.on('message', (m) => { console.log('inner got', m); inner.close(); c.port1.close(); });
});
c.port1.postMessage({ inner: d.port2 }, [d.port2]);
d.port1.postMessage('through a transferred port');
console.log('sync done', typeof MessageChannel, new MessageChannel() instanceof MessageChannel);
const wt = require('node:worker_threads');
console.log(String(MessageChannel), MessageChannel === wt.MessageChannel, MessageChannel.length, wt.receiveMessageOnPort.length, String(wt.receiveMessageOnPort).split('\n')[0]);
` },
  { name: 'BroadcastChannel: a worker hears the main thread and answers', entry: 'main.js', code: js`const { Worker, BroadcastChannel } = require('node:worker_threads');
const bc = new BroadcastChannel('room');
const w = new Worker('./w.js');
const { once } = require('node:events');
const answered = new Promise((resolve) => {
  bc.onmessage = (e) => { console.log('main heard', e.data); if (e.data === 'ready') bc.postMessage('hello worker'); else { bc.close(); resolve(); } };
});
Promise.all([answered, once(w, 'exit')]).then(([, [code]]) => console.log('answered and worker exited', code));
`, files: [{ path: 'w.js', text: "const { BroadcastChannel } = require('node:worker_threads');\nconst bc = new BroadcastChannel('room');\nbc.onmessage = (e) => { bc.postMessage('worker heard ' + e.data); bc.close(); };\nbc.postMessage('ready');\n" }] },
  { name: 'BroadcastChannel: same-thread channels and close', entry: 'main.js', code: js`const a = new BroadcastChannel('c');
const b = new BroadcastChannel('c');
b.onmessage = (e) => { console.log('b got', e.data, e.constructor.name); a.close(); b.close(); };
a.postMessage({ x: 1 });
console.log(typeof BroadcastChannel, a.name);
` },
  { name: 'BroadcastChannel: traced instances look like Node’s (toString, errors, stacks), carry no extra message, and a worker on the name hears every post', entry: 'main.js', code: js`const wt = require('node:worker_threads');
const { BroadcastChannel, Worker, MessageChannel } = wt;
console.log(String(BroadcastChannel).split('\n')[0], BroadcastChannel === globalThis.BroadcastChannel, BroadcastChannel.length, BroadcastChannel.name);
const a = new BroadcastChannel('room');
console.log(require('node:util').inspect(a), a instanceof BroadcastChannel, a instanceof EventTarget, a.constructor === BroadcastChannel, Object.keys(a));
try { new BroadcastChannel(); } catch (e) { console.log(e.code, e.message, e.stack.split('\n').slice(0, 2).join(' | ').replace(/\(.*\//, '(')); }
try { BroadcastChannel('x'); } catch (e) { console.log(e.name, e.message); }
try { a.postMessage(() => 1); } catch (e) { console.log(e.name, e.message); }
const n = { toString() { console.log('name read'); return 'room'; } };
const b = new BroadcastChannel(n); // the name is read once, as in plain node
console.log(b.name);
const w = new Worker('./w.js');
const heard = { a: [], b: [] };
let allHeard;
const done = new Promise((resolve) => { allHeard = resolve; });
const hear = (who) => (e) => {
  heard[who].push(e.data + ' (' + e.constructor.name + ', ' + e.ports.length + ' ports)');
  if (heard.a.length + heard.b.length === 4) { a.close(); b.close(); allHeard(); }
};
a.onmessage = hear('a');
b.onmessage = hear('b');
// a port outside the value, only in the transfer list; the worker broadcasts once it has answered through it
const { port1, port2 } = new MessageChannel();
w.postMessage('port follows', [port2]);
port1.once('message', (m) => { console.log('via the transferred port:', m); port1.close(); w.postMessage('go'); });
// the worker's exit and the broadcasts come on different ports: their order is not fixed, the join's is
Promise.all([done, require('node:events').once(w, 'exit')]).then(([, [c]]) => console.log(heard, 'exit', c));
`, files: [{ path: 'w.js', text: "const { BroadcastChannel, parentPort } = require('node:worker_threads');\nconst bc = new BroadcastChannel('room');\nparentPort.onmessage = (e) => {\n  if (e.data !== 'go') { const port = e.ports[0]; port.postMessage('hello from ' + e.data); port.close(); return; }\n  bc.postMessage('one'); bc.postMessage('two'); bc.close(); parentPort.close();\n};\n" }] },
  { name: 'BroadcastChannel and a transferred port with the built-ins the tracer uses replaced by the lesson', entry: 'main.js', code: js`// Replaced built-ins note when they are called around the channel operations (Node's own calls there count in
// plain node too): the tracer must add none.
const calls = [];
let armed = false;
for (const [owner, name] of [[Math, 'imul'], [String.prototype, 'charCodeAt'], [Date, 'now'], [Object, 'getOwnPropertySymbols'], [Array.prototype, 'includes'], [Reflect, 'apply']]) {
  const orig = owner[name];
  owner[name] = function (...args) { if (armed) calls.push(name); return orig.apply(this, args); };
}
const desc = Object.getOwnPropertyDescriptor(Symbol.prototype, 'description');
Object.defineProperty(Symbol.prototype, 'description', { get() { if (armed) calls.push('description'); return desc.get.call(this); }, configurable: true });
const around = (what, fn) => { armed = true; try { return fn(); } finally { armed = false; console.log(what + ':', calls.splice(0).join(',') || 'none'); } };
const a = around('new', () => new BroadcastChannel('replaced'));
const b = around('new', () => new BroadcastChannel('replaced'));
const side = new MessageChannel(), carried = new MessageChannel();
b.onmessage = (e) => {
  console.log('b got', e.data);
  around('close', () => { a.close(); b.close(); });
  side.port2.addEventListener('message', (m) => { console.log('ports', m.ports.length); m.ports[0].close(); side.port2.close(); });
  around('post with a transfer list', () => side.port1.postMessage('carrying', [carried.port2]));
};
around('post', () => a.postMessage('hello'));
` },
  { name: 'Atomics: wait in a worker, notify from main', entry: 'main.js', code: js`const { Worker } = require('node:worker_threads');
const sab = new SharedArrayBuffer(8);
const ia = new Int32Array(sab);
const w = new Worker('./w.js', { workerData: sab });
w.on('message', (m) => {
  // the worker may not be asleep yet: changing cell 0 first makes a late wait return 'not-equal' at once
  if (m === 'waiting') { Atomics.store(ia, 1, 42); Atomics.store(ia, 0, 1); console.log('notified', Atomics.notify(ia, 0, 1) <= 1); }
  else console.log('worker:', m);
});
w.on('exit', () => console.log('exit'));
`, files: [{ path: 'w.js', text: "const { workerData, parentPort } = require('node:worker_threads');\nconst ia = new Int32Array(workerData);\nparentPort.postMessage('waiting');\nconst r = Atomics.wait(ia, 0, 0, 5000);\nparentPort.postMessage((r === 'ok' || r === 'not-equal' ? 'woken' : r) + ' value ' + Atomics.load(ia, 1));\n" }] },
  { name: 'Atomics: wait results not-equal and timed-out on the main thread', entry: 'main.js', code: js`const ia = new Int32Array(new SharedArrayBuffer(4));
Atomics.store(ia, 0, 5);
console.log(Atomics.wait(ia, 0, 4, 10));
console.log(Atomics.wait(ia, 0, 5, 1));
console.log(Atomics.add(ia, 0, 2), Atomics.sub(ia, 0, 1), Atomics.compareExchange(ia, 0, 6, 9), Atomics.exchange(ia, 0, 1), Atomics.load(ia, 0));
try { Atomics.wait(new Int32Array(4), 0, 0); } catch (e) { console.log(e.name, e.message); }
` },
  { name: 'Atomics: waitAsync resolves on notify and times out', entry: 'main.js', code: js`const ia = new Int32Array(new SharedArrayBuffer(8));
const a = Atomics.waitAsync(ia, 0, 0);
console.log(a.async, typeof a.value.then);
// a pending waitAsync does not keep Node alive: an interval does until the first wait settles
const keepAlive = setInterval(() => {}, 1000);
a.value.then((r) => { console.log('first', r); clearInterval(keepAlive); });
const b = Atomics.waitAsync(ia, 1, 0, 5);
// notify only after the 5 ms wait has timed out, so the two never race
b.value.then((r) => { console.log('second', r); setTimeout(() => console.log('woke', Atomics.notify(ia, 0)), 1); });
console.log(Atomics.waitAsync(ia, 0, 1));
` },
  { name: 'Atomics: two workers increment a shared counter', entry: 'main.js', code: js`const { Worker } = require('node:worker_threads');
const sab = new SharedArrayBuffer(4);
let done = 0;
for (let i = 0; i < 2; i++) {
  new Worker('./w.js', { workerData: sab }).on('exit', () => { if (++done === 2) console.log('total', new Int32Array(sab)[0]); });
}
`, files: [{ path: 'w.js', text: "const { workerData } = require('node:worker_threads');\nconst ia = new Int32Array(workerData);\nfor (let i = 0; i < 10000; i++) Atomics.add(ia, 0, 1);\n" }] },
  // The trace records Atomics around the lesson's own calls (instrument/values.ts): the methods stay native, and
  // an error they throw shows V8's frame, then the lesson's, and the uncaught header points at the lesson's line.
  { name: 'Atomics: methods stay native; their errors show the lesson frame, as an uncaught error too', entry: 'main.js', code: js`const ta = new Int32Array(new SharedArrayBuffer(8));
console.log(Atomics.add.length, Atomics.wait.name, String(Atomics.compareExchange));
console.log(Atomics.add(ta, 0, 5), Atomics.compareExchange(ta, 0, 5, 7), Atomics.load(ta, 0), Atomics.notify(ta, 0, 1));
try { Atomics.store(ta, 9, 1); } catch (e) { console.log(e.stack.split('\n').slice(0, 3).join(' | ')); }
function blockHere() { return Atomics.wait(new Int32Array(4), 0, 0); }
blockHere();
` },
  // Writing TypedArray methods are recorded around the lesson's own calls (instrument/values.ts, call): borrowed
  // (X.set.call(view, …)), on longer chains and on call results, with spreads; values, errors, their stacks and
  // the functions' source text stay plain node's, and so do BigInt64 Atomics through views of several types.
  { name: 'shared memory: writing methods on chains, call results and borrowed; BigInt64 and byte-view Atomics', entry: 'main.js', code: js`const sab = new SharedArrayBuffer(32);
const view = new Int32Array(sab);
const app = { state: { cells: view } };
const grid = [[view]];
let calls = 0;
function getView() { calls++; return view; }
function write(i, j) {
  Int32Array.prototype.set.call(view, [1, 2], 1);
  Uint8Array.prototype.fill.apply(new Uint8Array(sab), [9, 0, 1]);
  app.state.cells.fill(3, 4, 5);
  grid[i][j].copyWithin(5, 1, 3);
  getView().fill(6, 7).reverse();
  getView().set(...[[4], 0]);
  return view.join(' ');
}
console.log(write(0, 0), calls);
console.log(write.toString());
try { getView().nope.fill(1); } catch (e) { console.log(e.message); }
try { app.state.missing.fill(1); } catch (e) { console.log(e.stack.split('\n').slice(0, 2).join(' | ')); }
try { Int32Array.prototype.fill.call({}, 1); } catch (e) { console.log(e.name, e.message); }
const bigs = new BigInt64Array(sab);
console.log(Atomics.add(bigs, 3, 2n ** 40n), Atomics.compareExchange(bigs, 3, 1n, 5n), Atomics.load(bigs, 3));
const i8 = new Int8Array(sab, 8);
console.log(Atomics.add(i8, 5, 1), Atomics.store(i8, 6, 200), Atomics.sub(new Uint8Array(sab), 1, 1), view.join(' '));
class Board { #cells = view; get #peek() { calls++; return view; } put() { this.#cells.set([7], 7); this.#peek.set([8], 6); return calls; } }
console.log(new Board().put(), view.join(' '), Board.toString());
function throwsLater() { getView().set([1], 99); }
throwsLater();
` },
  { name: 'worker: stdout false, stderr and getEnvironmentData', entry: 'main.js', code: js`const { Worker, setEnvironmentData } = require('node:worker_threads');
setEnvironmentData('greeting', 'hello from env data');
const w = new Worker('./w.js');
w.on('message', (m) => console.log(m));
`, files: [{ path: 'w.js', text: "const { getEnvironmentData, parentPort } = require('node:worker_threads');\nparentPort.postMessage(getEnvironmentData('greeting'));\n" }] },
  // The tracer keeps shared views, element types and Atomics codes in Maps and WeakMaps: it must not call the methods
  // a lesson replaced (each call counted here would be one plain node never made).
  { name: 'shared memory and Atomics in main and a worker with Map, WeakMap, Set and WeakSet methods and SharedArrayBuffer byteLength replaced', entry: 'main.js', code: js`const { Worker } = require('node:worker_threads');
const calls = {};
for (const C of [Map, WeakMap, Set, WeakSet]) {
  for (const m of ['get', 'set', 'has', 'add', 'delete']) {
    const real = C.prototype[m];
    if (typeof real !== 'function') continue;
    const key = C.name + '.' + m;
    calls[key] = 0;
    C.prototype[m] = function (...args) { calls[key]++; return Reflect.apply(real, this, args); };
  }
}
const realSize = Object.getOwnPropertyDescriptor(SharedArrayBuffer.prototype, 'byteLength').get;
calls['SharedArrayBuffer.byteLength'] = 0;
Object.defineProperty(SharedArrayBuffer.prototype, 'byteLength', { get() { calls['SharedArrayBuffer.byteLength']++; return Reflect.apply(realSize, this, []); }, configurable: true });
const used = () => Object.entries(calls).filter(([, n]) => n > 0).map(([k, n]) => k + '=' + n).join(' ') || 'none';
const sab = new SharedArrayBuffer(16);
const view = new Int32Array(sab);
view[0] = 5;
Atomics.add(view, 0, 2);
Atomics.store(view, 1, 9);
const bytes = new Uint8Array(sab, 8, 4);
bytes.fill(3);
console.log('main', Atomics.load(view, 0), view[1], bytes[2], used());
const m = new Map([[1, 'a']]);
console.log(m.get(1), used());
async function later() { await null; const t = setInterval(() => { clearInterval(t); console.log('interval', used()); }, 1); return 'async'; }
later().then((v) => console.log(v, used()));
queueMicrotask(() => console.log('microtask', used()));
const w = new Worker('./w.js', { workerData: sab });
w.on('message', (msg) => {
  console.log('worker said', msg, 'main sees', Atomics.load(view, 3), used());
});
w.on('exit', () => console.log('exit', used()));
`, files: [{ path: 'w.js', text: js`const { parentPort, workerData } = require('node:worker_threads');
const calls = {};
for (const C of [Map, WeakMap, Set, WeakSet]) {
  for (const m of ['get', 'set', 'has', 'add', 'delete']) {
    const real = C.prototype[m];
    if (typeof real !== 'function') continue;
    const key = C.name + '.' + m;
    calls[key] = 0;
    C.prototype[m] = function (...args) { calls[key]++; return Reflect.apply(real, this, args); };
  }
}
const view = new Int32Array(workerData);
Atomics.add(view, 3, 40);
Atomics.notify(view, 3);
view[2] = 1;
parentPort.postMessage('done ' + Atomics.load(view, 3) + ' ' + (Object.entries(calls).filter(([, n]) => n > 0).map(([k, n]) => k + '=' + n).join(' ') || 'none'));
` }] },
  // (Not pop: Node's own popAsyncContext calls Array.prototype.pop while async hooks are on, which the tracer's are.)
  { name: 'tasks, awaits, promise reactions and module top levels with Array.prototype push and shift replaced', entry: 'main.mjs', code: js`import { value } from './dep.mjs';
const calls = { push: 0, shift: 0 };
for (const m of Object.keys(calls)) {
  const real = Array.prototype[m];
  Array.prototype[m] = function (...args) { calls[m]++; return Reflect.apply(real, this, args); };
}
const used = () => Object.entries(calls).map(([k, n]) => k + '=' + n).join(' ');
console.log('imported', value, used());
const p = new Promise((resolve) => setTimeout(() => resolve('timer'), 1));
p.then((v) => console.log('reaction 1', v, used()));
p.then((v) => console.log('reaction 2', v, used()));
async function chain() { await p; await null; return 'chain'; }
console.log(await chain(), used());
setImmediate(() => { queueMicrotask(() => console.log('microtask', used())); process.nextTick(() => console.log('tick', used())); });
`, files: [{ path: 'dep.mjs', text: js`await null;
export const value = 'dep';
` }] },
  // A Worker started after the lesson replaced the built-ins the runtime used to call while naming the thread and
  // finding the SharedArrayBuffers in its workerData (String startsWith/slice/replace, Array map/push, JSON.stringify,
  // Object.keys, Map iteration, a toJSON on Object.prototype): plain node calls none of them for this.
  { name: 'a Worker with shared memory in its workerData after String, Array, JSON and Map built-ins were replaced', entry: 'main.js', code: js`const { Worker } = require('node:worker_threads');
const calls = {};
const wrap = (owner, name, label) => {
  const real = owner[name];
  calls[label] = 0;
  owner[name] = function (...args) { calls[label]++; return Reflect.apply(real, this, args); };
};
for (const m of ['push', 'map', 'join', 'slice']) wrap(Array.prototype, m, 'Array.' + m);
for (const m of ['startsWith', 'slice', 'replace']) wrap(String.prototype, m, 'String.' + m);
wrap(RegExp.prototype, 'exec', 'RegExp.exec');
wrap(JSON, 'stringify', 'JSON.stringify');
wrap(Object, 'keys', 'Object.keys');
wrap(Map.prototype, 'values', 'Map.values');
calls.toJSON = 0;
Object.defineProperty(Object.prototype, 'toJSON', { get() { calls.toJSON++; return undefined; }, configurable: true });
const used = () => Object.entries(calls).filter(([, n]) => n > 0).map(([k, n]) => k + '=' + n).join(' ') || 'none';
const sab = new SharedArrayBuffer(8);
const view = new Int32Array(sab);
const w = new Worker('./w.js', { workerData: { view, more: [new Uint8Array(sab, 4, 2)], byName: new Map([['a', sab]]) } });
console.log('started', used());
w.on('message', (m) => { console.log('worker says', m, Atomics.load(view, 0), used()); });
`, files: [{ path: 'w.js', text: js`const { parentPort, workerData } = require('node:worker_threads');
Atomics.add(workerData.view, 0, 5);
workerData.more[0][0] = 1;
parentPort.postMessage(workerData.byName.get('a').byteLength);
` }] },
  // The tracer's clock, timer delays and the timers' arguments: a lesson that replaced Math, Number, performance.now
  // and the array iterator sees no call plain node does not make.
  { name: 'timers, ticks and shared memory after Math, Number, performance.now and the array iterator were replaced', entry: 'main.js', code: js`const calls = {};
const wrap = (owner, name, label) => {
  const real = owner[name];
  calls[label] = 0;
  owner[name] = function (...args) { calls[label]++; return Reflect.apply(real, this, args); };
};
for (const m of ['round', 'max', 'abs', 'trunc', 'min']) wrap(Math, m, 'Math.' + m);
wrap(globalThis, 'Number', 'Number');
wrap(Object.getPrototypeOf(performance), 'now', 'performance.now');
wrap(Array.prototype, Symbol.iterator, 'Array[Symbol.iterator]');
const used = () => Object.entries(calls).filter(([, n]) => n > 0).map(([k, n]) => k + '=' + n).join(' ') || 'none';
const view = new Int32Array(new SharedArrayBuffer(8));
function spin(n) { let s = 0; for (let i = 0; i < n; i++) s += i; return s; }
setTimeout((a, b) => {
  console.log('timeout', a, b, used());
  setImmediate((c) => console.log('immediate', c, used()), 'z'); // inside the timer: its order is fixed
}, 2, 'x', 'y');
process.nextTick((a) => console.log('tick', a, used()), 'w');
queueMicrotask(() => console.log('microtask', used()));
(async () => { await null; view[0]++; Atomics.add(view, 1, 2); spin(5000); return view[0]; })().then((v) => console.log('async', v, view[1], used()));
console.log('script', spin(20000), used());
`, files: [] },
];
