import { describe, expect, it } from 'vitest';
import { diffLines, formatDiff, splitOutput } from './diff.ts';

describe('diffLines', () => {
  it('shows a swapped pair as one removal and one addition around the common lines', () => {
    expect(formatDiff(diffLines(['sync', 'promise', 'timeout'], ['sync', 'timeout', 'promise']))).toBe(['  sync', '- promise', '  timeout', '+ promise'].join('\n'));
  });

  it('is all common lines when equal', () => {
    expect(diffLines(['a', 'b'], ['a', 'b']).every((l) => l.op === ' ')).toBe(true);
  });

  it('handles empty sides', () => {
    expect(formatDiff(diffLines([], ['x']))).toBe('+ x');
    expect(formatDiff(diffLines(['x'], []))).toBe('- x');
  });
});

describe('splitOutput', () => {
  it('splits console text into lines without the trailing newline', () => {
    expect(splitOutput('a\nb\n')).toEqual(['a', 'b']);
    expect(splitOutput('a\r\n\nb')).toEqual(['a', '', 'b']);
    expect(splitOutput('')).toEqual([]);
  });
});
