/**
 * Runtime v2 records a worker's `parentPort.close()` (process/ports.ts): messages its parent posted that were still
 * queued are never delivered, and the stage shows them lost instead of "in flight" forever. The tracer knows the
 * worker's real parentPort from its start, whatever the lesson later puts on the module.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from './api.ts';
import { runHeadless } from './headless.ts';
import { startRuntimeHost } from './host-client.ts';
import { TraceBuilder, type Trace } from '../shared/trace/builder.ts';
import { TraceModel } from '../shared/trace/model.ts';
import { EndReason, EventKind } from '../shared/trace/schema.ts';

let runtime: Runtime;
beforeAll(() => { runtime = startRuntimeHost(); });
afterAll(async () => { await runtime.dispose(); });

const MAIN = `import { Worker, isMainThread, parentPort } from 'node:worker_threads';
if (isMainThread) {
  const worker = new Worker(new URL(import.meta.url));
  worker.once('message', () => { for (let i = 0; i < 3; i++) worker.postMessage(i); });
  worker.on('exit', (code) => console.log('worker exited', code));
} else {
  parentPort!.postMessage('ready');
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300); // busy while main's three messages arrive
  parentPort!.close();
}
`;

/** Runs `text` as main.ts; it must complete and print `stdout`. Returns its trace. */
async function traceOf(text: string, stdout: string): Promise<Trace> {
  const r = await runHeadless({ files: [{ path: 'main.ts', text }], entry: 'main.ts', mode: 'function', limits: { timeoutMs: 20_000 } }, { runtime });
  expect(r.end.reason).toBe(EndReason.Completed);
  expect(r.stdout).toBe(stdout);
  const builder = new TraceBuilder(r.header);
  for (const b of r.batches) builder.append(b);
  return builder.finish(r.end);
}

describe('port close', () => {
  it('marks the messages still queued for a worker that closed its parentPort as lost', async () => {
    const trace = await traceOf(MAIN, 'worker exited 0\n');
    const closeAt = Array.from(trace.kind).indexOf(EventKind.PortClose);
    expect(closeAt).toBeGreaterThan(0);
    expect(trace.agent[closeAt]).toBeGreaterThan(0); // the worker closed it
    const model = new TraceModel(trace);
    expect(model.stateAt(closeAt).messagesInFlight.map((m) => m.from)).toEqual([0, 0, 0]);
    const after = model.stateAt(closeAt + 1);
    expect(after.messagesInFlight).toEqual([]);
    expect(after.messagesLost.map((m) => [m.from, m.why])).toEqual([[0, 'port closed'], [0, 'port closed'], [0, 'port closed']]);
    expect(model.stateAt(trace.count).messagesLost).toHaveLength(3);
  }, 30_000);

  it('still sees the close when the lesson replaced parentPort on the module first', async () => {
    const text = MAIN.replace('  parentPort!.close();', "  (workerThreads as { parentPort: unknown }).parentPort = null; // the module object every require() gets\n  parentPort!.close();")
      + "import workerThreads from 'node:worker_threads';\n";
    const trace = await traceOf(text, 'worker exited 0\n');
    const closeAt = Array.from(trace.kind).indexOf(EventKind.PortClose);
    expect(closeAt).toBeGreaterThan(0);
    expect(new TraceModel(trace).stateAt(trace.count).messagesLost).toHaveLength(3);
  }, 30_000);

  it("a worker's messages to its parent and back are still matched when the lesson replaced parentPort first", async () => {
    const text = `import workerThreads, { Worker, isMainThread, parentPort } from 'node:worker_threads';
if (isMainThread) {
  const worker = new Worker(new URL(import.meta.url));
  worker.on('message', (m) => { console.log('main got', m); if (m === 'ping') worker.postMessage('pong'); });
} else {
  (workerThreads as { parentPort: unknown }).parentPort = null; // the module object every require() gets
  parentPort!.on('message', (m) => { console.log('worker got', m); parentPort!.close(); });
  parentPort!.postMessage('ping');
}
`;
    const trace = await traceOf(text, 'main got ping\nworker got pong\n');
    const ids = (kind: number): number[] => Array.from(trace.kind).flatMap((k, i) => (k === kind ? [trace.args[trace.argStart[i]!]!] : []));
    expect(ids(EventKind.MessagePost)).toHaveLength(2);
    expect(ids(EventKind.MessageReceive).sort()).toEqual(ids(EventKind.MessagePost).sort()); // each post met by its receipt
    expect(new TraceModel(trace).stateAt(trace.count).messagesInFlight).toEqual([]);
  }, 30_000);
});
