/**
 * The generated sandbox command lines, checked as text: the bubblewrap argv (mount order, namespaces, env),
 * the macOS Seatbelt profile (which cannot run here) and input validation. The sandbox's behaviour is tested
 * for real in test/security/os-sandbox.test.ts.
 */
import { chmodSync, mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { makeTempDir, removeTempDir } from '../../../test/support/temp-dir.ts';
import { bwrapArgs } from './bwrap-args.ts';
import { DEFAULT_OS_LIMITS, wrapCommand, type OsSandboxStatus } from './index.ts';
import { CGROUP_JOIN_SCRIPT, parseProcCgroup, prlimitArgs } from './limits.ts';
import { sandboxExecArgs, seatbeltProfile } from './macos-profile.ts';
import { elfInterpreter, parseLdd, sharedLibraries } from './shared-libs.ts';
import { execFileSync } from 'node:child_process';
import { findTool } from './find-tool.ts';
import { rememberedVerdict, rememberVerdict } from './verdict.ts';

const LDD = `	linux-vdso.so.1 (0x00007ffd)
	libdl.so.2 => /lib/x86_64-linux-gnu/libdl.so.2 (0x00007f07)
	libstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x00007f07)
	libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f07)
	/lib64/ld-linux-x86-64.so.2 (0x00007f07)
`;

/** Pairs of (option, destination) in argv order, for the mount options. */
function mounts(args: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') break;
    if (a === '--ro-bind' || a === '--bind') { out.push([a, args[i + 2]!]); i += 2; } else if (a === '--tmpfs' || a === '--proc' || a === '--dev' || a === '--remount-ro') { out.push([a, args[i + 1]!]); i += 1; }
  }
  return out;
}

describe('shared libraries from ldd', () => {
  it('lists every library and the ELF interpreter, skipping the vDSO', () => {
    expect(parseLdd(LDD)).toEqual(['/lib/x86_64-linux-gnu/libdl.so.2', '/lib/x86_64-linux-gnu/libstdc++.so.6', '/lib/x86_64-linux-gnu/libc.so.6', '/lib64/ld-linux-x86-64.so.2']);
  });
  it('a static binary needs nothing; a missing library is a clear error', () => {
    expect(parseLdd('\tstatically linked\n')).toEqual([]);
    expect(() => parseLdd('\tlibfoo.so.1 => not found\n')).toThrow('the binary needs libfoo.so.1, which ldd could not find');
  });
});

describe('shared libraries of the real Node binary', () => {
  const ldd = process.platform === 'linux' ? findTool('ldd') : undefined;
  if (!ldd) process.stderr.write('os-sandbox.test: no ldd here (not Linux, or no libc tools): the interpreter --list check is skipped\n');
  it.runIf(ldd)('asks the ELF interpreter for the same list ldd prints, without ldd', () => {
    const viaLdd = parseLdd(execFileSync(ldd!, [process.execPath], { encoding: 'utf8' }));
    const interp = elfInterpreter(process.execPath);
    expect(interp).toBeDefined();
    expect(viaLdd).toContain(interp);
    expect(sharedLibraries(process.execPath, undefined)).toEqual(viaLdd);
  });
  it.runIf(ldd)('prepareOsSandbox gets the same answers without blocking: the probe lists the libraries inside the sandbox', async () => {
    // Fresh module instances: the answers are cached per process.
    vi.resetModules();
    const prepared = await import('./index.ts');
    const preparedLibs = await import('./shared-libs.ts');
    const pending = prepared.prepareOsSandbox(process.execPath);
    expect(pending).toBeInstanceOf(Promise);
    await pending;
    vi.resetModules();
    const sync = await import('./index.ts');
    const syncLibs = await import('./shared-libs.ts');
    expect(prepared.detectOsSandbox()).toEqual(sync.detectOsSandbox());
    const real = realpathSync(process.execPath);
    expect(preparedLibs.sharedLibraries(real, undefined)).toEqual(syncLibs.sharedLibraries(real, undefined));
    expect(preparedLibs.sharedLibraries(real, undefined)).toEqual(parseLdd(execFileSync(ldd!, [real], { encoding: 'utf8' })));
  });
  it('a file that is not an ELF executable names no interpreter', () => {
    expect(elfInterpreter(import.meta.filename)).toBeUndefined();
    expect(elfInterpreter('/no/such/file')).toBeUndefined();
  });
});

