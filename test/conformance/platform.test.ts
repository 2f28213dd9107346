/**
 * Platform conformance (runtime v2): each program of platform-cases.ts prints, through a traced run at function
 * level and at statement level, exactly what plain `node` prints — stdout, stderr and exit code — with only the
 * lesson folder's path normalised (plain node runs in a temp folder, a traced run shows `/lesson`).
 *
 * Run: npx vitest run test/conformance/platform.test.ts
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runPlainNode } from '../support/plain-node.ts';
import { tracedRunner } from '../support/runtime.ts';
import { ALL_CASES } from './cases/index.ts';
import { PLATFORM_CASES } from './platform-cases.ts';

const runner = tracedRunner();
afterAll(() => runner.dispose());

/**
 * Plain node's temp folder (and its file URL) → /lesson, as a traced run shows the lesson folder; and process ids
 * in warning prefixes `(node:<pid>)`, which differ between any two runs of plain node too.
 */
function normalise(text: string): string {
  return text
    .replace(/(file:\/\/)?\/[^\s'"()]*?loopscope-plain-[A-Za-z0-9]+/g, (_m, scheme: string | undefined) => `${scheme ?? ''}/lesson`)
    .replace(/\(node:\d+\)/g, '(node:PID)');
}


/**
 * Known v2 fidelity gaps: programs v2 does not yet print exactly as plain node does. Each still runs and must still
 * FAIL (it.fails), so fixing a gap turns its test red until it is taken off this list. Reproductions: the closing
 * note of issue 9.
 */
const KNOWN_V2_GAPS: Readonly<Record<string, string>> = {
  "order: an unref'd timer due when the script ends never fires (the loop has nothing else to do)":
    "v2 gap with a drain thread (the app's runs; `loopscope run` without -o has none and prints what plain node prints): creating the drain thread before the lesson leaves work to the main thread's event loop (the closing end of the Worker's message channel, its 'online' message), so the loop turns once after the script where plain node's ends at once, and a due unref'd timer fires in that turn",
};
/** Gaps whose outcome varies from run to run under v2, so neither it nor it.fails can hold: skipped, reason printed. */
const VARYING_V2_GAPS: Readonly<Record<string, string>> = {
  'order: top-level 3 ms timer fires before setImmediate in an I/O-free script (start-up outlasts 3 ms)':
    'v2 gap: plain node\'s first console.log creates process.stdout, loading the stream and net modules (~3 ms), after the timer was set, so the timer is due by the first loop turn. A run process has those modules loaded before the lesson (worker_threads, which the tracer and its drain thread use, loads the streams), so creating stdout costs less than 3 ms: setImmediate won in 16 runs of 20 warm and 10 of 15 through loopscope run on 2026-12-07, and later that day 12 of 15 through loopscope run without a drain thread and 11 of 15 with one (-o) (plain node: the timer, 30 of 30, and 15 of 15)',
};
for (const [name, why] of Object.entries({ ...KNOWN_V2_GAPS, ...VARYING_V2_GAPS })) process.stderr.write(`KNOWN GAP "${name}": ${why}\n`);

describe('platform conformance (runtime v2 against plain node)', () => {
  it(`has at least 200 programs across both conformance suites (has ${ALL_CASES.length} + ${PLATFORM_CASES.length})`, () => {
    expect(ALL_CASES.length + PLATFORM_CASES.length).toBeGreaterThanOrEqual(200);
  });
  it('names every platform program once', () => {
    expect(new Set(PLATFORM_CASES.map((c) => c.name)).size).toBe(PLATFORM_CASES.length);
  });
  it('lists only programs that exist as known gaps', () => {
    const names = new Set(PLATFORM_CASES.map((c) => c.name));
    expect(Object.keys({ ...KNOWN_V2_GAPS, ...VARYING_V2_GAPS }).filter((n) => !names.has(n))).toEqual([]);
  });
  for (const c of PLATFORM_CASES) {
    const test = c.name in VARYING_V2_GAPS ? it.skip : c.name in KNOWN_V2_GAPS ? it.fails : it;
    test(c.name, { timeout: 60_000 }, async () => {
      const files = [{ path: c.entry, text: c.code }, ...(c.files ?? [])];
      const plain = await runPlainNode(files, c.entry);
      for (const mode of ['function', 'statement'] as const) {
        const traced = await runner.run(files, c.entry, { mode });
        const context = `${mode} level, ended: ${traced.end.message}`;
        expect(normalise(traced.stdout), context).toBe(normalise(plain.stdout));
        expect(normalise(traced.stderr), context).toBe(normalise(plain.stderr));
        expect(traced.end.exitCode, context).toBe(plain.exitCode);
      }
    });
  }
});
