/**
 * Runtime v2 names a lock's waiters and holders by the lesson call that asked (process/locks.ts, values.ts `k`):
 * real runs with async-mutex's Mutex and the kit's Semaphore; the stage's model reads `depositSafe('bob', 100)`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeadlessResult, Runtime } from './api.ts';
import { runHeadless } from './headless.ts';
import { startRuntimeHost } from './host-client.ts';
import { TraceBuilder } from '../shared/trace/builder.ts';
import { TraceModel } from '../shared/trace/model.ts';
import { EndReason, EventKind } from '../shared/trace/schema.ts';
import type { LockState } from '../shared/trace/runtime-state.ts';
import { lockNote } from '../shared/scene/stage-layout.ts';

let runtime: Runtime;
beforeAll(() => { runtime = startRuntimeHost(); });
afterAll(async () => { await runtime.dispose(); });

async function run(text: string): Promise<HeadlessResult> {
  return runHeadless({ files: [{ path: 'main.ts', text }], entry: 'main.ts', mode: 'function', limits: { timeoutMs: 20_000 } }, { runtime });
}

/** The lock's holders and waiters, as the stage names them, after every Lock event, in order. */
function lockStates(r: HeadlessResult, name: string): { holders: string[]; waiters: string[] }[] {
  const builder = new TraceBuilder(r.header);
  for (const b of r.batches) builder.append(b);
  const trace = builder.finish(r.end);
  const model = new TraceModel(trace);
  const out: { holders: string[]; waiters: string[] }[] = [];
  for (let i = 0; i < trace.count; i++) {
    if (trace.kind[i] !== EventKind.Lock) continue;
    const l: LockState | undefined = model.stateAt(i + 1).locks.find((x) => x.name === name);
    if (l) out.push({ holders: l.holders.map((p) => p.label), waiters: l.waiters.map((p) => p.label) });
  }
  return out;
}

