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

const runner = tracedRunner({ runtime: 'v2' });
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

describe('platform conformance (runtime v2 against plain node)', () => {
  it(`has at least 200 programs across both conformance suites (has ${ALL_CASES.length} + ${PLATFORM_CASES.length})`, () => {
    expect(ALL_CASES.length + PLATFORM_CASES.length).toBeGreaterThanOrEqual(200);
  });
  it('names every platform program once', () => {
    expect(new Set(PLATFORM_CASES.map((c) => c.name)).size).toBe(PLATFORM_CASES.length);
  });
  for (const c of PLATFORM_CASES) {
    it(c.name, { timeout: 60_000 }, async () => {
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
