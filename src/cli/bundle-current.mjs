/**
 * Whether the CLI bundle (cli-bundle.ts builds it) is current for the sources on disk: the check bin/loopscope.mjs
 * makes before every command, so it must cost next to nothing. Plain JavaScript (no type stripping to load first) and
 * no ES module import of a Node built-in (cli-bundle.ts says what those cost).
 *
 * The bundle folder holds, next to the bundle, a snapshot of every source it was built from (all their bytes, one
 * after the other) and a manifest naming them with their sizes. Current means: same Node version, and every source
 * still has exactly the bytes of the snapshot. Measured here: reading the ~60 sources (~0.7 MB) and comparing them
 * takes ~4 ms; hashing them instead costs ~10 ms more, to load node:crypto.
 */
const { join } = process.getBuiltinModule('node:path');
const { readFileSync } = process.getBuiltinModule('node:fs');

/** Where the bundle lives, relative to the app root. Git ignores it. */
export const CLI_BUNDLE_DIR = join('src', 'cli', 'built');
export const MANIFEST_FILE = 'manifest.json';
export const SNAPSHOT_FILE = 'sources.snapshot';
export const ENTRY_FILE = 'main.mjs';

/**
 * @typedef {object} CliBundleManifest
 * @property {string} node The Node version that built it (it bundles for that version's built-ins).
 * @property {[string, number][]} inputs Every source: path relative to the app root, and its size in bytes.
 * @property {string[]} files The bundle's files (main.mjs and its chunks), relative to the bundle folder.
 */

/**
 * The bundle's entry (main.mjs) when it is current for the sources on disk, else null (missing, stale, unreadable).
 * @param {string} appRoot
 * @returns {string | null}
 */
export function currentCliBundle(appRoot) {
  try {
    const dir = join(appRoot, CLI_BUNDLE_DIR);
    const manifest = /** @type {CliBundleManifest} */ (JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')));
    if (manifest.node !== process.versions.node || !Array.isArray(manifest.inputs) || !manifest.inputs.length) return null;
    const snapshot = readFileSync(join(dir, SNAPSHOT_FILE));
    let at = 0;
    for (const [path, size] of manifest.inputs) {
      const source = readFileSync(join(appRoot, path));
      if (source.length !== size || !source.equals(snapshot.subarray(at, at + size))) return null;
      at += size;
    }
    return at === snapshot.length ? join(dir, ENTRY_FILE) : null;
  } catch {
    return null;
  }
}
