/**
 * Generated position → original position, from the `mappings` of a revision-3 source map (the map instrument.ts
 * makes with magic-string's `hires: true`, so every character of the learner's text has its own segment).
 *
 * Runtime v2 runs without `--enable-source-maps` (Node's source-mapped stack formatter does not print what V8 prints:
 * `Account.get broken`, `<anonymous>`, no `file://`), so the run process maps the positions of stack frames itself
 * (process/call-sites.ts) and the host maps the uncaught-error header (uncaught-header.ts). Decoding is lazy: a file's
 * mappings are read only when one of its positions is first asked for.
 *
 * In a run process that happens while lesson code runs (a stack being formatted), so decoding and lookups call no
 * built-in a lesson can replace: the one String method and Int32Array are captured at load, and the tables are typed
 * arrays, only indexed (an index never reaches a prototype; `length` would: it is a getter there).
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
  /** Decoded: [generatedColumn, originalLine, originalColumn] triples (0-based; originalLine -1: no source), by line. */
  private table: Table | null = null;

  constructor(mappings: string) {
    this.mappings = mappings;
  }

  /** The original position of a 1-based generated line and column; null when it maps to nothing (inserted text). */
  original(line: number, column: number): OriginalPosition | null {
    const { segs, lineStarts, lines } = this.table ?? (this.table = decode(this.mappings));
    if (!(line >= 1 && line <= lines)) return null;
    const first = lineStarts[line - 1]!;
    const end = lineStarts[line]!;
    if (first === end) return null;
    const col = column - 1;
    if (segs[first * 3]! > col) return null;
    // last segment starting at or before col
    let lo = first;
    let hi = end - 1;
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

interface Table {
  readonly segs: Int32Array;
  /** lineStarts[l] .. lineStarts[l + 1]: the segments of generated line l (0-based). */
  readonly lineStarts: Int32Array;
  readonly lines: number;
}

const charCodeAt = String.prototype.charCodeAt;
const apply = Reflect.apply;
const Int32 = Int32Array;

/** The first `size` values of `arr` in a typed array of `capacity` (no TypedArray methods: a lesson may replace them). */
function grown(arr: Int32Array, size: number, capacity: number): Int32Array {
  const next = new Int32(capacity);
  for (let i = 0; i < size; i++) next[i] = arr[i]!;
  return next;
}

/** Decodes `mappings` into segment triples and, per generated line, the index of its first segment. */
function decode(mappings: string): Table {
  let segCapacity = 3 * 64;
  let segs: Int32Array = new Int32(segCapacity);
  let count = 0;
  let lineCapacity = 64;
  let lineStarts: Int32Array = new Int32(lineCapacity);
  let lines = 0;
  let genCol = 0;
  let origLine = 0;
  let origCol = 0;
  const fields = new Int32(5);
  let n = 0;
  let value = 0;
  let shift = 0;
  const endSegment = (): void => {
    if (n === 0) return;
    genCol += fields[0]!;
    if (count * 3 + 3 > segCapacity) segs = grown(segs, count * 3, (segCapacity *= 2));
    segs[count * 3] = genCol;
    if (n >= 4) {
      origLine += fields[2]!;
      origCol += fields[3]!;
      segs[count * 3 + 1] = origLine;
      segs[count * 3 + 2] = origCol;
    } else {
      segs[count * 3 + 1] = -1;
      segs[count * 3 + 2] = 0;
    }
    count++;
    n = 0;
  };
  lineStarts[0] = 0;
  for (let i = 0; i <= mappings.length; i++) {
    const c = i < mappings.length ? (apply(charCodeAt, mappings, [i]) as number) : 59; // ';' ends the last line
    if (c === 44 /* , */ || c === 59 /* ; */) {
      endSegment();
      if (c === 59) {
        if (lines + 2 > lineCapacity) lineStarts = grown(lineStarts, lines + 1, (lineCapacity *= 2));
        lineStarts[++lines] = count;
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
  return { segs, lineStarts, lines };
}
