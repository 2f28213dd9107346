/**
 * Lesson code can call the instrumentation's own functions (the wrapper parameters __ls$e, __ls$x, __ls$u,
 * __ls$r, __ls$t) with any value. None of those calls may put an event in the trace that the lesson did not cause:
 * numbers too large for a packed stack word once became wide events (a console line no console call printed, a
 * "run ended" in the middle of a run). The trace must decode cleanly, hold exactly the console lines printed, and
 * end exactly once.
 *
 * Run: npx vitest run test/security/forged-trace.test.ts
 */
import { afterAll, describe, expect, it } from 'vitest';
import { EventKind, END_REASON_NAMES } from '../../src/shared/trace/schema.ts';
import { tracedRunner } from '../support/runtime.ts';
import { decodeBatches } from '../support/trace-events.ts';

const runner = tracedRunner();
afterAll(() => runner.dispose());

// Each value aims a packed word at a wide kind: (Console << 30), (RunEnd << 30) overflow into positive ints.
const FORGE = `
const values = [(1 << 30) | ${EventKind.Console}, ${EventKind.Console} << 29, -(2 ** 31), 2 ** 31 - 1, 2 ** 31 + ${EventKind.RunEnd},
  ${EventKind.RunEnd} * 2 ** 29, 1.5, -1, '18', NaN, Infinity, 1e12, { valueOf() { return ${EventKind.Console}; } }];
for (const v of values) {
  try { __ls$e(v); } catch (e) {}
  try { __ls$t(v); } catch (e) {}
  try { __ls$x(v); } catch (e) {}
  try { __ls$u(v, undefined, v); } catch (e) {}
  try { __ls$r(v, undefined, v); } catch (e) {}
}
async function f() { await null; }
f().then(() => console.log('done'));
`;

describe('forged trace events through the instrumentation parameters', () => {
  for (const mode of ['function', 'statement'] as const) {
    it(`adds no event the lesson did not cause (${mode} level)`, async () => {
      const result = await runner.run([{ path: 'main.js', text: FORGE }], 'main.js', { mode });
      expect(END_REASON_NAMES[result.end.reason], result.end.message).toBe('completed');
      expect(result.stdout).toBe('done\n');
      const events = decodeBatches(result.batches);
      const consoles = events.filter((e) => e.kind === EventKind.Console).map((e) => e.args[1]);
      expect(consoles.length, `console events: ${JSON.stringify(consoles)}`).toBe(1);
      expect(String(consoles[0])).toMatch(/^done\n?$/);
      const ends = events.filter((e) => e.kind === EventKind.RunEnd);
      expect(ends.length).toBe(1);
      expect(events.at(-1)!.kind).toBe(EventKind.RunEnd);
    });
  }
});
