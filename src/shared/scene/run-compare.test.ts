import { describe, expect, it } from 'vitest';
import { buildTrace, userFrame } from '../trace/test-support.ts';
import { EventKind } from '../trace/schema.ts';
import { compareRuns } from './run-compare.ts';

const E = EventKind;
describe('what-if: this run against the previous one', () => {
  const frames = [userFrame(0, 'main'), userFrame(1, 'helper')];
  const run = (lines: string[], helperFirst = false) =>
    buildTrace(
      [
        [E.AgentStart, 0, -1, 'main', 'main.ts'],
        [E.Enter, 0, 1],
        ...(helperFirst ? [[E.Enter, 1, 2] as const, [E.Exit, 2] as const] : []),
        ...lines.map((l) => [E.Console, 0, l] as const),
        [E.Exit, 1],
      ],
      frames,
    );

  it('identical runs: same console, no differing step', () => {
    const c = compareRuns(run(['a', 'b']), run(['a', 'b']));
    expect(c).toMatchObject({ before: ['a', 'b'], after: ['a', 'b'], sameConsole: true, firstDifferentStep: null, firstDifferentLine: null });
  });

  it('a reordered console: the first different line and the step that printed it', () => {
    const prev = run(['a', 'b']);
    const next = run(['b', 'a']);
    const c = compareRuns(prev, next);
    expect(c.sameConsole).toBe(false);
    expect(c.firstDifferentLine).toBe(0);
    expect(next.kind[c.firstDifferentStep! - 1]).toBe(E.Console);
  });

  it('an extra call (ids shift, names do not): the step of the new call', () => {
    const next = run(['a'], true);
    const c = compareRuns(run(['a']), next);
    expect(c.sameConsole).toBe(true);
    expect(next.kind[c.firstDifferentStep! - 1]).toBe(E.Enter);
    expect(next.header.frames[next.args[next.argStart[c.firstDifferentStep! - 1]!]!]?.name).toBe('helper');
  });
});
