/**
 * Platform conformance: what a scheduled callback sees of its own call (runtime v2 hands Node the lesson's function
 * itself, no wrapper): its frame name (`Timeout.onTimer [as _onTimeout]`), the Node frames under it, the function
 * Node's timer object holds, and the tracer's bookkeeping surviving a callback that throws. Compared with plain node.
 */
import type { PlatformCase } from '../platform-cases.ts';

const js = String.raw;

export const CALLBACK_FRAME_CASES: readonly PlatformCase[] = [
  { name: 'stack: frames inside setImmediate, nextTick, queueMicrotask and setInterval callbacks', entry: 'main.js', code: js`function top(e) { return e.stack.split('\n').slice(1, 3).map((l) => l.trim()).join(' | '); }
setImmediate(function onImmediate() { console.log('immediate:', top(new Error())); });
process.nextTick(function onTick() { console.log('tick:', top(new Error())); });
queueMicrotask(() => console.log('micro:', top(new Error())));
let n = 0;
const iv = setInterval(function every() { console.log('interval:', top(new Error())); if (++n === 2) clearInterval(iv); }, 1);
` },
  { name: 'timers: the Timeout and Immediate objects hold the lesson\'s own callback', entry: 'main.js', code: js`function onTimer() {}
function onImmediate() {}
const t = setTimeout(onTimer, 1);
const i = setImmediate(onImmediate);
console.log(t._onTimeout === onTimer, t._onTimeout.name, i._onImmediate === onImmediate, i._onImmediate.name);
` },
  { name: 'stack: an async timer callback that rejects after an await', entry: 'main.js', code: js`setTimeout(async function later() { await null; throw new Error('after await'); }, 1);
` },
  { name: 'errors: a throwing nextTick caught by uncaughtException, then timers still run', entry: 'main.js', code: js`process.on('uncaughtException', (e) => console.log('caught:', e.stack.split('\n').slice(0, 3).join(' | ')));
process.nextTick(() => { throw new Error('tick'); });
setTimeout(function later() { console.log('timer still runs:', new Error().stack.split('\n')[1].trim()); }, 2);
` },
  { name: 'order: ticks and microtasks queued from each other keep their frames', entry: 'main.mjs', code: js`const top = (e) => e.stack.split('\n')[1].trim();
process.nextTick(() => { console.log('tick 1', top(new Error())); queueMicrotask(() => console.log('micro from tick', top(new Error()))); });
queueMicrotask(() => { console.log('micro 1', top(new Error())); process.nextTick(() => console.log('tick from micro', top(new Error()))); });
Promise.resolve().then(() => console.log('then'));
` },
];
