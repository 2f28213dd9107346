/**
 * A run's memory budget: one number for everything the run holds (every thread's heap, ArrayBuffers and
 * SharedArrayBuffers, Node itself), enforced from outside the run process so lesson code cannot lift it.
 *
 * - Linux with a cgroup (os-sandbox/limits.ts): the cgroup's memory limit is this budget; the kernel stops the
 *   run when it is reached, and the host reads the cgroup's `oom_kill` count to say so.
 * - Elsewhere (no cgroup: not root and no delegated subtree, or not Linux): the host samples the resident memory
 *   of the run's process tree every 25 ms (`treeRssBytes`) and stops the run over the budget. A burst between two
 *   samples can exceed it briefly.
 *
 * Memory only counts once it is touched: `new ArrayBuffer(1.5e9)` reserves zeroed pages lazily, and plain node
 * allows it on any machine with the address space, so a lesson may do that as it could in node; writing to more
 * than the budget is what stops a run. The address space is no measure (V8 reserves gigabytes of it at start).
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { RunLimits } from '../shared/run/contract.ts';

/** What Node and the tracer need besides the lesson's heap and buffers (a main thread is about 60 MB resident, a Worker a few MB more), with room to spare. */
export const RUNTIME_OVERHEAD_MB = 256;

export function runMemoryMb(limits: Pick<RunLimits, 'heapMb' | 'externalMemoryMb'>): number {
  return limits.heapMb + limits.externalMemoryMb + RUNTIME_OVERHEAD_MB;
}

/** The end message of a run stopped for memory: what was exceeded and what the budget is made of. */
export function memoryLimitMessage(limits: Pick<RunLimits, 'heapMb' | 'externalMemoryMb'>): string {
  return `Stopped: the run used more than ${runMemoryMb(limits)} MB of memory (its budget: ${limits.heapMb} MB of JavaScript heap, ${limits.externalMemoryMb} MB of ArrayBuffers and ${RUNTIME_OVERHEAD_MB} MB for Node itself).`;
}

/** Every descendant of `pid` (threads' children included), from /proc/<pid>/task/<tid>/children. */
function descendants(pid: number, out: number[]): void {
  let tids: string[];
  try { tids = readdirSync(`/proc/${pid}/task`); } catch { return; }
  for (const tid of tids) {
    let children: string;
    try { children = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8'); } catch { continue; }
    for (const c of children.split(' ')) {
      const child = Number(c);
      if (child > 0 && !out.includes(child) && out.length < 4096) {
        out.push(child);
        descendants(child, out);
      }
    }
  }
}

/** Resident memory of `pid` and all its descendants (Linux /proc), or null when `pid` is gone. */
export function treeRssBytes(pid: number): number | null {
  const pids = [pid];
  descendants(pid, pids);
  let total = 0;
  let found = false;
  for (const p of pids) {
    try {
      const status = readFileSync(`/proc/${p}/status`, 'utf8');
      total += Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0) * 1024;
      found = true;
    } catch { /* exited meanwhile */ }
  }
  return found ? total : null;
}
