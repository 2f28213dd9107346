/**
 * Shared memory as the program sees it, in real runs (runtime v2 + the model): every way a lesson writes a shared
 * typed array reaches the stage — element writes through member targets (`this.view[i]`, `obj.arr[i]++`,
 * `grid[i][j]`), the writing TypedArray methods (`set`, `fill`, `copyWithin`, `sort`, `reverse`) — with the value the
 * program reads (Float64, BigInt64 exact) and the thread that wrote it; and the program prints exactly what plain node
 * prints (its functions' source text included).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPlainNode } from '../../test/support/plain-node.ts';
import type { Runtime } from './api.ts';
import { runHeadless } from './headless.ts';
import { startRuntimeHost } from './host-client.ts';
import type { LessonFile } from '../shared/run/contract.ts';
import { TraceBuilder } from '../shared/trace/builder.ts';
import { TraceModel } from '../shared/trace/model.ts';
import type { SharedBufferState } from '../shared/trace/runtime-state.ts';
import { EndReason } from '../shared/trace/schema.ts';

let runtime: Runtime;
beforeAll(() => { runtime = startRuntimeHost(); });
afterAll(async () => { await runtime.dispose(); });

/** Runs `text` traced and under plain node; the traced stdout must be plain node's. Returns the buffers at the end. */
async function run(text: string): Promise<{ stdout: string; buffers: readonly SharedBufferState[] }> {
  const files: LessonFile[] = [{ path: 'main.mjs', text }];
  const r = await runHeadless({ files, entry: 'main.mjs', mode: 'function', limits: { timeoutMs: 20_000 } }, { runtime });
  expect(r.end.reason, r.stderr).toBe(EndReason.Completed);
  expect(r.stdout).toBe((await runPlainNode(files, 'main.mjs')).stdout);
  const builder = new TraceBuilder(r.header);
  for (const b of r.batches) builder.append(b);
  return { stdout: r.stdout, buffers: new TraceModel(builder.finish(r.end)).stateAt(Infinity).sharedBuffers };
}

/** `[index, value as the stage shows it, writer]` of every written cell. */
const cells = (b: SharedBufferState | undefined): [number, string, number][] => (b?.cells ?? []).map((c) => [c.index, c.text, c.writer]);

