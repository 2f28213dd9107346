/**
 * The OS layer (bubblewrap on Linux) holds on its own: a plain `node` script that plays lesson code which has
 * escaped everything else (real `process`, no permission model) runs through `wrapCommand` and tries to read
 * the user's files and environment, write outside the run folder, start programs, signal host processes, reach
 * the network, and exhaust tasks. Every attack must fail, and a control next to it shows the legitimate path
 * still works (otherwise a sandbox that breaks everything would pass).
 *
 * Needs bubblewrap (installed by .ci/run). Without it the suite is skipped with the reason printed.
 * Run: npx vitest run test/security/os-sandbox.test.ts
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_OS_LIMITS, detectOsSandbox, wrapCommand, type WrapSpec } from '../../src/runtime/os-sandbox/index.ts';
import { makeTempDir, removeTempDir } from '../support/temp-dir.ts';

interface Result { readonly check: string; readonly kind: 'attack' | 'control' | 'info'; readonly ok: boolean; readonly detail: string }
interface Outcome { readonly stdout: string; readonly stderr: string; readonly exitCode: number | null; readonly layers: string[] }

const status = detectOsSandbox();
if (!status.available) process.stderr.write(`SKIPPED test/security/os-sandbox.test.ts: no OS sandbox here (${status.reason})\n`);
const here = (f: string): string => fileURLToPath(new URL(f, import.meta.url));

/** Spawns the wrapped command (optionally behind a prefix such as setpriv), collects its output, cleans up. */
function runWrapped(spec: WrapSpec, options: Parameters<typeof wrapCommand>[1] = {}, spawnEnv: NodeJS.ProcessEnv = process.env, prefix: string[] = []): Promise<Outcome> {
  const wrapped = wrapCommand(spec, options);
  const argv = [...prefix, wrapped.command, ...wrapped.args];
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { env: spawnEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    child.on('error', reject);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      wrapped.cleanup?.();
      resolve({ stdout, stderr, exitCode, layers: wrapped.layers });
    });
  });
}

