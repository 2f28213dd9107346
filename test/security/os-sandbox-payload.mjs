// Runs INSIDE the OS sandbox as a plain node script with no permission model: it plays lesson code that has
// already escaped everything else and holds the real `process`. Each attempt records whether the OS layer
// stopped it; controls record that the legitimate path works. Prints one JSON array on stdout.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

const config = JSON.parse(process.argv[2]);
const results = [];
const record = (check, kind, ok, detail) => results.push({ check, kind, ok, detail: String(detail).slice(0, 300) });
const code = (err) => err?.code ?? err?.message ?? String(err);

function attempt(check, fn) {
  // ok = the attack was stopped (threw); detail = the error code, or what leaked.
  try {
    const leaked = fn();
    record(check, 'attack', false, `succeeded: ${leaked}`);
  } catch (err) {
    record(check, 'attack', true, code(err));
  }
}
function control(check, fn) {
  try {
    record(check, 'control', true, fn());
  } catch (err) {
    record(check, 'control', false, code(err));
  }
}

// --- files ---
attempt('read a canary in $HOME', () => readFileSync(config.homeCanary, 'utf8'));
attempt('read the canary through a symlink in the run folder', () => {
  symlinkSync(config.homeCanary, join(config.runDir, 'link-to-home'));
  return readFileSync(join(config.runDir, 'link-to-home'), 'utf8');
});
attempt('read the canary through .. from the run folder', () => readFileSync(join(config.runDir, '..', '..', '..', '..', '..', '..', config.homeCanary), 'utf8'));
attempt('list a sibling of the run folder', () => {
  const names = readdirSync(join(config.runDir, '..'));
  if (!names.includes(config.siblingName)) throw Object.assign(new Error('sibling not visible'), { code: `hidden (saw ${names.length} entries)` });
  return names.join(',');
});
attempt("read the host's /etc/passwd", () => {
  // Inside there is only the sandbox's one-line passwd (user "loopscope"); every Debian host lists "daemon".
  const text = readFileSync('/etc/passwd', 'utf8');
  if (text.includes('daemon:')) return text.slice(0, 40);
  throw Object.assign(new Error(), { code: `sandbox passwd only (${text.split('\n')[0].split(':')[0]})` });
});
attempt('read /etc/hostname', () => readFileSync('/etc/hostname', 'utf8'));
control('read a file in the run folder', () => readFileSync(join(config.runDir, 'input.txt'), 'utf8'));
control('read through a symlink inside the run folder', () => {
  symlinkSync('input.txt', join(config.runDir, 'link-inside'));
  return readFileSync(join(config.runDir, 'link-inside'), 'utf8');
});
control('read a read-only path', () => readFileSync(join(config.readOnlyDir, 'lib.txt'), 'utf8'));

// --- writes ---
attempt('write into a read-only path', () => writeFileSync(join(config.readOnlyDir, 'evil.txt'), 'x'));
attempt('write at the file-system root', () => writeFileSync('/evil.txt', 'x'));
attempt('write into $HOME', () => writeFileSync(config.homeWriteTarget, 'x'));
try {
  // Lands in the private /tmp when the run folder is under /tmp (and fails otherwise): never on the host.
  mkdirSync(join(config.runDir, '..', 'evil-dir'));
  record('create a folder next to the run folder', 'info', true, 'created inside');
} catch (err) {
  record('create a folder next to the run folder', 'info', true, code(err));
}
try {
  // Succeeds, but in the run's private /tmp: the test checks the host's /tmp never sees it.
  writeFileSync(config.tmpWriteTarget, 'x');
  record('write into /tmp (private tmpfs)', 'info', true, 'written inside');
} catch (err) {
  record('write into /tmp (private tmpfs)', 'info', true, code(err));
}
control('write in the run folder', () => { writeFileSync(join(config.runDir, 'output.txt'), 'written by the run'); return 'ok'; });