describe('shared memory in real runs', () => {
  it('records writes through member targets and the writing methods, with the values the program reads', async () => {
    const { stdout, buffers } = await run(`
const words = new Int32Array(new SharedArrayBuffer(32));
class Counter {
  #cells = words;
  constructor() { this.view = words; }
  bump(i) { this.view[i] = 7; this.#cells[i + 1] += 2; }
  clear() { this.view.fill(0, 6); }
}
const c = new Counter();
c.bump(0);
const holder = { arr: words };
holder.arr[2]++;
const grid = [words];
grid[0][3] = -5;
words.set([40, 30], 4);
words.fill(9, 6, 8);
c.clear();
words.subarray(4, 6).sort();
words.copyWithin(6, 0, 2);
console.log(Array.from(words).join(' '));
console.log(Counter.prototype.bump.toString());
console.log(Counter.prototype.clear.toString());
`);
    expect(stdout.split('\n')[0]).toBe('7 2 1 -5 30 40 7 2');
    expect(stdout).toContain('bump(i) { this.view[i] = 7; this.#cells[i + 1] += 2; }');
    expect(cells(buffers[0])).toEqual([[0, '7', 0], [1, '2', 0], [2, '1', 0], [3, '-5', 0], [4, '30', 0], [5, '40', 0], [6, '7', 0], [7, '2', 0]]);
  }, 30_000);

  it('draws Float64 and BigInt64 cells with their values, and a byte view’s writes in them', async () => {
    const { stdout, buffers } = await run(`
const sab = new SharedArrayBuffer(24);
const doubles = new Float64Array(sab);
const bytes = new Uint8Array(sab);
doubles[0] = 1.5;
doubles.fill(-0.25, 1, 2);
bytes.set([0, 0, 0, 0, 0, 0, 0xf0, 0x3f], 16); // the bytes of 1
console.log(doubles.join(' '));
const bigs = new BigInt64Array(new SharedArrayBuffer(16));
bigs[0] = 2n ** 53n + 1n;
bigs.set([-3n], 1);
console.log(bigs.join(' '));
`);
    expect(stdout).toBe('1.5 -0.25 1\n9007199254740993 -3\n');
    // the first buffer is drawn as the program reads it through each of its views: doubles, then bytes
    expect(buffers.map((b) => [b.bufferId, b.elementType])).toEqual([[buffers[0]!.bufferId, 'Float64Array'], [buffers[0]!.bufferId, 'Uint8Array'], [buffers[2]!.bufferId, 'BigInt64Array']]);
    expect(cells(buffers[0])).toEqual([[0, '1.5', 0], [1, '-0.25', 0], [2, '1', 0]]);
    expect(cells(buffers[1]).map((c) => c[1]).join(' ')).toBe('0 0 0 0 0 0 248 63 0 0 0 0 0 0 208 191 0 0 0 0 0 0 240 63');
    expect(cells(buffers[2])).toEqual([[0, '9007199254740993n', 0], [1, '-3n', 0]]);
  }, 30_000);

  it('keeps all 64 bits of Atomics on a BigInt64Array, and an Atomics call through a byte view lands on its byte', async () => {
    const { stdout, buffers } = await run(`
const bigs = new BigInt64Array(new SharedArrayBuffer(16));
Atomics.store(bigs, 0, 2n ** 53n + 1n);
Atomics.add(bigs, 1, -(2n ** 40n));
Atomics.compareExchange(bigs, 0, 1n, 5n); // 1n has the low word of 2^53 + 1, not its high one: no swap
const sab = new SharedArrayBuffer(8);
const words = new Int32Array(sab);
const i8 = new Int8Array(sab);
Atomics.store(words, 0, 0x01020304);
Atomics.add(i8, 5, 1);
Atomics.sub(new Uint8Array(sab, 4), 3, 1);
console.log(bigs.join(' '), words.join(' '), i8.join(' '));
`);
    expect(stdout).toBe('9007199254740993 -1099511627776 16909060 -16776960 4 3 2 1 0 1 0 -1\n');
    expect(buffers.map((b) => b.elementType)).toEqual(['BigInt64Array', 'Int32Array', 'Int8Array', 'Uint8Array']);
    expect(cells(buffers[0])).toEqual([[0, '9007199254740993n', 0], [1, '-1099511627776n', 0]]);
    // one buffer, a row for each type it was used through, each write in every row
    expect(cells(buffers[1])).toEqual([[0, '16909060', 0], [1, '-16776960', 0]]);
    expect(cells(buffers[2])).toEqual([[0, '4', 0], [1, '3', 0], [2, '2', 0], [3, '1', 0], [5, '1', 0], [7, '-1', 0]]);
    expect(cells(buffers[3])).toEqual([[0, '4', 0], [1, '3', 0], [2, '2', 0], [3, '1', 0], [5, '1', 0], [7, '255', 0]]);
  }, 30_000);

  it('records method writes through borrowed methods, longer chains and call results, on large views, same values included', async () => {
    const { stdout, buffers } = await run(`
const view = new Int32Array(new SharedArrayBuffer(32));
const app = { state: { cells: view } };
const getView = () => view;
Int32Array.prototype.set.call(view, [1, 2], 0);
app.state.cells.fill(3, 2, 4);
getView().fill(0, 4, 5).reverse(); // [4] held 0 already: still written
class Board { #cells = view; put() { this.#cells.set([1], 0); } }
new Board().put(); // [0] held 0, now 1
const big = new Uint8Array(new SharedArrayBuffer(1 << 17)); // 128 KiB
big.fill(7, 100000, 100002);
console.log(view.join(' '), big[100001]);
`);
    expect(stdout).toBe('1 0 0 0 3 3 2 1 7\n');
    expect(cells(buffers[0])).toEqual([[0, '1', 0], [1, '0', 0], [2, '0', 0], [3, '0', 0], [4, '3', 0], [5, '3', 0], [6, '2', 0], [7, '1', 0]]);
    // the big view's two written bytes (the stage draws a row's first 64 cells; the model has them all)
    expect(cells(buffers[1])).toEqual([[100000, '7', 0], [100001, '7', 0]]);
  }, 30_000);

  it('names the worker that wrote through set() and fill() as the cells’ last writer', async () => {
    const { stdout, buffers } = await run(`
import { Worker, isMainThread, workerData } from 'node:worker_threads';
if (isMainThread) {
  const view = new Int32Array(new SharedArrayBuffer(16));
  view[1] = 1;
  const worker = new Worker(new URL(import.meta.url), { workerData: view });
  worker.on('exit', () => console.log(view.join(' ')));
} else {
  const view = workerData;
  view.set([5, 6], 2);
  view.fill(9, 0, 1);
}
`);
    expect(stdout).toBe('9 1 5 6\n');
    expect(cells(buffers[0])).toEqual([[0, '9', 1], [1, '1', 0], [2, '5', 1], [3, '6', 1]]);
  }, 30_000);
});
