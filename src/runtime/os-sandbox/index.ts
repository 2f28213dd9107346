/**
 * The OS layer around a run: wraps the command that starts the lesson's Node process in the platform's sandbox.
 *
 * Boundary invariants (see SECURITY.md, "OS sandbox"):
 * - Linux with bubblewrap: the run sees only the Node binary and its shared libraries, the given read-only
 *   paths and the run folder (the only writable place besides a private /tmp); no network, its own PID/IPC/UTS
 *   namespaces, no capabilities, an environment of exactly `spec.env`; rlimits (prlimit) and, where this
 *   process may create one, a cgroup cap tasks and memory. `layers` lists what is active and what is missing.
 * - macOS: a generated sandbox-exec profile (macos-profile.ts). Windows: no OS layer, said so in `layers`.
 * - Where the layer is unavailable the command comes back unwrapped and `layers` says why; runs still work.
 * - The caller must call `cleanup` after the process has exited (it kills stragglers and removes the cgroup).
 * - runDir and the read-only paths are resolved with realpath: inside they appear at their real paths.
 * Bad input (relative or missing paths, "/" as a path, invalid variable names) throws a specific error.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { bwrapArgs } from './bwrap-args.ts';
import { findTool } from './find-tool.ts';
import { CGROUP_JOIN_SCRIPT, createRunCgroup, DEFAULT_OS_LIMITS, prlimitArgs, type CgroupMemory, type OsLimits } from './limits.ts';
import { sandboxExecArgs } from './macos-profile.ts';
import { identityFiles } from './identity-files.ts';
import { elfInterpreter, parseLdd, rememberSharedLibraries, sharedLibraries } from './shared-libs.ts';
import { rememberedVerdict, rememberVerdict } from './verdict.ts';

export { DEFAULT_OS_LIMITS, type CgroupMemory, type OsLimits } from './limits.ts';
export { forgetVerdict } from './verdict.ts';

export interface WrapSpec {
  readonly command: string;
  readonly args: string[];
  readonly runDir: string;
  readonly readOnlyPaths: string[];
  readonly env: Record<string, string>;
}

export interface Wrapped {
  command: string;
  args: string[];
  /** Human-readable, one entry per layer: what is active and what is not (and why). */
  layers: string[];
  cleanup?: () => void;
  /** Present when a cgroup caps the run's total memory (limits.ts `CgroupMemory`). */
  memory?: CgroupMemory;
}

export interface OsSandboxStatus {
  readonly platform: NodeJS.Platform;
  /** 'bubblewrap' | 'sandbox-exec' | 'none' */
  readonly kind: 'bubblewrap' | 'sandbox-exec' | 'none';
  readonly available: boolean;
  /** Why not, when unavailable. */
  readonly reason?: string;
  readonly tool?: string;
  readonly prlimit?: string;
  readonly ldd?: string;
}

export interface WrapOptions {
  readonly limits?: OsLimits;
  /** For tests: pretend to be this platform / use this detection result. */
  readonly status?: OsSandboxStatus;
  /** Create a per-run cgroup where possible (default true). */
  readonly cgroup?: boolean;
}

let cached: OsSandboxStatus | undefined;

/** The probe: bwrap can be installed yet unusable (user namespaces disabled, a seccomp'd container), so try it once. */
const PROBE_ARGS = ['--unshare-all', '--die-with-parent', '--ro-bind', '/', '/', '--', '/bin/true'];
const PROBE_OPTIONS = { timeout: 5000, env: {} };

/** The status for this platform when it needs no probe, else the bwrap binary to probe. */
function statusWithoutProbe(platform: NodeJS.Platform): OsSandboxStatus | { probe: string } {
  if (platform === 'linux') {
    const bwrap = findTool('bwrap');
    return bwrap ? { probe: bwrap } : { platform, kind: 'bubblewrap', available: false, reason: 'bwrap not found' };
  }
  if (platform === 'darwin') {
    const tool = '/usr/bin/sandbox-exec';
    return existsSync(tool) ? { platform, kind: 'sandbox-exec', available: true, tool } : { platform, kind: 'sandbox-exec', available: false, reason: 'sandbox-exec not found' };
  }
  if (platform === 'win32') return { platform, kind: 'none', available: false, reason: 'Windows has no OS layer: a Job object needs native code that plain Node cannot reach' };
  return { platform, kind: 'none', available: false, reason: `no OS sandbox for ${platform}` };
}

/** The Linux status from the probe's outcome: null when bwrap ran, else what it said (or how it failed). */
function probedStatus(platform: NodeJS.Platform, bwrap: string, failure: { stderr?: string | Buffer; message: string } | null): OsSandboxStatus {
  if (!failure) return { platform, kind: 'bubblewrap', available: true, tool: bwrap, prlimit: findTool('prlimit'), ldd: findTool('ldd') };
  const stderr = String(failure.stderr ?? '').trim().split('\n')[0];
  return { platform, kind: 'bubblewrap', available: false, reason: `bwrap cannot create a sandbox here: ${stderr || failure.message}` };
}

