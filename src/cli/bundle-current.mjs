/**
 * Whether the CLI bundle (cli-bundle.ts builds it) is current for the sources on disk: the check bin/loopscope.mjs
 * makes before every command, so it must cost next to nothing. Plain JavaScript (no type stripping to load first) and
 * no ES module import of a Node built-in (cli-bundle.ts says what those cost).
 *
 * Next to the bundle: a snapshot of every source it was built from (all their bytes, one after the other) and a
 * manifest naming them with their size and what `stat` said of them at the build. Current means: same Node version,
 * and every source still has exactly the bytes of the snapshot. Reading and comparing the ~60 sources (~0.7 MB) took
 * ~8 ms here, hashing them instead ~10 ms more (to load node:crypto), one `stat` of each ~1 ms. So, as git does for its
 * index: a source whose size, modification and change times (ns) and inode are those recorded is unchanged, unless
 * one of its times is close to the build (it could have changed in the same clock tick, after the build read it, or
 * on a file system with coarse times): those, and any other difference in `stat`, are compared byte for byte. The
 * change time cannot be set back by any tool (it is the kernel's), and a file replaced by another has a new inode.
 */
const { join } = process.getBuiltinModule('node:path');
const { closeSync, openSync, readFileSync, readSync, statSync } = process.getBuiltinModule('node:fs');

/** Where the bundle lives, relative to the app root. Git ignores it. */
export const CLI_BUNDLE_DIR = join('src', 'cli', 'built');
export const MANIFEST_FILE = 'manifest.json';
export const SNAPSHOT_FILE = 'sources.snapshot';
export const ENTRY_FILE = 'main.mjs';
/** Times this close to the build (ns) do not prove a source unchanged: coarse file system clocks tick in seconds. */
const RACY_NS = 3_000_000_000n;

/**
 * @typedef {[path: string, size: number, mtimeNs: string, ctimeNs: string, ino: string]} CliBundleInput
 * A source of the bundle: its path relative to the app root, its size and what `stat` said at the build.
 */
/**
 * @typedef {object} CliBundleManifest
 * @property {string} node The Node version that built it (it bundles for that version's built-ins).
 * @property {string} builtNs When the build started reading its sources (ns since the epoch).
 * @property {CliBundleInput[]} inputs Every source, in snapshot order.
 * @property {string[]} files The bundle's files (main.mjs and its chunks), relative to the bundle folder.
 */

/**
 * What `stat` says of a source, as the manifest records it.
 * @param {import('node:fs').BigIntStats} st
 * @returns {[mtimeNs: string, ctimeNs: string, ino: string]}
 */
export function statKey(st) {
  return [String(st.mtimeNs), String(st.ctimeNs), String(st.ino)];
}

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
    const trustedBefore = BigInt(manifest.builtNs) - RACY_NS;
    /** @type {{ path: string, size: number, at: number }[]} */
    const toCompare = [];
    let at = 0;
    for (const [path, size, mtimeNs, ctimeNs, ino] of manifest.inputs) {
      const file = join(appRoot, path);
      const st = statSync(file, { bigint: true });
      if (Number(st.size) !== size) return null;
      const [m, c, i] = statKey(st);
      if (m !== mtimeNs || c !== ctimeNs || i !== ino || st.mtimeNs >= trustedBefore || st.ctimeNs >= trustedBefore) toCompare.push({ path: file, size, at });
      at += size;
    }
    if (toCompare.length) {
      const fd = openSync(join(dir, SNAPSHOT_FILE), 'r');
      try {
        for (const { path, size, at: offset } of toCompare) {
          const recorded = Buffer.allocUnsafe(size);
          if (readSync(fd, recorded, 0, size, offset) !== size || !readFileSync(path).equals(recorded)) return null;
        }
      } finally {
        closeSync(fd);
      }
    }
    return join(dir, ENTRY_FILE);
  } catch {
    return null;
  }
}
