/**
 * Anonymous functions named by their own source: `async () => { await sleep(300) … }`. A callback with no name was
 * drawn as `(anonymous)`, and two such cards (or two lock holders) looked alike. The frame table already says where
 * each function is in the original file, and the trace header carries the files as the learner wrote them, so the
 * excerpt is read from there (nothing more travels in the trace, and older traces get it too).
 *
 * Invariants: one line, at most `EXCERPT_CHARS` characters (plus the closing ` }`), comments left out; '' when the
 * file or the position is unknown (then callers keep `(anonymous)`).
 */
import type { Frame, TraceHeader } from './schema.ts';

export const EXCERPT_CHARS = 40;
/** The frame name the instrumentation gives a function with neither a name nor an inferred one. */
export const ANONYMOUS = '(anonymous)';

/** `text` on one line, comments out, cut to about `max` characters: `async () => { await sleep(300) … }`. */
export function sourceExcerpt(text: string, max = EXCERPT_CHARS): string {
  const whole = text.length <= max * 8; // a long function is read only as far as it can be shown
  const flat = (whole ? text : text.slice(0, max * 8)).replace(/\/\*[^]*?\*\/|(^|\s)\/\/[^\n\r]*/g, '$1').replace(/\s+/g, ' ').trim();
  if (whole && flat.length <= max) return flat;
  let cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  if (space > max / 2) cut = cut.slice(0, space); // not in the middle of a word
  return `${cut} …${/}\s*$/.test(text) ? ' }' : ''}`;
}

/** Excerpts of the header's anonymous function frames, computed when first asked for. */
export class FrameExcerpts {
  readonly #files = new Map<string, { text: string; lineStarts?: number[] }>();
  readonly #cache = new Map<number, string>();

  constructor(header: Partial<Pick<TraceHeader, 'files'>>) {
    for (const f of header.files ?? []) if (!this.#files.has(f.path)) this.#files.set(f.path, { text: f.text });
  }

  /** The excerpt of `frame` when it is an anonymous function of a known file, else ''. */
  of(frame: Frame | undefined): string {
    if (!frame || frame.kind !== 'function' || frame.name !== ANONYMOUS) return '';
    let e = this.#cache.get(frame.id);
    if (e === undefined) {
      e = this.#read(frame);
      this.#cache.set(frame.id, e);
    }
    return e;
  }

  #read(f: Frame): string {
    const file = this.#files.get(f.file);
    if (!file || f.line < 1) return '';
    if (!file.lineStarts) {
      const starts = [0];
      // Acorn's line breaks (the frame table's lines are its lines).
      for (const m of file.text.matchAll(/\r\n|[\n\r\u2028\u2029]/g)) starts.push(m.index + m[0].length);
      file.lineStarts = starts;
    }
    const at = (line: number, column: number): number => (file.lineStarts![line - 1] ?? NaN) + column - 1;
    const start = at(f.line, f.column);
    const end = at(f.endLine, f.endColumn);
    if (!(start >= 0 && end > start && end <= file.text.length)) return '';
    return sourceExcerpt(file.text.slice(start, end));
  }
}
