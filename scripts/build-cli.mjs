/**
 * Builds the CLI bundle (src/cli/cli-bundle.ts). Runs at `npm ci`/`npm install` (`prepare`, after the run process's
 * bundle). Never fails the install: without a current bundle, `loopscope` loads its TypeScript sources (slower).
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const t0 = performance.now();
try {
  const { buildCliBundle } = await import('../src/cli/cli-bundle.ts');
  const r = await buildCliBundle(root);
  process.stdout.write(`CLI bundle: ${r.path} (${Math.round(r.bytes / 1024)} KiB from ${r.inputs} sources, ${Math.round(performance.now() - t0)} ms)\n`);
} catch (err) {
  process.stderr.write(`CLI bundle not built (${String(err instanceof Error ? err.message : err).split('\n')[0]}): loopscope will load its sources\n`);
}
