/**
 * The teaching part of an HTML export (a handout): the lesson's text and its checkpoints with their explanations
 * and the step each resolved to in this run. Embedded next to the trace in the player page and read back by the
 * player with `readHandout`, which trusts nothing (the file may have been edited): shapes and sizes are checked,
 * and the player shows everything as text, never as markup. Speaker notes are never part of it.
 */
import { arr, int, obj, str, validate, type Schema } from '../schema/schema.ts';

export interface HandoutCheckpoint {
  readonly name: string;
  readonly cursor: number;
  readonly explain: string;
}

export interface Handout {
  /** The lesson narrative as written (Markdown source, shown as plain text). */
  readonly lessonText: string;
  readonly checkpoints: readonly HandoutCheckpoint[];
}

export const HANDOUT_LIMITS = { lessonChars: 200_000, checkpoints: 200, nameChars: 200, explainChars: 4000 } as const;

/** The handout's description (src/shared/schema): strict for the IPC's `export` call, lenient (extra fields dropped) for a file being read. */
export function handoutSchema(unknownKeys: 'error' | 'drop' = 'error'): Schema<Handout> {
  return obj(
    {
      lessonText: str({ max: HANDOUT_LIMITS.lessonChars }),
      checkpoints: arr(obj({ name: str({ max: HANDOUT_LIMITS.nameChars }), cursor: int({ min: 0 }), explain: str({ max: HANDOUT_LIMITS.explainChars }) }, { unknownKeys }), HANDOUT_LIMITS.checkpoints),
    },
    { unknownKeys },
  );
}

const handoutInFile = handoutSchema('drop');

/** The handout, or null when `value` is not one (a damaged or foreign element is ignored, not fatal). */
export function readHandout(value: unknown): Handout | null {
  const checked = validate(handoutInFile, value, { maxIssues: 1 });
  return checked.ok ? checked.value : null;
}
