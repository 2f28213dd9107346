/**
 * Base64 (RFC 4648, with padding) and little-endian byte views of typed arrays, in plain ES2023: src/shared may
 * use neither Buffer nor btoa. Decoding rejects anything that is not canonical base64.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const ENC = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
const DEC = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DEC[ALPHABET.charCodeAt(i)] = i;
const PAD = 61; // '='
const CHUNK_BYTES = 3 * 8192;

export function toBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  const out = new Uint8Array((CHUNK_BYTES / 3) * 4);
  for (let start = 0; start < bytes.length; start += CHUNK_BYTES) {
    const end = Math.min(start + CHUNK_BYTES, bytes.length);
    let o = 0;
    let i = start;
    for (; i + 2 < end; i += 3) {
      const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
      out[o++] = ENC[n >>> 18]!;
      out[o++] = ENC[(n >>> 12) & 63]!;
      out[o++] = ENC[(n >>> 6) & 63]!;
      out[o++] = ENC[n & 63]!;
    }
    if (i < end) {
      const b1 = i + 1 < end ? bytes[i + 1]! : 0;
      const n = (bytes[i]! << 16) | (b1 << 8);
      out[o++] = ENC[n >>> 18]!;
      out[o++] = ENC[(n >>> 12) & 63]!;
      out[o++] = i + 1 < end ? ENC[(n >>> 6) & 63]! : PAD;
      out[o++] = PAD;
    }
    parts.push(String.fromCharCode.apply(null, out.subarray(0, o) as unknown as number[]));
  }
  return parts.join('');
}

/** Throws an Error naming the problem when `text` is not canonical base64. */
export function fromBase64(text: string): Uint8Array {
  if (text.length % 4 !== 0) throw new Error(`base64 length ${text.length} is not a multiple of 4`);
  let pad = 0;
  if (text.length > 0 && text.charCodeAt(text.length - 1) === PAD) {
    pad++;
    if (text.charCodeAt(text.length - 2) === PAD) pad++;
  }
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length;
    const c0 = sextet(text, i);
    const c1 = sextet(text, i + 1);
    const c2 = last && pad === 2 ? 0 : sextet(text, i + 2);
    const c3 = last && pad >= 1 ? 0 : sextet(text, i + 3);
    const n = (c0 << 18) | (c1 << 12) | (c2 << 6) | c3;
    out[o++] = n >>> 16;
    if (o < out.length) out[o++] = (n >>> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

function sextet(text: string, i: number): number {
  const code = text.charCodeAt(i);
  const v = code < 128 ? DEC[code]! : -1;
  if (v < 0) throw new Error(`base64 has an invalid character at ${i}`);
  return v;
}

export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

type Numeric = Uint8Array | Int32Array | Uint32Array | Float64Array;

/** The array's bytes in little-endian order (a view when the platform is little-endian). */
export function littleEndianBytes(a: Numeric): Uint8Array {
  if (LITTLE_ENDIAN || a.BYTES_PER_ELEMENT === 1) return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const out = new Uint8Array(a.byteLength);
  const view = new DataView(out.buffer);
  for (let i = 0; i < a.length; i++) {
    if (a instanceof Float64Array) view.setFloat64(i * 8, a[i]!, true);
    else if (a instanceof Int32Array) view.setInt32(i * 4, a[i]!, true);
    else view.setUint32(i * 4, a[i]!, true);
  }
  return out;
}

/**
 * Reads little-endian bytes (length a multiple of the element size) as a typed array. Takes ownership of
 * `bytes` when it spans a whole buffer (as `fromBase64` returns), else copies.
 */
export function fromLittleEndian<T extends Numeric>(bytes: Uint8Array, make: new (buffer: ArrayBuffer) => T, elementSize: number): T {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
  const copy = whole ? bytes : new Uint8Array(bytes);
  if (!LITTLE_ENDIAN && elementSize > 1) {
    for (let i = 0; i < copy.length; i += elementSize) copy.subarray(i, i + elementSize).reverse();
  }
  return new make(copy.buffer as ArrayBuffer);
}
