/**
 * `npm run serve` — Loopscope in a browser. Builds the renderer if needed, starts the runtime host, and serves the
 * app on 127.0.0.1 with the same API the desktop app has, over a token-protected WebSocket.
 *
 *   node src/server/serve.ts [--port N] [--data-dir DIR] [--lessons DIR] [--no-build] [--url-file FILE]
 *
 * --port 0 (the default) picks a free port. The page URL, with its per-start token, is printed (and written to
 * --url-file when given, for tests). Ctrl+C stops the server and the runtime host.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { APP_ROOT } from '../runtime/app-root.ts';
import { startRuntimeHost } from '../runtime/host-client.ts';
import { AppService } from '../services/app/app-service.ts';
import { SettingsFile } from '../services/settings/settings-file.ts';
import { writeFileAtomic } from '../services/store/atomic-write.ts';
import { LessonStore } from '../services/store/lesson-store.ts';
import { loadLibrary } from '../services/store/library.ts';
import { TrustStore } from '../services/settings/trust-store.ts';
import { startServer } from './http-server.ts';
import { buildRenderer, rendererIsStale, rendererOutDir } from './renderer-build.ts';


async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      'data-dir': { type: 'string' },
      lessons: { type: 'string' },
      'no-build': { type: 'boolean', default: false },
      'url-file': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log('usage: node src/server/serve.ts [--port N] [--data-dir DIR] [--lessons DIR] [--no-build] [--url-file FILE]');
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, got ${values.port}`);
  const dataDir = resolve(values['data-dir'] ?? join(APP_ROOT, '.loopscope-data'));
  const lessonsDir = resolve(values.lessons ?? join(APP_ROOT, 'lessons'));
  mkdirSync(dataDir, { recursive: true });

  if (!values['no-build'] && rendererIsStale(APP_ROOT)) {
    console.log('Building the renderer (once; later starts reuse out/renderer)…');
    const t0 = performance.now();
    await buildRenderer(APP_ROOT);
    console.log(`Built in ${((performance.now() - t0) / 1000).toFixed(1)} s.`);
  }

  const settings = await SettingsFile.open(dataDir);
  const runtime = startRuntimeHost({ appRoot: APP_ROOT });
  const trust = await TrustStore.open(dataDir);
  const store = new LessonStore({ bundledRoot: lessonsDir, dataDir, folders: settings.folders, load: loadLibrary, isTrusted: (f) => trust.isTrusted(f) });
  const service = new AppService({
    classRendererDir: rendererOutDir(APP_ROOT),
    store,
    settings,
    trust, // no askTrust: in browser mode the page's prompt asks (TrustPrompt.svelte) and lessons.trust records it
    runtime,
    async pickFolder(requested) {
      if (!requested) throw new Error('In browser mode, type the folder path to open.');
      if (!isAbsolute(requested)) throw new Error(`Open folder needs an absolute path, got ${JSON.stringify(requested)}`);
      return requested;
    },
    async saveExport(_format, fileName, content) {
      const path = join(dataDir, 'exports', fileName);
      await writeFileAtomic(path, content);
      return path;
    },
    packs: {
      packsDir: join(dataDir, 'packs'),
      async pickPack(requested) {
        if (!requested) throw new Error('In browser mode, choose a .zip file to upload, or type the absolute path of a pack folder.');
        if (!isAbsolute(requested)) throw new Error(`Import needs an absolute path, got ${JSON.stringify(requested)}`);
        return requested;
      },
      async savePack(fileName) {
        // A new name next to the trace exports; the pack writer refuses an existing path.
        const dot = fileName.endsWith('.zip') ? fileName.length - '.loopscope-pack.zip'.length : fileName.length;
        for (let n = 1; ; n++) {
          const name = n === 1 ? fileName : `${fileName.slice(0, dot)}-${n}${fileName.slice(dot)}`;
          const path = join(dataDir, 'exports', name);
          if (!existsSync(path)) return path;
        }
      },
    },
  });
  const token = randomBytes(24).toString('base64url');
  const server = await startServer({ port, rendererDir: rendererOutDir(APP_ROOT), token, service, log: (line) => console.warn(`[loopscope] ${line}`) });

  if (values['url-file']) writeFileSync(values['url-file'], `${server.url}\n`, { mode: 0o600 });
  console.log(`Loopscope (browser mode) is running on port ${server.port}.`);
  console.log(`  Open: ${server.url}`);
  console.log(`  Data: ${dataDir}`);
  console.log('Press Ctrl+C to stop.');

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    service.dispose();
    await server.close();
    await runtime.dispose();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((e: unknown) => {
  console.error(`loopscope serve: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
