/**
 * `node --check` on every script electron-vite built (out/main, out/preload, out/renderer): a bundle that does not
 * parse (for example two `require` declarations from a shim and a bundled dependency) is an app that never opens its
 * window. Main is checked as an ES module (.js under "type": "module"), the preload as CommonJS (.cjs).
 * And the renderer's entry script must not carry Monaco: it is most of the renderer's code, and the app paints first
 * and loads it after (editor/EditorPane.svelte).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
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

const entry = /<script type="module"[^>]*\ssrc="\.\/([^"]+)"/.exec(readFileSync(join(OUT, 'renderer', 'index.html'), 'utf8'))?.[1];
const entryCode = entry ? readFileSync(join(OUT, 'renderer', entry), 'utf8') : '';
if (!entry) {
  failed++;
  console.error('✗ out/renderer/index.html names no module script');
} else if (entryCode.includes('monaco-scrollable-element')) { // a class only Monaco's own widgets create
  failed++;
  console.error(`✗ the renderer's entry script (${entry}) carries Monaco: the app cannot paint before it has loaded and run it`);
} else {
  console.log(`renderer entry script: ${entry}, ${Math.round(entryCode.length / 1024)} KiB, without Monaco`);
}
process.exitCode = failed === 0 ? 0 : 1;
