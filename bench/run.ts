/**
 * `npm run bench`: measures the runtime (and, when present, the app and the timeline) in one run, prints a
 * table, and writes the same figures as JSON lines to bench/results.jsonl: {"name","value","unit","target"}.
 * Ratios are measured against the same code in the same sandbox in this run, so a noisy machine affects both.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { runtimeBenchmarks } from './runtime.ts';

export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** e.g. "<= 5", ">= 50000000"; empty when there is no target. */
  readonly target: string;
}

function meets(f: Figure): string {
  const m = /^(<=|>=|<|>)\s*([\d.e+]+)$/.exec(f.target);
  if (!m) return '';
  const t = Number(m[2]);
  const ok = m[1] === '<=' ? f.value <= t : m[1] === '>=' ? f.value >= t : m[1] === '<' ? f.value < t : f.value > t;
  return ok ? 'ok' : 'MISSED';
}

const figures: Figure[] = [];
const suites: [string, () => Promise<Figure[]>][] = [['runtime', runtimeBenchmarks]];
for (const extra of ['./runtime-v2.ts', './app.ts', './timeline.ts', './os-sandbox.ts']) {
  try {
    const mod = (await import(extra)) as Record<string, () => Promise<Figure[]>>;
    const fn = Object.values(mod).find((v) => typeof v === 'function');
    if (fn) suites.push([extra, fn]);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw err;
  }
}
const failures: string[] = [];
for (const [name, suite] of suites) {
  process.stderr.write(`bench: ${name}…\n`);
  try {
    figures.push(...(await suite()));
  } catch (err) {
    failures.push(`${name}: ${(err as Error).message.split('\n')[0]}`);
  }
}

const rows = figures.map((f) => [f.name, f.value >= 1e6 ? f.value.toExponential(2) : String(Math.round(f.value * 100) / 100), f.unit, f.target, meets(f)]);
const widths = [0, 1, 2, 3, 4].map((i) => Math.max(...rows.map((r) => r[i]!.length), ['benchmark', 'value', 'unit', 'target', ''][i]!.length));
const line = (r: string[]): string => r.map((c, i) => c.padEnd(widths[i]!)).join('  ');
process.stdout.write(`${line(['benchmark', 'value', 'unit', 'target', ''])}\n${line(widths.map((w) => '-'.repeat(w)))}\n${rows.map(line).join('\n')}\n`);
mkdirSync(new URL('.', import.meta.url), { recursive: true });
writeFileSync(new URL('./results.jsonl', import.meta.url), figures.map((f) => JSON.stringify(f)).join('\n') + '\n');
process.stdout.write('\nwrote bench/results.jsonl\n');
if (failures.length) {
  process.stderr.write(`\n${failures.length} benchmark suite(s) failed:\n${failures.map((f) => `  ${f}`).join('\n')}\n`);
  process.exitCode = 1;
}
