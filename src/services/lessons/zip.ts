/**
 * Just enough ZIP for lesson packs: read the central directory ourselves (fflate's filter does not expose file
 * types, and we must see symbolic links and declared sizes before inflating anything), inflate one entry with a
 * hard output cap (fflate's streaming Inflate, fed in small slices so a zip bomb cannot balloon), and write
 * archives with fflate's zipSync.
 *
 * Invariants: no function here touches the disk; sizes are checked against caps before and during inflation;
 * anything unusual (encryption, ZIP64, multi-disk, unknown compression, links, devices) is refused, not guessed.
 */
import { Inflate, zipSync, type Zippable } from 'fflate';

export interface ZipEntry {
  /** The name exactly as stored (not yet checked for safety). */
  readonly name: string;
  readonly isDirectory: boolean;
  /** Unix symbolic link (external attributes file type 0o120000). */
  readonly isSymlink: boolean;
  /** A Unix file type other than regular file, folder or link (device, fifo, socket). */
  readonly isSpecial: boolean;
  readonly encrypted: boolean;
  /** 0 stored, 8 deflate; anything else is refused when extracting. */
  readonly method: number;
  readonly compressedSize: number;
  /** The size the archive declares; extraction refuses data longer than this. */
  readonly size: number;
  readonly localOffset: number;
}

export class ZipFormatError extends Error {
  override name = 'ZipFormatError';
}

const u16 = (b: Uint8Array, at: number): number => b[at]! | (b[at + 1]! << 8);
const u32 = (b: Uint8Array, at: number): number => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
const decoder = new TextDecoder('utf-8', { fatal: false });

/** Lists the archive's entries from its central directory. */
export function readZipDirectory(bytes: Uint8Array, maxEntries = 5000): ZipEntry[] {
  const eocd = findEndOfCentralDirectory(bytes);
  if (u16(bytes, eocd + 4) !== 0 || u16(bytes, eocd + 6) !== 0) throw new ZipFormatError('multi-part ZIP archives are not supported');
  const count = u16(bytes, eocd + 10);
  const cdSize = u32(bytes, eocd + 12);
  const cdOffset = u32(bytes, eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) throw new ZipFormatError('ZIP64 archives are not supported (a lesson pack is far smaller than 4 GB)');
  if (count > maxEntries) throw new ZipFormatError(`the archive has ${count} entries; at most ${maxEntries}`);
  if (cdOffset + cdSize > eocd) throw new ZipFormatError('the archive is damaged (its central directory is out of bounds)');
  const entries: ZipEntry[] = [];
  let at = cdOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > eocd || u32(bytes, at) !== 0x02014b50) throw new ZipFormatError('the archive is damaged (bad central directory entry)');
    const flags = u16(bytes, at + 8);
    const method = u16(bytes, at + 10);
    const compressedSize = u32(bytes, at + 20);
    const size = u32(bytes, at + 24);
    const nameLen = u16(bytes, at + 28);
    const extraLen = u16(bytes, at + 30);
    const commentLen = u16(bytes, at + 32);
    const external = u32(bytes, at + 38);
    const localOffset = u32(bytes, at + 42);
    if (at + 46 + nameLen > eocd) throw new ZipFormatError('the archive is damaged (an entry name is out of bounds)');
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLen));
    const unixType = (external >>> 16) & 0o170000;
    const isDirectory = name.endsWith('/') || unixType === 0o040000 || (unixType === 0 && (external & 0x10) !== 0);
    entries.push({
      name,
      isDirectory,
      isSymlink: unixType === 0o120000,
      isSpecial: unixType !== 0 && unixType !== 0o100000 && unixType !== 0o040000 && unixType !== 0o120000,
      encrypted: (flags & 1) !== 0,
      method,
      compressedSize,
      size,
      localOffset,
    });
    at += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

function findEndOfCentralDirectory(bytes: Uint8Array): number {
  const stop = Math.max(0, bytes.length - 22 - 0xffff);
  for (let at = bytes.length - 22; at >= stop; at--) {
    if (u32(bytes, at) === 0x06054b50) return at;
  }
  throw new ZipFormatError('not a ZIP archive (no end-of-central-directory record)');
}

/** The entry's data, inflated; throws when it is (or would become) longer than `maxBytes` or its declared size. */
export function extractZipEntry(bytes: Uint8Array, entry: ZipEntry, maxBytes: number): Uint8Array {
  const limit = Math.min(maxBytes, entry.size);
  const at = entry.localOffset;
  if (at + 30 > bytes.length || u32(bytes, at) !== 0x04034b50) throw new ZipFormatError(`${entry.name}: the archive is damaged (bad local header)`);
  const start = at + 30 + u16(bytes, at + 26) + u16(bytes, at + 28);
  const end = start + entry.compressedSize;
  if (end > bytes.length) throw new ZipFormatError(`${entry.name}: the archive is damaged (data out of bounds)`);
  const data = bytes.subarray(start, end);
  if (entry.method === 0) {
    if (data.length > limit) throw new ZipFormatError(`${entry.name}: is larger than it declares or than ${maxBytes} bytes`);
    return data.slice();
  }
  if (entry.method !== 8) throw new ZipFormatError(`${entry.name}: uses compression method ${entry.method}; only stored and deflate are supported`);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const inflate = new Inflate((chunk) => {
    total += chunk.length;
    if (total > limit) throw new ZipFormatError(`${entry.name}: inflates past ${entry.size < maxBytes ? `its declared size (${entry.size} bytes)` : `${maxBytes} bytes`}`);
    chunks.push(chunk.slice());
  });
  const SLICE = 4096; // small input slices bound how much one push can inflate (deflate expands at most ~1032x)
  try {
    for (let i = 0; i < data.length; i += SLICE) inflate.push(data.subarray(i, Math.min(data.length, i + SLICE)), i + SLICE >= data.length);
    if (data.length === 0) inflate.push(new Uint8Array(0), true);
  } catch (err) {
    if (err instanceof ZipFormatError) throw err;
    throw new ZipFormatError(`${entry.name}: could not be inflated (${(err as Error).message})`);
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/** A ZIP archive of the given files (paths are POSIX, relative), regular files with mode 0644. */
export function writeZip(files: readonly { readonly path: string; readonly bytes: Uint8Array }[]): Uint8Array {
  const tree: Zippable = {};
  for (const f of files) tree[f.path] = [f.bytes, { level: 6, os: 3, attrs: (0o100644 << 16) >>> 0, mtime: new Date('2020-01-01T00:00:00Z') }];
  return zipSync(tree);
}