describe.skipIf(!status.available)('OS sandbox (bubblewrap): escaped code with the real process', () => {
  const envSecret = `env-secret-${randomBytes(8).toString('hex')}`;
  const fileSecret = `home-secret-${randomBytes(8).toString('hex')}`;
  const homeCanary = join(homedir(), `.loopscope-canary-${randomBytes(6).toString('hex')}`);
  const homeWriteTarget = join(homedir(), `.loopscope-written-${randomBytes(6).toString('hex')}`);
  const tmpWriteTarget = join(tmpdir(), `loopscope-written-${randomBytes(6).toString('hex')}`);
  let base = '';
  let runDir = '';
  let readOnlyDir = '';
  let hostServer: Server;
  let hostConnections = 0;
  let victim: ChildProcess;
  let results: Result[] = [];
  let outcome: Outcome;

  beforeAll(async () => {
    writeFileSync(homeCanary, fileSecret);
    base = makeTempDir('os-sandbox');
    runDir = join(base, 'run');
    readOnlyDir = join(base, 'runtime');
    mkdirSync(runDir);
    mkdirSync(readOnlyDir);
    mkdirSync(join(base, 'sibling-secrets'));
    writeFileSync(join(base, 'sibling-secrets', 'secret.txt'), fileSecret);
    writeFileSync(join(runDir, 'input.txt'), 'input');
    writeFileSync(join(readOnlyDir, 'lib.txt'), 'lib');
    copyFileSync(here('./os-sandbox-payload.mjs'), join(readOnlyDir, 'payload.mjs'));
    hostServer = createServer((s) => { hostConnections++; s.on('error', () => {}); s.end('host secret'); });
    await new Promise<void>((r) => hostServer.listen(0, '127.0.0.1', r));
    victim = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const config = {
      runDir, readOnlyDir, homeCanary, homeWriteTarget, tmpWriteTarget, envSecret,
      siblingName: 'sibling-secrets', hostVictimPid: victim.pid, hostPort: (hostServer.address() as { port: number }).port,
    };
    outcome = await runWrapped(
      { command: process.execPath, args: [join(readOnlyDir, 'payload.mjs'), JSON.stringify(config)], runDir, readOnlyPaths: [readOnlyDir], env: { LANG: 'C' } },
      {},
      { ...process.env, LOOPSCOPE_ENV_SECRET: envSecret },
    );
    if (outcome.exitCode !== 0) throw new Error(`the payload failed (exit ${outcome.exitCode}):\n${outcome.stderr}`);
    results = JSON.parse(outcome.stdout) as Result[];
  }, 60_000);

  afterAll(() => {
    victim?.kill('SIGKILL');
    hostServer?.close();
    rmSync(homeCanary, { force: true });
    rmSync(homeWriteTarget, { force: true });
    rmSync(tmpWriteTarget, { force: true });
    if (base) removeTempDir(base);
  });

  const find = (check: string): Result => {
    const r = results.find((x) => x.check === check);
    if (!r) throw new Error(`the payload did not report "${check}"; it reported: ${results.map((x) => x.check).join(' | ')}`);
    return r;
  };

  it('reports bubblewrap as an active layer', () => {
    expect(outcome.layers[0]).toMatch(/^os-sandbox: bubblewrap/);
  });

  it.each([
    ['read a canary in $HOME', 'read a file in the run folder'],
    ['read the canary through a symlink in the run folder', 'read through a symlink inside the run folder'],
    ['read the canary through .. from the run folder', 'read a file in the run folder'],
    ['list a sibling of the run folder', 'read a file in the run folder'],
    ["read the host's /etc/passwd", 'read a read-only path'],
    ['read /etc/hostname', 'read a read-only path'],
    ['write into a read-only path', 'write in the run folder'],
    ['write at the file-system root', 'write in the run folder'],
    ['write into $HOME', 'write in the run folder'],
    ['exec /bin/sh', 'a child node process runs (contained like its parent)'],
    ['spawn /usr/bin/id', 'a child node process runs (contained like its parent)'],
    ['a child node process reads the $HOME canary', 'a child node process runs (contained like its parent)'],
    ['connect to a host service on 127.0.0.1', 'loopback inside the sandbox (a lesson server and client)'],
    ['connect to a public address (1.1.1.1:443)', 'loopback inside the sandbox (a lesson server and client)'],
    ['a Worker with execArgv reads the $HOME canary', 'a Worker with execArgv reads the run folder'],
  ])('%s fails (control: %s works)', (attack, ctl) => {
    const a = find(attack);
    const c = find(ctl);
    expect(a.ok, `attack "${attack}" was not stopped: ${a.detail}`).toBe(true);
    expect(c.ok, `control "${ctl}" failed: ${c.detail}`).toBe(true);
    expect(a.detail).not.toContain(fileSecret);
  });

  it('the run folder is shared with the host both ways, and nothing else the run wrote reaches the host', () => {
    expect(find('read a file in the run folder').detail).toBe('input');
    expect(readFileSync(join(runDir, 'output.txt'), 'utf8')).toBe('written by the run');
    expect(existsSync(homeWriteTarget)).toBe(false);
    expect(existsSync(tmpWriteTarget)).toBe(false); // the run's /tmp is private
    expect(existsSync(join(base, 'evil-dir'))).toBe(false);
    expect(existsSync(join(readOnlyDir, 'evil.txt'))).toBe(false);
  });

  it('no network: the host service saw no connection, the public address is unreachable', () => {
    expect(hostConnections).toBe(0);
    expect(find('connect to a public address (1.1.1.1:443)').detail).toBe('ENETUNREACH');
  });

  it('the environment is exactly spec.env: the secret is in no environ the run can read', () => {
    for (const check of ['find the secret in process.env', 'find the secret in /proc/self/environ', 'find the secret in /proc/<ppid>/environ', 'find the secret in /proc/1/environ']) {
      const r = find(check);
      expect(r.ok, `${check}: ${r.detail}`).toBe(true);
    }
  });

  it('signals cannot reach host processes, and killing its parent does not end the run', () => {
    expect(find('SIGKILL a host process by pid').ok).toBe(true);
    expect(victim.exitCode).toBeNull();
    expect(victim.signalCode).toBeNull();
    expect(() => process.kill(victim.pid!, 0)).not.toThrow();
    // The payload reached its end (printed all results) after sending SIGKILL to its parent.
    expect(find('SIGKILL the parent (ppid)').detail).toMatch(/still running|EPERM|ESRCH/);
  });
});