describe('lock callers', () => {
  it("names async-mutex's waiters and holder by the call that asked, and the program prints what plain node prints", async () => {
    const r = await run(`import { Mutex } from 'async-mutex';
const mutex = new Mutex();
let balance = 0;
async function depositSafe(who: string, amount: number): Promise<void> {
  await mutex.runExclusive(async () => {
    const current = balance;
    await new Promise((resolve) => setTimeout(resolve, 5));
    balance = current + amount;
    console.log(who, balance);
  });
}
async function audit(): Promise<void> {
  const release = await mutex.acquire();
  console.log('audit', balance);
  release();
}
await Promise.all([depositSafe('alice', 100), depositSafe('bob', 50), audit()]);
`);
    expect(r.end.reason).toBe(EndReason.Completed);
    expect(r.stdout).toBe('alice 100\nbob 150\naudit 150\n');
    const states = lockStates(r, 'mutex');
    // All three have asked: alice holds it, bob and audit wait in line
    expect(states).toContainEqual({ holders: ["depositSafe('alice', 100)"], waiters: ["depositSafe('bob', 50)", 'audit()'] });
    expect(states).toContainEqual({ holders: ["depositSafe('bob', 50)"], waiters: ['audit()'] });
    expect(states).toContainEqual({ holders: ['audit()'], waiters: [] });
    expect(states.at(-1)).toEqual({ holders: [], waiters: [] });
  }, 30_000);

  it('a semaphore holder that finishes first leaves first, whoever got the lock before it (async-mutex and the kit)', async () => {
    for (const lib of ["import { Semaphore } from 'async-mutex';\nconst pool = new Semaphore(2);", "import { Semaphore } from '@loopscope/kit';\nconst pool = new Semaphore(2, 'pool');"]) {
      const r = await run(`${lib}
async function job(name: string, ms: number): Promise<void> {
  await pool.runExclusive(() => new Promise((resolve) => setTimeout(resolve, ms)));
  console.log(name, 'done');
}
await Promise.all([job('slow', 60), job('fast', 5), job('third', 5)]);
`);
      expect(r.stdout).toBe('fast done\nthird done\nslow done\n');
      const states = lockStates(r, 'pool');
      const full = states.findIndex((s) => s.holders.length === 2 && s.waiters.length === 1);
      expect(states[full]).toEqual({ holders: ["job('slow', 60)", "job('fast', 5)"], waiters: ["job('third', 5)"] });
      // fast gives it back: slow still holds it, third gets fast's place
      const afterFast = full + 1;
      expect(states[afterFast]).toEqual({ holders: ["job('slow', 60)"], waiters: ["job('third', 5)"] });
      expect(states[afterFast + 1]).toEqual({ holders: ["job('slow', 60)", "job('third', 5)"], waiters: [] });
      expect(states[afterFast + 2]).toEqual({ holders: ["job('slow', 60)"], waiters: [] });
    }
  }, 30_000);

  it("names the kit's Semaphore holders too, and only the Request a lock call makes", async () => {
    const r = await run(`import { Semaphore } from '@loopscope/kit';
const pool = new Semaphore(1, 'pool');
async function job(id: number, tags: string[]): Promise<number> {
  return pool.runExclusive(async () => id * 2);
}
const results = await Promise.all([job(1, ['a']), job(2, [])]);
const release = await pool.acquire(); // top-level code: no function to name it by
release();
console.log(results.join(' '));
`);
    expect(r.stdout).toBe('2 4\n');
    const states = lockStates(r, 'pool');
    expect(states).toContainEqual({ holders: ["job(1, ['a'])"], waiters: ["job(2, [])"] });
    expect(states).toContainEqual({ holders: ["job(2, [])"], waiters: [] });
    expect(states.some((s) => s.holders.length === 1 && s.holders[0] === '(main) main.ts')).toBe(true);
  }, 30_000);

  it('names an anonymous caller by a line of its source, with the arguments it was called with (not "(anonymous)(5, 0)")', async () => {
    const r = await run(`import { Semaphore } from 'async-mutex';
const pool = new Semaphore(1);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
await Promise.all([5, 1].map((ms, i) =>
  pool.runExclusive(async () => {
    await sleep(ms); // one at a time
    console.log('job', i);
  }),
));
`);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('job 0\njob 1\n');
    const states = lockStates(r, 'pool');
    expect(states).toContainEqual({ holders: ['(ms, i) => pool.runExclusive(async () … with (5, 0)'], waiters: ['(ms, i) => pool.runExclusive(async () … with (1, 1)'] });
  }, 30_000);

  it("a direct semaphore.release() is drawn as the oldest holder leaving, and the stage says async-mutex cannot tell whose", async () => {
    const r = await run(`import { Semaphore } from 'async-mutex';
const pool = new Semaphore(2);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function job(name: string, ms: number): Promise<void> {
  await pool.acquire();
  await sleep(ms);
  pool.release(); // not the releaser acquire resolved with: no grant named
  console.log(name, pool.getValue());
}
await Promise.all([job('slow', 60), job('fast', 5)]);
`);
    expect(r.stdout).toBe('fast 1\nslow 2\n');
    const builder = new TraceBuilder(r.header);
    for (const b of r.batches) builder.append(b);
    const trace = builder.finish(r.end);
    const model = new TraceModel(trace);
    const releases = [...trace.kind.keys()].filter((i) => trace.kind[i] === EventKind.Lock && model.stateAt(i + 1).locks[0]!.direct !== null);
    const first = model.stateAt(releases[0]! + 1).locks[0]!;
    expect(first.holders.map((p) => p.label)).toEqual(["job('fast', 5)"]);
    expect(lockNote(first)).toMatch(/^release\(\) at step \d+ gave a permit back without saying whose \(async-mutex keeps no owners\): the oldest holder, job\('slow', 60\), is shown leaving$/);
    expect(model.stateAt(Infinity).locks[0]!.holders).toEqual([]);
  }, 30_000);
});
