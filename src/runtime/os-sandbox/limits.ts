/**
 * Resource limits for a sandboxed run on Linux, applied outside the process so lesson code cannot lift them:
 * rlimits through util-linux `prlimit` (per process, inherited by everything the run starts), and, where this
 * process may create cgroups (root, or a delegated cgroup v2 subtree), a cgroup per run that caps the number of
 * tasks and the total memory of the whole run and lets cleanup kill every straggler.
 *
 * Measured on Linux 6.18 as root: RLIMIT_NPROC does not apply to root (the kernel exempts uid 0 even inside a
 * user namespace), so as root only the cgroup bounds a fork bomb; as another user RLIMIT_NPROC counts the
 * user's tasks in the sandbox's new user namespace. RLIMIT_AS is unusable for Node (V8 and WebAssembly reserve
 * far more address space than they use). RLIMIT_DATA counts reserved writable memory, not memory used: below
 * about 600 MiB Node does not start ("Failed to reserve virtual memory for CodeRange"), and every Worker
 * reserves about 512 MiB more (measured: 2 GiB allowed 2 Workers, 8 GiB 14, 16 GiB 30). So RLIMIT_DATA is only
 * a generous backstop here; the memory cap of a run is the cgroup's (where available) and the runtime's heap
 * limits and RSS watchdog.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface OsLimits {
  /** Tasks (processes and threads) of the whole run: Node starts about 10 threads, each Worker adds a few. */
  readonly maxTasks: number;
  /** Total memory of the run (cgroup memory limit; only where a cgroup could be created). The runtime sets it per
   * run from the run's limits (process-run.ts `runMemoryMb`); the default is for other callers. */
  readonly memoryBytes: number;
  /** Reserved writable memory per process (RLIMIT_DATA): a backstop, ~512 MiB per Worker (see above). */
  readonly dataBytes: number;
  /** Largest file the run may write (RLIMIT_FSIZE; a bigger write fails with EFBIG). */
  readonly fileSizeBytes: number;
  /** Open file descriptors per process (RLIMIT_NOFILE). */
  readonly openFiles: number;
}

export const DEFAULT_OS_LIMITS: OsLimits = Object.freeze({
  maxTasks: 128,
  memoryBytes: 2 * 1024 ** 3,
  dataBytes: 64 * 1024 ** 3,
  fileSizeBytes: 64 * 1024 ** 2,
  openFiles: 256,
});

/** `prlimit` arguments (before the command) for these limits. Core dumps are off: they would copy memory out. */
export function prlimitArgs(limits: OsLimits): string[] {
  const n = (x: number): string => String(Math.floor(x));
  return [`--nproc=${n(limits.maxTasks)}`, `--data=${n(limits.dataBytes)}`, `--fsize=${n(limits.fileSizeBytes)}`, `--nofile=${n(limits.openFiles)}`, '--core=0', '--'];
}

export interface RunCgroup {
  /** `cgroup.procs` files the launcher writes its pid to before starting the sandbox. */
  readonly procsFiles: string[];
  readonly layer: string;
  /** Kills whatever is still in the cgroups and removes them. */
  readonly cleanup: () => void;
  /** Present when the cgroup caps the run's memory: what the kernel says about it (read before `cleanup`). */
  readonly memory?: CgroupMemory;
}

/** The memory controller of a run's cgroup, as the host reads it to explain how a run ended. */
export interface CgroupMemory {
  readonly limitBytes: number;
  /** Whether the kernel's OOM killer killed a process of this cgroup (its memory limit was reached); null when the
   * kernel does not count it. */
  oomKilled(): boolean | null;
}

/** `oom_kill N` from memory.events (v2) or memory.oom_control (v1, kernels ≥ 4.13); null if not there. */
export function readOomKilled(file: string): boolean | null {
  try {
    const count = /^oom_kill (\d+)$/m.exec(readFileSync(file, 'utf8'))?.[1];
    return count === undefined ? null : Number(count) > 0;
  } catch {
    return null;
  }
}

const CGROUP_ROOT = '/sys/fs/cgroup';
let counter = 0;
const swept = new Set<string>();

/** This process's cgroup path per controller ("" key = the v2 unified hierarchy), from /proc/self/cgroup. */
export function parseProcCgroup(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\d+:([^:]*):(.*)$/.exec(line.trim());
    if (!m) continue;
    if (m[1] === '') out.set('', m[2]!);
    for (const c of m[1]!.split(',')) if (c) out.set(c.replace(/^name=/, ''), m[2]!);
  }
  return out;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function killAndRemove(dir: string): void {
  // Right after the run's last process exits, the cgroup can still list it for a moment: retry briefly.
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      for (const pid of readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean)) {
        try { process.kill(Number(pid), 'SIGKILL'); } catch {}
      }
      rmdirSync(dir);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      if (code !== 'EBUSY') return; // nothing more we can do; the folder is empty of our processes or not ours
      sleepSync(1);
    }
  }
}

