/**
 * The run process's pre-built preload (runtime-bundle.ts) is used only while it matches its sources: built from a
 * copy of the runtime's sources, it is current; one changed byte in any source makes run processes load the sources
 * again (until it is rebuilt). And the built entry runs a lesson like the sources do.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { APP_ROOT } from './app-root.ts';
import { runHeadless } from './headless.ts';
import { startInProcessRuntime } from './in-process.ts';
import { buildRuntimeBundle, currentBundle, preloadFor } from './runtime-bundle.ts';

const root = mkdtempSync(join(tmpdir(), 'loopscope-bundle-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the run process bundle', () => {
  it('is current only for the sources it was built from', async () => {
    for (const dir of ['src/runtime/process', 'src/runtime/instrument', 'src/shared', 'src/runtime/runtime-bundle.ts', 'src/runtime/build-snapshot.mjs']) cpSync(join(APP_ROOT, dir), join(root, dir), { recursive: true, filter: (p) => !p.includes('/built') });
    symlinkSync(join(APP_ROOT, 'node_modules'), join(root, 'node_modules'));
    expect(currentBundle(root)).toBeNull();
    expect(preloadFor(root)).toEqual({ path: join(root, 'src/runtime/process/entry.cjs'), bundled: false });

    const built = await buildRuntimeBundle(root);
    expect(built.inputs).toBeGreaterThan(10);
    expect(currentBundle(root)).toBe(join(root, 'src/runtime/process/built/entry.cjs'));
    expect(preloadFor(root).bundled).toBe(true);

    appendFileSync(join(root, 'src/runtime/process/trace-writer.ts'), '\n// changed\n');
    expect(currentBundle(root)).toBeNull();
    expect(preloadFor(root).bundled).toBe(false);
  }, 60_000);

  it('its entry loads the tracer in a process that waits for its lesson on fd 3', async () => {
    // Closing fd 3 with no configuration tells a warm process it is not needed: it must load everything and exit 0.
    const entry = join(root, 'src/runtime/process/built/entry.cjs');
    const child = spawn(process.execPath, ['--require', entry, '-e', '0'], { stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
    (child.stdio[3] as NodeJS.WritableStream).end('');
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it("is built by npm ci for this checkout's sources, and a run loads it and no runtime source", async () => {
    // `prepare` builds it at npm ci. A source a run process needs but the bundle lacks would be loaded from the
    // TypeScript sources (a .ts module in the run's module cache), and so would every source of a stale bundle.
    // The instrumenter's bundle loads only for a lesson file the host did not instrument: here one the lesson rewrites.
    expect(preloadFor(APP_ROOT).bundled, 'the bundle is missing or stale: npm ci (or node scripts/build-runtime.mjs) builds it').toBe(true);
    const lesson = [
      "require('@loopscope/kit');",
      "require('./dep.js');",
      "const { Worker } = require('node:worker_threads');",
      'const loaded = () => Object.keys(require.cache);',
      "const instrumenter = () => loaded().some((k) => k.endsWith('/built/instrument.cjs'));",
      "console.log(loaded().some((k) => k.endsWith('/built/preload.cjs')), loaded().some((k) => k.endsWith('/built/kit.cjs')), loaded().filter((k) => /\\.[cm]?ts$/.test(k)).length, instrumenter());",
      "require('node:fs').writeFileSync(require('node:path').join(__dirname, 'later.js'), 'module.exports = 2;');",
      "console.log(require('./later.js'), instrumenter());",
      "new Worker(\"const k = Object.keys(require.cache); require('node:worker_threads').parentPort.postMessage([k.some((f) => f.endsWith('/built/preload.cjs')), k.filter((f) => /\\\\.[cm]?ts$/.test(f)).length].join(' '))\", { eval: true }).on('message', (m) => console.log(m));",
    ].join('\n');
    const runtime = startInProcessRuntime({ refill: false });
    try {
      const files = [{ path: 'main.js', text: `${lesson}\n` }, { path: 'dep.js', text: 'module.exports = 1;\n' }, { path: 'later.js', text: 'module.exports = 1;\n' }];
      const r = await runHeadless({ files, entry: 'main.js', mode: 'function' }, { runtime });
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('true true 0 false\n2 true\ntrue 0\n');
    } finally {
      await runtime.dispose();
    }
  }, 60_000);
});
