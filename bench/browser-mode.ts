/** What the browser-mode benchmarks share: Debian's Chromium and a browser-mode server on a free port. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CHROMIUM = process.env['LOOPSCOPE_CHROMIUM'] ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Starts `serve.ts` with a fresh data dir under `dir` and the e2e fixture lessons; resolves with its URL. */
export async function startServer(dir: string): Promise<{ proc: ChildProcess; url: string }> {
  const urlFile = join(dir, 'url.txt');
  const proc = spawn(process.execPath, ['src/server/serve.ts', '--port', '0', '--data-dir', join(dir, 'data'), '--lessons', 'test/e2e/fixtures/lessons', '--url-file', urlFile], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const deadline = Date.now() + 180_000;
  while (!existsSync(urlFile)) {
    if (proc.exitCode !== null) throw new Error(`the browser-mode server exited with ${proc.exitCode}`);
    if (Date.now() > deadline) throw new Error('the browser-mode server did not start within 180 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return { proc, url: readFileSync(urlFile, 'utf8').trim() };
}
