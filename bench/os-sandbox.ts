/**
 * OS-sandbox start cost: `node -e 0` run plainly, through `wrapCommand` without a cgroup (env -i, prlimit,
 * bubblewrap) and with the per-run cgroup (where this process may create one), as interleaved rounds in one run
 * so machine noise hits every variant alike. Wrapped figures include building the command line and cleanup.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectOsSandbox, wrapCommand, type WrapOptions } from '../src/runtime/os-sandbox/index.ts';
import type { Figure } from './run.ts';

const ROUNDS = 25;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env: {} });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}: ${stderr.slice(0, 300)}`))));
  });
}

export async function osSandboxBenchmarks(): Promise<Figure[]> {
  const status = detectOsSandbox();
  if (!status.available) {
    process.stderr.write(`bench: os-sandbox skipped: ${status.reason}\n`);
    return [];
  }
  const runDir = mkdtempSync(join(tmpdir(), 'loopscope-bench-os-'));
  const timeOf = async (options: WrapOptions | 'plain'): Promise<number> => {
    const t0 = performance.now();
    if (options === 'plain') {
      await run(process.execPath, ['-e', '0']);
      return performance.now() - t0;
    }
    const w = wrapCommand({ command: process.execPath, args: ['-e', '0'], runDir, readOnlyPaths: [], env: {} }, options);
    try {
      await run(w.command, w.args);
    } finally {
      w.cleanup?.();
    }
    return performance.now() - t0;
  };
  try {
    const withCgroup = wrapCommand({ command: process.execPath, args: [], runDir, readOnlyPaths: [], env: {} });
    withCgroup.cleanup?.();
    const hasCgroup = withCgroup.layers.some((l) => /^limits: cgroup v/.test(l));
    const variants: [string, WrapOptions | 'plain'][] = [['plain', 'plain'], ['sandbox', { cgroup: false }], ...(hasCgroup ? [['cgroup', {}] as [string, WrapOptions]] : [])];
    for (const [, v] of variants) await timeOf(v); // warm-up (ldd of the binary is cached after the first wrap)
    const t: Record<string, number[]> = { plain: [], sandbox: [], cgroup: [] };
    const extra: Record<string, number[]> = { sandbox: [], cgroup: [] };
    const ratio: Record<string, number[]> = { sandbox: [], cgroup: [] };
    for (let i = 0; i < ROUNDS; i++) {
      // Rotate the order each round so no variant always runs right after another.
      const order = variants.map((_, k) => variants[(k + i) % variants.length]!);
      const round: Record<string, number> = {};
      for (const [name, v] of order) round[name] = await timeOf(v);
      for (const name of Object.keys(round)) t[name]!.push(round[name]!);
      for (const name of ['sandbox', 'cgroup']) {
        if (round[name] === undefined) continue;
        extra[name]!.push(round[name]! - round.plain!);
        ratio[name]!.push(round[name]! / round.plain!);
      }
    }
    const figures: Figure[] = [
      { name: 'node -e 0, plain (median)', value: median(t.plain!), unit: 'ms', target: '' },
      { name: 'node -e 0, OS sandbox without cgroup (median)', value: median(t.sandbox!), unit: 'ms', target: '' },
      { name: 'OS sandbox start cost without cgroup (median of round differences)', value: median(extra.sandbox!), unit: 'ms', target: '<= 15' },
      { name: 'OS sandbox start ratio without cgroup (median of round ratios)', value: median(ratio.sandbox!), unit: '×', target: '<= 1.5' },
    ];
    if (hasCgroup) {
      figures.push(
        { name: 'node -e 0, OS sandbox with a run cgroup (median)', value: median(t.cgroup!), unit: 'ms', target: '' },
        { name: 'OS sandbox start cost with a run cgroup (median of round differences)', value: median(extra.cgroup!), unit: 'ms', target: '' },
      );
    }
    return figures;
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
}
