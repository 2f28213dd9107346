/**
 * Process-level canary: run by process-level.test.ts with exactly the runtime host's Node flags and
 * environment (`hostSpawnArgs`). It simulates lesson code that has ALREADY escaped the vm sandbox and holds the
 * real `process`, and tries what such code would want to do. Prints one JSON array of results on stdout.
 *
 * argv[2]: JSON { secretFile, outsideDir, runsDir, siblingFile, fakeAddon, appRoot, envSecretName, envSecretValue }
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const cfg = JSON.parse(process.argv[2]);
const results = [];

/** Runs one attempt; `denied` is true when it threw (the error code says why). */
async function attempt(check, fn) {
  try {
    const value = await fn();
    results.push({ check, denied: false, detail: String(value).slice(0, 200) });
  } catch (err) {
    results.push({ check, denied: true, code: err && err.code, detail: String(err && err.message).slice(0, 200) });
  }
}
const fs = require('node:fs');

await attempt('read a file outside the app', () => fs.readFileSync(cfg.secretFile, 'utf8'));
await attempt('read a file outside the app (promises API)', () => fs.promises.readFile(cfg.secretFile, 'utf8'));
await attempt('read a file outside the app (open + read)', () => {
  const fd = fs.openSync(cfg.secretFile, 'r');
  const buf = Buffer.alloc(100);
  fs.readSync(fd, buf);
  return buf.toString();
});
await attempt('import() a module outside the app', async () => (await import(pathToFileURL(cfg.secretFile).href)).default);
await attempt('read /proc/self/environ (the real environment)', () => fs.readFileSync('/proc/self/environ', 'utf8'));
await attempt('read a sibling of the runs dir that shares its name prefix', () => fs.readFileSync(cfg.siblingFile, 'utf8'));
await attempt('list a directory outside the app', () => fs.readdirSync(cfg.outsideDir).join(','));
await attempt('write a file outside the app', () => fs.writeFileSync(join(cfg.outsideDir, 'pwned.txt'), 'pwned'));
await attempt('write a file inside the app', () => fs.writeFileSync(join(cfg.appRoot, 'test', 'security', 'pwned-by-canary.txt'), 'pwned'));
await attempt('symlink from the runs dir to a file outside, then read it', () => {
  const link = join(cfg.runsDir, 'link-to-secret');
  fs.symlinkSync(cfg.secretFile, link);
  return fs.readFileSync(link, 'utf8');
});
await attempt('spawn a child process (spawnSync)', () => require('node:child_process').spawnSync(process.execPath, ['-e', '1']).status);
await attempt('spawn a shell (execSync)', () => require('node:child_process').execSync('echo pwned').toString());
await attempt('fork a Node child process', () => require('node:child_process').fork(cfg.appRoot + '/package.json').pid);
// cfg.fakeAddon exists and is readable but is not an ELF file: with addons allowed this fails with
// ERR_DLOPEN_FAILED; only ERR_DLOPEN_DISABLED shows the permission model stopped it.
await attempt('load a native addon (process.dlopen)', () => process.dlopen({ exports: {} }, cfg.fakeAddon));
await attempt('load a native addon (require)', () => require(cfg.fakeAddon));
await attempt('open the inspector', () => require('node:inspector').open(0));
await attempt('connect an inspector session', () => new (require('node:inspector').Session)().connect());
await attempt('use WASI', () => new (require('node:wasi').WASI)({ version: 'preview1' }));
await attempt('reach internal bindings (process.binding)', () => typeof process.binding('spawn_sync').spawn);
await attempt('see a secret environment variable of the parent', () => {
  const all = JSON.stringify(process.env);
  if (all.includes(cfg.envSecretValue) || process.env[cfg.envSecretName] !== undefined) return 'visible: ' + cfg.envSecretName;
  throw Object.assign(new Error('not visible; env keys: ' + Object.keys(process.env).join(',')), { code: 'NOT_VISIBLE' });
});
await attempt('read a file outside the app from a worker thread', () => new Promise((resolve, reject) => {
  const { Worker } = require('node:worker_threads');
  const w = new Worker(`require('node:worker_threads').parentPort.postMessage(require('node:fs').readFileSync(${JSON.stringify(cfg.secretFile)}, 'utf8'))`, { eval: true });
  w.once('message', resolve);
  w.once('error', reject);
}));

// Positive controls: what the host legitimately needs must still work (proves the checks above are meaningful).
await attempt('control: read a file inside the app', () => JSON.parse(fs.readFileSync(join(cfg.appRoot, 'package.json'), 'utf8')).name);
await attempt('control: write inside the runs dir', () => { fs.writeFileSync(join(cfg.runsDir, 'ok.txt'), 'ok'); return 'written'; });
await attempt('control: start a worker thread', () => new Promise((resolve, reject) => {
  const { Worker } = require('node:worker_threads');
  const w = new Worker(`require('node:worker_threads').parentPort.postMessage('worker ran')`, { eval: true });
  w.once('message', resolve);
  w.once('error', reject);
}));
await attempt('control: process.permission says reads outside are denied', () => {
  if (process.permission.has('fs.read', cfg.secretFile)) throw new Error('fs.read allowed for the secret file');
  return 'fs.read denied for the secret file';
});

// Known gaps, reported (not denied on Node 24): the test checks SECURITY.md documents them.
// Node documents that the permission model does not carry over to a worker given its own execArgv: a sandbox
// worker must inherit the host's flags. Reported (not the file contents) so the test can tie it to the runtime.
await attempt('gap: a worker started with execArgv: [] runs without the permission model', () => new Promise((resolve, reject) => {
  const { Worker } = require('node:worker_threads');
  const code = `const { parentPort } = require('node:worker_threads');
let read = 'denied';
try { require('node:fs').readFileSync(${JSON.stringify(cfg.secretFile)}); read = 'allowed'; } catch {}
parentPort.postMessage('permission model ' + (process.permission ? 'on' : 'off') + ', outside read ' + read);`;
  const w = new Worker(code, { eval: true, execArgv: [], env: {} });
  w.once('message', (m) => (m.includes('off') ? resolve(m) : reject(Object.assign(new Error(m), { code: 'ERR_ACCESS_DENIED' }))));
  w.once('error', reject);
}));
await attempt('gap: open a TCP server (network is not restricted)', () => new Promise((resolve, reject) => {
  const server = require('node:net').createServer();
  server.once('error', reject);
  server.listen(0, '127.0.0.1', () => { const { port } = server.address(); server.close(); resolve('listening on ' + port); });
}));
await attempt('gap: send signals to processes (signal 0 to itself)', () => process.kill(process.pid, 0));

process.stdout.write(JSON.stringify(results));
