/**
 * Runtime v2 benchmarks (issue 9, item 7), each measured as interleaved pairs in one run so machine noise hits
 * both sides: run → first event with a warm process; `loopscope run` of a one-line file (wall clock, next to plain
 * node, and next to the floor of any design with a CLI process and a run process: plain node starting plain node);
 * a lesson Worker's start next to plain node's; tracing overhead on fib(27) at function and statement level (the
 * program's own measurement of fib(27), traced, against plain node on the same file), and on fib(22) once V8 has
 * optimized it (the floor of the fib(27) ratios). Medians.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRuntimeHost } from '../src/runtime/host-client.ts';
import { runHeadless } from '../src/runtime/headless.ts';
import type { Runtime } from '../src/runtime/api.ts';
import type { Figure } from './run.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]!; };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const round = (n: number, d = 2): number => Math.round(n * 10 ** d) / 10 ** d;

async function firstEventMs(runtime: Runtime): Promise<number> {
  await sleep(400); // the next warm process boots after the previous run ended
  const t0 = performance.now();
  let first = 0;
  const handle = runtime.run({ files: [{ path: 'main.js', text: "console.log('hi');\n" }], entry: 'main.js', mode: 'function' }, {
    onHeader() {}, onBatch() { if (!first) first = performance.now(); }, onEnd() {},
  });
  await handle.done;
  return first - t0;
}

/** The number a program prints on its last line (its own measurement). */
async function printed(runtime: Runtime, text: string, traced: boolean, mode: 'function' | 'statement' = 'function', files: { path: string; text: string }[] = []): Promise<number> {
  const r = await runHeadless({ files: [{ path: 'main.js', text }, ...files], entry: 'main.js', mode, traced, limits: { timeoutMs: 60_000, maxEvents: 50_000_000 } }, { runtime });
  return Number(r.stdout.trim().split('\n').pop());
}

