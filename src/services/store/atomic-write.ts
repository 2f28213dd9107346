/**
 * Crash-safe file writes: the new content goes to a temporary file in the same directory, is flushed to disk,
 * then renamed over the target. A reader (or the app after a crash) sees either the old file or the new one,
 * never a torn mix. Concurrent writes to one path are serialized in call order, so the last call wins.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const queues = new Map<string, Promise<unknown>>();

export function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const previous = queues.get(path) ?? Promise.resolve();
  const next = previous.catch(() => {}).then(() => writeNow(path, content));
  queues.set(path, next);
  void next.finally(() => {
    if (queues.get(path) === next) queues.delete(path);
  }).catch(() => {});
  return next;
}

/** Waits for every queued write to `path` (tests, shutdown). */
export async function flushWrites(path?: string): Promise<void> {
  const pending = path ? [queues.get(path)] : [...queues.values()];
  await Promise.allSettled(pending);
}

async function writeNow(path: string, content: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } catch (e) {
    await handle.close().catch(() => {});
    await rm(temp, { force: true });
    throw e;
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
  await syncDir(dir);
}

/** Makes the rename itself durable where the platform allows it (not on Windows, where opening a directory fails). */
async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r').catch(() => null);
  if (!handle) return;
  await handle.sync().catch(() => {});
  await handle.close();
}
