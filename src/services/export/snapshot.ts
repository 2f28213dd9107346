/**
 * Stage snapshots saved by the desktop app (the `snapshot.save` call): the renderer sends an SVG as text or a PNG
 * as base64, and this turns it into the bytes to write — after checking it is what it says it is. The page is
 * trusted to draw the picture, not to pick what lands on disk: a file named .png holds a PNG (signature and final
 * IEND chunk), a .svg holds one <svg> document, and neither is over MAX_SNAPSHOT_BYTES.
 */
import { MAX_SNAPSHOT_BYTES, type SnapshotFormat } from '../../shared/ipc/contract.ts';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const PNG_IEND = [0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]; // "IEND" and its CRC: the last 8 bytes of every PNG
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const MB = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** The file's bytes, or a SnapshotError saying exactly what is wrong with `content`. */
export function snapshotBytes(format: SnapshotFormat, content: string): Uint8Array {
  if (format === 'svg') {
    const bytes = new TextEncoder().encode(content);
    if (bytes.length > MAX_SNAPSHOT_BYTES) throw new SnapshotError(`the SVG snapshot is ${MB(bytes.length)}, over the ${MB(MAX_SNAPSHOT_BYTES)} limit`);
    if (!/^(?:<\?xml[^>]*\?>\s*)?<svg[\s>]/.test(content) || !/<\/svg>\s*$/.test(content)) throw new SnapshotError('the SVG snapshot is not an <svg> document');
    return bytes;
  }
  if (content.length % 4 !== 0 || !BASE64.test(content)) throw new SnapshotError('the PNG snapshot is not base64');
  const bytes = Buffer.from(content, 'base64');
  if (bytes.length > MAX_SNAPSHOT_BYTES) throw new SnapshotError(`the PNG snapshot is ${MB(bytes.length)}, over the ${MB(MAX_SNAPSHOT_BYTES)} limit`);
  const starts = PNG_SIGNATURE.every((b, i) => bytes[i] === b);
  const ends = bytes.length >= 16 && PNG_IEND.every((b, i) => bytes[bytes.length - 8 + i] === b);
  if (!starts || !ends) throw new SnapshotError('the PNG snapshot is not a complete PNG image');
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

export class SnapshotError extends Error {
  override name = 'SnapshotError';
}
