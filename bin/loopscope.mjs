#!/usr/bin/env node
// The loopscope CLI. Runs the pre-built bundle of its sources when it is current (src/cli/cli-bundle.ts), else the
// TypeScript sources directly (Node >= 22.18 strips types natively; 22.12–22.17 need --experimental-strip-types,
// which we add by re-running ourselves). Built-in modules come from process.getBuiltinModule: an ES module import of
// one loads all of its lazy parts (cli-bundle.ts says what that costs).
const { join } = process.getBuiltinModule('node:path');

if (!process.features.typescript) {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 12)) {
    process.stderr.write(`loopscope needs Node 22.12 or newer (Node 24 recommended); this is ${process.version}\n`);
    process.exit(2);
  }
  const { spawnSync } = process.getBuiltinModule('node:child_process');
  const r = spawnSync(process.execPath, ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
// Node's compile cache keeps the type-stripped, compiled CLI and runtime host between runs (keyed by each file's
// contents, so it cannot go stale): without it every `loopscope run` strips and compiles ~100 TypeScript files
// twice (here and in the host, which inherits the folder through host-client.ts). A folder of this user's, never
// a shared one: whoever can write a compile cache chooses the code that runs. Run processes never use it (their
// environment is empty, and the permission model and the OS sandbox deny them writes outside their run folder).
const module = process.getBuiltinModule('node:module');
if (typeof module.enableCompileCache === 'function' && !process.env.NODE_COMPILE_CACHE) {
  const { userCacheDir } = await import('../src/cli/cache-dir.mjs');
  module.enableCompileCache(join(userCacheDir(), 'compile-cache'));
}
const { fileURLToPath, pathToFileURL } = process.getBuiltinModule('node:url');
const { currentCliBundle } = await import('../src/cli/bundle-current.mjs');
const bundle = currentCliBundle(fileURLToPath(new URL('..', import.meta.url)));
const { main } = await import(bundle ? pathToFileURL(bundle).href : '../src/cli/main.ts');
const argv = process.argv.slice(2);
const code = await main(argv);
if (argv[0] === 'run') {
  // A run ends the process as soon as its output is out (main.ts waited for everything it started): Node's own
  // teardown of a process that is done (its environment, module graph and heap) took ~15 ms more here. Waiting
  // for both streams to take an empty write first: process.exit would drop output still queued for a pipe.
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write('', resolve))));
  process.exit(code);
}
process.exitCode = code;
