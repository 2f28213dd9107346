#!/usr/bin/env node
// The loopscope CLI. Runs the TypeScript sources directly (Node >= 22.18 strips types natively; 22.12–22.17 need
// --experimental-strip-types, which we add by re-running ourselves).
import { spawnSync } from 'node:child_process';

if (!process.features.typescript) {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 12)) {
    process.stderr.write(`loopscope needs Node 22.12 or newer (Node 24 recommended); this is ${process.version}\n`);
    process.exit(2);
  }
  const r = spawnSync(process.execPath, ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
