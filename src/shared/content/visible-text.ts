/**
 * Lesson titles, summaries and folder paths come from other people and are shown as text. Text can still lie:
 * a right-to-left override (U+202E) makes `lesson‮txt.ts` read as `lessonst.txt`, zero-width and control characters
 * hide parts of a name. `revealInvisible` replaces every such character with a visible `⟨U+202E⟩` marker, so what
 * the learner reads is what the string holds. Used wherever a name from a lesson is shown for a decision (the
 * trust prompt, the lesson list, the toolbar, editor tabs).
 */

// C0/C1 controls (tab and newline too: a title is one line), bidi embeddings, overrides and isolates, the
// implicit direction marks, zero-width characters, the byte-order mark, and the interlinear annotation chars.
// eslint-disable-next-line no-control-regex, no-misleading-character-class -- control and combining characters are exactly what this finds, one at a time
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufe00-\ufe0f\ufeff\ufff9-\ufffb]/g;

const marker = (ch: string): string => `⟨U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩`;

/** `text` with every invisible or direction-changing character shown as a `⟨U+XXXX⟩` marker. */
export function revealInvisible(text: string): string {
  return text.replace(INVISIBLE, marker);
}

/** True when `text` holds a character `revealInvisible` would mark. */
export function hasInvisible(text: string): boolean {
  INVISIBLE.lastIndex = 0;
  const found = INVISIBLE.test(text);
  INVISIBLE.lastIndex = 0;
  return found;
}
