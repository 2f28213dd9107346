/**
 * The run process's preload as pre-built CommonJS files (runtime v2): built/entry.cjs loads built/preload.cjs (the
 * tracer) or built/drain.cjs (the drain thread), each one bundle of its TypeScript sources.
 *
 * Why: a run process that preloads process/preload.ts makes Node strip the types of every runtime source it imports
 * (preload, agent, trace writer, instrumentation, schema: ~20 files) and load them as separate ES modules, in every
 * run — about 0.2–0.5 s of a `loopscope run` on this machine. One bundled .cjs file loads in a few milliseconds.
 *
 * Never stale: next to the bundle, a manifest records the sources it was built from and a hash of their contents.
 * `preloadFor` uses the bundle only when that hash still matches the sources on disk; otherwise it answers with
 * preload.ts itself (correct, slower) and the caller may rebuild (`buildRuntimeBundle`). `npm ci` builds it
 * (`prepare`), and the host rebuilds it in the background when the sources changed. The manifest is written last.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/** Where the bundle lives: inside src/runtime, which run processes may already read. Git ignores it. */
export const BUNDLE_DIR = join('src', 'runtime', 'process', 'built');
const MANIFEST_FILE = 'manifest.json';
const PROCESS_DIR = join('src', 'runtime', 'process');
/** The file a run process preloads: it picks drain.ts or preload.ts per thread (entry.cjs). */
const ENTRY = join(PROCESS_DIR, 'entry.cjs');
/** What gets bundled: each source into built/<name>.cjs — the tracer, the drain thread, `@loopscope/kit` (CommonJS,
 * so a lesson's require() of it never runs Node's ES module loader under what the lesson replaced) and the
 * instrumenter, which a run process loads only for a file the host did not instrument (preload.ts `instrumentHere`). */
const BUNDLES = [
  ['preload', join(PROCESS_DIR, 'preload.ts')],
  ['drain', join(PROCESS_DIR, 'drain.ts')],
  ['kit', join(PROCESS_DIR, 'kit.ts')],
  ['instrument', join('src', 'runtime', 'instrument', 'index.ts')],
] as const;
/** entry.cjs's requires of the sources → of the bundles. */
const ENTRY_REQUIRES = [['./drain.ts', './drain.cjs'], ['./preload.ts', './preload.cjs'], ['../instrument/index.ts', './instrument.cjs']] as const;

interface Manifest {
  readonly node: string;
  /** Paths relative to the app root, in build order. */
  readonly inputs: string[];
  readonly hash: string;
}

function hashInputs(appRoot: string, inputs: readonly string[]): string {
  const h = createHash('sha256');
  h.update(process.versions.node);
  for (const rel of inputs) {
    h.update(`\0${rel}\0`);
    h.update(readFileSync(join(appRoot, rel)));
  }
  return h.digest('hex');
}

/** The bundle's path when it is current for the sources on disk, else null (missing, stale or unreadable). */
export function currentBundle(appRoot: string): string | null {
  try {
    const dir = join(appRoot, BUNDLE_DIR);
    const manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
    if (manifest.node !== process.versions.node || !Array.isArray(manifest.inputs) || !manifest.inputs.length) return null;
    if (hashInputs(appRoot, manifest.inputs) !== manifest.hash) return null;
    return join(dir, 'entry.cjs');
  } catch {
    return null;
  }
}

/** `@loopscope/kit` for lessons: the bundled module when current (no TypeScript to strip in the lesson's time). */
export function kitFor(appRoot: string): string {
  const bundle = currentBundle(appRoot);
  return bundle ? join(appRoot, BUNDLE_DIR, 'kit.cjs') : join(appRoot, PROCESS_DIR, 'kit.ts');
}

/** What a run process should preload: the bundled entry when current, else the entry that loads the sources. */
export function preloadFor(appRoot: string): { path: string; bundled: boolean } {
  const bundle = currentBundle(appRoot);
  return bundle ? { path: bundle, bundled: true } : { path: join(appRoot, ENTRY), bundled: false };
}

/**
 * Builds the bundle with rolldown (node built-ins stay external) and writes it with its manifest. The inputs are
 * every module rolldown read (npm packages included), so a change to any of them makes the bundle stale.
 */
export async function buildRuntimeBundle(appRoot: string): Promise<{ path: string; inputs: number; bytes: number }> {
  const { rolldown } = await import('rolldown');
  const inputs = new Set<string>([ENTRY]);
  const outputs = new Map<string, string>();
  for (const [name, source] of BUNDLES) {
    const bundle = await rolldown({ input: join(appRoot, source), platform: 'node', external: [/^node:/], logLevel: 'silent' });
    try {
      const { output } = await bundle.generate({ format: 'cjs', codeSplitting: false, minify: false });
      const chunk = output.find((o) => o.type === 'chunk');
      if (!chunk || chunk.type !== 'chunk') throw new Error(`rolldown produced no chunk for ${source}`);
      for (const id of chunk.moduleIds) if (!id.startsWith('\0') && resolve(id).startsWith(appRoot)) inputs.add(relative(appRoot, id));
      outputs.set(`${name}.cjs`, `// Generated by src/runtime/runtime-bundle.ts from ${source.split('\\').join('/')} and its imports: do not edit.\n${chunk.code}`);
    } finally {
      await bundle.close();
    }
  }
  // The entry, loading the bundles instead of the sources.
  const entry = readFileSync(join(appRoot, ENTRY), 'utf8');
  let builtEntry = entry;
  for (const [from, to] of ENTRY_REQUIRES) {
    if (!builtEntry.includes(`require('${from}')`)) throw new Error(`${ENTRY} no longer requires ${from}: update runtime-bundle.ts`);
    builtEntry = builtEntry.replaceAll(`require('${from}')`, `require('${to}')`);
  }
  outputs.set('entry.cjs', `// Generated by src/runtime/runtime-bundle.ts from ${ENTRY.split('\\').join('/')}: do not edit.\n${builtEntry}`);
  const list = [...inputs];
  const manifest: Manifest = { node: process.versions.node, inputs: list, hash: hashInputs(appRoot, list) };
  outputs.set(MANIFEST_FILE, `${JSON.stringify(manifest, null, 1)}\n`);
  const dir = join(appRoot, BUNDLE_DIR);
  mkdirSync(dir, { recursive: true });
  // Temporary names first, the manifest last: a run process starting meanwhile finds the old manifest (stale against
  // the new sources, so it loads the sources) or the complete new set.
  const tmp = `.${process.pid}.${Date.now()}`;
  for (const [file, text] of outputs) writeFileSync(join(dir, file + tmp), text);
  for (const file of outputs.keys()) if (file !== MANIFEST_FILE) renameSync(join(dir, file + tmp), join(dir, file));
  renameSync(join(dir, MANIFEST_FILE + tmp), join(dir, MANIFEST_FILE));
  let bytes = 0;
  for (const text of outputs.values()) bytes += text.length;
  return { path: join(dir, 'entry.cjs'), inputs: list.length, bytes };
}
