/** Finds a system tool by name in fixed system folders (never the lesson-controlled or user PATH first). */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const SYSTEM_DIRS = ['/usr/bin', '/bin', '/usr/sbin', '/sbin', '/usr/local/bin'];

export function findTool(name: string, extraPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of [...SYSTEM_DIRS, ...extraPath.split(delimiter).filter(Boolean)]) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return undefined;
}
