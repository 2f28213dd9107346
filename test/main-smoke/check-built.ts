/**
 * `node --check` on every script electron-vite built (out/main, out/preload, out/renderer): a bundle that does not
 * parse (for example two `require` declarations from a shim and a bundled dependency) is an app that never opens its
 * window. Main is checked as an ES module (.js under "type": "module"), the preload as CommonJS (.cjs).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const OUT = join(ROOT, 'out');
const REQUIRED = ['main/index.js', 'preload/index.cjs', 'renderer/index.html'];

const missing = REQUIRED.filter((f) => !existsSync(join(OUT, f)));
if (missing.length > 0) {
  console.error(`missing build output: ${missing.join(', ')} — run \`npx electron-vite build\` first`);
  process.exit(1);
}
const scripts = readdirSync(OUT, { recursive: true, encoding: 'utf8' })
  .filter((f) => /\.(?:js|cjs|mjs)$/.test(f) && !f.startsWith('types'))
  .map((f) => join(OUT, f));
let failed = 0;
for (const file of scripts) {
  const r = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' });
  if (r.status !== 0) {
    failed++;
    console.error(`✗ ${relative(ROOT, file)} does not parse:\n${r.stderr}`);
  }
}
console.log(`node --check: ${scripts.length - failed} of ${scripts.length} built scripts parse`);
process.exitCode = failed === 0 ? 0 : 1;
