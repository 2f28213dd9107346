#!/usr/bin/env node
// The loopscope CLI. Runs the TypeScript sources directly (Node >= 22.18 strips types natively; 22.12–22.17 need
// --experimental-strip-types, which we add by re-running ourselves).
import { spawnSync } from 'node:child_process';
import module from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';

if (!process.features.typescript) {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 12)) {
    process.stderr.write(`loopscope needs Node 22.12 or newer (Node 24 recommended); this is ${process.version}\n`);
    process.exit(2);
  }
  const r = spawnSync(process.execPath, ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
// Node's compile cache keeps the type-stripped, compiled CLI and runtime host between runs (keyed by each file's
// contents, so it cannot go stale): without it every `loopscope run` strips and compiles ~100 TypeScript files
// twice (here and in the host, which inherits the folder through host-client.ts). A folder of this user's, never
// a shared one: whoever can write a compile cache chooses the code that runs. Run processes never use it (their
// environment is empty, and the permission model and the OS sandbox deny them writes outside their run folder).
if (typeof module.enableCompileCache === 'function' && !process.env.NODE_COMPILE_CACHE) {
  const base = process.platform === 'win32' ? (process.env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'))
    : process.platform === 'darwin' ? join(homedir(), 'Library', 'Caches') : (process.env.XDG_CACHE_HOME || join(homedir(), '.cache'));
  module.enableCompileCache(join(base, 'loopscope', 'compile-cache'));
}
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
