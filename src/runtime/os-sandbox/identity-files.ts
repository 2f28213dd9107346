/**
 * A minimal /etc/passwd and /etc/group for inside the sandbox, so `os.userInfo()` and `os.homedir()` work as in
 * plain node (without them both throw ERR_SYSTEM_ERROR: there is no HOME and no user entry). The user is
 * "loopscope" with this process's uid/gid (bubblewrap maps the same ids inside) and home /tmp (the run's private
 * tmpfs), so nothing about the real user's name or home folder reaches the run. Written once per process into a
 * private temporary folder, removed when the process exits.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let files: { passwd: string; group: string } | undefined;

export function identityFiles(): { passwd: string; group: string } {
  if (files) return files;
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;
  const dir = mkdtempSync(join(tmpdir(), 'loopscope-identity-'));
  // Readable by all: bubblewrap opens the bind sources with the rights of whoever runs it (mkdtemp gives 0700).
  chmodSync(dir, 0o755);
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const passwd = join(dir, 'passwd');
  const group = join(dir, 'group');
  writeFileSync(passwd, `loopscope:x:${uid}:${gid}:Loopscope run:/tmp:/nonexistent\n`, { mode: 0o644 });
  writeFileSync(group, `loopscope:x:${gid}:\n`, { mode: 0o644 });
  files = { passwd, group };
  return files;
}
