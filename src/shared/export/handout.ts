/**
 * The teaching part of an HTML export (a handout): the lesson's text and its checkpoints with their explanations
 * and the step each resolved to in this run. Embedded next to the trace in the player page and read back by the
 * player with `readHandout`, which trusts nothing (the file may have been edited): shapes and sizes are checked,
 * and the player shows everything as text, never as markup. Speaker notes are never part of it.
 */

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

/** The handout, or null when `value` is not one (a damaged or foreign element is ignored, not fatal). */
export function readHandout(value: unknown): Handout | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.lessonText !== 'string' || v.lessonText.length > HANDOUT_LIMITS.lessonChars) return null;
  if (!Array.isArray(v.checkpoints) || v.checkpoints.length > HANDOUT_LIMITS.checkpoints) return null;
  const checkpoints: HandoutCheckpoint[] = [];
  for (const c of v.checkpoints as unknown[]) {
    if (typeof c !== 'object' || c === null) return null;
    const o = c as Record<string, unknown>;
    if (typeof o.name !== 'string' || o.name.length > HANDOUT_LIMITS.nameChars) return null;
    if (typeof o.explain !== 'string' || o.explain.length > HANDOUT_LIMITS.explainChars) return null;
    if (!Number.isInteger(o.cursor) || (o.cursor as number) < 0) return null;
    checkpoints.push({ name: o.name, cursor: o.cursor as number, explain: o.explain });
  }
  return { lessonText: v.lessonText, checkpoints };
}