describe.skipIf(!status.available)('OS sandbox: task limits bound fork and worker bombs', () => {
  const maxTasks = 64;
  let dir = '';
  beforeAll(() => {
    dir = makeTempDir('os-bomb');
    copyFileSync(here('./os-sandbox-bomb.mjs'), join(dir, 'bomb.mjs'));
  });
  afterAll(() => dir && removeTempDir(dir));

  // The same bombs as an ordinary user (nobody, through setpriv) with no cgroup: RLIMIT_NPROC alone bounds them,
  // counted in the sandbox's own user namespace. Needs root to switch user and a Node binary nobody can run.
  const setpriv = ['/usr/bin/setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];
  const asNobody = status.available && process.getuid?.() === 0 && spawnSync(setpriv[0]!, [...setpriv.slice(1), process.execPath, '-e', '0']).status === 0;
  if (status.available && !asNobody) process.stderr.write('SKIPPED rlimit-only bomb tests: needs root, /usr/bin/setpriv and a Node binary that user nobody can run\n');

  it.skipIf(!asNobody)('as an ordinary user without a cgroup, RLIMIT_NPROC alone stops both bombs (control: a few start)', async () => {
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'bomb.mjs'), 0o644);
    expect(await bomb('process', 3, setpriv)).toMatchObject({ started: 3, error: 'none' });
    const p = await bomb('process', 500, setpriv);
    expect(p.layers.some((l) => l.startsWith('limits: cgroup'))).toBe(false);
    expect(p.error).toBe('EAGAIN');
    expect(p.started).toBeLessThan(maxTasks);
    const w = await bomb('worker', 500, setpriv);
    expect(w.error).not.toBe('none');
    expect(w.started).toBeLessThan(maxTasks);
  });

  const bomb = async (mode: string, max: number, asUser?: string[]): Promise<{ started: number; error: string; layers: string[] }> => {
    const out = await runWrapped({ command: process.execPath, args: [join(dir, 'bomb.mjs'), mode, String(max)], runDir: dir, readOnlyPaths: [], env: {} }, { limits: { ...DEFAULT_OS_LIMITS, maxTasks }, ...(asUser ? { cgroup: false } : {}) }, process.env, asUser);
    if (out.exitCode !== 0) throw new Error(`the bomb run failed (exit ${out.exitCode}): ${out.stderr.slice(0, 500)}`);
    return { ...(JSON.parse(out.stdout) as { started: number; error: string }), layers: out.layers };
  };

  // As root RLIMIT_NPROC is not enforced, so the bound is the cgroup; as another user it is RLIMIT_NPROC.
  const probe = status.available ? wrapCommand({ command: process.execPath, args: [], runDir: tmpdir(), readOnlyPaths: [], env: {} }) : undefined;
  probe?.cleanup?.();
  const bounded = status.available && (process.getuid?.() !== 0 || !probe!.layers.some((l) => l.startsWith('limits: cgroup unavailable')));
  if (status.available && !bounded) process.stderr.write('SKIPPED bomb tests: running as root and no cgroup can be created here, so nothing bounds the task count (see SECURITY.md)\n');

  it.skipIf(!bounded)('a process fork bomb stops at the task limit (control: a few children start)', async () => {
    const control = await bomb('process', 3);
    expect(control).toMatchObject({ started: 3, error: 'none' });
    const r = await bomb('process', 500);
    expect(r.error).toBe('EAGAIN');
    expect(r.started).toBeLessThan(maxTasks);
  });

  it.skipIf(!bounded)('a worker bomb stops at the task limit (control: a few workers start)', async () => {
    const control = await bomb('worker', 4);
    expect(control).toMatchObject({ started: 4, error: 'none' });
    const r = await bomb('worker', 500);
    expect(r.error).not.toBe('none');
    expect(r.started).toBeLessThan(maxTasks);
  });
});

describe.skipIf(!status.available)('OS sandbox: the permission model is not the boundary, the OS layer is', () => {
  it('a Worker given execArgv: [] escapes --permission but still sees only the sandbox', async () => {
    const dir = makeTempDir('os-perm');
    const secret = join(homedir(), `.loopscope-canary-${randomBytes(6).toString('hex')}`);
    writeFileSync(secret, 'home secret');
    try {
      writeFileSync(join(dir, 'input.txt'), 'input');
      writeFileSync(join(dir, 'main.cjs'), `
        const { Worker } = require('node:worker_threads');
        const fs = require('node:fs');
        let mainRead; try { fs.readFileSync(${JSON.stringify(secret)}); mainRead = 'read'; } catch (e) { mainRead = e.code; }
        const w = new Worker(\`
          const fs = require('node:fs'); const { parentPort } = require('node:worker_threads');
          let home; try { home = fs.readFileSync(${JSON.stringify(JSON.stringify(secret)).slice(1, -1)}, 'utf8'); } catch (e) { home = e.code; }
          parentPort.postMessage({ permissionOn: process.permission?.has('fs.read', '/proc/self/status') === false, procStatus: fs.readFileSync('/proc/self/status', 'utf8').length > 0, home });
        \`, { eval: true, execArgv: [] });
        w.on('message', (m) => console.log(JSON.stringify({ mainRead, ...m })));
      `);
      const out = await runWrapped({ command: process.execPath, args: ['--permission', `--allow-fs-read=${dir}`, '--allow-worker', join(dir, 'main.cjs')], runDir: dir, readOnlyPaths: [], env: {} });
      expect(out.exitCode, out.stderr).toBe(0);
      const r = JSON.parse(out.stdout) as { mainRead: string; permissionOn: boolean; procStatus: boolean; home: string };
      expect(r.mainRead).toBe('ERR_ACCESS_DENIED'); // the permission model holds in the main thread…
      expect(r.permissionOn).toBe(false); // …is gone in the worker (it read /proc/self/status, outside --allow-fs-read)…
      expect(r.procStatus).toBe(true);
      expect(r.home).toBe('ENOENT'); // …and the OS layer still hides the home folder.
    } finally {
      rmSync(secret, { force: true });
      removeTempDir(dir);
    }
  });
});

