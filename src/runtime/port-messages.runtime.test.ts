/**
 * Runtime v2 records the messages of the lesson's MessageChannels (process/ports.ts): each post is in flight on the
 * stage until its port's listener receives it, or is lost when the channel closes first — in one thread, and with a
 * port handed to a worker in workerData or in a message. Each program prints exactly what plain node prints.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeadlessResult, Runtime } from './api.ts';
import { runHeadless } from './headless.ts';
import { startRuntimeHost } from './host-client.ts';
import type { LessonFile } from '../shared/run/contract.ts';
import { TraceBuilder, type Trace } from '../shared/trace/builder.ts';
import { TraceModel } from '../shared/trace/model.ts';
import { EndReason, EventKind, isBroadcastMessage, isPortMessage, TruncatedWhat } from '../shared/trace/schema.ts';
import { CHANNELS_CAPPED, layoutStage } from '../shared/scene/stage-layout.ts';
import { runPlainNode } from '../../test/support/plain-node.ts';

let runtime: Runtime;
beforeAll(() => { runtime = startRuntimeHost(); });
afterAll(async () => { await runtime.dispose(); });

/** Runs the program traced and under plain node: both must print the same and end the same way (only main prints). */
async function run(files: LessonFile[]): Promise<{ r: HeadlessResult; trace: Trace; model: TraceModel }> {
  const entry = files[0]!.path;
  const r = await runHeadless({ files, entry, mode: 'function', limits: { timeoutMs: 20_000 } }, { runtime });
  const plain = await runPlainNode(files, entry);
  expect(r.end.reason).toBe(EndReason.Completed);
  expect([r.stdout, r.stderr]).toEqual([plain.stdout, plain.stderr]);
  expect(plain.exitCode).toBe(0);
  const builder = new TraceBuilder(r.header);
  for (const b of r.batches) builder.append(b);
  const trace = builder.finish(r.end);
  return { r, trace, model: new TraceModel(trace) };
}

/** Steps of the events of one kind, in order. */
const stepsOf = (trace: Trace, kind: number): number[] => Array.from(trace.kind).flatMap((k, i) => (k === kind ? [i] : []));
const arg = (trace: Trace, i: number, k: number): number => trace.args[trace.argStart[i]! + k]!;
/** Messages in flight after event i, as [from, to] routes. */
const inFlight = (model: TraceModel, i: number): number[][] => model.stateAt(i + 1).messagesInFlight.map((m) => [m.from, m.target]);

