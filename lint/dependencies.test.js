// package.json tells the truth: every package the app's code imports is in `dependencies` (so an install without
// dev dependencies runs the app, browser mode and the CLI), and every entry there is imported by the app's code.
import { readdirSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

// Electron is the desktop app's own binary: packagers take it from devDependencies and never ship it as a module.
const NOT_PACKAGES = new Set(['electron', '@loopscope/kit']);
// Packages the runtime serves to lessons from node_modules as files (src/runtime/process-run.ts), never imports itself.
const SERVED_TO_LESSONS = ['async-mutex'];
const PACKAGE_NAME = /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;
const IMPORT_RE = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)(['"])([^'"./][^'"]*)\1/g;

function packageName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Bare specifiers imported by the app's own (non-test) files under src/, with one file that imports each. */
function importedPackages() {
  const found = new Map();
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) { if (entry.name !== 'built') walk(path); } // generated bundles (git-ignored), not sources
      else if (/\.(ts|svelte|js|mjs)$/.test(entry.name) && !/\.test\.ts$|\.test-support\.ts$|\.d\.ts$/.test(entry.name)) {
        const text = readFileSync(path, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
        for (const m of text.matchAll(IMPORT_RE)) {
          const spec = m[2].split('?')[0];
          if (isBuiltin(spec) || spec.startsWith('virtual:') || spec.includes(' ')) continue;
          const name = packageName(spec);
          if (!PACKAGE_NAME.test(name)) continue;
          if (!NOT_PACKAGES.has(name) && !found.has(name)) found.set(name, relative(root, path));
        }
      }
    }
  };
  walk(join(root, 'src'));
  const host = readFileSync(join(root, 'src/runtime/process-run.ts'), 'utf8');
  for (const name of SERVED_TO_LESSONS) if (host.includes(`'${name}'`)) found.set(name, 'src/runtime/process-run.ts');
  return found;
}

describe('package.json', () => {
  const imported = importedPackages();

  it('lists every package the app imports in dependencies', () => {
    const missing = [...imported].filter(([name]) => !(name in pkg.dependencies)).map(([name, file]) => `${name} (imported by ${file})`);
    expect(missing).toEqual([]);
  });

  it('lists nothing in dependencies that the app does not import', () => {
    expect(Object.keys(pkg.dependencies).filter((name) => !imported.has(name))).toEqual([]);
  });

  it('lists no package twice', () => {
    expect(Object.keys(pkg.dependencies).filter((name) => name in pkg.devDependencies)).toEqual([]);
  });
});
