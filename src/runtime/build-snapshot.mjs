/**
 * Pre-built bundles that are never stale: the one mechanism behind the run process's bundle (runtime-bundle.ts) and
 * the CLI's (cli/cli-bundle.ts). A build reads each source once through a `SourceRecorder`, bundles exactly those
 * bytes, and writes next to its output a snapshot of every source (all their bytes, one after the other) and a
 * manifest naming them with their size and what `stat` said of them at the build. `currentBuild` is the check made
 * before every use — bin/loopscope.mjs makes it before every command, so it must cost next to nothing: plain
 * JavaScript (no type stripping to load first) and no ES module import of a Node built-in (cli-bundle.ts says what
 * those cost).
 *
 * Current means: same Node version, and every source still has exactly the bytes of the snapshot. Reading and
 * comparing the CLI's ~60 sources (~0.7 MB) took ~8 ms here, hashing them instead ~10 ms more (to load node:crypto),
 * one `stat` of each ~1 ms. So, as git does for its index: a source whose size, modification and change times (ns)
 * and inode are those recorded is unchanged, unless one of its times is close to the build (it could have changed in
 * the same clock tick, after the build read it, or on a file system with coarse times): those, and any other
 * difference in `stat`, are compared byte for byte. The change time cannot be set back by any tool (it is the
 * kernel's), and a file replaced by another has a new inode.
 */
const { join } = process.getBuiltinModule('node:path');
const { closeSync, mkdirSync, openSync, readFileSync, readSync, renameSync, statSync, writeFileSync } = process.getBuiltinModule('node:fs');

export const MANIFEST_FILE = 'manifest.json';
export const SNAPSHOT_FILE = 'sources.snapshot';
/** Times this close to the build (ns) do not prove a source unchanged: coarse file system clocks tick in seconds. */
const RACY_NS = 3_000_000_000n;

/**
 * @typedef {[path: string, size: number, mtimeNs: string, ctimeNs: string, ino: string]} BuildInput
 * A source of a build: its path relative to the app root, its size and what `stat` said at the build.
 */
/**
 * @typedef {object} BuildManifest
 * @property {string} node The Node version that built it (it bundles for that version's built-ins).
 * @property {string} builtNs When the build started reading its sources (ns since the epoch).
 * @property {BuildInput[]} inputs Every source, in snapshot order.
 * @property {string[]} files The build's output files, relative to its folder.
 */

/**
 * What `stat` says of a source, as the manifest records it.
 * @param {import('node:fs').BigIntStats} st
 * @returns {[mtimeNs: string, ctimeNs: string, ino: string]}
 */
function statKey(st) {
  return [String(st.mtimeNs), String(st.ctimeNs), String(st.ino)];
}

/**
 * The manifest of the build in `dir` (relative to `appRoot`) when it is current for the sources on disk, else null
 * (missing, stale, unreadable).
 * @param {string} appRoot
 * @param {string} dir
 * @returns {BuildManifest | null}
 */
export function currentBuild(appRoot, dir) {
  try {
    const folder = join(appRoot, dir);
    const manifest = /** @type {BuildManifest} */ (JSON.parse(readFileSync(join(folder, MANIFEST_FILE), 'utf8')));
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
      const fd = openSync(join(folder, SNAPSHOT_FILE), 'r');
      try {
        for (const { path, size, at: offset } of toCompare) {
          const recorded = Buffer.allocUnsafe(size);
          if (readSync(fd, recorded, 0, size, offset) !== size || !readFileSync(path).equals(recorded)) return null;
        }
      } finally {
        closeSync(fd);
      }
    }
    return manifest;
  } catch {
    return null;
  }
}

/**
 * Reads a build's sources, each once, and writes the build with its snapshot of them. A source that changes during
 * the build is then stale, never bundled in one version and recorded in another. Its `stat` is taken before it is
 * read, and the build's start time before any: a change after the `stat` leaves a time close to the build's, which
 * `currentBuild` does not trust.
 */
export class SourceRecorder {
  /** @param {string} appRoot */
  constructor(appRoot) {
    this.appRoot = appRoot;
    this.builtNs = BigInt(Date.now()) * 1_000_000n;
    /** @type {Map<string, { data: Buffer, key: [string, string, string] }>} */
    this.sources = new Map();
  }

  /**
   * The bytes of the source at `rel` (relative to the app root), as the build uses and the snapshot records them.
   * @param {string} rel
   * @returns {Buffer}
   */
  read(rel) {
    const known = this.sources.get(rel);
    if (known) return known.data;
    const key = statKey(statSync(join(this.appRoot, rel), { bigint: true }));
    const data = readFileSync(join(this.appRoot, rel));
    this.sources.set(rel, { data, key });
    return data;
  }

  /**
   * Writes `outputs` (file name → contents) into `dir` (relative to the app root) with the snapshot of `inputs`
   * (each read now if the build did not) and the manifest. Temporary names first, the manifest last: a process
   * starting meanwhile finds the old manifest (whose snapshot no longer matches the sources, or does and names the
   * old files) or the complete new set.
   * @param {string} dir
   * @param {readonly string[]} inputs
   * @param {ReadonlyMap<string, string | Buffer>} outputs
   * @returns {number} the bytes of the outputs
   */
  write(dir, inputs, outputs) {
    const folder = join(this.appRoot, dir);
    const sources = inputs.map((rel) => this.read(rel));
    /** @type {BuildManifest} */
    const manifest = {
      node: process.versions.node,
      builtNs: String(this.builtNs),
      inputs: inputs.map((rel) => {
        const { data, key } = /** @type {{ data: Buffer, key: [string, string, string] }} */ (this.sources.get(rel));
        return /** @type {BuildInput} */ ([rel, data.length, ...key]);
      }),
      files: [...outputs.keys()],
    };
    mkdirSync(folder, { recursive: true });
    const tmp = `.${process.pid}.${Date.now()}`;
    const all = new Map(outputs).set(SNAPSHOT_FILE, Buffer.concat(sources));
    for (const [file, data] of all) writeFileSync(join(folder, file + tmp), data);
    for (const file of all.keys()) renameSync(join(folder, file + tmp), join(folder, file));
    writeFileSync(join(folder, MANIFEST_FILE + tmp), `${JSON.stringify(manifest, null, 1)}\n`);
    renameSync(join(folder, MANIFEST_FILE + tmp), join(folder, MANIFEST_FILE));
    let bytes = 0;
    for (const data of outputs.values()) bytes += data.length;
    return bytes;
  }
}