describe('MessageChannel messages', () => {
  it('in one thread: in flight from the post until the listener runs; a message to a port that closes is lost', async () => {
    const { r, trace, model } = await run([{ path: 'main.mjs', text: `import { MessageChannel } from 'node:worker_threads';
const { port1, port2 } = new MessageChannel();
port2.postMessage('never read'); // port1 never listens
port1.postMessage('first');
port1.postMessage('second');
port2.onmessage = (e) => { console.log('port2 got', e.data); if (e.data === 'second') port1.close(); };
` }]);
    expect(r.stdout).toBe('port2 got first\nport2 got second\n');
    const posts = stepsOf(trace, EventKind.MessagePost);
    expect(posts.map((i) => isPortMessage(arg(trace, i, 0)))).toEqual([true, true, true]);
    expect(inFlight(model, posts[2]!)).toEqual([[0, 0], [0, 0], [0, 0]]);
    // each receipt takes its own message out of flight: the ids match, in order
    const receipts = stepsOf(trace, EventKind.MessageReceive);
    expect(receipts.map((i) => arg(trace, i, 0))).toEqual([arg(trace, posts[1]!, 0), arg(trace, posts[2]!, 0)]);
    expect(inFlight(model, receipts[0]!)).toEqual([[0, 0], [0, 0]]);
    expect(inFlight(model, receipts[1]!)).toEqual([[0, 0]]);
    const [close] = stepsOf(trace, EventKind.ChannelClose);
    const after = model.stateAt(close! + 1);
    expect(after.messagesInFlight).toEqual([]);
    expect(after.messagesLost.map((m) => [m.messageId, m.why])).toEqual([[arg(trace, posts[0]!, 0), 'port closed']]);
  }, 30_000);

  it('with a port in workerData: the messages cross threads, each received by the thread that holds the other end', async () => {
    const { trace, model } = await run([
      { path: 'main.mjs', text: `import { Worker, MessageChannel } from 'node:worker_threads';
const { port1, port2 } = new MessageChannel();
const w = new Worker(new URL('./w.mjs', import.meta.url), { workerData: { port: port2 }, transferList: [port2] });
port1.on('message', (m) => { console.log('via port:', m); if (m === 'bye') port1.close(); });
port1.postMessage('hello worker');
w.on('exit', (c) => console.log('exit', c));
` },
      { path: 'w.mjs', text: `import { workerData } from 'node:worker_threads';
const port = workerData.port;
port.onmessage = (e) => { port.postMessage('got ' + e.data); port.postMessage('bye'); }; // (a worker's prints race main's)
` },
    ]);
    const posts = stepsOf(trace, EventKind.MessagePost).filter((i) => isPortMessage(arg(trace, i, 0)));
    // main → worker 1, then worker 1 → main twice
    expect(posts.map((i) => [trace.agent[i], arg(trace, i, 1)])).toEqual([[0, 1], [1, 0], [1, 0]]);
    expect(inFlight(model, posts[0]!)).toEqual([[0, 1]]);
    const receipts = stepsOf(trace, EventKind.MessageReceive).filter((i) => isPortMessage(arg(trace, i, 0)));
    expect(receipts.map((i) => [trace.agent[i], arg(trace, i, 0)])).toEqual(posts.map((i) => [arg(trace, i, 1), arg(trace, i, 0)]));
    expect(model.stateAt(trace.count).messagesInFlight).toEqual([]);
    expect(model.stateAt(trace.count).messagesLost).toEqual([]);
  }, 30_000);

  it('with a port sent in a message, after one was taken by receiveMessageOnPort: every post meets its receipt', async () => {
    const { trace, model } = await run([
      { path: 'main.mjs', text: `import { Worker, MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
const { port1, port2 } = new MessageChannel();
port1.postMessage({ n: 1 });
port1.postMessage({ n: 2 });
console.log(receiveMessageOnPort(port2));
const w = new Worker(new URL('./w.mjs', import.meta.url));
w.postMessage({ port: port2 }, [port2]);
port1.on('message', (m) => { console.log('from worker port', m); port1.close(); });
w.on('exit', (c) => console.log('exit', c));
` },
      { path: 'w.mjs', text: `import { parentPort } from 'node:worker_threads';
parentPort.once('message', ({ port }) => { port.on('message', (m) => { port.postMessage('done ' + m.n); port.close(); }); });
` },
    ]);
    const portPosts = stepsOf(trace, EventKind.MessagePost).filter((i) => isPortMessage(arg(trace, i, 0)));
    const receipts = stepsOf(trace, EventKind.MessageReceive).filter((i) => isPortMessage(arg(trace, i, 0)));
    expect(portPosts.map((i) => trace.agent[i])).toEqual([0, 0, 1]);
    // {n: 1} taken at once on main (no task), {n: 2} by the worker's listener, 'done 2' by main's
    expect(receipts.map((i) => [trace.agent[i], arg(trace, i, 0), arg(trace, i, 1) < 0])).toEqual([
      [0, arg(trace, portPosts[0]!, 0), true], [1, arg(trace, portPosts[1]!, 0), false], [0, arg(trace, portPosts[2]!, 0), false],
    ]);
    expect(model.stateAt(trace.count).messagesInFlight).toEqual([]);
    expect(model.stateAt(trace.count).messagesLost).toEqual([]);
  }, 30_000);

  it('with a port carried in a message to a port that listens with addEventListener: its messages are matched too', async () => {
    // The listener gets a MessageEvent: the carried port is found in its data (read through MessageEvent's own getter).
    const { trace, model } = await run([{ path: 'main.mjs', text: `import { MessageChannel } from 'node:worker_threads';
const carrier = new MessageChannel();
const inner = new MessageChannel();
carrier.port2.addEventListener('message', (e) => {
  const port = e.data.port;
  port.on('message', (m) => { console.log('inner got', m); port.close(); carrier.port2.close(); });
});
carrier.port2.start();
carrier.port1.postMessage({ port: inner.port2 }, [inner.port2]);
inner.port1.postMessage('through the carried port');
` }]);
    const portPosts = stepsOf(trace, EventKind.MessagePost).filter((i) => isPortMessage(arg(trace, i, 0)));
    const receipts = stepsOf(trace, EventKind.MessageReceive).filter((i) => isPortMessage(arg(trace, i, 0)));
    expect(receipts.map((i) => arg(trace, i, 0))).toEqual(portPosts.map((i) => arg(trace, i, 0)));
    expect(portPosts).toHaveLength(2);
    expect(model.stateAt(trace.count).messagesInFlight).toEqual([]);
  }, 30_000);

  it('with ports transferred in another order than the value names them, or only in the transfer list: each is matched', async () => {
    // The receiver takes the transferred ports in the order of the sender's transfer list (as Node hands them over).
    const { trace, model } = await run([{ path: 'main.mjs', text: `import { MessageChannel } from 'node:worker_threads';
const carrier = new MessageChannel();
const a = new MessageChannel();
const b = new MessageChannel();
const c = new MessageChannel();
carrier.port2.onmessage = (e) => {
  const [only] = e.ports.filter((p) => p !== e.data.a && p !== e.data.b);
  for (const [name, port] of [['a', e.data.a], ['b', e.data.b], ['c', only]]) {
    port.onmessage = (m) => { console.log(name, 'got', m.data); port.close(); };
  }
  carrier.port2.close();
};
carrier.port1.postMessage({ a: a.port2, b: b.port2 }, [c.port2, b.port2, a.port2]);
a.port1.postMessage('to a');
b.port1.postMessage('to b');
c.port1.postMessage('to c');
` }]);
    const portPosts = stepsOf(trace, EventKind.MessagePost).filter((i) => isPortMessage(arg(trace, i, 0)));
    const receipts = stepsOf(trace, EventKind.MessageReceive).filter((i) => isPortMessage(arg(trace, i, 0)));
    expect(portPosts).toHaveLength(4);
    expect(receipts.map((i) => arg(trace, i, 0)).sort()).toEqual(portPosts.map((i) => arg(trace, i, 0)).sort());
    expect(model.stateAt(trace.count).messagesInFlight).toEqual([]);
  }, 30_000);

  it('with a port only in the transfer list, taken from the event’s ports: its messages reach the worker that holds it', async () => {
    const { trace, model } = await run([
      { path: 'main.mjs', text: `import { Worker, MessageChannel } from 'node:worker_threads';
const { port1, port2 } = new MessageChannel();
const w = new Worker(new URL('./w.mjs', import.meta.url));
w.postMessage('take the port', [port2]); // not in the value: the worker reads it from the event
port1.on('message', (m) => { console.log('main got', m); port1.close(); });
port1.postMessage('hello');
w.on('exit', (c) => console.log('exit', c));
` },
      { path: 'w.mjs', text: `import { parentPort } from 'node:worker_threads';
parentPort.addEventListener('message', (e) => {
  const port = e.ports[0];
  port.on('message', (m) => { port.postMessage('worker got ' + m); port.close(); parentPort.close(); });
});
` },
    ]);
    const portPosts = stepsOf(trace, EventKind.MessagePost).filter((i) => isPortMessage(arg(trace, i, 0)));
    // main → worker 1 (the port's new thread, not main where it was made), then back
    expect(portPosts.map((i) => [trace.agent[i], arg(trace, i, 1)])).toEqual([[0, 1], [1, 0]]);
    const receipts = stepsOf(trace, EventKind.MessageReceive).filter((i) => isPortMessage(arg(trace, i, 0)));
    expect(receipts.map((i) => [trace.agent[i], arg(trace, i, 0)])).toEqual(portPosts.map((i) => [arg(trace, i, 1), arg(trace, i, 0)]));
    expect(model.stateAt(trace.count).messagesInFlight).toEqual([]);
  }, 30_000);
});

