/**
 * The trace stream from a busy agent: its tracer fills a buffer of SEGMENT_INTS ints and writes it as one frame on
 * the run process's trace pipe (process/trace-writer.ts), and Enter/Exit travel as packed words numbered by the
 * reader (schema.ts v2). A run that flushes many times must still arrive whole and in order, in the main agent and
 * in a worker, and the host must recover everything an agent it stops wrote, up to its last stack event.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from './api.ts';
import { runHeadless } from './headless.ts';
import { startRuntimeHost } from './host-client.ts';
import { SEGMENT_INTS } from './process/trace-writer.ts';
import type { LessonFile } from '../shared/run/contract.ts';
import { TraceBuilder } from '../shared/trace/builder.ts';
import { TraceModel } from '../shared/trace/model.ts';
import { EndReason, EventKind, type TraceHeader } from '../shared/trace/schema.ts';
import { decodeBatches, type DecodedEvent } from '../../test/support/trace-events.ts';

let runtime: Runtime;
beforeAll(() => { runtime = startRuntimeHost(); });
afterAll(async () => { await runtime.dispose(); });

async function run(files: LessonFile[], timeoutMs = 20_000) {
  const r = await runHeadless({ files, entry: files[0]!.path, mode: 'function', limits: { timeoutMs, maxEvents: 20_000_000 } }, { runtime });
  return { ...r, events: decodeBatches(r.batches) };
}

/**
 * Walks one agent's Enter/Exit events like a call stack: instances must count up by one per Enter (nothing lost or
 * repeated) and each Exit must close the innermost open call. Returns the calls of `frame`, or the first problem.
 */
function walkStack(events: readonly DecodedEvent[], agent: number, frame: number): number | string {
  const stack: number[] = [];
  let lastInstance = 0;
  let calls = 0;
  for (const e of events) {
    if (e.agent !== agent) continue;
    if (e.kind === EventKind.Enter) {
      const instance = e.args[1] as number;
      if (instance !== lastInstance + 1) return `event ${e.index}: Enter of instance ${instance} after ${lastInstance}`;
      lastInstance = instance;
      stack.push(instance);
      if (e.args[0] === frame) calls++;
    } else if (e.kind === EventKind.Exit) {
      const open = stack.pop();
      if (e.args[0] !== open) return `event ${e.index}: Exit of instance ${String(e.args[0])} while ${open} is innermost`;
    }
  }
  return calls;
}

const frameOf = (r: { header: TraceHeader }, name: string, file = 'main.ts'): number => r.header.frames.find((f) => f.name === name && f.file === file)!.id;

const CALLS = 600_000; // 1.2 M stack events: at least 18 full buffers of SEGMENT_INTS (65536) ints
/** A batch holds at most SEGMENT_INTS ints, so 2 × CALLS stack words take at least this many batches. */
const MIN_BATCHES = Math.floor((2 * CALLS) / SEGMENT_INTS);

