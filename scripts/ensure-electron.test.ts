// The `npm start` / `npm run dev` pre-step (scripts/ensure-electron.mjs), with a fake file system and installer:
// it downloads Electron only when the binary is missing, and when the download cannot happen it says why and how to
// use browser mode — never electron-vite's bare "Electron uninstall".
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureElectron, isElectronInstalled } from './ensure-electron.mjs';

const DIR = '/app/node_modules/electron';

function fakeDeps(options: { files?: Record<string, string>; env?: Record<string, string>; installer?: () => { status: number | null; output: string; writes?: Record<string, string> } }) {
  const files = new Map(Object.entries(options.files ?? {}));
  const lines: string[] = [];
  let installs = 0;
  return {
    lines,
    get installs() {
      return installs;
    },
    deps: {
      electronDir: DIR,
      version: '45.3.4',
      env: options.env ?? {},
      exists: (path: string) => files.has(path),
      readText: (path: string) => files.get(path) ?? null,
      runInstaller() {
        installs++;
        const r = options.installer?.() ?? { status: 1, output: 'no installer in this test' };
        for (const [path, text] of Object.entries(r.writes ?? {})) files.set(path, text);
        return { status: r.status, output: r.output };
      },
      log: (line: string) => lines.push(line),
    },
  };
}

const installedFiles = { [join(DIR, 'path.txt')]: 'electron', [join(DIR, 'dist', 'electron')]: '' };

describe('ensure-electron (npm start pre-step)', () => {
  it('does nothing when the binary named by path.txt is on disk', () => {
    const f = fakeDeps({ files: installedFiles });
    expect(ensureElectron(f.deps)).toBe(0);
    expect(f.installs).toBe(0);
    expect(f.lines).toEqual([]);
  });

  it('downloads once when path.txt is missing (Electron ≥ 42 no longer downloads at npm install), then succeeds', () => {
    const f = fakeDeps({ installer: () => ({ status: 0, output: '', writes: installedFiles }) });
    expect(ensureElectron(f.deps)).toBe(0);
    expect(f.installs).toBe(1);
    expect(f.lines.join('\n')).toMatch(/downloading Electron 45\.3\.4 \(once/);
  });

  it('re-downloads when path.txt names a binary that was deleted', () => {
    const f = fakeDeps({ files: { [join(DIR, 'path.txt')]: 'electron' }, installer: () => ({ status: 0, output: '', writes: installedFiles }) });
    expect(isElectronInstalled(f.deps)).toBe(false);
    expect(ensureElectron(f.deps)).toBe(0);
    expect(f.installs).toBe(1);
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH and ELECTRON_EXEC_PATH like Electron and electron-vite do', () => {
    const override = fakeDeps({ files: { [join(DIR, 'path.txt')]: 'electron', '/opt/electron/electron': '' }, env: { ELECTRON_OVERRIDE_DIST_PATH: '/opt/electron' } });
    expect(ensureElectron(override.deps)).toBe(0);
    expect(override.installs).toBe(0);
    const exec = fakeDeps({ files: { '/usr/lib/electron/electron': '' }, env: { ELECTRON_EXEC_PATH: '/usr/lib/electron/electron' } });
    expect(ensureElectron(exec.deps)).toBe(0);
    expect(exec.installs).toBe(0);
  });

  it('offline: says there is no connection, where the binary comes from, and how to use browser mode', () => {
    // What Electron 45's install.js prints here without network (seen on this machine).
    const f = fakeDeps({ installer: () => ({ status: 1, output: 'TypeError: fetch failed\n    at node:internal/deps/undici/undici:13510:13\n' }) });
    expect(ensureElectron(f.deps)).toBe(1);
    const text = f.lines.join('\n');
    expect(text).toMatch(/could not download Electron 45\.3\.4: there is no connection/);
    expect(text).toContain('(TypeError: fetch failed)');
    expect(text).toContain('not from the npm registry');
    expect(text).toContain('`npm run serve`');
    expect(text).not.toMatch(/uninstall/i);
  });

  it('a DNS failure is also reported as no network', () => {
    const f = fakeDeps({ installer: () => ({ status: 1, output: 'Error: getaddrinfo ENOTFOUND github.com' }) });
    expect(ensureElectron(f.deps)).toBe(1);
    expect(f.lines.join('\n')).toMatch(/no connection to its download server\n\(Error: getaddrinfo ENOTFOUND github\.com\)/);
  });

  it('any other installer failure shows the installer output, a retry command and browser mode', () => {
    const f = fakeDeps({ installer: () => ({ status: 1, output: 'Error: Generated checksum for "electron-v45.3.4-linux-x64.zip" did not match expected checksum.' }) });
    expect(ensureElectron(f.deps)).toBe(1);
    const text = f.lines.join('\n');
    expect(text).toContain('could not install Electron 45.3.4:');
    expect(text).toContain('  Error: Generated checksum');
    expect(text).toContain('`npx install-electron`');
    expect(text).toContain('`npm run serve`');
  });

  it('an installer that exits 0 without leaving a binary is a failure, not a silent pass', () => {
    const f = fakeDeps({ installer: () => ({ status: 0, output: '' }) });
    expect(ensureElectron(f.deps)).toBe(1);
    expect(f.lines.join('\n')).toContain('(the installer printed nothing)');
  });
});