describe('BroadcastChannel messages', () => {
  it('main ⇄ worker on one name: each post is a message to every other instance, in flight until its listener runs', async () => {
    const { trace, model } = await run([
      { path: 'main.js', text: `const { Worker, BroadcastChannel } = require('node:worker_threads');
const bc = new BroadcastChannel('room');
const quiet = new BroadcastChannel('room'); // hears the worker too, never answers
quiet.onmessage = () => {};
const w = new Worker('./w.js');
bc.onmessage = (e) => {
  console.log('main heard', e.data);
  if (e.data === 'ready') bc.postMessage('hello worker');
  else { bc.close(); quiet.close(); }
};
w.on('exit', (c) => console.log('exit', c));
` },
      { path: 'w.js', text: `const { BroadcastChannel } = require('node:worker_threads');
const bc = new BroadcastChannel('room');
bc.onmessage = (e) => { bc.postMessage('worker heard ' + e.data); bc.close(); };
bc.postMessage('ready');
` },
    ]);
    const posts = stepsOf(trace, EventKind.MessagePost).filter((i) => isPortMessage(arg(trace, i, 0)));
    // 'ready' to main's two instances; 'hello worker' to quiet (same thread) and the worker; the answer to both
    expect(posts.map((i) => [trace.agent[i], arg(trace, i, 1)])).toEqual([[1, 0], [1, 0], [0, 0], [0, 1], [1, 0], [1, 0]]);
    expect(inFlight(model, posts[1]!)).toEqual([[1, 0], [1, 0]]);
    // drawn as a BroadcastChannel's, not a MessageChannel's
    expect(posts.every((i) => isBroadcastMessage(arg(trace, i, 0)))).toBe(true);
    expect(layoutStage(model.stateAt(posts[1]! + 1), trace.header).messages.map((m) => [m.from, m.to, m.broadcast])).toEqual([[1, 0, true], [1, 0, true]]);
    const receipts = stepsOf(trace, EventKind.MessageReceive).filter((i) => isPortMessage(arg(trace, i, 0)));
    // each receipt is one post's, on the thread it was drawn going to; quiet may close before the answer reaches it
    for (const i of receipts) expect(trace.agent[i]).toBe(arg(trace, posts.find((p) => arg(trace, p, 0) === arg(trace, i, 0))!, 1));
    const end = model.stateAt(trace.count);
    expect(end.messagesInFlight).toEqual([]);
    // Lost only to a close: the answer to main's two instances, and 'hello worker' to quiet when main closed quiet
    // first (Node delivers on two ports in either order: a run under load did).
    const mayBeLost = [posts[2]!, posts[4]!, posts[5]!].map((p) => arg(trace, p, 0));
    expect(end.messagesLost.filter((m) => m.why !== 'port closed' || !mayBeLost.includes(m.messageId))).toEqual([]);
    expect(receipts.length + end.messagesLost.length).toBe(posts.length);
  }, 30_000);

  it('a message to an instance that closes first is lost; one on a name nobody else uses goes nowhere', async () => {
    const { trace, model } = await run([{ path: 'main.js', text: `const a = new BroadcastChannel('c');
const b = new BroadcastChannel('c');
const alone = new BroadcastChannel('nobody else');
alone.postMessage('to no one');
alone.close();
b.onmessage = (e) => console.log('never', e.data);
a.postMessage('too late');
b.close();
a.close();
console.log('done');
` }]);
    const posts = stepsOf(trace, EventKind.MessagePost).filter((i) => isPortMessage(arg(trace, i, 0)));
    expect(posts).toHaveLength(1);
    const end = model.stateAt(trace.count);
    expect(end.messagesInFlight).toEqual([]);
    expect(end.messagesLost.map((m) => [m.messageId, m.why])).toEqual([[arg(trace, posts[0]!, 0), 'port closed']]);
  }, 30_000);

  it('past the trace’s 512 channels the program runs as usual and the stage says later channels are not drawn', async () => {
    const { trace, model } = await run([{ path: 'main.js', text: `const { MessageChannel } = require('node:worker_threads');
const list = [];
for (let i = 0; i < 520; i++) list.push(new MessageChannel());
const b = new BroadcastChannel('late'); // past the cap too
b.close();
const last = list[519];
last.port2.on('message', (m) => { console.log('still delivered:', m); for (const c of list) c.port1.close(); });
last.port1.postMessage('x');
` }]);
    expect(stepsOf(trace, EventKind.MessagePost)).toEqual([]);
    const [cap] = stepsOf(trace, EventKind.Truncated);
    expect(arg(trace, cap!, 0)).toBe(TruncatedWhat.Channels);
    expect(layoutStage(model.stateAt(cap!), trace.header).channelsCapped).toBe('');
    const after = layoutStage(model.stateAt(cap! + 1), trace.header).channelsCapped;
    expect(after).toBe(CHANNELS_CAPPED);
    expect(after).toMatch(/^More than 512 MessageChannels and BroadcastChannels .*not drawn\.$/);
  }, 30_000);
});
