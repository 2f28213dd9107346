/**
 * The runtime's Worker option bags keep the permission model on in every Worker it starts, even when something
 * planted `execArgv` (and `env`, `eval`, `argv`, resource limits) on Object.prototype and Array.prototype: a real
 * Node process under `--permission` starts a real Worker with agentWorkerOptions and the Worker reports whether it
 * may read a file outside the allowed folder. The control case (a plain option bag in the same polluted process)
 * shows the pollution would have switched the permission model off.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runNode } from '../../test/support/node-process.ts';
import { makeTempDir, removeTempDir } from '../../test/support/temp-dir.ts';
import { agentWorkerOptions } from './worker-options.ts';

const OPTIONS_MODULE = fileURLToPath(new URL('./worker-options.ts', import.meta.url));
const dir = makeTempDir('worker-options');
afterAll(() => removeTempDir(dir));

const WORKER = `
const { parentPort } = require('node:worker_threads');
let canRead = 'yes';
try { require('node:fs').readFileSync('/etc/hostname'); } catch (e) { canRead = e.code; }
parentPort.postMessage({ permission: process.permission ? 'on' : 'off', canRead, env: Object.keys(process.env).join(',') });
`;
function script(bag: 'agent' | 'plain'): string {
  return `
import { Worker } from 'node:worker_threads';
import { agentWorkerOptions } from ${JSON.stringify(OPTIONS_MODULE)};
for (const proto of [Object.prototype, Array.prototype]) {
  Object.defineProperty(proto, 'execArgv', { value: [], configurable: true, writable: true });
  Object.defineProperty(proto, 'env', { value: { PLANTED: '1' }, configurable: true, writable: true });
  Object.defineProperty(proto, 'argv', { value: ['planted'], configurable: true, writable: true });
}
const options = ${bag === 'agent' ? 'agentWorkerOptions(64, { n: 1 }, [])' : '{ workerData: { n: 1 } }'};
const worker = new Worker(${JSON.stringify(join(dir, 'worker.cjs'))}, options);
worker.on('message', (m) => { console.log(JSON.stringify(m)); });
worker.on('error', (e) => { console.log('worker error: ' + e.message); });
`;
}

describe('agentWorkerOptions', () => {
  it('builds a null-prototype bag without execArgv, with null-prototype resource limits and env', () => {
    const options = agentWorkerOptions(128, { warm: true }, []) as Record<string, unknown>;
    expect(Object.getPrototypeOf(options)).toBeNull();
    expect('execArgv' in options).toBe(false);
    expect(Object.getPrototypeOf(options.resourceLimits)).toBeNull();
    expect(Object.getPrototypeOf(options.env)).toBeNull();
    expect((options.resourceLimits as Record<string, number>).maxOldGenerationSizeMb).toBe(128);
  });

  it('keeps the permission model on in a Worker started from a process whose prototypes carry execArgv', { timeout: 30_000 }, async () => {
    writeFileSync(join(dir, 'worker.cjs'), WORKER);
    writeFileSync(join(dir, 'agent.mts'), script('agent'));
    writeFileSync(join(dir, 'plain.mts'), script('plain'));
    const appRoot = fileURLToPath(new URL('../../', import.meta.url));
    const flags = ['--permission', '--allow-worker', `--allow-fs-read=${dir}`, `--allow-fs-read=${join(appRoot, 'src')}`, `--allow-fs-read=${join(appRoot, 'node_modules')}`];
    const [agent, plain] = await Promise.all([
      runNode([...flags, join(dir, 'agent.mts')], { env: {} }),
      runNode([...flags, join(dir, 'plain.mts')], { env: {} }),
    ]);
    // Control: with a plain bag the planted execArgv reaches the Worker, which then runs without the permission model.
    expect(plain.stdout, plain.stderr).toContain('"permission":"off"');
    expect(agent.stdout, agent.stderr).toContain('"permission":"on","canRead":"ERR_ACCESS_DENIED"');
    expect(agent.stdout).not.toContain('PLANTED');
  });
});
