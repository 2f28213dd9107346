/**
 * Every fault a lesson can cause ends the run with a specific reason within a bounded time, keeps the partial
 * trace up to the fault, leaves the host alive, and the next run works.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from './api.ts';
import { runHeadless } from './headless.ts';
import { startRuntimeHost } from './host-client.ts';
import type { RunLimits } from '../shared/run/contract.ts';
import { EndReason, EventKind, type TraceBatch } from '../shared/trace/schema.ts';
import { decodeBatches } from '../../test/support/trace-events.ts';

let runtime: Runtime;
beforeAll(() => { runtime = startRuntimeHost(); });
afterAll(async () => { await runtime.dispose(); });

async function run(text: string, limits: Partial<RunLimits> = {}, path = 'main.ts') {
  const t0 = performance.now();
  const r = await runHeadless({ files: [{ path, text }], entry: path, mode: 'function', limits: { timeoutMs: 1500, ...limits } }, { runtime });
  return { ...r, wallMs: performance.now() - t0 };
}

function kinds(batches: readonly TraceBatch[]): Set<string> {
  return new Set(decodeBatches(batches).map((e) => e.name));
}

async function expectHealthyAfterwards(): Promise<void> {
  const r = await run('setTimeout(() => console.log("still here"), 1);');
  expect(r.end.reason).toBe(EndReason.Completed);
  expect(r.stdout).toBe('still here\n');
}

describe('faults end the run with a specific reason', () => {
  it('a synchronous infinite loop hits the time limit and keeps the output before it', async () => {
    const r = await run('console.log("before"); while (true) {}');
    expect(r.end.reason).toBe(EndReason.Timeout);
    expect(r.end.message).toMatch(/Stopped after 1500 ms/);
    expect(r.stdout).toBe('before\n');
    expect(r.wallMs).toBeLessThan(1500 + 3000);
    await expectHealthyAfterwards();
  });

  it('an await followed by an infinite loop: the trace shows the suspension before the loop', async () => {
    const r = await run('async function main() { console.log("a"); await null; console.log("b"); for (;;) {} }\nmain();');
    expect(r.end.reason).toBe(EndReason.Timeout);
    expect(r.stdout).toBe('a\nb\n');
    expect(kinds(r.batches)).toContain('Suspend');
    expect(kinds(r.batches)).toContain('Resume');
  });

  it('a microtask flood is stopped (time or event limit), not a hang', async () => {
    const r = await run('console.log("go"); const f = () => Promise.resolve().then(f); f();', { maxEvents: 200_000 });
    expect([EndReason.Timeout, EndReason.EventLimit]).toContain(r.end.reason);
    expect(r.stdout).toBe('go\n');
    await expectHealthyAfterwards();
  });

  it('Atomics.wait forever hits the time limit; the wait is in the trace', async () => {
    const r = await run('const a = new Int32Array(new SharedArrayBuffer(4)); console.log("waiting"); Atomics.wait(a, 0, 0);');
    expect(r.end.reason).toBe(EndReason.Timeout);
    expect(kinds(r.batches)).toContain('Atomics');
  });

  it('a heap bomb ends with the heap limit', async () => {
    const r = await run('const keep = []; for (;;) keep.push(new Array(1e5).fill(Math.random()));', { heapMb: 64, timeoutMs: 20_000 });
    expect(r.end.reason).toBe(EndReason.HeapLimit);
    expect(r.end.message).toMatch(/more than 64 MB of JavaScript heap/);
    await expectHealthyAfterwards();
  });

  it('a lesson that writes to more memory than the run may use is stopped with a message saying so', { timeout: 60_000 }, async () => {
    // Plain node allows `new ArrayBuffer(1.5e9)` and it costs nothing: zeroed pages are mapped lazily and use no
    // memory until written. A run allows it too; what a run may not do is write to more than its memory budget
    // (heap + ArrayBuffers + Node itself, enforced from outside the process: run-memory.ts).
    const untouched = await run('const b = new ArrayBuffer(1.5e9); console.log(b.byteLength);');
    expect(untouched.end.reason, untouched.end.message).toBe(EndReason.Completed);
    expect(untouched.stdout).toBe('1500000000\n');

    const r = await run('console.log("allocating"); const b = new Uint8Array(1.5e9); b.fill(1); console.log("filled", b.length);', { timeoutMs: 20_000 });
    expect(r.end.reason, r.end.message).toBe(EndReason.ExternalMemoryLimit);
    expect(r.end.message).toMatch(/^Stopped: the run used more than 768 MB of memory \(its budget: 256 MB of JavaScript heap, 256 MB of ArrayBuffers/);
    expect(r.stdout).toBe('allocating\n');
    await expectHealthyAfterwards();

    const typed = await run('const parts = []; for (let i = 0; i < 100; i++) parts.push(new Float64Array(8e6).fill(i));\nconsole.log("kept", parts.length);', { timeoutMs: 20_000 });
    expect(typed.end.reason, typed.end.message).toBe(EndReason.ExternalMemoryLimit);
    expect(typed.stdout).toBe('');
    await expectHealthyAfterwards();
  });

  it('a catastrophic regex hits the time limit', async () => {
    const r = await run('console.log(/(a+)+$/.test("a".repeat(40) + "b"));');
    expect(r.end.reason).toBe(EndReason.Timeout);
  });

  it('an unhandled rejection ends the run like Node, with the stack in original lines', async () => {
    const r = await run('console.log("start");\n\nasync function load(): Promise<number> {\n  throw new Error("nope");\n}\nload();');
    expect(r.end.reason).toBe(EndReason.UnhandledRejection);
    // Runtime v2 prints what plain node prints for a .ts file: its type stripping names the file by its URL. (v1, the
    // vm sandbox in ./sandbox, prints the bare path; it goes when v2 becomes the only runtime.)
    const v1 = process.env.LOOPSCOPE_RUNTIME !== 'v2' && existsSync(new URL('./sandbox', import.meta.url));
    const file = v1 ? '/lesson/main.ts' : 'file:///lesson/main.ts';
    expect(r.stderr).toContain(`Error: nope\n    at load (${file}:4:9)`);
    expect(r.stdout).toBe('start\n');
  });

  it('a thrown error points at the original TypeScript line and column', async () => {
    const text = 'type Point = { x: number };\nconst p: Point | null = null as Point | null;\nsetTimeout(() => {\n  console.log((p as Point).x);\n}, 1);';
    const r = await run(text);
    expect(r.end.reason).toBe(EndReason.UncaughtError);
    expect(r.end.message).toMatch(/TypeError: Cannot read properties of null \(reading 'x'\)/);
    expect(r.stderr).toMatch(/\/lesson\/main\.ts:4:28/);
    expect(kinds(r.batches)).toContain('Error');
  });

  it('a stack overflow is an uncaught RangeError', async () => {
    const r = await run('function down(n: number): number { return down(n + 1) + 1; }\ndown(0);');
    expect(r.end.reason).toBe(EndReason.UncaughtError);
    expect(r.end.message).toMatch(/Maximum call stack size exceeded/);
    await expectHealthyAfterwards();
  });

  it('process.exit() ends the run with its code; nothing after it runs', async () => {
    const r = await run('setTimeout(() => { console.log("bye"); process.exit(3); console.log("never"); }, 1);');
    expect(r.end.reason).toBe(EndReason.ProcessExit);
    expect(r.end.exitCode).toBe(3);
    expect(r.stdout).toBe('bye\n');
  });

  it('runaway console output is truncated with a visible marker', async () => {
    // A generous wall clock: this is about truncation, and 50 000 calls take a while on a loaded machine.
    const r = await run('for (let i = 0; i < 50_000; i++) console.log("line", i);', { maxConsoleLines: 1000, timeoutMs: 20_000 });
    expect(r.stdout.split('\n').length - 1).toBe(1000);
    expect(kinds(r.batches)).toContain('Truncated');
  });

  it('a runaway event count ends the run with the event limit', async () => {
    const r = await run('function f(n: number): number { return n < 2 ? n : f(n - 1) + f(n - 2); }\nf(30);', { maxEvents: 100_000, timeoutMs: 10_000 });
    expect(r.end.reason).toBe(EndReason.EventLimit);
    expect(r.end.events).toBeGreaterThan(100_000);
  });

  it('hundreds of workers hit the worker cap', async () => {
    const r = await run("const { Worker } = require('node:worker_threads');\nfor (let i = 0; i < 300; i++) new Worker(__filename);", { maxWorkers: 8, timeoutMs: 20_000 }, 'main.js');
    expect(r.end.reason).toBe(EndReason.WorkerLimit);
    expect(r.end.message).toMatch(/more than 8 workers/);
    await expectHealthyAfterwards();
  });

  it('a syntax error names the file, line and column of the original TypeScript', async () => {
    const r = await run('const ok: number = 1;\nconst broken = ;');
    expect(r.end.reason).toBe(EndReason.SyntaxError);
    expect(r.end.message).toMatch(/main\.ts:2:\d+/);
  });

  it('a stop request ends a run at once', async () => {
    const handle = runtime.run({ files: [{ path: 'main.ts', text: 'while (true) {}' }], entry: 'main.ts', mode: 'function' }, { onHeader() {}, onBatch() {}, onEnd() {} });
    setTimeout(() => handle.stop(), 200);
    const end = await handle.done;
    expect(end.reason).toBe(EndReason.Stopped);
    await expectHealthyAfterwards();
  });

  it('every run ends with RunEnd and AgentEnd events in its trace', async () => {
    const r = await run('console.log(1)');
    const last = r.batches.at(-1)!;
    expect([...last.ints]).toContain(EventKind.RunEnd);
    expect(kinds(r.batches)).toContain('AgentEnd');
  });
});
