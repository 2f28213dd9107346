/**
 * The bubblewrap probe's positive answer, remembered until the machine reboots, so a one-shot caller (the CLI) does
 * not start a probe process in every run: that start costs the caller ~6-10 ms of its own thread (libuv waits until
 * the child has exec'd), and under load the run waited for the probe's answer another 5-25 ms here.
 *
 * Only "bubblewrap works, and these are the binary's shared libraries" is ever written, never that it does not work:
 * a remembered negative answer would drop the OS layer for every later run. A positive answer that no longer holds
 * fails closed: the run's own bubblewrap refuses to start, and the run ends with its error instead of running
 * unsandboxed. To keep that rare, the answer holds only while everything it depended on is unchanged: the boot, this
 * user and its user namespace, this process's seccomp state, the kernel's user namespace switches, the bwrap and Node
 * binaries and the dynamic linker's cache (a library upgrade that moves a file rewrites it). And a caller whose run
 * failed after it used a remembered answer forgets it (`forgetVerdict`): the next run probes again.
 *
 * Who can write it decides which files are bound (read-only) into a run: the folder is the caller's own cache folder
 * (the CLI's, beside Node's compile cache, whose writer already chooses the code the CLI runs), and it is used only if
 * it and the file belong to this user and nobody else may write them. Every library it names must be an absolute
 * path to a regular file.
 */
import { lstatSync, mkdirSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

const FILE = 'os-sandbox-verdict.json';
/** Kernel switches that decide whether an unprivileged process may create user namespaces (absent ones read ""). */
const SWITCHES = ['/proc/sys/kernel/unprivileged_userns_clone', '/proc/sys/user/max_user_namespaces', '/proc/sys/kernel/apparmor_restrict_unprivileged_userns'];

function read(path: string): string {
  try { return readFileSync(path, 'utf8').trim(); } catch { return ''; }
}

function identity(path: string): string {
  try {
    const st = statSync(path, { bigint: true });
    return `${path}:${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  } catch {
    return `${path}:-`;
  }
}

/** Everything the answer depends on, as one string; null where there is no boot id to tie it to. */
function conditions(bwrap: string, binary: string): string | null {
  const boot = read('/proc/sys/kernel/random/boot_id');
  if (!boot) return null;
  let userns = '';
  try { userns = readlinkSync('/proc/self/ns/user'); } catch {}
  const seccomp = read('/proc/self/status').split('\n').filter((l) => /^(Seccomp|Seccomp_filters|NoNewPrivs):/.test(l)).join(',');
  return [boot, process.getuid?.() ?? -1, userns, seccomp, ...SWITCHES.map(read), identity(bwrap), identity(binary), identity('/etc/ld.so.cache')].join('\n');
}

/** Ours alone: owned by this user, and neither group nor others may write it. */
function ownedAlone(path: string, kind: 'dir' | 'file'): boolean {
  const st = lstatSync(path);
  return (kind === 'dir' ? st.isDirectory() : st.isFile()) && st.uid === (process.getuid?.() ?? -1) && (st.mode & 0o022) === 0;
}

/** The shared libraries of `binary` when a positive answer for `bwrap` and `binary` still holds, else null. */
export function rememberedVerdict(dir: string, bwrap: string, binary: string): string[] | null {
  try {
    const key = conditions(bwrap, binary);
    const file = join(dir, FILE);
    if (key === null || !ownedAlone(dir, 'dir') || !ownedAlone(file, 'file')) return null;
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { conditions?: unknown; libs?: unknown };
    if (saved.conditions !== key || !Array.isArray(saved.libs)) return null;
    const libs = saved.libs as unknown[];
    if (!libs.every((l): l is string => typeof l === 'string' && isAbsolute(l) && statSync(l).isFile())) return null;
    return libs;
  } catch {
    return null;
  }
}

/** Remembers that bubblewrap works here and which libraries `binary` needs. Never throws: it is only a shortcut. */
export function rememberVerdict(dir: string, bwrap: string, binary: string, libs: readonly string[]): void {
  try {
    const key = conditions(bwrap, binary);
    if (key === null) return;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!ownedAlone(dir, 'dir')) return;
    const tmp = join(dir, `${FILE}.${process.pid}`);
    writeFileSync(tmp, JSON.stringify({ conditions: key, libs }), { mode: 0o600 });
    renameSync(tmp, join(dir, FILE));
  } catch {}
}

/** Forgets the remembered answer (the next `prepareOsSandbox` probes again). Never throws. */
export function forgetVerdict(dir: string): void {
  try { rmSync(join(dir, FILE), { force: true }); } catch {}
}
