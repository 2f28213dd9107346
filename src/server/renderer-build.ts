/**
 * The renderer's Vite configuration — one definition used by electron.vite.config.ts (desktop build) and by the
 * browser-mode server (which builds only the renderer, into the same out/renderer, when it is missing or stale).
 *
 * Monaco's editor and TypeScript workers are ES module workers emitted as separate files (`?worker` imports), so
 * the CSP needs no blob: workers; every asset (fonts included) is a file under out/renderer: nothing is fetched
 * from the network.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { InlineConfig, Plugin, UserConfig } from 'vite';

/** The module id under which the editor gets the typings of `@loopscope/kit` as text. */
export const KIT_TYPINGS_MODULE = 'virtual:loopscope/kit-typings';

/** Where those typings live: the runtime implements the kit, so it owns their declaration file. */
function kitTypingsPath(appRoot: string): string {
  return join(appRoot, 'src', 'runtime', 'kit', 'kit.d.ts');
}

/**
 * Hands the kit's declaration file to the renderer as a generated string module, so the renderer (which may import
 * only src/shared) never imports a file of the runtime.
 */
export function kitTypings(appRoot: string): Plugin {
  const resolved = '\0' + KIT_TYPINGS_MODULE;
  return {
    name: 'loopscope-kit-typings',
    resolveId: (id) => (id === KIT_TYPINGS_MODULE ? resolved : null),
    load(id) {
      if (id !== resolved) return null;
      const path = kitTypingsPath(appRoot);
      this.addWatchFile(path);
      return `export default ${JSON.stringify(readFileSync(path, 'utf8'))};`;
    },
  };
}

export function rendererOutDir(appRoot: string): string {
  return join(appRoot, 'out', 'renderer');
}

export async function rendererConfig(appRoot: string): Promise<UserConfig> {
  const { svelte } = await import('@sveltejs/vite-plugin-svelte');
  return {
    root: join(appRoot, 'src', 'renderer'),
    base: './',
    plugins: [svelte({ compilerOptions: { runes: true } }), kitTypings(appRoot)],
    worker: { format: 'es' },
    // The page's <link>/<script> tags and a <meta property="csp-nonce"> carry this placeholder; each response
    // replaces it with a fresh nonce (src/main/window/app-protocol.ts assetResponse, src/main/security/csp.ts).
    html: { cspNonce: '__LOOPSCOPE_CSP_NONCE__' },
    build: {
      outDir: rendererOutDir(appRoot),
      emptyOutDir: true,
      target: 'chrome128',
      chunkSizeWarningLimit: 12_000,
      reportCompressedSize: false,
      sourcemap: false,
      minify: true,
      // Rolldown's plugin-timing report is noise in a one-off build (Monaco's worker transform dominates it).
      rolldownOptions: { checks: { pluginTimings: false } },
    },
  };
}

/** Newest modification time (ms) of any file under `dir` (recursively). */
function newestMtimeMs(dir: string): number {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtimeMs(path));
    else if (entry.isFile()) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** True when out/renderer is missing or older than any renderer or shared source file (or the kit typings). */
export function rendererIsStale(appRoot: string): boolean {
  const index = join(rendererOutDir(appRoot), 'index.html');
  if (!existsSync(index)) return true;
  const builtMs = statSync(index).mtimeMs;
  const sources = [join(appRoot, 'src', 'renderer'), join(appRoot, 'src', 'shared'), dirname(kitTypingsPath(appRoot))];
  return sources.some((dir) => newestMtimeMs(dir) > builtMs) || statSync(new URL(import.meta.url)).mtimeMs > builtMs;
}

export async function buildRenderer(appRoot: string): Promise<void> {
  const { build } = await import('vite');
  const config: InlineConfig = { ...(await rendererConfig(appRoot)), configFile: false, logLevel: 'warn', mode: 'production' };
  await build(config);
}