describe('the probe answer remembered until the next boot', () => {
  const bwrap = process.platform === 'linux' ? findTool('bwrap') : undefined;
  const dir = makeTempDir('os-verdict');
  chmodSync(dir, 0o700);
  afterAll(() => removeTempDir(dir));
  const lib = join(dir, 'libfake.so.1');
  writeFileSync(lib, '');

  it.runIf(bwrap)('holds only for the same binaries, in a folder and file nobody else may write, naming files', () => {
    const node = realpathSync(process.execPath);
    rememberVerdict(dir, bwrap!, node, [lib]);
    expect(rememberedVerdict(dir, bwrap!, node)).toEqual([lib]);
    expect(rememberedVerdict(dir, bwrap!, realpathSync(bwrap!))).toBeNull(); // another binary
    const file = join(dir, 'os-sandbox-verdict.json');
    chmodSync(file, 0o620);
    expect(rememberedVerdict(dir, bwrap!, node)).toBeNull(); // others may write it
    chmodSync(file, 0o600);
    chmodSync(dir, 0o777);
    expect(rememberedVerdict(dir, bwrap!, node)).toBeNull(); // others may replace it
    chmodSync(dir, 0o700);
    rememberVerdict(dir, bwrap!, node, [lib, '/no/such/lib.so']);
    expect(rememberedVerdict(dir, bwrap!, node)).toBeNull();
  });

  it.runIf(bwrap)('prepareOsSandbox remembers a working probe and then starts none', async () => {
    const node = realpathSync(process.execPath);
    const fresh = join(dir, 'fresh');
    vi.resetModules();
    const first = await import('./index.ts');
    await first.prepareOsSandbox(process.execPath, { verdictDir: fresh });
    if (!first.detectOsSandbox().available) return; // bwrap installed but unusable here: nothing is remembered
    const libs = rememberedVerdict(fresh, bwrap!, node);
    expect(libs).toEqual(sharedLibraries(node, undefined));
    // What it remembered is what the next process takes, without a probe: a marked answer shows through.
    rememberVerdict(fresh, bwrap!, node, [...libs!, lib]);
    vi.resetModules();
    const second = await import('./index.ts');
    const secondLibs = await import('./shared-libs.ts');
    await second.prepareOsSandbox(process.execPath, { verdictDir: fresh });
    expect(second.detectOsSandbox().available).toBe(true);
    expect(secondLibs.sharedLibraries(node, undefined)).toEqual([...libs!, lib]);
  });
});

