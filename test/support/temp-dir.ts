/** Temporary directories for tests: created under the OS temp dir (never inside the app root), removed after. */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export function makeTempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `loopscope-${prefix}-`));
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Writes `files` (relative POSIX paths) under `dir`. */
export function writeFiles(dir: string, files: readonly { readonly path: string; readonly text: string }[]): void {
  for (const f of files) {
    const abs = join(dir, ...f.path.split('/'));
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, f.text);
  }
}
