/**
 * A minimal /etc/passwd and /etc/group for inside the sandbox, so `os.userInfo()` and `os.homedir()` work as in
 * plain node (without them both throw ERR_SYSTEM_ERROR: there is no HOME and no user entry). The user is
 * "loopscope" with this process's uid/gid (bubblewrap maps the same ids inside) and home /tmp (the run's private
 * tmpfs), so nothing about the real user's name or home folder reaches the run.
 *
 * The files depend only on uid and gid, so every Loopscope process of a user shares one folder in the temp dir
 * (nothing piles up when processes die without cleanup). The folder is used only if it is ours and not writable
 * by others (a shared /tmp lets anyone create that name first); otherwise a private one is made per process.
 */
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let files: { passwd: string; group: string } | undefined;

function ownFolder(uid: number, gid: number): string {
  const dir = join(tmpdir(), `loopscope-identity-${uid}-${gid}`);
  try {
    mkdirSync(dir, { mode: 0o755 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const st = lstatSync(dir);
  if (st.isDirectory() && st.uid === uid && (st.mode & 0o022) === 0) {
    // Readable by all: bubblewrap opens bind sources with the rights of whoever runs it.
    chmodSync(dir, 0o755);
    return dir;
  }
  const own = mkdtempSync(join(tmpdir(), 'loopscope-identity-'));
  chmodSync(own, 0o755);
  process.once('exit', () => rmSync(own, { recursive: true, force: true }));
  return own;
}

/** Writes `text` to `path` by rename, so a concurrent process never binds a half-written file. */
function writeAtomically(path: string, text: string): void {
  const tmp = `${path}.${process.pid}`;
  writeFileSync(tmp, text, { mode: 0o644 });
  renameSync(tmp, path);
}

export function identityFiles(): { passwd: string; group: string } {
  if (files) return files;
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;
  const dir = ownFolder(uid, gid);
  const passwd = join(dir, 'passwd');
  const group = join(dir, 'group');
  writeAtomically(passwd, `loopscope:x:${uid}:${gid}:Loopscope run:/tmp:/nonexistent\n`);
  writeAtomically(group, `loopscope:x:${gid}:\n`);
  files = { passwd, group };
  return files;
}
