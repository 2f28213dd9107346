/**
 * A long task's hatch on the timeline: only the strokes the view shows are drawn, at the same places as the whole
 * pattern's, however far the task reaches past the view (zoomed in, one task spans millions of pixels, and stroking
 * them all made frames drop while panning).
 */
import { describe, expect, it } from 'vitest';
import { hatchStrokes } from './timeline-renderer.ts';

/** The x of every stroke of the whole pattern from x0 to x1, as drawn before the view limited it. */
function wholePattern(x0: number, x1: number): number[] {
  const xs: number[] = [];
  for (let x = x0 - 8; x < x1 + 8; x += 6) xs.push(x);
  return xs;
}
function strokes(h: { from: number; to: number }): number[] {
  const xs: number[] = [];
  for (let x = h.from; x < h.to; x += 6) xs.push(x);
  return xs;
}

describe('a long task hatch', () => {
  it('inside the view: the whole pattern, clipped to the task', () => {
    const h = hatchStrokes(300, 420, 120, 1600);
    expect(h).toEqual({ from: 292, to: 428, left: 300, right: 420 });
    expect(strokes(h)).toEqual(wholePattern(300, 420));
  });

  it('zoomed into a task far wider than the view: about one stroke per 6 px of the view, no more', () => {
    const h = hatchStrokes(-4e7, 6e7, 120, 1600);
    expect(strokes(h).length).toBeLessThanOrEqual(Math.ceil((1600 - 120) / 6) + 6);
    expect(h.from).toBeLessThanOrEqual(120 - 8);
    expect(h.to).toBeGreaterThanOrEqual(1600 + 8);
    expect(h.left).toBe(112);
    expect(h.right).toBe(1608);
  });

  it('the strokes it draws are where the whole pattern has them, so panning moves them with the task', () => {
    for (const x0 of [-30_001.5, -29_999, -12_345.25]) {
      const x1 = 50_000.75;
      const view = [120, 1600] as const;
      const near = (x: number): boolean => x + 6 > view[0] - 8 && x < view[1] + 8;
      const expected = wholePattern(x0, x1).filter(near);
      expect(expected.length).toBeGreaterThan(240); // the view is covered: the comparison is not between two empty lists
      expect(strokes(hatchStrokes(x0, x1, ...view)).filter(near)).toEqual(expected);
    }
  });
});
