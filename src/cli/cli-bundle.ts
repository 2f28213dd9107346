/**
 * Builds the CLI as pre-built ES modules (src/cli/built/: main.mjs and the chunks it imports on demand), so a
 * `loopscope run` does not strip and load ~45 TypeScript files as separate modules before its run process can start.
 *
 * Measured here (Node 24, compile cache on): importing src/cli/main.ts and its imports took ~55 ms, the bundle
 * ~30 ms, of which ~20 ms went to Node's ES module wrappers of built-in modules: an `import … from 'node:fs'` reads
 * every export of the module, which loads its lazy parts (fs.promises…). The bundle takes the built-ins from
 * `process.getBuiltinModule` instead (the CommonJS objects Node already has; nothing more loads until used).
 *
 * Never stale: the bundle folder holds a snapshot of every source it was built from (this file and npm packages
 * included; runtime/build-snapshot.mjs); bin/loopscope.mjs imports the bundle only when bundle-current.mjs finds the
 * sources unchanged, else the TypeScript sources (correct, slower). `npm ci` builds it (`prepare`,
 * scripts/build-cli.mjs).
 *
 * The other commands (`check`, `new`) and the HTML player keep importing their sources (SOURCE_IMPORTS): only `run`
 * must be fast, and every bundled source is one more file the check reads before each command.
 */
import { dirname, join, relative, resolve, sep } from 'node:path';
import { MANIFEST_FILE, SourceRecorder } from '../runtime/build-snapshot.mjs';
import { CLI_BUNDLE_DIR, ENTRY_FILE } from './bundle-current.mjs';

/** Dynamic imports that stay imports of their sources (relative to the app root). */
const SOURCE_IMPORTS = new Set(['src/services/lessons/cli.ts', 'src/services/lessons/scaffold.ts', 'src/services/export/player-bundle.ts'].map((p) => join(...p.split('/'))));
const ENTRY_SOURCE = join('src', 'cli', 'main.ts');
/** This builder and the check: a change to how the bundle is made or checked makes it stale too. */
const BUILDER_SOURCES = [join('src', 'cli', 'cli-bundle.ts'), join('src', 'cli', 'bundle-current.mjs'), join('src', 'runtime', 'build-snapshot.mjs')];

const fs = (): typeof import('node:fs') => process.getBuiltinModule('node:fs');

/** A specifier from the bundle folder to `file`, as an ES module import writes it. */
function fromBundle(outDir: string, file: string): string {
  const rel = relative(outDir, file).split(sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/**
 * `import { a, b as c } from "node:x";` → `const { a, b: c } = process.getBuiltinModule("node:x");` for every import
 * of a built-in at the top of a generated chunk (rolldown writes them one per line, first). Anything else that names
 * a built-in fails the build: a form this does not know would otherwise stay a slow import or break.
 */
export function builtinsFromProcess(code: string): string {
  return code.replace(/^import (.+?) from "(node:[a-z_/]+)";$|^import "(node:[a-z_/]+)";$/gm, (line, clause: string | undefined, id: string | undefined) => {
    if (!clause) return `// ${line.slice(7)} (a built-in has no side effects to import for)`;
    const get = `process.getBuiltinModule(${JSON.stringify(id)})`;
    const named = /^\{ ([\w$]+(?: as [\w$]+)?(?:, [\w$]+(?: as [\w$]+)?)*) \}$/.exec(clause);
    if (named) return `const { ${named[1]!.replaceAll(' as ', ': ')} } = ${get};`;
    const whole = /^(?:\* as )?([\w$]+)$/.exec(clause);
    if (whole) return `const ${whole[1]} = ${get};`;
    throw new Error(`cli-bundle: an import of ${id} this build cannot turn into process.getBuiltinModule: ${line}`);
  });
}

/**
 * Builds the bundle with rolldown and writes it with its manifest. Node built-ins and rolldown (native code) stay
 * external; everything else the CLI imports statically, or `run` imports later (the instrumenter), is bundled.
 */
export async function buildCliBundle(appRoot: string): Promise<{ path: string; inputs: number; bytes: number }> {
  const { rolldown } = await import('rolldown');
  const { readdirSync, rmSync, statSync } = fs();
  const outDir = join(appRoot, CLI_BUNDLE_DIR);
  // Every source is read once, through the recorder, and the bundle is made of exactly the bytes its snapshot records.
  const sources = new SourceRecorder(appRoot);
  const inApp = (id: string): boolean => !id.startsWith('\0') && resolve(id).startsWith(appRoot + sep);
  const bundle = await rolldown({
    input: { main: join(appRoot, ENTRY_SOURCE) },
    platform: 'node',
    external: [/^node:/, /^rolldown(?:\/|$)/],
    logLevel: 'silent',
    plugins: [{
      name: 'loopscope-cli',
      // SOURCE_IMPORTS load their sources (relative to the bundle); the rest become chunks of the bundle.
      resolveDynamicImport(specifier, importer) {
        if (typeof specifier !== 'string' || !importer || !specifier.startsWith('.')) return null;
        const file = resolve(dirname(importer), specifier);
        return SOURCE_IMPORTS.has(relative(appRoot, file)) ? { id: fromBundle(outDir, file), external: true } : null;
      },
      load(id) {
        return inApp(id) ? { code: sources.read(relative(appRoot, id)).toString('utf8') } : null;
      },
      // A module's import.meta.url is its own file's, not the bundle's: host-client.ts finds the app root with it.
      transform(code, id) {
        if (!code.includes('import.meta')) return null;
        if (/import\.meta\.(?!url\b)[a-z]/.test(code)) throw new Error(`cli-bundle: ${id} uses import.meta beyond .url, which the bundle does not map`);
        const url = `new URL(${JSON.stringify(fromBundle(outDir, id))}, import.meta.url).href`;
        return { code: code.replaceAll('import.meta.url', url) };
      },
    }],
  });
  const inputs = new Set<string>([ENTRY_SOURCE, ...BUILDER_SOURCES]);
  const outputs = new Map<string, string | Buffer>();
  try {
    const { output } = await bundle.generate({ format: 'esm', entryFileNames: ENTRY_FILE, chunkFileNames: '[name]-[hash].mjs', minify: false });
    for (const o of output) {
      if (o.type !== 'chunk') continue;
      for (const id of o.moduleIds) if (inApp(id)) inputs.add(relative(appRoot, id));
      outputs.set(o.fileName, `// Generated by src/cli/cli-bundle.ts from src/cli/main.ts and its imports: do not edit.\n${builtinsFromProcess(o.code)}`);
    }
  } finally {
    await bundle.close();
  }
  if (!outputs.has(ENTRY_FILE)) throw new Error('rolldown produced no main.mjs');
  const bytes = sources.write(CLI_BUNDLE_DIR, [...inputs], outputs);
  // Chunks of earlier builds (their names carry a content hash): removed once no CLI started from them can still be
  // about to load one (an hour).
  for (const name of readdirSync(outDir)) {
    if (outputs.has(name) || name === MANIFEST_FILE || !name.endsWith('.mjs')) continue;
    try { if (Date.now() - statSync(join(outDir, name)).mtimeMs > 3_600_000) rmSync(join(outDir, name)); } catch {}
  }
  return { path: join(outDir, ENTRY_FILE), inputs: inputs.size, bytes };
}
