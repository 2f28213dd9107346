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
import { EndReason, EventKind, isPortMessage } from '../shared/trace/schema.ts';
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
});