describe('OS sandbox: availability is reported honestly', () => {
  it('without bubblewrap the command comes back unwrapped and says why', () => {
    const w = wrapCommand({ command: process.execPath, args: ['x.js'], runDir: tmpdir(), readOnlyPaths: [], env: {} }, { status: { platform: 'linux', kind: 'bubblewrap', available: false, reason: 'bwrap not found' } });
    expect(w).toEqual({ command: process.execPath, args: ['x.js'], layers: ['os-sandbox: unavailable (bwrap not found)'] });
    expect(basename(w.command)).toMatch(/^node/);
  });
});

describe.skipIf(!status.available)('OS sandbox: what the runtime relies on', () => {
  it('os.userInfo() and os.homedir() work as in plain node, naming a sandbox user, not the real one', async () => {
    const dir = makeTempDir('os-user');
    try {
      const out = await runWrapped({ command: process.execPath, args: ['-e', 'const os = require("os"); console.log(JSON.stringify({ user: os.userInfo().username, home: os.homedir(), hasHost: require("fs").readFileSync("/etc/passwd", "utf8").split("\\n").length }))'], runDir: dir, readOnlyPaths: [], env: {} });
      expect(out.exitCode, out.stderr).toBe(0);
      expect(JSON.parse(out.stdout)).toEqual({ user: 'loopscope', home: '/tmp', hasHost: 2 });
    } finally {
      removeTempDir(dir);
    }
  });

  it('stdio and an IPC channel pass through when spec.env names the channel', async () => {
    const dir = makeTempDir('os-ipc');
    try {
      writeFileSync(join(dir, 'child.cjs'), 'process.on("message", (m) => { process.send({ echo: m, env: Object.keys(process.env).sort() }); process.disconnect(); }); console.log("stdout works");');
      const w = wrapCommand({ command: process.execPath, args: [join(dir, 'child.cjs')], runDir: dir, readOnlyPaths: [], env: { NODE_CHANNEL_FD: '3', NODE_CHANNEL_SERIALIZATION_MODE: 'json' } });
      const child = spawn(w.command, w.args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env: { ...process.env, LOOPSCOPE_NOT_PASSED: '1' } });
      let stdout = '';
      child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      const reply = new Promise<unknown>((resolve) => child.once('message', resolve));
      child.send('hello');
      expect(await reply).toEqual({ echo: 'hello', env: ['PWD'] }); // Node removes NODE_CHANNEL_* once connected
      await new Promise((r) => child.once('close', r));
      w.cleanup?.();
      expect(stdout).toBe('stdout works\n');
    } finally {
      removeTempDir(dir);
    }
  });

  it('killing the wrapped process ends every process of the run (no orphans keep running)', async () => {
    const dir = makeTempDir('os-kill');
    try {
      // The run starts a child node that keeps appending to a file, then both wait forever.
      writeFileSync(join(dir, 'main.cjs'), `
        const { spawn } = require('node:child_process');
        spawn(process.execPath, ['-e', 'setInterval(() => require("fs").appendFileSync(${JSON.stringify(join(dir, 'beat.txt'))}, "."), 20)'], { stdio: 'ignore' });
        console.log('started');
        setInterval(() => {}, 1000);`);
      const w = wrapCommand({ command: process.execPath, args: [join(dir, 'main.cjs')], runDir: dir, readOnlyPaths: [], env: {} });
      const child = spawn(w.command, w.args, { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve) => child.stdout!.on('data', () => resolve()));
      const beats = (): number => (existsSync(join(dir, 'beat.txt')) ? readFileSync(join(dir, 'beat.txt'), 'utf8').length : 0);
      for (let i = 0; i < 100 && beats() < 3; i++) await new Promise((r) => setTimeout(r, 20));
      expect(beats()).toBeGreaterThanOrEqual(3); // control: the grandchild really runs
      child.kill('SIGKILL');
      // 'exit', not 'close': if the run survived, it would hold the stdout pipe open forever.
      await new Promise((r) => child.once('exit', r));
      child.stdout!.destroy();
      // Before cleanup (which would kill the cgroup's members anyway): the PID namespace alone must end them.
      await new Promise((r) => setTimeout(r, 200));
      const after = beats();
      await new Promise((r) => setTimeout(r, 300));
      w.cleanup?.();
      expect(beats()).toBe(after);
    } finally {
      removeTempDir(dir);
    }
  });
});