describe('the trace stream', () => {
  it('carries every call of a busy main agent, in order, round the ring and back', async () => {
    const text = `function tick(i: number): number { return i + 1; }\nlet n = 0;\nfor (let i = 0; i < ${CALLS}; i++) n = tick(n);\nconsole.log(n);\n`;
    const r = await run([{ path: 'main.ts', text }]);
    expect(r.end.reason).toBe(EndReason.Completed);
    expect(r.stdout).toBe(`${CALLS}\n`);
    expect(r.batches.filter((b) => b.agent === 0).length).toBeGreaterThanOrEqual(MIN_BATCHES);
    expect(walkStack(r.events, 0, frameOf(r, 'tick'))).toBe(CALLS);
    // The host counts what the tracers report per batch; it must be every event but the host's own closing two.
    expect(r.end.events).toBe(r.events.filter((e) => e.kind !== EventKind.Time).length - 2);
    const log = r.events.find((e) => e.kind === EventKind.Console)!;
    expect(r.events.filter((e) => e.agent === 0 && e.kind === EventKind.Enter && e.index > log.index).length).toBe(0);
  });

  it('does the same in a worker, whose smaller ring goes round several times', async () => {
    const main = `import { Worker } from 'node:worker_threads';\nconst w = new Worker('./work.ts');\nw.on('message', (m) => console.log('worker says', m));\n`;
    const work = `import { parentPort } from 'node:worker_threads';\nfunction tick(i: number): number { return i + 1; }\nlet n = 0;\nfor (let i = 0; i < ${CALLS}; i++) n = tick(n);\nparentPort!.postMessage(n);\n`;
    const r = await run([{ path: 'main.ts', text: main }, { path: 'work.ts', text: work }]);
    expect(r.end.reason).toBe(EndReason.Completed);
    expect(r.stdout).toBe(`worker says ${CALLS}\n`);
    expect(r.batches.filter((b) => b.agent === 1).length).toBeGreaterThanOrEqual(MIN_BATCHES);
    expect(walkStack(r.events, 1, frameOf(r, 'tick', 'work.ts'))).toBe(CALLS);
    expect(r.end.events).toBe(r.events.filter((e) => e.kind !== EventKind.Time).length - 2);
  });

  it('statement mode: each Statement names the statement about to run, line by line, in every iteration', async () => {
    const text = 'let total = 0;\nfor (let i = 0; i < 3; i++) {\n  total += i;\n}\nconsole.log(total);\n';
    const r = await runHeadless({ files: [{ path: 'main.ts', text }], entry: 'main.ts', mode: 'statement' }, { runtime });
    expect(r.stdout).toBe('3\n');
    const lines = decodeBatches(r.batches).filter((e) => e.kind === EventKind.Statement).map((e) => {
      const frame = r.header.frames[e.args[0] as number]!;
      expect(frame.kind).toBe('statement');
      return frame.line;
    });
    expect(lines).toEqual([1, 2, 3, 3, 3, 5]);
  });

  // A run process killed in a tight loop: the drain thread (drain.ts) sends the tail of an agent whose write position
  // stopped moving, so the events not yet flushed when the process was killed still arrive.
  it('a run stopped inside a function ends with that function on the stack, not with the last clock reading', async () => {
    const text = 'function helper(): number { return 1; }\nfunction spin(): void { while (true) {} }\nfunction main(): void { helper(); spin(); }\nconsole.log("go");\nmain();\n';
    const r = await run([{ path: 'main.ts', text }], 1000);
    expect(r.end.reason).toBe(EndReason.Timeout);
    const builder = new TraceBuilder(r.header);
    for (const b of r.batches) builder.append(b);
    const trace = builder.finish(r.end);
    let agentEnd = 0;
    while (trace.kind[agentEnd] !== EventKind.AgentEnd) agentEnd++;
    const before = new TraceModel(trace).stateAt(agentEnd).agents[0]!;
    expect(before.stack.map((f) => f.name)).toEqual(['(main) main.ts', 'main', 'spin']);
  });

  it('recovers the tail of an agent stopped in a loop, after the ring went round', async () => {
    const text = `function tick(i: number): number { return i + 1; }\nlet n = 0;\nfor (let i = 0; i < ${CALLS}; i++) n = tick(n);\nconsole.log('looping now');\nwhile (true) {}\n`;
    const r = await run([{ path: 'main.ts', text }], 2000);
    expect(r.end.reason).toBe(EndReason.Timeout);
    expect(r.stdout).toBe('looping now\n');
    expect(walkStack(r.events, 0, frameOf(r, 'tick'))).toBe(CALLS);
  });

  it('keeps flowing when the lesson terminates workers in the middle of their output', async () => {
    // A worker stopped while it wrote a frame kept the pipe's lock, and the run then waited for it until its time limit
    // (6 runs in 6); plain node prints 'done 15' at once.
    const text = [
      "const { Worker } = require('node:worker_threads');",
      'let n = 0;',
      'function round() {',
      "  const w = new Worker(\"require('node:worker_threads').parentPort.postMessage('up'); for (;;) console.log('x'.repeat(200));\", { eval: true });",
      "  w.once('message', () => setTimeout(() => w.terminate().then(() => { if (++n < 15) round(); else console.log('done', n); }), n % 4));",
      '}',
      'round();',
    ].join('\n');
    const r = await runHeadless({ files: [{ path: 'main.js', text }], entry: 'main.js', mode: 'function', limits: { timeoutMs: 15_000, maxConsoleLines: 10_000_000, maxEvents: 50_000_000 } }, { runtime });
    expect(r.end.reason, r.end.message).toBe(EndReason.Completed);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('done 15');
  });

  it('keeps flowing when a worker runs out of memory while it holds the pipe', async () => {
    // V8 stops a worker over its resourceLimits wherever it is — no finally runs — so one that ran out of memory while
    // it wrote a frame kept the pipe's lock, and every thread's next frame waited for it until the run's time limit
    // (its parent too, spinning for the lock, so the worker's 'exit' never came). Which allocation fails is luck; the
    // lesson here takes the lock word itself (the shared slots are in worker environment data) and then runs out of
    // memory, so it dies holding the lock every time. Its parent sees, while it waits, that the thread is gone.
    const text = [
      "const { Worker } = require('node:worker_threads');",
      "const w = new Worker(\"const { getEnvironmentData, threadId } = require('node:worker_threads'); const shared = new Int32Array(getEnvironmentData('loopscope.shared')); Atomics.store(shared, 0, threadId + 1); const keep = []; for (;;) keep.push(new Array(1e5).fill(0));\", { eval: true, resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 2 } });",
      "w.on('error', (e) => console.log('error', e.code));",
      "w.on('exit', (code) => { console.log('exit', code); setTimeout(() => console.log('after'), 5); });",
      "setTimeout(() => console.log('main goes on'), 20);",
    ].join('\n');
    const r = await runHeadless({ files: [{ path: 'main.js', text }], entry: 'main.js', mode: 'function', limits: { timeoutMs: 20_000 } }, { runtime });
    expect(r.end.reason, r.end.message).toBe(EndReason.Completed);
    expect(r.stdout).toBe('main goes on\nerror ERR_WORKER_OUT_OF_MEMORY\nexit 1\nafter\n');
  }, 30_000);

  it('keeps flowing when a worker dies holding the pipe while its parent is idle', async () => {
    // The worker dies after main's last line, so main learns of it only from the 'error' and 'exit' Node emits —
    // by then Node has dropped the worker's handle, and the 'error' listener's line must not wait for the lock.
    const text = [
      "const { Worker } = require('node:worker_threads');",
      "const w = new Worker(\"const { getEnvironmentData, threadId } = require('node:worker_threads'); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100); const shared = new Int32Array(getEnvironmentData('loopscope.shared')); Atomics.store(shared, 0, threadId + 1); const keep = []; for (;;) keep.push(new Array(1e5).fill(0));\", { eval: true, resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 2 } });",
      "w.on('error', (e) => console.log('error', e.code));",
      "w.on('exit', (code) => console.log('exit', code));",
      "console.log('main is idle');",
    ].join('\n');
    const r = await runHeadless({ files: [{ path: 'main.js', text }], entry: 'main.js', mode: 'function', limits: { timeoutMs: 10_000 } }, { runtime });
    expect(r.end.reason, r.end.message).toBe(EndReason.Completed);
    expect(r.stdout).toBe('main is idle\nerror ERR_WORKER_OUT_OF_MEMORY\nexit 1\n');
  }, 20_000);
});