/** Removes empty run cgroups left by Loopscope processes that died before their cleanup ran. */
function sweepStale(parent: string): void {
  let names: string[];
  try { names = readdirSync(parent); } catch { return; }
  for (const name of names) {
    const m = /^loopscope-(\d+)-\d+$/.exec(name);
    if (!m || Number(m[1]) === process.pid) continue;
    try { process.kill(Number(m[1]), 0); continue; } catch (err) { if ((err as NodeJS.ErrnoException).code === 'EPERM') continue; }
    try { rmdirSync(join(parent, name)); } catch {}
  }
}

function makeDir(parent: string): string {
  if (!swept.has(parent)) {
    swept.add(parent);
    sweepStale(parent);
  }
  const dir = join(parent, `loopscope-${process.pid}-${++counter}`);
  mkdirSync(dir);
  return dir;
}

/**
 * Creates this run's cgroup(s), or says why not. Never throws: a missing cgroup is reported as a missing layer.
 */
export function createRunCgroup(limits: OsLimits, root = CGROUP_ROOT): RunCgroup | { unavailable: string } {
  let own: Map<string, string>;
  try {
    own = parseProcCgroup(readFileSync('/proc/self/cgroup', 'utf8'));
  } catch {
    return { unavailable: 'cannot read /proc/self/cgroup' };
  }
  const made: string[] = [];
  const cleanup = (): void => { for (const d of made.reverse()) killAndRemove(d); };
  try {
    if (existsSync(join(root, 'cgroup.controllers'))) {
      // cgroup v2: a child of our own cgroup, usable only if pids and memory are delegated to us.
      const dir = makeDir(join(root, own.get('') ?? '/'));
      made.push(dir);
      if (!existsSync(join(dir, 'pids.max'))) throw new Error(`the pids controller is not enabled for ${join(root, own.get('') ?? '/')}`);
      writeFileSync(join(dir, 'pids.max'), String(limits.maxTasks));
      let memory = '';
      let control: CgroupMemory | undefined;
      if (existsSync(join(dir, 'memory.max'))) {
        writeFileSync(join(dir, 'memory.max'), String(limits.memoryBytes));
        try { writeFileSync(join(dir, 'memory.swap.max'), '0'); } catch {}
        memory = ` memory.max=${limits.memoryBytes}`;
        control = { limitBytes: limits.memoryBytes, oomKilled: () => readOomKilled(join(dir, 'memory.events')) };
      }
      return { procsFiles: [join(dir, 'cgroup.procs')], layer: `limits: cgroup v2 pids.max=${limits.maxTasks}${memory}`, cleanup, ...(control ? { memory: control } : {}) };
    }
    // cgroup v1: one folder per controller hierarchy.
    const pidsParent = join(root, 'pids', own.get('pids') ?? '/');
    if (!existsSync(join(pidsParent, 'pids.max')) && !existsSync(join(root, 'pids', 'cgroup.procs'))) throw new Error('no pids controller mounted');
    const pids = makeDir(pidsParent);
    made.push(pids);
    writeFileSync(join(pids, 'pids.max'), String(limits.maxTasks));
    const procsFiles = [join(pids, 'cgroup.procs')];
    let memory = '';
    let control: CgroupMemory | undefined;
    try {
      const mem = makeDir(join(root, 'memory', own.get('memory') ?? '/'));
      made.push(mem);
      writeFileSync(join(mem, 'memory.limit_in_bytes'), String(limits.memoryBytes));
      // No swap either (where swap accounting exists): a run over its budget is stopped, not paged out.
      try { writeFileSync(join(mem, 'memory.memsw.limit_in_bytes'), String(limits.memoryBytes)); } catch {}
      procsFiles.push(join(mem, 'cgroup.procs'));
      memory = ` memory.limit_in_bytes=${limits.memoryBytes}`;
      control = { limitBytes: limits.memoryBytes, oomKilled: () => readOomKilled(join(mem, 'memory.oom_control')) };
    } catch {}
    return { procsFiles, layer: `limits: cgroup v1 pids.max=${limits.maxTasks}${memory}`, cleanup, ...(control ? { memory: control } : {}) };
  } catch (err) {
    cleanup();
    const e = err as NodeJS.ErrnoException;
    return { unavailable: e.code ? `${e.code} creating a cgroup (${e.path ?? root})` : e.message };
  }
}

/**
 * The launcher that moves itself into the run's cgroups and then execs the rest of the command line, so every
 * process the run starts is counted from its first instruction. Paths are passed as arguments, never spliced
 * into the script.
 */
export const CGROUP_JOIN_SCRIPT = 'while [ "$1" != -- ]; do echo $$ > "$1" || exit 125; shift; done; shift; exec "$@"';
