/**
 * A lesson cannot take the runtime down: infinite loops, microtask and tick floods, heap and ArrayBuffer bombs
 * (including copies), worker bombs and console floods end the run with a specific reason, the host process
 * survives, and the next run works. Memory is one budget per run, enforced from outside the run process
 * (src/runtime/run-memory.ts).
 *
 * Run: npx vitest run test/security/resource-limits.test.ts
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { RunLimits } from '../../src/shared/run/contract.ts';
import { END_REASON_NAMES } from '../../src/shared/trace/schema.ts';
import { tracedRunner } from '../support/runtime.ts';

const runner = tracedRunner();
afterAll(() => runner.dispose());

interface Abuse {
  readonly name: string;
  readonly code: string;
  readonly files?: readonly { path: string; text: string }[];
  readonly limits: Partial<RunLimits>;
  /** Acceptable END_REASON_NAMES. */
  readonly reasons: readonly string[];
  readonly check?: (stdout: string) => void;
}

const ABUSES: readonly Abuse[] = [
  { name: 'an infinite loop', code: "console.log('looping');\nwhile (true) {}\n", limits: { timeoutMs: 1500 }, reasons: ['time limit'], check: (out) => expect(out).toBe('looping\n') },
  { name: 'an infinite loop inside a worker the main thread waits for', code: "const { Worker } = require('node:worker_threads');\nnew Worker('./spin.js').on('exit', () => console.log('never'));\n", files: [{ path: 'spin.js', text: 'for (;;) {}\n' }], limits: { timeoutMs: 1500 }, reasons: ['time limit'] },
  { name: 'a promise microtask flood', code: 'function again() { Promise.resolve().then(again); }\nagain();\n', limits: { timeoutMs: 1500 }, reasons: ['time limit', 'event limit'] },
  { name: 'a process.nextTick flood', code: 'function again() { process.nextTick(again); }\nagain();\n', limits: { timeoutMs: 1500 }, reasons: ['time limit', 'event limit'] },
  { name: 'a heap bomb', code: 'const keep = [];\nfor (;;) keep.push(new Array(1e6).fill(1.5));\n', limits: { heapMb: 64, timeoutMs: 20_000 }, reasons: ['heap limit'] },
  // Buffers that are written to: memory a run really uses (untouched ones cost nothing until the address space runs
  // out, as in plain node; faults.test.ts shows one is allowed).
  { name: 'an ArrayBuffer bomb', code: 'const keep = [];\nfor (;;) keep.push(new Uint8Array(16 * 1024 * 1024).fill(1));\n', limits: { externalMemoryMb: 64, timeoutMs: 20_000 }, reasons: ['ArrayBuffer memory limit'] },
  {
    name: 'an ArrayBuffer bomb through copies the constructor guard never sees (structuredClone, slice, typed-array copies)',
    code: `const seed = new Uint8Array(16 * 1024 * 1024);
const keep = [];
try {
  for (let i = 0; i < 64; i++) { keep.push(structuredClone(seed)); keep.push(seed.slice()); keep.push(new Uint8Array(seed)); }
  console.log('allocated ' + keep.length * 16 + ' MB unchecked');
} catch (e) { console.log('stopped: ' + e.message); }
`,
    limits: { externalMemoryMb: 64, timeoutMs: 20_000 },
    // 3 GB of written copies: the run's memory budget (here 64 + 256 + 256 MB) stops it, whatever made the copies.
    reasons: ['ArrayBuffer memory limit'],
    check: (out) => expect(out, 'copies of ArrayBuffers must count against the run\'s memory budget').not.toMatch(/allocated \d+ MB unchecked/),
  },
  {
    // Lengths are read by V8 itself (a run is real Node), once each, as plain node reads them: a valueOf answering 8
    // when checked and 3 GiB when used cannot buy more than it answered. Once v1's in-process cap read a length
    // twice and allocated 3 GiB under a 256 MB cap; now the budget is the OS layer's, whatever the length: a 3 GiB
    // buffer that is written to stops the run (untouched, it would cost nothing, as in plain node).
    name: 'ArrayBuffer lengths that answer small when checked and large when used (valueOf, getters, strings)',
    code: `const big = 3 * 1024 ** 3;
const sneaky = () => { let reads = 0; return { valueOf() { reads++; return reads === 1 ? 8 : big; }, get reads() { return reads; } }; };
const tries = {
  'ArrayBuffer(valueOf)': () => { const n = sneaky(); const b = new ArrayBuffer(n); return b.byteLength + ' bytes, ' + n.reads + ' read'; },
  'resizable maxByteLength': () => { let reads = 0; const o = { get maxByteLength() { reads++; return reads === 1 ? 16 : big; } }; const b = new ArrayBuffer(8, o); return b.maxByteLength + ' max, ' + reads + ' read'; },
  'resize(valueOf)': () => { const b = new ArrayBuffer(8, { maxByteLength: 64 }); const n = sneaky(); b.resize(n); return b.byteLength + ' bytes, ' + n.reads + ' read'; },
  'SharedArrayBuffer(valueOf)': () => { const n = sneaky(); return new SharedArrayBuffer(n).byteLength + ' bytes, ' + n.reads + ' read'; },
  'Uint8Array(string), written': () => new Uint8Array(String(big)).fill(1).length + ' elements', // over the budget: ends the run
};
for (const [name, t] of Object.entries(tries)) {
  try { console.log(name + ': ' + t()); } catch (e) { console.log(name + ': ' + e.name); }
}
`,
    limits: { externalMemoryMb: 64, timeoutMs: 20_000 },
    reasons: ['ArrayBuffer memory limit'],
    check: (out) => expect(out).toBe([
      'ArrayBuffer(valueOf): 8 bytes, 1 read',
      'resizable maxByteLength: 16 max, 1 read',
      'resize(valueOf): 8 bytes, 1 read',
      'SharedArrayBuffer(valueOf): 8 bytes, 1 read',
      '',
    ].join('\n')),
  },
  { name: 'a worker bomb', code: "const { Worker } = require('node:worker_threads');\nfor (let i = 0; i < 100; i++) new Worker('./idle.js');\n", files: [{ path: 'idle.js', text: 'setTimeout(() => {}, 60000);\n' }], limits: { maxWorkers: 4, timeoutMs: 10_000 }, reasons: ['worker limit'] },
  {
    name: 'a console flood',
    code: "for (let i = 0; i < 200000; i++) console.log('line ' + i);\n",
    limits: { maxConsoleLines: 100, timeoutMs: 20_000 },
    reasons: ['completed'],
    check: (out) => {
      const lines = out.trimEnd().split('\n');
      expect(lines.length).toBeLessThanOrEqual(101);
      expect(lines[0]).toBe('line 0');
    },
  },
  { name: 'unbounded recursion', code: 'function down(n) { return down(n + 1) + 1; }\ndown(0);\n', limits: { timeoutMs: 10_000 }, reasons: ['uncaught error'] },
];

describe('the host survives resource abuse', () => {
  for (const abuse of ABUSES) {
    it(`${abuse.name} ends the run with ${abuse.reasons.join(' or ')}`, { timeout: 60_000 }, async () => {
      const crashesBefore = runner.crashes.length;
      const result = await runner.run([{ path: 'main.js', text: abuse.code }, ...(abuse.files ?? [])], 'main.js', { limits: abuse.limits });
      expect(abuse.reasons, `ended: ${END_REASON_NAMES[result.end.reason]} (${result.end.message})`).toContain(END_REASON_NAMES[result.end.reason]);
      expect(result.end.message.length, 'the end message explains what happened').toBeGreaterThan(10);
      abuse.check?.(result.stdout);
      expect(runner.crashes.slice(crashesBefore), 'the runtime host crashed').toEqual([]);
      const after = await runner.run([{ path: 'main.js', text: "console.log('next run ok');\n" }], 'main.js');
      expect(after.stdout, after.end.message).toBe('next run ok\n');
    });
  }
});