// --- environment ---
attempt('find the secret in process.env', () => { if (JSON.stringify(process.env).includes(config.envSecret)) return 'in process.env'; throw Object.assign(new Error(), { code: 'absent' }); });
record('parent pid', 'info', true, process.ppid);
for (const [label, file] of [['/proc/self/environ', '/proc/self/environ'], ['/proc/<ppid>/environ', `/proc/${process.ppid}/environ`], ['/proc/1/environ', '/proc/1/environ']]) {
  attempt(`find the secret in ${label}`, () => {
    const text = readFileSync(file, 'latin1');
    if (text.includes(config.envSecret)) return 'leaked';
    throw Object.assign(new Error(), { code: `absent (${text.length} bytes)` });
  });
}

// --- processes ---
attempt('exec /bin/sh', () => execFileSync('/bin/sh', ['-c', 'id'], { encoding: 'utf8' }));
attempt('spawn /usr/bin/id', () => { const r = spawnSync('/usr/bin/id', { encoding: 'utf8' }); if (r.error) throw r.error; return r.stdout; });
attempt('a child node process reads the $HOME canary', () => execFileSync(process.execPath, ['-e', `process.stdout.write(require('fs').readFileSync(${JSON.stringify(config.homeCanary)}, 'utf8'))`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
control('a child node process runs (contained like its parent)', () => execFileSync(process.execPath, ['-e', 'process.stdout.write("child ok")'], { encoding: 'utf8' }));

// --- signals ---
attempt('SIGKILL a host process by pid', () => { process.kill(config.hostVictimPid, 'SIGKILL'); return 'signal sent'; });
try {
  process.kill(process.ppid, 'SIGKILL');
  record('SIGKILL the parent (ppid)', 'info', true, `sent to ppid ${process.ppid}; still running`);
} catch (err) {
  record('SIGKILL the parent (ppid)', 'info', true, code(err));
}

// --- network ---
async function tryConnect(host, port) {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 3000 });
    socket.on('connect', () => { socket.destroy(); resolve({ connected: true }); });
    socket.on('timeout', () => { socket.destroy(); resolve({ connected: false, code: 'timeout' }); });
    socket.on('error', (err) => resolve({ connected: false, code: err.code }));
  });
}
for (const [label, host, port] of [['a host service on 127.0.0.1', '127.0.0.1', config.hostPort], ['a public address (1.1.1.1:443)', '1.1.1.1', 443]]) {
  const r = await tryConnect(host, port);
  record(`connect to ${label}`, 'attack', !r.connected, r.connected ? 'connected' : r.code);
}
{
  const server = createServer((s) => { s.on('error', () => {}); s.end('pong'); });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const r = await tryConnect('127.0.0.1', server.address().port);
  server.close();
  record('loopback inside the sandbox (a lesson server and client)', 'control', r.connected, r.connected ? 'connected' : r.code);
}

// --- a Worker given execArgv: the permission model is off in it, the OS layer is not ---
await new Promise((resolve) => {
  const src = `const { parentPort } = require('node:worker_threads'); const fs = require('node:fs');
    let home; try { home = 'read: ' + fs.readFileSync(${JSON.stringify(config.homeCanary)}, 'utf8'); } catch (e) { home = e.code; }
    parentPort.postMessage({ home, inRun: fs.readFileSync(${JSON.stringify(join(config.runDir, 'input.txt'))}, 'utf8') });`;
  const w = new Worker(src, { eval: true, execArgv: [] });
  w.on('message', (m) => {
    record('a Worker with execArgv reads the $HOME canary', 'attack', !m.home.startsWith('read'), m.home);
    record('a Worker with execArgv reads the run folder', 'control', m.inRun === 'input', m.inRun);
  });
  w.on('error', (e) => record('a Worker with execArgv', 'control', false, code(e)));
  w.on('exit', resolve);
});

process.stdout.write(JSON.stringify(results));
