import { describe, expect, it } from 'vitest';
import { scoreQuiz } from './quiz.ts';

describe('scoreQuiz', () => {
  it('marks a perfect answer correct', () => {
    const s = scoreQuiz(['sync', 'microtask', 'timeout'], ['sync', 'microtask', 'timeout']);
    expect(s.correct).toBe(true);
    expect(s.lines.map((l) => l.ok)).toEqual([true, true, true]);
    expect(s.missing).toEqual([]);
  });

  it('says which lines are out of place and where they belong', () => {
    const s = scoreQuiz(['sync', 'microtask', 'timeout'], ['sync', 'timeout', 'microtask']);
    expect(s.correct).toBe(false);
    expect(s.lines).toEqual([
      { text: 'sync', ok: true, expectedIndex: 0 },
      { text: 'timeout', ok: false, expectedIndex: 2 },
      { text: 'microtask', ok: false, expectedIndex: 1 },
    ]);
  });

  it('flags lines that are never printed and lists the ones left out', () => {
    const s = scoreQuiz(['a', 'b', 'c'], ['a', 'x']);
    expect(s.correct).toBe(false);
    expect(s.lines[1]).toEqual({ text: 'x', ok: false, expectedIndex: -1 });
    expect(s.missing).toEqual(['b', 'c']);
  });

  it('is not fooled by extra lines after a correct prefix', () => {
    expect(scoreQuiz(['a', 'b'], ['a', 'b', 'b']).correct).toBe(false);
  });

  it('handles repeated lines: each printed occurrence explains one answer line', () => {
    const s = scoreQuiz(['tick', 'tick', 'done'], ['tick', 'done', 'tick']);
    expect(s.lines.map((l) => l.expectedIndex)).toEqual([0, 2, 1]);
    expect(s.correct).toBe(false);
  });

  it('accepts any of several outputs for a nondeterministic lesson', () => {
    const variants = [['main', 'timeout', 'immediate'], ['main', 'immediate', 'timeout']];
    expect(scoreQuiz(variants, ['main', 'immediate', 'timeout']).correct).toBe(true);
    expect(scoreQuiz(variants, ['main', 'timeout', 'immediate']).correct).toBe(true);
    const wrong = scoreQuiz(variants, ['timeout', 'main', 'immediate']);
    expect(wrong.correct).toBe(false);
    // marked against the closest variant: only "immediate" is in place (variant 0)
    expect(wrong.against).toEqual(['main', 'timeout', 'immediate']);
    expect(wrong.lines.map((l) => l.ok)).toEqual([false, false, true]);
  });

  it('ignores trailing spaces and trailing empty lines of a typed answer', () => {
    expect(scoreQuiz(['a', 'b'], ['a  ', 'b\r', '', '']).correct).toBe(true);
    expect(scoreQuiz(['a', 'b'], ['a', '', 'b']).correct).toBe(false);
  });

  it('scores an empty answer as incorrect with everything missing', () => {
    const s = scoreQuiz(['a'], []);
    expect(s.correct).toBe(false);
    expect(s.missing).toEqual(['a']);
  });
});
