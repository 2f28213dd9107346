/**
 * Which files a dynamically linked binary needs to start (its shared libraries and the ELF interpreter), read
 * from `ldd`, so the bubblewrap layer can bind exactly those instead of whole library folders.
 */
import { execFileSync } from 'node:child_process';
import { isAbsolute } from 'node:path';

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
  let libs: string[] = [];
  if (ldd) {
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
