/**
 * Builds the run process's preload bundle (src/runtime/runtime-bundle.ts). Runs at `npm ci`/`npm install`
 * (`prepare`). Never fails the install: without a current bundle, run processes load the TypeScript sources (slower)
 * and the runtime host rebuilds the bundle in the background.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const t0 = performance.now();
try {
  const { buildRuntimeBundle } = await import('../src/runtime/runtime-bundle.ts');
  const r = await buildRuntimeBundle(root);
  process.stdout.write(`runtime bundle: ${r.path} (${Math.round(r.bytes / 1024)} KiB from ${r.inputs} sources, ${Math.round(performance.now() - t0)} ms)\n`);
} catch (err) {
  process.stderr.write(`runtime bundle not built (${String(err instanceof Error ? err.message : err).split('\n')[0]}): run processes will load the sources until the runtime host rebuilds it\n`);
}