export async function runtimeV2Benchmarks(): Promise<Figure[]> {
  const runtime = startRuntimeHost();
  const dir = mkdtempSync(join(tmpdir(), 'loopscope-bench-v2-'));
  try {
    await runHeadless({ files: [{ path: 'main.js', text: '1;\n' }], entry: 'main.js', mode: 'function' }, { runtime });
    const first: number[] = [];
    for (let i = 0; i < 7; i++) first.push(await firstEventMs(runtime));

    // The CLI as a user runs it: a fresh `loopscope run` each time (the run process preloads the pre-built bundle,
    // built at npm ci; the CLI's own TypeScript comes from Node's compile cache after the first run, as for a user).
    const oneDir = join(dir, 'one');
    mkdirSync(oneDir);
    writeFileSync(join(oneDir, 'one.js'), "console.log('one line');\n");
    spawnSync(process.execPath, [join(ROOT, 'bin/loopscope.mjs'), 'run', join(oneDir, 'one.js')], { stdio: 'ignore' });
    // The floor of this design on this machine, without a sandbox, a tracer or a lesson to read: a Node process (the
    // CLI) that starts a Node process (the run), which prints one line. (A run without -o has no drain thread.)
    const floorDir = join(dir, 'floor');
    mkdirSync(floorDir);
    writeFileSync(join(floorDir, 'run.js'), "console.log('one line');\n");
    writeFileSync(join(floorDir, 'cli.js'), "require('node:child_process').spawnSync(process.execPath, [require('node:path').join(__dirname, 'run.js')], { stdio: 'inherit' });\n");
    const cli: number[] = [];
    const plain: number[] = [];
    const floor: number[] = [];
    for (let i = 0; i < 7; i++) {
      let t = performance.now();
      spawnSync(process.execPath, [join(ROOT, 'bin/loopscope.mjs'), 'run', join(oneDir, 'one.js')], { stdio: 'ignore' });
      cli.push(performance.now() - t);
      t = performance.now();
      spawnSync(process.execPath, [join(oneDir, 'one.js')], { stdio: 'ignore' });
      plain.push(performance.now() - t);
      t = performance.now();
      spawnSync(process.execPath, [join(floorDir, 'cli.js')], { stdio: 'ignore' });
      floor.push(performance.now() - t);
    }

    const WORKER_MAIN = "const { Worker } = require('node:worker_threads');\nconst t0 = performance.now();\nconst w = new Worker('./w.js');\nw.on('online', () => { console.log(performance.now() - t0); });\n";
    const workerFiles = [{ path: 'w.js', text: '1;\n' }];
    writeFileSync(join(dir, 'main.js'), WORKER_MAIN);
    writeFileSync(join(dir, 'w.js'), '1;\n');
    const workerRatios: number[] = [];
    for (let i = 0; i < 5; i++) {
      const traced = await printed(runtime, WORKER_MAIN, true, 'function', workerFiles);
      const p = spawnSync(process.execPath, [join(dir, 'main.js')], { cwd: dir, encoding: 'utf8' });
      workerRatios.push(traced / Number(p.stdout.trim()));
    }

    // The lesson's first loop turn: how long after its script its first setImmediate runs (nothing of the runtime's
    // may fall in between: the start-up's garbage once made it 3–10 ms, and an unref'd 5 ms timer outlived it).
    const FIRST_TURN = 'const t0 = performance.now();\nsetImmediate(() => console.log(performance.now() - t0));\n';
    writeFileSync(join(dir, 'turn.js'), FIRST_TURN);
    const turnTraced: number[] = [];
    const turnPlain: number[] = [];
    for (let i = 0; i < 7; i++) {
      await sleep(300);
      turnTraced.push(await printed(runtime, FIRST_TURN, true));
      turnPlain.push(Number(spawnSync(process.execPath, [join(dir, 'turn.js')], { cwd: dir, encoding: 'utf8' }).stdout.trim()));
    }

    // Tracing overhead: the time fib(27) takes inside the run, as the program measures it itself (process start-up
    // is not part of it: that is the CLI figure above). Each traced run is paired with plain node running the same
    // file, interleaved; the runtime's own untraced run is printed next to it (a check that the baseline is node's).
    const FIB = 'function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }\nconst t0 = performance.now();\nfib(27);\nconsole.log(performance.now() - t0);\n';
    writeFileSync(join(dir, 'fib.js'), FIB);
    // Each side starts after a pause: when a run ends the host boots the next warm process, and a plain node
    // measured during that boot shared the CPU with it (untraced/plain came out at 0.47× on 2 busy cores).
    const plainFib = async (): Promise<number> => { await sleep(300); return Number(spawnSync(process.execPath, [join(dir, 'fib.js')], { cwd: dir, encoding: 'utf8' }).stdout.trim()); };
    const tracedFib = async (traced: boolean, mode: 'function' | 'statement' = 'function'): Promise<number> => { await sleep(300); return printed(runtime, FIB, traced, mode); };
    // The same file under `loopscope run` (no drain thread, no warm-up: the CLI's one run starts at once).
    const cliFib: number[] = [];
    for (let i = 0; i < 5; i++) {
      const out = spawnSync(process.execPath, [join(ROOT, 'bin/loopscope.mjs'), 'run', join(dir, 'fib.js')], { encoding: 'utf8' }).stdout;
      cliFib.push(Number(out.trim()) / (await plainFib()));
    }
    const fnRatios: number[] = [];
    const stRatios: number[] = [];
    const untracedRatios: number[] = [];
    for (let i = 0; i < 7; i++) {
      fnRatios.push((await tracedFib(true, 'function')) / (await plainFib()));
      stRatios.push((await tracedFib(true, 'statement')) / (await plainFib()));
      untracedRatios.push((await tracedFib(false)) / (await plainFib()));
    }
    // The same calls once V8 has optimized them, traced and plain: the fastest of 40 fib(22)s inside one run. What a
    // traced call costs at best, and so the floor of the cold ratios above (which add the time before V8's top tier).
    const STEADY = 'function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }\nlet best = Infinity;\nfor (let i = 0; i < 40; i++) { const t0 = performance.now(); fib(22); best = Math.min(best, performance.now() - t0); }\nconsole.log(best);\n';
    writeFileSync(join(dir, 'steady.js'), STEADY);
    const plainSteady = async (): Promise<number> => { await sleep(300); return Number(spawnSync(process.execPath, [join(dir, 'steady.js')], { cwd: dir, encoding: 'utf8' }).stdout.trim()); };
    const steadyFn: number[] = [];
    const steadySt: number[] = [];
    for (let i = 0; i < 5; i++) {
      await sleep(300);
      steadyFn.push((await printed(runtime, STEADY, true, 'function')) / (await plainSteady()));
      await sleep(300);
      steadySt.push((await printed(runtime, STEADY, true, 'statement')) / (await plainSteady()));
    }
    return [
      { name: 'v2: run → first event, warm process (median ms)', value: round(median(first), 1), unit: 'ms', target: '<= 50' },
      { name: 'v2: loopscope run of a one-line file (median wall ms)', value: round(median(cli), 0), unit: 'ms', target: '<= 250' },
      { name: 'plain node on the same file (median wall ms)', value: round(median(plain), 0), unit: 'ms', target: '' },
      { name: "this design's floor: node starting node, which prints one line (median wall ms)", value: round(median(floor), 0), unit: 'ms', target: '' },
      { name: 'v2: script end → first setImmediate, traced (median ms)', value: round(median(turnTraced)), unit: 'ms', target: '' },
      { name: 'plain node, script end → first setImmediate (median ms)', value: round(median(turnPlain)), unit: 'ms', target: '' },
      { name: "v2: a lesson Worker's start / plain node's (median of pair ratios)", value: round(median(workerRatios)), unit: '×', target: '<= 1.5' },
      { name: 'v2: fib(27) traced / plain node, function level (median of pair ratios)', value: round(median(fnRatios)), unit: '×', target: '<= 3' },
      { name: 'v2: fib(27) traced / plain node, statement level (median of pair ratios)', value: round(median(stRatios)), unit: '×', target: '<= 5' },
      { name: 'v2: fib(27) untraced in the runtime / plain node (median of pair ratios)', value: round(median(untracedRatios)), unit: '×', target: '' },
      { name: 'v2: fib(27) under `loopscope run` / plain node (median of pair ratios)', value: round(median(cliFib)), unit: '×', target: '' },
      { name: 'v2: fib(22) once optimized, traced / plain node, function level (median of pair ratios)', value: round(median(steadyFn)), unit: '×', target: '' },
      { name: 'v2: same, statement level (median of pair ratios)', value: round(median(steadySt)), unit: '×', target: '' },
    ];
  } finally {
    await runtime.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

// `node bench/runtime-v2.ts` prints the figures on their own.
if (import.meta.main) for (const f of await runtimeV2Benchmarks()) console.log(`${f.name}: ${f.value} ${f.unit} (target ${f.target || '—'})`);