/** Which OS layer this machine can give a run, and why not. Probes bubblewrap once (a few ms) and caches it. */
export function detectOsSandbox(options: { refresh?: boolean; platform?: NodeJS.Platform } = {}): OsSandboxStatus {
  const platform = options.platform ?? process.platform;
  if (cached && !options.refresh && platform === process.platform) return cached;
  let status = statusWithoutProbe(platform);
  if ('probe' in status) {
    const bwrap = status.probe;
    try {
      execFileSync(bwrap, PROBE_ARGS, { ...PROBE_OPTIONS, stdio: ['ignore', 'ignore', 'pipe'] });
      status = probedStatus(platform, bwrap, null);
    } catch (err) {
      status = probedStatus(platform, bwrap, err as Error & { stderr?: Buffer });
    }
  }
  if (platform === process.platform) cached = status;
  return status;
}

/**
 * Prepares the OS layer for runs of `binary` without blocking: the bubblewrap probe runs as a child process while the
 * caller goes on (the CLI loads the runtime meanwhile), and afterwards `detectOsSandbox` and `wrapCommand` for that
 * binary find their answers cached. Never rejects: a failed probe is an unavailable layer, as in `detectOsSandbox`.
 *
 * The probe's command inside the sandbox is the binary's ELF interpreter listing the binary's shared libraries (what
 * `wrapCommand` would otherwise ask it for, shared-libs.ts): one child process instead of two. Each start of a child
 * process costs this process ~6 ms (libuv waits until the child has exec'd), and the sandbox sees the same files
 * (`--ro-bind / /`, empty environment), so the list is the one the interpreter gives outside. Anything but a clean
 * listing falls back to the separate probe and listing, which say what went wrong.
 *
 * With `verdictDir`, a positive answer is remembered there until the next boot and no probe runs while it holds
 * (verdict.ts says when it does, and why only a positive answer is ever kept). Resolves to whether a remembered
 * answer was used: a caller whose run then fails should `forgetVerdict`.
 */
export async function prepareOsSandbox(binary: string, options: { verdictDir?: string } = {}): Promise<{ remembered: boolean }> {
  const probed = { remembered: false };
  if (process.platform !== 'linux' || cached) return probed;
  const status = statusWithoutProbe(process.platform);
  if (!('probe' in status)) {
    cached = status;
    return probed;
  }
  const bwrap = status.probe;
  let real: string | undefined;
  try { real = realpathSync(binary); } catch { /* wrapCommand reports it */ }
  const interp = real === undefined ? undefined : elfInterpreter(real);
  const remembered = options.verdictDir && real && interp ? rememberedVerdict(options.verdictDir, bwrap, real) : null;
  if (remembered && real) {
    cached = probedStatus(process.platform, bwrap, null);
    rememberSharedLibraries(real, remembered);
    return { remembered: true };
  }
  const probe = new Promise<string | null>((resolve) => {
    const inner = interp && real ? [interp, '--list', real] : ['/bin/true'];
    execFile(bwrap, [...PROBE_ARGS.slice(0, PROBE_ARGS.indexOf('--') + 1), ...inner], { ...PROBE_OPTIONS, encoding: 'utf8' }, (err, stdout) => resolve(err ? null : stdout));
  });
  // Meanwhile: the identity files every bubblewrap run binds (made once per process).
  try { identityFiles(); } catch { /* wrapCommand reports it */ }
  const listing = await probe;
  if (cached) return probed; // a synchronous detectOsSandbox answered meanwhile
  if (listing === null) {
    detectOsSandbox({ refresh: true });
    return probed;
  }
  cached = probedStatus(process.platform, bwrap, null);
  if (interp && real) {
    let libs: string[];
    try { libs = parseLdd(listing); } catch { return probed; /* wrapCommand lists again and reports it */ }
    rememberSharedLibraries(real, libs);
    if (options.verdictDir) rememberVerdict(options.verdictDir, bwrap, real, libs);
  }
  return probed;
}

function checkedPath(what: string, p: string, kind: 'dir' | 'any'): string {
  if (typeof p !== 'string' || !isAbsolute(p)) throw new Error(`os-sandbox: ${what} must be an absolute path, got ${JSON.stringify(p)}`);
  let real: string;
  try {
    real = realpathSync(p);
  } catch {
    throw new Error(`os-sandbox: ${what} ${p} does not exist`);
  }
  if (real === '/') throw new Error(`os-sandbox: ${what} ${p} is the root folder; binding it would expose every file`);
  if (kind === 'dir' && !statSync(real).isDirectory()) throw new Error(`os-sandbox: ${what} ${p} is not a folder`);
  return real;
}

