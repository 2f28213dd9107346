#!/usr/bin/env node
// The pre-step of `npm start` and `npm run dev`: make sure Electron's binary is on disk before electron-vite runs.
//
// Why: since Electron 42 the `electron` npm package no longer downloads its binary at install time; it is fetched on
// the first run of the `electron` command or by its `install-electron` script (node_modules/electron/install.js).
// electron-vite only reads node_modules/electron/path.txt and stops with "Electron uninstall" when it is missing, so
// nothing would ever trigger the download. This runs Electron's own installer once (it is a no-op afterwards) and,
// when the download is impossible, says why and how to use the app without it (browser mode).
// Plain .mjs (not .ts) so it runs on every Node the package supports, including 22.12–22.17 without type stripping.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Installer output that means "could not reach the download server" rather than "the download was bad". */
const NETWORK_ERROR = /fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|getaddrinfo|socket hang up|UND_ERR_CONNECT/;

/**
 * @typedef {{ status: number | null, output: string }} InstallResult
 * @typedef {{
 *   electronDir: string,
 *   version: string,
 *   env: Record<string, string | undefined>,
 *   exists(path: string): boolean,
 *   readText(path: string): string | null,
 *   runInstaller(): InstallResult,
 *   log(line: string): void,
 * }} EnsureDeps
 */

/**
 * True when electron-vite will find a runnable binary: an explicit ELECTRON_EXEC_PATH, or path.txt naming a file
 * that exists under dist/ (or under ELECTRON_OVERRIDE_DIST_PATH, which Electron's own index.js honours).
 * @param {Pick<EnsureDeps, 'electronDir' | 'env' | 'exists' | 'readText'>} deps
 */
export function isElectronInstalled(deps) {
  const execPath = deps.env['ELECTRON_EXEC_PATH'];
  if (execPath) return deps.exists(execPath);
  const relative = deps.readText(join(deps.electronDir, 'path.txt'));
  if (!relative) return false;
  return deps.exists(join(deps.env['ELECTRON_OVERRIDE_DIST_PATH'] || join(deps.electronDir, 'dist'), relative));
}

/**
 * Installs Electron's binary when it is missing. Returns the process exit code: 0 when the binary is there.
 * @param {EnsureDeps} deps
 * @returns {number}
 */
export function ensureElectron(deps) {
  if (isElectronInstalled(deps)) return 0;
  deps.log(`Loopscope: downloading Electron ${deps.version} (once, about 100 MB from Electron's GitHub releases; later starts skip this)…`);
  const result = deps.runInstaller();
  if (result.status === 0 && isElectronInstalled(deps)) return 0;
  const output = result.output.trim();
  if (NETWORK_ERROR.test(output)) {
    deps.log(
      [
        `Loopscope could not download Electron ${deps.version}: there is no connection to its download server`,
        `(${firstLine(output)}). The binary comes from github.com/electron/electron/releases, not from the npm registry.`,
        '',
        'What you can do:',
        '  • Connect to the internet and run `npm start` again (the download happens once).',
        '  • Behind a proxy or mirror: set ELECTRON_MIRROR (or a cached zip via electron_config_cache), then `npm start`.',
        '  • Use Loopscope without Electron: `npm run serve` starts browser mode and prints the address to open.',
      ].join('\n'),
    );
  } else {
    deps.log(
      [
        `Loopscope could not install Electron ${deps.version}${result.status === null ? ' (the installer did not finish)' : ''}:`,
        output ? indent(output) : '  (the installer printed nothing)',
        '',
        'Run `npx install-electron` to retry, or use browser mode meanwhile: `npm run serve`.',
      ].join('\n'),
    );
  }
  return 1;
}

/** @param {string} text */
function firstLine(text) {
  const line = text.split('\n').find((l) => NETWORK_ERROR.test(l)) ?? text.split('\n')[0] ?? '';
  return line.trim().slice(0, 200);
}

/** @param {string} text */
function indent(text) {
  return text.split('\n').slice(-20).map((l) => `  ${l}`).join('\n');
}

/** The real dependencies: the installed electron package and its own installer script. */
function realDeps() {
  const require = createRequire(import.meta.url);
  const electronDir = dirname(require.resolve('electron/package.json'));
  const { version } = /** @type {{ version: string }} */ (JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')));
  /** @type {EnsureDeps} */
  const deps = {
    electronDir,
    version,
    env: process.env,
    exists: existsSync,
    readText(path) {
      try {
        return readFileSync(path, 'utf8').trim();
      } catch {
        return null;
      }
    },
    runInstaller() {
      // Progress (stdout) goes straight to the terminal; errors are captured so they can be explained.
      const r = spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
      return { status: r.status, output: `${r.error ? `${r.error.message}\n` : ''}${r.stderr ?? ''}` };
    },
    log: (line) => process.stderr.write(`${line}\n`),
  };
  return deps;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = ensureElectron(realDeps());
}
