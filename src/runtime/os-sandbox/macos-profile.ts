/**
 * The macOS layer: a `sandbox-exec` (Seatbelt) profile generated per run. Deny by default; allowed: reading the
 * system's libraries and frameworks, the Node binary, the caller's read-only paths and the run folder; writing
 * only the run folder (and /dev/null); exec of the Node binary only (sandbox-exec itself execs it), no fork;
 * signals to itself only; no network of any kind. Paths reach the profile as `-D` parameters, never spliced into
 * its text, so a path with quotes or parentheses cannot change the policy.
 *
 * Not contained by it: metadata (existence, size, times) of files outside the allowed trees — `file-read-metadata`
 * is allowed everywhere because path resolution needs it — and CPU/memory (no rlimits are applied on macOS;
 * the runtime's watchdog covers memory). It cannot run on Linux, so its text is unit-tested only.
 */

export interface SeatbeltPlan {
  readonly command: string;
  readonly args: readonly string[];
  readonly readOnlyPaths: readonly string[];
  readonly runDir: string;
}

const SYSTEM_READ = ['/usr/lib', '/usr/share/icu', '/System/Library', '/Library/Preferences/Logging', '/private/var/db/timezone', '/usr/share/zoneinfo', '/dev'];

export function seatbeltProfile(readOnlyCount: number): string {
  const readOnly = Array.from({ length: readOnlyCount }, (_, i) => `  (subpath (param "RO_${i}"))`).join('\n');
  return `(version 1)
(deny default)
(allow process-exec (literal (param "NODE")))
(allow signal (target self))
(allow process-info* (target self))
(allow sysctl-read)
(allow file-read-metadata)
(allow file-read*
  (literal "/")
  (literal (param "NODE"))
${SYSTEM_READ.map((p) => `  (subpath "${p}")`).join('\n')}
  (literal "/private/etc/localtime")
${readOnly}${readOnly ? '\n' : ''}  (subpath (param "RUN_DIR")))
(allow file-write*
  (literal "/dev/null")
  (subpath (param "RUN_DIR")))
(allow file-ioctl (literal "/dev/null") (literal "/dev/urandom"))
(allow mach-lookup
  (global-name "com.apple.system.opendirectoryd.libinfo")
  (global-name "com.apple.system.logger")
  (global-name "com.apple.logd"))
(allow ipc-posix-shm-read-data (ipc-posix-name "apple.shm.notification_center"))
`;
}

/** `sandbox-exec` command line: the profile text and each path as a named parameter. */
export function sandboxExecArgs(plan: SeatbeltPlan): string[] {
  const params = ['-D', `NODE=${plan.command}`, '-D', `RUN_DIR=${plan.runDir}`];
  plan.readOnlyPaths.forEach((p, i) => params.push('-D', `RO_${i}=${p}`));
  return [...params, '-p', seatbeltProfile(plan.readOnlyPaths.length), plan.command, ...plan.args];
}
