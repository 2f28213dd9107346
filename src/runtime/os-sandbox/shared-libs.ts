/**
 * Which files a dynamically linked binary needs to start (its shared libraries and the ELF interpreter), read
 * from `ldd`, so the bubblewrap layer can bind exactly those instead of whole library folders.
 *
 * glibc's `ldd` is a shell script that starts the binary's interpreter (`ld-linux… --verify`, then `--list`): four
 * processes, ~28 ms here, in every `loopscope run`. Asking the interpreter named in the binary's ELF header for
 * `--list` directly prints the same lines in one process (~5 ms); `ldd` stays the fallback (other C libraries).
 */
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { isAbsolute } from 'node:path';

const PT_INTERP = 3;
/** The ELF interpreter a 64-bit little-endian executable names (PT_INTERP), or undefined. */
export function elfInterpreter(binary: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(binary, 'r');
    const head = Buffer.alloc(64);
    if (readSync(fd, head, 0, 64, 0) < 64 || head.readUInt32BE(0) !== 0x7f454c46 || head[4] !== 2 || head[5] !== 1) return undefined;
    const phoff = Number(head.readBigUInt64LE(0x20));
    const phentsize = head.readUInt16LE(0x36);
    const phnum = head.readUInt16LE(0x38);
    if (phentsize < 56 || phnum > 256) return undefined;
    const table = Buffer.alloc(phentsize * phnum);
    if (readSync(fd, table, 0, table.length, phoff) < table.length) return undefined;
    for (let i = 0; i < phnum; i++) {
      const at = i * phentsize;
      if (table.readUInt32LE(at) !== PT_INTERP) continue;
      const size = Number(table.readBigUInt64LE(at + 32));
      if (size < 2 || size > 4096) return undefined;
      const name = Buffer.alloc(size);
      readSync(fd, name, 0, size, Number(table.readBigUInt64LE(at + 8)));
      const path = name.toString('latin1').replace(/\0.*$/s, '');
      return isAbsolute(path) && existsSync(path) ? path : undefined;
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The interpreter's own `--list` of `binary` (glibc), or undefined where it has none or fails. */
function listByInterpreter(binary: string): string | undefined {
  const interp = elfInterpreter(binary);
  if (!interp) return undefined;
  try {
    return execFileSync(interp, ['--list', binary], { encoding: 'utf8', env: {}, stdio: ['ignore', 'pipe', 'pipe'], timeout: 5000 });
  } catch {
    return undefined;
  }
}

/**
 * Parses `ldd` output into absolute paths. Lines look like `libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x…)`,
 * `/lib64/ld-linux-x86-64.so.2 (0x…)` or `linux-vdso.so.1 (0x…)` (in the kernel, nothing to bind). A library
 * ldd could not find (`=> not found`) is an error: the sandboxed binary would not start.
 */
export function parseLdd(output: string): string[] {
  const paths = new Set<string>();
  for (const raw of output.split('\n')) {
    const line = raw.trim();
    if (!line || /statically linked|not a dynamic executable/.test(line)) continue;
    const arrow = /^(\S+)\s+=>\s+(.*)$/.exec(line);
    if (arrow) {
      if (arrow[2]!.startsWith('not found')) throw new Error(`the binary needs ${arrow[1]}, which ldd could not find`);
      const path = arrow[2]!.split(/\s+\(/)[0]!.trim();
      if (isAbsolute(path)) paths.add(path);
      continue;
    }
    const path = line.split(/\s+\(/)[0]!.trim();
    if (isAbsolute(path)) paths.add(path);
  }
  return [...paths];
}

const cache = new Map<string, string[]>();

/** The shared libraries of `binary` (cached per path for the life of the process); [] for a static binary. */
export function sharedLibraries(binary: string, ldd: string | undefined): string[] {
  const hit = cache.get(binary);
  if (hit) return hit;
  return fromListing(binary, ldd, listByInterpreter(binary));
}

/**
 * Takes the shared libraries of `binary` the caller found itself (os-sandbox `prepareOsSandbox`: from its bubblewrap
 * probe, or remembered from an earlier one) as the answer `sharedLibraries` gives from now on.
 */
export function rememberSharedLibraries(binary: string, libs: readonly string[]): void {
  if (!cache.has(binary)) cache.set(binary, [...libs]);
}

/** Parses the interpreter's listing (or, without one, asks ldd) and caches the answer. */
function fromListing(binary: string, ldd: string | undefined, listed: string | undefined): string[] {
  let libs: string[] = [];
  if (listed !== undefined) libs = parseLdd(listed);
  else if (ldd) {
    let out = '';
    try {
      out = execFileSync(ldd, [binary], { encoding: 'utf8', env: {}, stdio: ['ignore', 'pipe', 'pipe'], timeout: 5000 });
    } catch (err) {
      // ldd exits 1 on static binaries ("not a dynamic executable"); anything else is a real failure.
      const e = err as { stdout?: string; stderr?: string };
      const text = `${e.stdout ?? ''}${e.stderr ?? ''}`;
      if (!/not a dynamic executable|statically linked/.test(text)) throw new Error(`ldd ${binary} failed: ${text.trim() || (err as Error).message}`, { cause: err });
    }
    libs = parseLdd(out);
  }
  cache.set(binary, libs);
  return libs;
}
