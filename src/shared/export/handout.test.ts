import { describe, expect, it } from 'vitest';
import { readHandout } from './handout.ts';

describe('the HTML handout data', () => {
  it('keeps a well-formed handout and drops extra fields (no speaker notes)', () => {
    const h = readHandout({ lessonText: '# Title', checkpoints: [{ name: 'Timer', cursor: 12, explain: 'runs last', notes: 'secret' }] });
    expect(h).toEqual({ lessonText: '# Title', checkpoints: [{ name: 'Timer', cursor: 12, explain: 'runs last' }] });
  });
  it('refuses damaged or oversized ones', () => {
    expect(readHandout(null)).toBeNull();
    expect(readHandout({ lessonText: 3, checkpoints: [] })).toBeNull();
    expect(readHandout({ lessonText: '', checkpoints: [{ name: 'x', cursor: -1, explain: '' }] })).toBeNull();
    expect(readHandout({ lessonText: 'x'.repeat(200_001), checkpoints: [] })).toBeNull();
  });
});
