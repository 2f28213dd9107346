/**
 * Platform conformance: stacks inside 'message' listeners — `worker.on('message')`, `parentPort.on('message')`,
 * `port.onmessage`, `addEventListener('message')` — an `Error().stack` and an uncaught throw show Node's frames and
 * the lesson's, never the runtime's (which opens a Message task around each delivery). Compared with plain node.
 */
import type { PlatformCase } from '../platform-cases.ts';

const js = String.raw;
/** Posts and stays (the parent terminates it): a worker that exited at once could have its message delivered while
 * Node handles its exit, two frames deeper (plain node varies there). */
const POST_HI = { path: 'w.js', text: "require('node:worker_threads').parentPort.postMessage('hi');\nsetTimeout(() => {}, 30_000);\n" };

export const LISTENER_STACK_CASES: readonly PlatformCase[] = [
  { name: 'listener stack: new Error().stack inside worker.on(\'message\')', entry: 'main.js', code: js`const { Worker } = require('node:worker_threads');
const w = new Worker('./w.js');
w.on('message', function onMessage(m) {
  console.log(m, new Error('in worker.on').stack);
  w.terminate();
});
`, files: [POST_HI] },
  { name: 'listener stack: uncaught throw inside worker.on(\'message\')', entry: 'main.js', code: js`const { Worker } = require('node:worker_threads');
const w = new Worker('./w.js');
w.on('message', function onMessage(m) {
  throw new TypeError('thrown in listener: ' + m);
});
`, files: [POST_HI] },
  { name: 'listener stack: worker.once(\'message\') with an arrow, in an ES module', entry: 'main.mjs', code: js`import { Worker } from 'node:worker_threads';
const w = new Worker(new URL('./w.js', import.meta.url));
w.once('message', (m) => { console.log(m, new Error('in once').stack); w.terminate(); });
`, files: [POST_HI] },
  { name: 'listener stack: new Error().stack inside parentPort.on(\'message\')', entry: 'main.js', code: js`const { Worker } = require('node:worker_threads');
const w = new Worker('./w.js');
w.on('message', (m) => console.log('main got', m));
w.postMessage('ping');
`, files: [{ path: 'w.js', text: js`const { parentPort } = require('node:worker_threads');
parentPort.on('message', function onMessage(m) {
  console.log(m, new Error('in parentPort.on').stack);
  parentPort.postMessage('done');
  parentPort.close();
});
` }] },
  { name: 'listener stack: uncaught throw inside parentPort.on(\'message\') reaches the parent as an error event', entry: 'main.js', code: js`const { Worker } = require('node:worker_threads');
const w = new Worker('./w.js');
w.on('error', (e) => console.log('worker error:', e.stack));
w.on('exit', (code) => console.log('exit', code));
w.postMessage('ping');
`, files: [{ path: 'w.js', text: js`const { parentPort } = require('node:worker_threads');
parentPort.on('message', function onMessage(m) {
  throw new RangeError('thrown in worker listener: ' + m);
});
` }] },
  { name: 'listener stack: new Error().stack inside port.onmessage', entry: 'main.js', code: js`const { MessageChannel } = require('node:worker_threads');
const { port1, port2 } = new MessageChannel();
port2.onmessage = function onmessage(event) {
  console.log(event.data, new Error('in port.onmessage').stack);
  port2.close();
};
port1.postMessage('hello');
` },
  { name: 'listener stack: uncaught throw inside port.onmessage', entry: 'main.js', code: js`const { port1, port2 } = new MessageChannel();
port2.onmessage = (event) => { port2.close(); throw new Error('thrown in onmessage: ' + event.data); };
port1.postMessage('hello');
` },
  { name: 'listener stack: parentPort.addEventListener(\'message\') in a worker', entry: 'main.js', code: js`const { Worker } = require('node:worker_threads');
const w = new Worker('./w.js');
w.on('message', (m) => console.log(m));
w.postMessage('ping');
`, files: [{ path: 'w.js', text: js`const { parentPort } = require('node:worker_threads');
parentPort.addEventListener('message', function listener(event) {
  parentPort.postMessage(event.data + ' ' + new Error('in addEventListener').stack);
  parentPort.close();
});
` }] },
  { name: 'listener stack: a stack deeper than Error.stackTraceLimit inside worker.on(\'message\')', entry: 'main.js', code: js`const { Worker } = require('node:worker_threads');
const w = new Worker('./w.js');
function down(n) { return n === 0 ? new Error('deep').stack : down(n - 1); }
w.on('message', function onMessage() { console.log(down(5)); w.terminate(); });
`, files: [POST_HI] },
  { name: 'listener stack: a stack deeper than Error.stackTraceLimit inside parentPort.on(\'message\'), and an uncaught throw there', entry: 'main.js', code: js`const { Worker } = require('node:worker_threads');
const w = new Worker('./w.js');
// 'throw' only once the stack arrived: a worker's message and its 'error' travel apart, in either order (plain node too)
w.on('message', (m) => { console.log(m); w.postMessage('throw'); });
w.on('error', (e) => console.log('worker error:', e.stack));
w.postMessage('ping');
`, files: [{ path: 'w.js', text: js`const { parentPort } = require('node:worker_threads');
function down(n, f) { return n === 0 ? f() : down(n - 1, f); }
parentPort.on('message', function onMessage(m) {
  if (m === 'ping') parentPort.postMessage(down(6, () => new Error('deep').stack));
  else down(7, () => { throw new RangeError('deep throw'); });
});
` }] },
  { name: 'listener stack: deep stacks in port.onmessage and addEventListener on one port, with a tick and a microtask after', entry: 'main.js', code: js`const { MessageChannel } = require('node:worker_threads');
const { port1, port2 } = new MessageChannel();
function down(n) { return n === 0 ? new Error('deep').stack : down(n - 1); }
port2.onmessage = function onmessage(e) {
  console.log('onmessage', e.data, down(4));
  process.nextTick(() => console.log('tick', down(2)));
  queueMicrotask(() => console.log('microtask', down(2)));
};
port2.addEventListener('message', function second(e) { console.log('second', e.data, down(3)); if (e.data === 2) port2.close(); });
port1.postMessage(1);
port1.postMessage(2);
` },
  { name: 'listener stack: Error.stackTraceLimit raised inside worker.on(\'message\') with once', entry: 'main.mjs', code: js`import { Worker } from 'node:worker_threads';
const w = new Worker(new URL('./w.js', import.meta.url));
function down(n) { return n === 0 ? new Error('deep').stack : down(n - 1); }
w.once('message', (m) => {
  Error.stackTraceLimit = 30;
  console.log(m, down(3));
  Error.stackTraceLimit = 4;
  console.log(down(1));
  w.terminate();
});
`, files: [POST_HI] },
  // A Worker's 'online', 'error' and 'exit' run as Message tasks opened right around Node's emit: at most one frame of
  // the runtime's under the listeners (before, four — hidden in the stack, they cut its last frames: 'online' two calls
  // deep showed 6 of its 9 frames). The one left still counts: a listener stack of Error.stackTraceLimit frames or more
  // loses its last (a known limit). The 'error' stack is cut to its top: Node delivers it from the worker's port, or
  // from inside 'exit' when the thread ended first (plain node too, under load).
  { name: "listener stack: a worker's 'online', 'error' and 'exit' listeners", entry: 'main.js', code: js`const { Worker } = require('node:worker_threads');
const w = new Worker('./w.js');
function down(n, label) { return n === 0 ? new Error(label).stack.split('\n').slice(1).join('|') : down(n - 1, label); }
w.on('online', () => console.log('online', down(2, 'online')));
w.on('error', (e) => console.log('error', e.message, new Error('e').stack.split('\n').slice(1, 4).join('|')));
w.on('exit', (code) => console.log('exit', code, down(3, 'exit')));
`, files: [{ path: 'w.js', text: js`throw new Error('boom');
` }] },
];
