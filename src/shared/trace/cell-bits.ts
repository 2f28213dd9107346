/**
 * The bytes of a shared-memory cell and the value they read as.
 *
 * A cell is an element of a view type a buffer's cells are drawn by (a row per type announced, SharedView). The
 * trace carries an element's bytes as two little-endian int32 words, `lo` (bytes 0–3) and `hi` (bytes 4–7), so
 * every element type travels exactly: a Float64 is not cut to an int32, a BigInt64 keeps all 64 bits (SharedStore).
 * A write through a view of another type (a Uint8Array write in the buffer's Int32Array row) lands on the bytes it
 * covers: `storeBytes` merges them into the cells they overlap, keeping the other bytes those cells held.
 *
 * Invariant: pure arithmetic over one scratch DataView, the same result on any platform (explicit little-endian reads; the run process writes its host's byte order, little-endian on every
 * platform Node supports for Loopscope).
 */
import { TYPED_ARRAY_TYPES } from './schema.ts';

const scratch = new DataView(new ArrayBuffer(8));

/** Size in bytes of an element of `type` (a TYPED_ARRAY_TYPES index); 4 (int32) when the type is unknown. */
export function elementSize(type: number): number {
  return TYPED_ARRAY_TYPES[type]?.size ?? 4;
}

/** What an element of `type` with these bytes reads as in the program: the number (a BigInt as the nearest
 *  number) and its text as a learner reads it (`1.5`, `-0`, `4294967295`, `9007199254740993n`). Unknown types read
 *  as Int32. */
export function readCell(type: number, lo: number, hi: number): { value: number; text: string } {
  scratch.setInt32(0, lo, true);
  scratch.setInt32(4, hi, true);
  const name = TYPED_ARRAY_TYPES[type]?.name ?? 'Int32Array';
  if (name === 'BigInt64Array' || name === 'BigUint64Array') {
    const big = name === 'BigInt64Array' ? scratch.getBigInt64(0, true) : scratch.getBigUint64(0, true);
    return { value: Number(big), text: `${big}n` };
  }
  const value = readNumber(name);
  return { value, text: Object.is(value, -0) ? '-0' : String(value) };
}

function readNumber(name: string): number {
  switch (name) {
    case 'Int8Array': return scratch.getInt8(0);
    case 'Uint8Array': case 'Uint8ClampedArray': return scratch.getUint8(0);
    case 'Int16Array': return scratch.getInt16(0, true);
    case 'Uint16Array': return scratch.getUint16(0, true);
    case 'Uint32Array': return scratch.getUint32(0, true);
    case 'Float32Array': return scratch.getFloat32(0, true);
    case 'Float64Array': return scratch.getFloat64(0, true);
    case 'Float16Array': return float16(scratch.getUint16(0, true));
    default: return scratch.getInt32(0, true);
  }
}

/** An IEEE 754 half-precision number from its 16 bits (DataView.getFloat16 is newer than the lib we target). */
function float16(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** The two words of an int32 value (Atomics results, v2 SharedWrite), sign-extended as a BigInt64 would hold it. */
export function int32Words(value: number): readonly [lo: number, hi: number] {
  return [value | 0, value < 0 ? -1 : 0];
}

/** An element's two words (lo: bytes 0–3, hi: bytes 4–7). */
export type Words = readonly [lo: number, hi: number];

/**
 * What an Atomics read-modify-write leaves in an element: `op` (0 add, 1 sub, 2 and, 3 or, 4 xor) applied to the value
 * it found there and its operand, as the element's words, computed on 64 bits (a smaller element reads only its own
 * low bytes of them).
 */
export function atomicsArith(op: number, found: Words, operand: Words): Words {
  const a = big64(found);
  const b = big64(operand);
  const v = [a + b, a - b, a & b, a | b, a ^ b][op] ?? a;
  return [Number(BigInt.asIntN(32, v)), Number(BigInt.asIntN(32, v >> 32n))];
}

/** Two elements' words hold the same value: all 8 bytes for an 8-byte element, the low word for smaller ones. */
export function sameWords(size: number, x: Words, y: Words): boolean {
  return x[0] === y[0] && (size < 8 || x[1] === y[1]);
}

function big64([lo, hi]: Words): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

export interface CellBytes { readonly cell: number; readonly lo: number; readonly hi: number }

/**
 * The cells of type `cellType` a write of one element of `writeType` at element index `index` (from the buffer's
 * start) covers, each with its bytes after the write: the written bytes over what `old(cell)` held (zeros when the
 * cell was never seen: a SharedArrayBuffer starts zeroed).
 */
export function storeBytes(cellType: number, writeType: number, index: number, lo: number, hi: number,
  old: (cell: number) => readonly [lo: number, hi: number] | undefined): CellBytes[] {
  const cellSize = elementSize(cellType);
  const writeSize = elementSize(writeType);
  if (cellType === writeType) return [{ cell: index, lo, hi }];
  const start = index * writeSize;
  const out: CellBytes[] = [];
  for (let cell = Math.floor(start / cellSize); cell * cellSize < start + writeSize; cell++) {
    const bytes = bytesOf(...(old(cell) ?? [0, 0]));
    const written = bytesOf(lo, hi);
    for (let b = 0; b < cellSize; b++) {
      const at = cell * cellSize + b - start;
      if (at >= 0 && at < writeSize) bytes[b] = written[at]!;
    }
    for (let b = cellSize; b < 8; b++) bytes[b] = 0;
    out.push({ cell, lo: wordOf(bytes, 0), hi: wordOf(bytes, 4) });
  }
  return out;
}

function bytesOf(lo: number, hi: number): number[] {
  return [lo & 0xff, (lo >>> 8) & 0xff, (lo >>> 16) & 0xff, lo >>> 24, hi & 0xff, (hi >>> 8) & 0xff, (hi >>> 16) & 0xff, hi >>> 24];
}

function wordOf(bytes: readonly number[], at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) | 0;
}
