import { describe, expect, it } from 'vitest';
import { consoleText } from './console.ts';
import { EventKind as K } from './schema.ts';
import { batch, buildTrace, withClock } from './test-support.ts';

describe('consoleText', () => {
  const trace = buildTrace([
    batch(0, withClock([[K.Console, 0, 'one'], [K.Console, 1, 'oops'], [K.Enter, 8, 1], [K.Console, 2, 'raw '], [K.Console, 2, 'write\n']])),
    batch(1, withClock([[K.Console, 0, 'from a worker'], [K.Console, 3, 'err raw'], [K.Console, 0, '']])),
  ]);

  it('prints console lines with a trailing newline and raw writes as they are, per stream, in trace order', () => {
    expect(consoleText(trace)).toEqual({ stdout: 'one\nraw write\nfrom a worker\n\n', stderr: 'oops\nerr raw' });
  });

  it('prints only what was printed before a step', () => {
    expect(consoleText(trace, 0)).toEqual({ stdout: '', stderr: '' });
    expect(consoleText(trace, 2)).toEqual({ stdout: 'one\n', stderr: 'oops\n' });
    expect(consoleText(trace, 4)).toEqual({ stdout: 'one\nraw ', stderr: 'oops\n' });
    expect(consoleText(trace, 1e9)).toEqual(consoleText(trace));
  });
});
