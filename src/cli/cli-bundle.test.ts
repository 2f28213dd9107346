/**
 * The CLI's pre-built bundle (cli-bundle.ts) is what `loopscope` runs while it matches its sources: built from a copy
 * of the sources, the copy's bin runs it; one changed byte in any source it was built from and the bin runs the
 * sources again (never a stale bundle). And `npm ci` builds it for this checkout.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { currentCliBundle } from './bundle-current.mjs';
import { buildCliBundle, builtinsFromProcess } from './cli-bundle.ts';

const APP_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'loopscope-cli-bundle-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const help = (): string => spawnSync(process.execPath, [join(root, 'bin/loopscope.mjs'), '--help'], { encoding: 'utf8', timeout: 60_000 }).stdout;

describe('the CLI bundle', () => {
  it('is run while current, and never once a source it was built from changed', async () => {
    cpSync(join(APP_ROOT, 'bin'), join(root, 'bin'), { recursive: true });
    for (const dir of ['cli', 'runtime', 'shared', 'services']) cpSync(join(APP_ROOT, 'src', dir), join(root, 'src', dir), { recursive: true, filter: (p) => !p.includes('/built') });
    cpSync(join(APP_ROOT, 'package.json'), join(root, 'package.json'));
    symlinkSync(join(APP_ROOT, 'node_modules'), join(root, 'node_modules'));
    expect(currentCliBundle(root)).toBeNull();
    expect(help()).toMatch(/^Usage:\n/);

    const built = await buildCliBundle(root);
    expect(built.inputs).toBeGreaterThan(30);
    const entry = join(root, 'src/cli/built/main.mjs');
    expect(currentCliBundle(root)).toBe(entry);
    // Marked, so the output tells which one ran (the bundle's own text is not one of its sources).
    writeFileSync(entry, readFileSync(entry, 'utf8').replace('Usage:\n', 'Usage (bundled):\n'));
    expect(help()).toMatch(/^Usage \(bundled\):\n/);

    // Sources whose `stat` is what the build recorded, long before it, are not read at all (the snapshot is not
    // either); one rewritten with the same size and its old modification time is read, compared, and found changed.
    const manifestFile = join(root, 'src/cli/built/manifest.json');
    const snapshotFile = join(root, 'src/cli/built/sources.snapshot');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { builtNs: string; inputs: [string, number, string, string, string][] };
    writeFileSync(manifestFile, JSON.stringify({ ...manifest, builtNs: String(BigInt(Date.now() + 60_000) * 1_000_000n) }));
    const snapshot = readFileSync(snapshotFile);
    writeFileSync(snapshotFile, Buffer.alloc(snapshot.length));
    expect(currentCliBundle(root)).toBe(entry);
    writeFileSync(snapshotFile, snapshot);
    const tool = join(root, 'src/runtime/os-sandbox/find-tool.ts');
    const before = statSync(tool);
    writeFileSync(tool, readFileSync(tool, 'utf8').replace('Finds a system tool', 'Finds a system t00l'));
    utimesSync(tool, before.atime, before.mtime);
    expect(statSync(tool).size).toBe(before.size);
    expect(currentCliBundle(root)).toBeNull();
    expect(help()).toMatch(/^Usage:\n/);

    // A source far from main.ts, that only `run` needs once its run process starts.
    appendFileSync(join(root, 'src/runtime/os-sandbox/limits.ts'), '\n// changed\n');
    expect(currentCliBundle(root)).toBeNull();
  }, 60_000);

  it("is built by npm ci for this checkout's sources", () => {
    expect(currentCliBundle(APP_ROOT), 'the CLI bundle is missing or stale: npm ci (or node scripts/build-cli.mjs) builds it').toBe(join(APP_ROOT, 'src/cli/built/main.mjs'));
  });

  it('takes Node built-ins from process.getBuiltinModule, and refuses an import form it does not know', () => {
    expect(builtinsFromProcess('import { a, b as c } from "node:fs";\nimport os from "node:os";\nimport * as u from "node:util";\nimport "node:crypto";\nx();\n'))
      .toBe('const { a, b: c } = process.getBuiltinModule("node:fs");\nconst os = process.getBuiltinModule("node:os");\nconst u = process.getBuiltinModule("node:util");\n// "node:crypto"; (a built-in has no side effects to import for)\nx();\n');
    expect(() => builtinsFromProcess('import os, { tmpdir } from "node:os";\n')).toThrow(/cannot turn into process.getBuiltinModule/);
  });
});
