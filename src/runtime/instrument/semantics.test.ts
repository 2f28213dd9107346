/**
 * The instrumented program must print exactly what the program prints without instrumentation, in both modes,
 * for every piece of modern syntax lessons use.
 */
import { describe, expect, it } from 'vitest';
import { SEMANTICS_CASES as CASES } from './semantics-cases.ts';
import { runBaseline, runInstrumented } from './test-harness.ts';

const MODULES = { lib: { default: 'D', named: 'N', other: 'O' } };

describe('instrumented programs behave like the originals', () => {
  it('has at least 25 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(25);
  });
  for (const c of CASES) {
    it(c.name, async () => {
      const options = { path: c.path ?? 'main.ts', modules: MODULES };
      const base = await runBaseline(c.code, options);
      expect(base.output.length).toBeGreaterThan(0);
      expect(base.output.join('\n')).not.toMatch(/^uncaught/m);
      const fn = await runInstrumented(c.code, { ...options, mode: 'function' });
      expect(fn.output).toEqual(base.output);
      expect(fn.events.every((e) => e[0] !== 'stmt')).toBe(true);
      const st = await runInstrumented(c.code, { ...options, mode: 'statement' });
      expect(st.output).toEqual(base.output);
      expect(st.events.some((e) => e[0] === 'stmt')).toBe(true);
    });
  }
});
