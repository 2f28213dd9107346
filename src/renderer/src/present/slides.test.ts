import { describe, expect, it } from 'vitest';
import { slideAt, slidesFor } from './slides.ts';

describe('slides', () => {
  const cps = [
    { name: 'Timer queued', cursor: 10, explain: 'e1', notes: 'ask first' },
    { name: 'Timer runs', cursor: 40, explain: 'e2', notes: '' },
  ];
  it('start, a slide per checkpoint with its notes, then the end', () => {
    const s = slidesFor(cps, 50);
    expect(s.map((x) => [x.kind, x.cursor])).toEqual([['start', 0], ['checkpoint', 10], ['checkpoint', 40], ['end', 50]]);
    expect(s[1]!.notes).toBe('ask first');
  });
  it('a checkpoint at the last step is the end slide (no duplicate)', () => {
    const s = slidesFor([{ name: 'Done', cursor: 50, explain: 'all printed', notes: 'n' }], 50);
    expect(s.map((x) => x.name)).toEqual(['Before the first step', 'Done']);
    expect(s[1]!.explain).toBe('all printed');
  });
  it('the slide at a cursor is the last one reached', () => {
    const s = slidesFor(cps, 50);
    expect([0, 9, 10, 39, 40, 50].map((c) => slideAt(s, c))).toEqual([0, 0, 1, 1, 2, 3]);
  });
});
