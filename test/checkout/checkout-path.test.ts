/**
 * The app from a checkout whose path has a space and non-ASCII letters (`…/loop scope-é/`), as on many laptops:
 * `new URL(…).pathname` would keep `%20` and `%C3%A9` and every run would end as "host crashed". The checkout is a
 * copy of this one's files (tracked and new, not ignored; node_modules hard-linked where the file system allows,
 * never symlinked: the runtime host may read only the app's own tree, so a link out of it would be refused).
 * From there: the CLI runs a lesson, browser mode serves the app and runs a program over its WebSocket, and the
 * desktop build passes node --check and the main-process smoke test.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { decodeFrame, encodeFrame } from '../../src/shared/ipc/binary.ts';
import type { AppEvent } from '../../src/shared/ipc/contract.ts';
import type { TraceBatch } from '../../src/shared/trace/schema.ts';
import { consoleLines, decodeBatches, renderConsole } from '../support/trace-events.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
let work: string;
let checkout: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'loopscope-path-'));
  checkout = join(work, 'loop scope-é');
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`this test copies the checkout's files with git ls-files, which failed: ${listed.stderr}`);
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    if (!existsSync(join(ROOT, file))) continue; // deleted in the working tree
    mkdirSync(dirname(join(checkout, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(checkout, file));
  }
  linkTree(join(ROOT, 'node_modules'), join(checkout, 'node_modules'));
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Copies a tree as hard links (a plain copy across file systems); symlinks inside it stay symlinks (npm's .bin). */
function linkTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) linkTree(source, target);
    else if (entry.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
    else if (lstatSync(source).isFile()) {
      try {
        linkSync(source, target);
      } catch {
        copyFileSync(source, target);
      }
    }
  }
}

const node = (args: string[], timeoutMs = 120_000) => spawnSync(process.execPath, args, { cwd: checkout, encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, ELECTRON_RENDERER_URL: '' } });

describe('a checkout path with a space and non-ASCII letters', () => {
  it('the CLI runs a lesson and prints what node prints', () => {
    const r = node(['bin/loopscope.mjs', 'run', join(checkout, 'test/support/fixtures/cli/order.ts')]);
    // Plain node runs a copy outside any package.json (as src/cli/cli.test.ts explains).
    mkdirSync(join(work, 'plain'));
    copyFileSync(join(ROOT, 'test/support/fixtures/cli/order.ts'), join(work, 'plain/order.ts'));
    const plain = spawnSync(process.execPath, [join(work, 'plain/order.ts')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(plain.stdout);
  });

  it('the desktop build parses and its main process passes the smoke test', () => {
    const build = node([join(checkout, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], 180_000);
    expect(build.status, build.stderr).toBe(0);
    const parse = node(['test/main-smoke/check-built.ts']);
    expect(parse.stdout + parse.stderr).toMatch(/node --check: (\d+) of \1 built scripts parse/);
    const smoke = node(['test/main-smoke/run.ts'], 180_000);
    expect(smoke.stdout).not.toContain('✗');
    expect(smoke.stdout).toContain('✓ a run streams header, batches and end through the MessagePort');
    expect(smoke.status).toBe(0);
  }, 300_000);

  it('browser mode serves the app and a run over its WebSocket prints what node prints', async () => {
    // Runs after the build above, so the server reuses out/renderer; --no-build keeps it from rebuilding regardless.
    const urlFile = join(work, 'url.txt');
    const server = spawn(process.execPath, ['src/server/serve.ts', '--port', '0', '--no-build', '--data-dir', join(work, 'data'), '--url-file', urlFile], { cwd: checkout, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    server.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    try {
      const deadline = Date.now() + 60_000;
      while (!existsSync(urlFile) && Date.now() < deadline && server.exitCode === null) await new Promise((r) => setTimeout(r, 50));
      expect(existsSync(urlFile), `the server did not start: ${stderr}`).toBe(true);
      const pageUrl = new URL(readFileSync(urlFile, 'utf8').trim());
      const page = await fetch(new URL('/', pageUrl));
      expect(page.status).toBe(200);
      // the built page, with the per-response style nonce of its CSP header in place of the placeholder
      const nonce = /'nonce-([^']+)'/.exec(page.headers.get('content-security-policy') ?? '')?.[1] ?? '';
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{24}$/);
      expect(await page.text()).toBe(readFileSync(join(checkout, 'out/renderer/index.html'), 'utf8').replaceAll('__LOOPSCOPE_CSP_NONCE__', nonce));

      const token = new URLSearchParams(pageUrl.hash.slice(1)).get('token')!;
      const ws = new WebSocket(`ws://${pageUrl.host}/ws?token=${encodeURIComponent(token)}`, { origin: pageUrl.origin });
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      const batches: TraceBatch[] = [];
      const ended = new Promise<AppEvent>((resolve) =>
        ws.on('message', (data, isBinary) => {
          const buf = data as Buffer;
          const message = decodeFrame(isBinary ? new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength) : buf.toString('utf8')) as { type: string; event?: AppEvent };
          if (message.type !== 'event' || !message.event) return;
          if (message.event.type === 'run.batch') batches.push(message.event.batch);
          if (message.event.type === 'run.end') resolve(message.event);
        }),
      );
      const text = "setTimeout(() => console.log('timeout'), 0);\nPromise.resolve().then(() => console.log('microtask'));\nconsole.log('sync');\n";
      ws.send(encodeFrame({ type: 'call', id: 1, call: { type: 'runs.start', runId: 'path-1', lesson: 'bundled/sync-vs-timeout', request: { files: [{ path: 'main.ts', text }], entry: 'main.ts', mode: 'function' } } as never }) as string);
      const end = await ended;
      ws.close();
      expect(end).toMatchObject({ type: 'run.end', end: { reason: 0 } });
      expect(renderConsole(consoleLines(decodeBatches(batches)), 'stdout')).toBe('sync\nmicrotask\ntimeout\n');
    } finally {
      server.kill('SIGINT');
      await new Promise((r) => (server.exitCode === null ? server.once('exit', r) : r(null)));
    }
  }, 120_000);
});
