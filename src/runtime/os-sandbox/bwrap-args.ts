/**
 * The bubblewrap command line for one run (pure: every path is resolved by the caller).
 *
 * Invariants: no network (a new, empty network namespace: loopback only), new PID/IPC/UTS/user/cgroup
 * namespaces, no capabilities, no new privileges (bubblewrap always sets PR_SET_NO_NEW_PRIVS), its own session
 * (no TIOCSTI into the user's terminal), dies with its parent. The file system is an empty read-only root with
 * only: a fresh /proc of the run's own PID namespace, a minimal /dev, a private tmpfs /tmp, the binary and the
 * shared libraries it needs (read-only), the caller's read-only paths, and the run folder (read-write). The
 * environment is cleared and only the given variables are set.
 *
 * Mount order matters: a `--tmpfs /tmp` after a bind under /tmp would hide it, and a bind of a folder after a
 * bind inside it would hide the inner one. So the tmpfs comes first and binds follow parents-first.
 */
import { posix } from 'node:path';

export interface BwrapPlan {
  /** The binary to run as it will be exec'd inside (absolute). */
  readonly command: string;
  readonly args: readonly string[];
  /** Read-only file binds [source, destination] for the binary, its libraries and system files it reads. */
  readonly systemBinds: readonly (readonly [string, string])[];
  readonly readOnlyPaths: readonly string[];
  readonly runDir: string;
  readonly env: Readonly<Record<string, string>>;
}

const depth = (p: string): number => posix.normalize(p).split('/').filter(Boolean).length;

export function bwrapArgs(plan: BwrapPlan): string[] {
  const args = [
    '--unshare-all', // user (if possible), ipc, pid, net, uts, cgroup
    '--die-with-parent',
    '--new-session',
    '--cap-drop', 'ALL',
    '--hostname', 'loopscope',
    '--clearenv',
  ];
  for (const [name, value] of Object.entries(plan.env)) args.push('--setenv', name, value);
  args.push('--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp');
  type Bind = { kind: '--ro-bind' | '--bind'; src: string; dest: string; order: number };
  const binds: Bind[] = [];
  let order = 0;
  for (const [src, dest] of plan.systemBinds) binds.push({ kind: '--ro-bind', src, dest, order: order++ });
  for (const p of plan.readOnlyPaths) binds.push({ kind: '--ro-bind', src: p, dest: p, order: order++ });
  // The run folder is writable; a read-only path inside it stays read-only (it is deeper, so mounted later).
  binds.push({ kind: '--bind', src: plan.runDir, dest: plan.runDir, order });
  binds.sort((a, b) => depth(a.dest) - depth(b.dest) || a.order - b.order);
  const seen = new Set<string>();
  for (const b of binds) {
    const key = `${b.kind} ${b.dest}`;
    if (seen.has(key)) continue;
    seen.add(key);
    args.push(b.kind, b.src, b.dest);
  }
  // The root is bubblewrap's own tmpfs: make it read-only so nothing can be created next to the binds.
  args.push('--remount-ro', '/', '--chdir', plan.runDir, '--', plan.command, ...plan.args);
  return args;
}