describe('bubblewrap argv', () => {
  const plan = {
    command: '/tmp/ci-node/bin/node',
    args: ['--permission', 'main.js'],
    systemBinds: [['/tmp/ci-node/bin/node', '/tmp/ci-node/bin/node'], ['/lib/x86_64-linux-gnu/libc.so.6', '/lib/x86_64-linux-gnu/libc.so.6']] as [string, string][],
    readOnlyPaths: ['/tmp/app/runtime', '/tmp/app/runs/r1/vendor'],
    runDir: '/tmp/app/runs/r1',
    env: { LANG: 'C', LOOPSCOPE_RUN: '1' },
  };
  const args = bwrapArgs(plan);

  it('isolates every namespace, drops capabilities, starts a new session and dies with its parent', () => {
    for (const flag of ['--unshare-all', '--die-with-parent', '--new-session']) expect(args).toContain(flag);
    expect(args.join(' ')).toContain('--cap-drop ALL');
    expect(args).not.toContain('--share-net');
  });

  it('clears the environment and sets exactly spec.env', () => {
    expect(args.indexOf('--clearenv')).toBeLessThan(args.indexOf('--setenv'));
    expect(args.filter((a) => a === '--setenv')).toHaveLength(2);
    expect(args.join(' ')).toContain('--setenv LANG C --setenv LOOPSCOPE_RUN 1');
  });

  it('mounts the private /tmp before any bind under /tmp, parents before children, and ends read-only', () => {
    const m = mounts(args);
    const at = (kind: string, dest: string): number => m.findIndex(([k, d]) => k === kind && d === dest);
    expect(at('--tmpfs', '/tmp')).toBeGreaterThanOrEqual(0);
    for (const [kind, dest] of m) if (dest.startsWith('/tmp/')) expect(m.indexOf(m.find(([k, d]) => k === kind && d === dest)!)).toBeGreaterThan(at('--tmpfs', '/tmp'));
    // run folder writable, read-only folder inside it stays read-only (mounted after it)
    expect(at('--bind', '/tmp/app/runs/r1')).toBeGreaterThan(at('--ro-bind', '/tmp/app/runtime'));
    expect(at('--ro-bind', '/tmp/app/runs/r1/vendor')).toBeGreaterThan(at('--bind', '/tmp/app/runs/r1'));
    expect(m.at(-1)).toEqual(['--remount-ro', '/']);
    expect(m.filter(([k]) => k === '--bind')).toEqual([['--bind', '/tmp/app/runs/r1']]);
  });

  it('binds only the binary, its libraries, the read-only paths and the run folder', () => {
    const dests = mounts(args).filter(([k]) => k.endsWith('bind')).map(([, d]) => d).sort();
    expect(dests).toEqual(['/lib/x86_64-linux-gnu/libc.so.6', '/tmp/app/runs/r1', '/tmp/app/runs/r1/vendor', '/tmp/app/runtime', '/tmp/ci-node/bin/node']);
  });

  it('runs the command in the run folder after --', () => {
    const dash = args.indexOf('--');
    expect(args.slice(dash + 1)).toEqual(['/tmp/ci-node/bin/node', '--permission', 'main.js']);
    expect(args.slice(dash - 2, dash)).toEqual(['--chdir', '/tmp/app/runs/r1']);
  });
});

describe('limits', () => {
  it('prlimit gets tasks, data, file size, open files and no core dumps', () => {
    expect(prlimitArgs(DEFAULT_OS_LIMITS)).toEqual(['--nproc=128', `--data=${64 * 1024 ** 3}`, `--fsize=${64 * 1024 ** 2}`, '--nofile=256', '--core=0', '--']);
  });
  it('reads v1 and v2 cgroup paths from /proc/self/cgroup', () => {
    const m = parseProcCgroup('9:name=systemd:/\n8:pids:/a\n4:memory:/process_api/x\n2:cpu,cpuacct:/c\n0::/user.slice/u.scope\n');
    expect(m.get('pids')).toBe('/a');
    expect(m.get('memory')).toBe('/process_api/x');
    expect(m.get('cpuacct')).toBe('/c');
    expect(m.get('')).toBe('/user.slice/u.scope');
  });
  it('the cgroup launcher takes paths as arguments, never in its script text', () => {
    expect(CGROUP_JOIN_SCRIPT).not.toMatch(/\/sys\/fs\/cgroup/);
    expect(CGROUP_JOIN_SCRIPT).toContain('exec "$@"');
  });
});

