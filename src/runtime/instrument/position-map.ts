/**
 * Generated position → original position, from the `mappings` of a revision-3 source map (the map instrument.ts
 * makes with magic-string's `hires: true`, so every character of the learner's text has its own segment).
 *
 * Runtime v2 runs without `--enable-source-maps` (Node's source-mapped stack formatter does not print what V8 prints:
 * `Account.get broken`, `<anonymous>`, no `file://`), so the run process maps the positions of stack frames itself
 * (process/call-sites.ts) and the host maps the uncaught-error header (uncaught-header.ts). Decoding is lazy: a file's
 * mappings are read only when one of its positions is first asked for.
 */

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE64.length; i++) DIGIT[BASE64.charCodeAt(i)] = i;

export interface OriginalPosition {
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

export class PositionMap {
  private readonly mappings: string;
  /** Per generated line: [generatedColumn, originalLine, originalColumn] triples (0-based), in column order. */
  private lines: Int32Array[] | null = null;

  constructor(mappings: string) {
    this.mappings = mappings;
  }

  /** The original position of a 1-based generated line and column; null when it maps to nothing (inserted text). */
  original(line: number, column: number): OriginalPosition | null {
    const lines = this.lines ?? (this.lines = decode(this.mappings));
    const segs = lines[line - 1];
    if (!segs || segs.length === 0) return null;
    const col = column - 1;
    // last segment starting at or before col
    let lo = 0;
    let hi = segs.length / 3 - 1;
    if (segs[0]! > col) return null;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segs[mid * 3]! <= col) lo = mid;
      else hi = mid - 1;
    }
    const at = lo * 3;
    if (segs[at + 1]! < 0) return null;
    return { line: segs[at + 1]! + 1, column: segs[at + 2]! + (col - segs[at]!) + 1 };
  }
}

/** Decodes `mappings` into per-line triples; segments without a source get originalLine -1. */
function decode(mappings: string): Int32Array[] {
  const out: Int32Array[] = [];
  let line: number[] = [];
  let genCol = 0;
  let origLine = 0;
  let origCol = 0;
  const fields = [0, 0, 0, 0, 0];
  let n = 0;
  let value = 0;
  let shift = 0;
  const endSegment = (): void => {
    if (n === 0) return;
    genCol += fields[0]!;
    if (n >= 4) {
      origLine += fields[2]!;
      origCol += fields[3]!;
      line.push(genCol, origLine, origCol);
    } else {
      line.push(genCol, -1, 0);
    }
    n = 0;
  };
  for (let i = 0; i <= mappings.length; i++) {
    const c = i < mappings.length ? mappings.charCodeAt(i) : 59; // ';' ends the last line
    if (c === 44 /* , */ || c === 59 /* ; */) {
      endSegment();
      if (c === 59) {
        out.push(Int32Array.from(line));
        line = [];
        genCol = 0;
      }
      continue;
    }
    const digit = c < 128 ? DIGIT[c]! : -1;
    if (digit < 0) continue;
    value += (digit & 31) << shift;
    if (digit & 32) { shift += 5; continue; }
    const v = value & 1 ? -(value >>> 1) : value >>> 1;
    if (n < 5) fields[n] = v;
    n++;
    value = 0;
    shift = 0;
  }
  return out;
}