function resolveCommand(command: string): string {
  if (isAbsolute(command)) return command;
  const found = findTool(command);
  if (!found) throw new Error(`os-sandbox: command ${JSON.stringify(command)} not found`);
  return found;
}

/** Files outside the run that Node reads for plain-node fidelity (local time zone); read-only, if present. */
const SYSTEM_FILES = ['/etc/localtime'];

/** Wraps `spec` in this platform's OS sandbox. See the header for the guarantees. */
export function wrapCommand(spec: WrapSpec, options: WrapOptions = {}): Wrapped {
  for (const name of Object.keys(spec.env)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`os-sandbox: invalid environment variable name ${JSON.stringify(name)}`);
    if (spec.env[name]!.includes('\0')) throw new Error(`os-sandbox: environment variable ${name} contains a NUL byte`);
  }
  const runDir = checkedPath('runDir', spec.runDir, 'dir');
  const readOnlyPaths = spec.readOnlyPaths.map((p) => checkedPath('read-only path', p, 'any'));
  const command = resolveCommand(spec.command);
  const status = options.status ?? detectOsSandbox();
  const limits = options.limits ?? DEFAULT_OS_LIMITS;
  const unwrapped = (reason: string): Wrapped => ({ command: spec.command, args: [...spec.args], layers: [`os-sandbox: unavailable (${reason})`] });

  if (!status.available || !status.tool) return unwrapped(status.reason ?? 'unknown');

  if (status.kind === 'sandbox-exec') {
    const env = Object.entries(spec.env).map(([k, v]) => `${k}=${v}`);
    const args = ['-i', ...env, status.tool, ...sandboxExecArgs({ command: realpathSync(command), args: spec.args, readOnlyPaths, runDir })];
    return { command: '/usr/bin/env', args, layers: ['os-sandbox: sandbox-exec (no network, writes only in the run folder, reads only system libraries, read-only paths and the run folder, no exec but node, no fork)', 'limits: none at the OS level on macOS'] };
  }

  // Linux / bubblewrap.
  const realCommand = realpathSync(command);
  const systemBinds: [string, string][] = [[realCommand, realCommand]];
  if (command !== realCommand) systemBinds.push([realCommand, command]);
  for (const lib of sharedLibraries(realCommand, status.ldd)) systemBinds.push([lib, lib]);
  for (const f of SYSTEM_FILES) if (existsSync(f)) systemBinds.push([f, f]);
  const identity = identityFiles();
  systemBinds.push([identity.passwd, '/etc/passwd'], [identity.group, '/etc/group']);
  const inner = bwrapArgs({ command, args: spec.args, systemBinds, readOnlyPaths, runDir, env: spec.env });
  const layers = ['os-sandbox: bubblewrap (no network; new pid/ipc/uts/user namespaces; only node, its libraries, read-only paths and the run folder; private /tmp; no capabilities, no new privileges)'];

  // Launcher chain, outermost first: [cgroup join], env -i, [prlimit], bwrap. `env -i` comes right before the
  // rest so not even bwrap's own /proc/<pid>/environ (readable inside as /proc/1/environ) holds the caller's
  // environment. Each exec costs ~3 ms here, but none is redundant: a caller may spawn this with its own environment
  // (test/security/os-sandbox.test.ts does), which bwrap's --clearenv clears for the run but not in /proc/1/environ,
  // and sh adds PWD even to an empty one; sh's ulimit could replace prlimit, but its flags differ between shells
  // (nproc is -p in dash, -u in bash, where -p is the pipe size).
  let chain: string[] = [status.tool, ...inner];
  if (status.prlimit) {
    chain = [status.prlimit, ...prlimitArgs(limits), ...chain];
    layers.push(`limits: rlimits nproc=${limits.maxTasks} (not enforced for root) data=${limits.dataBytes} fsize=${limits.fileSizeBytes} nofile=${limits.openFiles} core=0`);
  } else {
    layers.push('limits: rlimits unavailable (prlimit not found)');
  }
  const envTool = findTool('env');
  if (envTool) chain = [envTool, '-i', ...chain];
  let cleanup: (() => void) | undefined;
  let memory: CgroupMemory | undefined;
  const sh = findTool('sh');
  if (options.cgroup !== false && sh) {
    const cg = createRunCgroup(limits);
    if ('unavailable' in cg) layers.push(`limits: cgroup unavailable (${cg.unavailable})`);
    else {
      chain = [sh, '-c', CGROUP_JOIN_SCRIPT, 'loopscope-cgroup', ...cg.procsFiles, '--', ...chain];
      layers.push(cg.layer);
      cleanup = cg.cleanup;
      memory = cg.memory;
    }
  }
  return { command: chain[0]!, args: chain.slice(1), layers, ...(cleanup ? { cleanup } : {}), ...(memory ? { memory } : {}) };
}
