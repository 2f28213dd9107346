/**
 * A lesson as slides for presenter mode: the start, one slide per resolved checkpoint (its explanation and speaker
 * notes), and the end of the run. Pure: from the checkpoints and the step count to the slide list and the slide at
 * a cursor.
 */
import type { ResolvedCheckpoint } from '../../../shared/scene/checkpoints.ts';

export interface Slide {
  readonly name: string;
  readonly cursor: number;
  readonly explain: string;
  readonly notes: string;
  readonly kind: 'start' | 'checkpoint' | 'end';
}

export function slidesFor(checkpoints: readonly ResolvedCheckpoint[], count: number): Slide[] {
  const middle = checkpoints.filter((c) => c.cursor > 0 && c.cursor < count).map((c): Slide => ({ ...c, kind: 'checkpoint' }));
  const atEnd = checkpoints.filter((c) => c.cursor >= count);
  const end: Slide = atEnd[0] ? { ...atEnd[0], cursor: count, kind: 'end' } : { name: 'The end of the run', cursor: count, explain: '', notes: '', kind: 'end' };
  return [{ name: 'Before the first step', cursor: 0, explain: '', notes: '', kind: 'start' }, ...middle, end];
}

/** The index of the slide the cursor is on or past (the last slide whose cursor ≤ `cursor`). */
export function slideAt(slides: readonly Slide[], cursor: number): number {
  let at = 0;
  for (let i = 0; i < slides.length; i++) if (slides[i]!.cursor <= cursor) at = i;
  return at;
}