describe('macOS sandbox-exec profile', () => {
  const args = sandboxExecArgs({ command: '/usr/local/bin/node', args: ['main.js'], readOnlyPaths: ['/Applications/Loopscope.app/runtime', '/weird "path" (x)'], runDir: '/private/var/folders/r1' });
  const profile = args[args.indexOf('-p') + 1]!;

  it('denies by default and allows no network, no fork, and exec of node only', () => {
    expect(profile.startsWith('(version 1)\n(deny default)\n')).toBe(true);
    expect(profile).not.toMatch(/network/);
    expect(profile).not.toMatch(/process-fork/);
    expect(profile.match(/process-exec.*/g)).toEqual(['process-exec (literal (param "NODE")))']);
  });

  it('allows writes only in the run folder (and /dev/null)', () => {
    const start = profile.indexOf('(allow file-write*');
    const write = profile.slice(start, profile.indexOf('\n(', start + 1));
    expect(write).toContain('(subpath (param "RUN_DIR"))');
    expect(write).toContain('(literal "/dev/null")');
    expect(write.match(/\((subpath|literal)/g)).toHaveLength(2);
  });

  it('passes paths as parameters, so quotes and parentheses in a path cannot change the policy', () => {
    expect(profile).not.toContain('weird');
    expect(profile).toContain('(subpath (param "RO_0"))');
    expect(profile).toContain('(subpath (param "RO_1"))');
    expect(args).toContain('RO_1=/weird "path" (x)');
    expect(args).toContain('RUN_DIR=/private/var/folders/r1');
    expect(args.slice(-2)).toEqual(['/usr/local/bin/node', 'main.js']);
    expect(seatbeltProfile(0)).not.toContain('RO_0');
  });

  it('wrapCommand clears the environment with env -i and reports the layer', () => {
    const dir = makeTempDir('os-unit');
    try {
      const status: OsSandboxStatus = { platform: 'darwin', kind: 'sandbox-exec', available: true, tool: '/usr/bin/sandbox-exec' };
      const w = wrapCommand({ command: process.execPath, args: ['a.js'], runDir: dir, readOnlyPaths: [], env: { LANG: 'C' } }, { status });
      expect(w.command).toBe('/usr/bin/env');
      expect(w.args.slice(0, 3)).toEqual(['-i', 'LANG=C', '/usr/bin/sandbox-exec']);
      expect(w.layers[0]).toMatch(/^os-sandbox: sandbox-exec/);
    } finally {
      removeTempDir(dir);
    }
  });
});

describe('wrapCommand input and honesty', () => {
  const dir = makeTempDir('os-unit');
  afterAll(() => removeTempDir(dir));
  const none: OsSandboxStatus = { platform: 'linux', kind: 'bubblewrap', available: false, reason: 'bwrap not found' };

  it('Windows: no OS layer, said so, with why', () => {
    const w = wrapCommand({ command: process.execPath, args: ['a.js'], runDir: dir, readOnlyPaths: [], env: {} }, { status: { platform: 'win32', kind: 'none', available: false, reason: 'Windows has no OS layer: a Job object needs native code that plain Node cannot reach' } });
    expect(w.layers).toEqual(['os-sandbox: unavailable (Windows has no OS layer: a Job object needs native code that plain Node cannot reach)']);
    expect(w.command).toBe(process.execPath);
  });

  it('rejects relative, missing and root paths, non-folders and bad variable names with specific errors', () => {
    const spec = { command: process.execPath, args: [], runDir: dir, readOnlyPaths: [] as string[], env: {} as Record<string, string> };
    writeFileSync(join(dir, 'file.txt'), 'x');
    expect(() => wrapCommand({ ...spec, runDir: 'runs/r1' }, { status: none })).toThrow('os-sandbox: runDir must be an absolute path, got "runs/r1"');
    expect(() => wrapCommand({ ...spec, runDir: join(dir, 'missing') }, { status: none })).toThrow(`os-sandbox: runDir ${join(dir, 'missing')} does not exist`);
    expect(() => wrapCommand({ ...spec, runDir: join(dir, 'file.txt') }, { status: none })).toThrow('is not a folder');
    expect(() => wrapCommand({ ...spec, readOnlyPaths: ['/'] }, { status: none })).toThrow('os-sandbox: read-only path / is the root folder; binding it would expose every file');
    mkdirSync(join(dir, 'sub'));
    symlinkSync('/', join(dir, 'sub', 'to-root'));
    expect(() => wrapCommand({ ...spec, readOnlyPaths: [join(dir, 'sub', 'to-root')] }, { status: none })).toThrow('is the root folder');
    expect(() => wrapCommand({ ...spec, env: { 'A=B': '1' } }, { status: none })).toThrow('os-sandbox: invalid environment variable name "A=B"');
    expect(() => wrapCommand({ ...spec, command: 'no-such-node-binary-xyz' }, { status: none })).toThrow('os-sandbox: command "no-such-node-binary-xyz" not found');
  });
});
