/**
 * Starts run processes (runtime v2) and reads what comes out of them.
 *
 * A run process is `node` running the lesson's entry as its main script, with process/preload.ts preloaded. It is
 * locked down from outside, in layers: the OS sandbox (os-sandbox `wrapCommand`, when available on this platform),
 * Node's permission model (reads: its run folder and the runtime's own files; writes: its run folder; workers
 * allowed, no child processes, addons, inspector or WASI), limits (the heap via --max-old-space-size; the wall
 * clock, output and events in process-run.ts), an empty environment, cwd its private run folder, stdin closed.
 *
 * A process is started ahead (warm) with an empty run folder and waits in its preload until the run's
 * configuration arrives on fd 3 (process/control.ts: told first that it was started ahead, it loads the type
 * stripper meanwhile); then the host writes the lesson into the folder and sends the configuration. It is never
 * reused: the next run gets the next process.
 *
 * Everything that comes out is untrusted: frames on fd 4 are parsed and validated here (FrameParser), stdout and
 * stderr are capped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { EVENT_SPECS, EventKind } from '../shared/trace/schema.ts';
import { DEFAULT_OS_LIMITS, wrapCommand, type CgroupMemory } from './sandbox-seam.ts';
import type { RunConfig } from './process/preload.ts';
import { LaunchFlag, WARM_UP_LINE, launchByte } from './process/control.ts';
import { buildRuntimeBundle, preloadFor } from './runtime-bundle.ts';

const FRAME_HEADER_BYTES = 16;
/** The run process's entry argument: a symlink to the lesson's entry file, made when the lesson arrives. */
const ENTRY_LINK = '.loopscope-entry';
const MAX_FRAME_INTS = 1 << 17;
const MAX_FRAME_STRING_BYTES = 8 << 20;
/** Kinds only the host writes: a run process that sends one is forging. */
const HOST_ONLY = new Set<number>([EventKind.RunStart, EventKind.RunEnd, EventKind.AgentEnd]);

export interface LaunchOptions {
  readonly appRoot: string;
  readonly runsDir: string;
  readonly heapMb: number;
  /** The whole run's memory budget (process-run.ts `runMemoryMb`), enforced by the OS layer's cgroup where made. */
  readonly memoryMb: number;
  /** The binary that runs as Node: plain node's own, or under Electron the app's binary (with `runAsNode`). */
  readonly execPath?: string;
  /**
   * Electron: run the app's own binary as Node (`ELECTRON_RUN_AS_NODE=1`, the only variable a run process gets).
   * Its folder (Electron's ICU data and V8 snapshot sit beside the binary) is bound read-only into the sandbox.
   */
  readonly runAsNode?: boolean;
  /**
   * Whether the process starts a drain thread (default true; process/drain.ts): the trace streams while the lesson
   * runs, and an agent that stops writing — blocked, idle or spinning until the time limit — still has its last
   * events sent. A one-shot caller that keeps no trace and shows none live (`loopscope run` without -o) says false:
   * console output still goes out as it is printed, the lesson does not wait for the thread's start, and the process
   * has no thread plain node would not have.
   */
  readonly drainThread?: boolean;
  /**
   * Whether the process runs the tracer's hot path on scratch memory before its lesson arrives, so that V8 has
   * optimized it (process/stack-calls.ts `warmUpStackCalls`; up to ~25 ms). Default false: for a process that waits for
   * its lesson (the warm pool's), not one whose lesson follows at once.
   */
  readonly warmTracer?: boolean;
  /** For tests: stand-ins for child_process.spawn and the OS layer. */
  readonly spawn?: typeof spawn;
  readonly wrap?: typeof wrapCommand;
}

export type Frame =
  | {
    readonly type: 'batch'; readonly agent: number; readonly ints: Int32Array; readonly strings: string[];
    /** Counted here, not told. */
    readonly events: number;
    /** Where the events the host acts on begin (`HOST_READS`), found by the same pass that validated the batch. */
    readonly notable: readonly number[];
  }
  | { readonly type: 'control'; readonly agent: number; readonly message: Record<string, unknown> };

let rebuilding: Promise<void> | null = null;
/**
 * The preload a new run process gets: the pre-built bundle of process/preload.ts when it is current (runtime-bundle.ts),
 * else the TypeScript source itself — and then the bundle is rebuilt in the background for the processes after.
 */
function runProcessPreload(appRoot: string): string {
  const preload = preloadFor(appRoot);
  if (!preload.bundled && !rebuilding) {
    rebuilding = buildRuntimeBundle(appRoot).then(() => {}, () => { /* read-only install: runs keep using the sources */ });
  }
  return preload.path;
}

/** Settles when the background rebuild of the run process's bundle (if one started) has finished: a one-shot caller
 * that ends its process itself waits for it (the CLI, bin/loopscope.mjs). */
export function runtimeBundleRebuilt(): Promise<void> {
  return rebuilding ?? Promise.resolve();
}

/** Node flags of a run process (the permission model's grants are exactly these). */
export function runProcessFlags(appRoot: string, runDir: string, heapMb: number, preload = runProcessPreload(appRoot)): string[] {
  return [
    '--permission',
    `--allow-fs-read=${runDir}`,
    `--allow-fs-read=${join(appRoot, 'src', 'runtime')}`,
    `--allow-fs-read=${join(appRoot, 'src', 'shared')}`,
    `--allow-fs-read=${join(appRoot, 'node_modules')}`,
    `--allow-fs-write=${runDir}`,
    '--allow-worker',
    `--max-old-space-size=${heapMb}`,
    '--disable-warning=PERM0006', // "--allow-worker must be used with caution": about us, not the lesson
    '--require', preload, // --require: a CommonJS main then runs synchronously after it, as in plain node (with --import it would run inside a promise job)
  ];
}

let seq = 0;

export class RunProcess {
  readonly runDir: string;
  readonly child: ChildProcess;
  readonly layers: string[];
  readonly heapMb: number;
  readonly memoryMb: number;
  /** The cgroup's memory controller when it caps this run (else the host watches the run's resident memory). */
  readonly memory: CgroupMemory | null;
  private readonly cleanup?: () => void;
  private frameListener: ((f: Frame | Error) => void) | null = null;
  private readonly parser = new FrameParser();
  private pending: (Frame | Error)[] = [];
  stdout = '';
  stderr = '';
  private readonly outputCap = 256 * 1024;
  private begun = false;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(options: LaunchOptions) {
    this.heapMb = options.heapMb;
    this.memoryMb = options.memoryMb;
    this.runDir = join(options.runsDir, `run-${process.pid}-${++seq}-${Date.now().toString(36)}`);
    mkdirSync(this.runDir, { recursive: true });
    const node = options.execPath ?? process.execPath;
    const args = [...runProcessFlags(options.appRoot, this.runDir, options.heapMb), join(this.runDir, ENTRY_LINK)];
    const env: Record<string, string> = options.runAsNode ? { ELECTRON_RUN_AS_NODE: '1' } : {};
    const readOnlyPaths = options.runAsNode ? [dirname(node), options.appRoot] : [node, options.appRoot];
    const wrap = options.wrap ?? wrapCommand;
    const wrapped = wrap({ command: node, args, runDir: this.runDir, readOnlyPaths, env }, { limits: { ...DEFAULT_OS_LIMITS, memoryBytes: options.memoryMb * 1048576 } });
    this.layers = [...wrapped.layers, 'node permission model', 'limits', options.runAsNode ? 'empty environment (but ELECTRON_RUN_AS_NODE)' : 'empty environment'];
    this.cleanup = wrapped.cleanup;
    this.memory = wrapped.memory ?? null;
    this.child = (options.spawn ?? spawn)(wrapped.command, wrapped.args, {
      cwd: this.runDir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'],
    });
    this.child.on('error', () => { /* reported as an exit */ });
    (this.child.stdio[3] as NodeJS.WritableStream | null)?.write(launchByte((options.drainThread === false ? 0 : LaunchFlag.DrainThread) | (options.warmTracer ? LaunchFlag.WarmTracer : 0)));
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
    this.child.stdout?.on('data', (d: Buffer) => { if (this.stdout.length < this.outputCap) this.stdout += d.toString('utf8'); });
    this.child.stderr?.on('data', (d: Buffer) => { if (this.stderr.length < this.outputCap) this.stderr += d.toString('utf8'); });
    const trace = this.child.stdio[4] as NodeJS.ReadableStream | null;
    trace?.on('data', (chunk: Buffer) => {
      let frames: (Frame | Error)[];
      try { frames = this.parser.push(chunk); } catch (err) { frames = [err as Error]; }
      for (const f of frames) this.deliver(f);
    });
    trace?.on('error', () => { /* the process ended */ });
    (this.child.stdio[3] as NodeJS.WritableStream | null)?.on('error', () => { /* the process ended before reading */ });
  }

  private deliver(f: Frame | Error): void {
    if (this.frameListener) this.frameListener(f);
    else this.pending.push(f);
  }

  onFrame(listener: (f: Frame | Error) => void): void {
    this.frameListener = listener;
    const queued = this.pending;
    this.pending = [];
    for (const f of queued) listener(f);
  }

  /**
   * Asks the waiting process to start Node's TypeScript type stripper now (control.ts `WARM_UP_LINE`), so that a
   * TypeScript ES module does not wait ~100 ms for it. Only before `begin`.
   */
  warmUp(): void {
    if (!this.begun) (this.child.stdio[3] as NodeJS.WritableStream | null)?.write(`${WARM_UP_LINE}\n`);
  }

  /** Writes the lesson into the run folder and lets the waiting process go. */
  begin(files: readonly { path: string; text: string }[], config: RunConfig): void {
    this.begun = true;
    mkdirSync(join(this.runDir, ENTRY_LINK));
    for (const f of files) {
      const abs = join(this.runDir, f.path);
      mkdirSync(join(abs, '..'), { recursive: true });
      writeFileSync(abs, f.text);
    }
    // Packages the lesson imports: a node_modules entry whose package.json points at the real file, so Node resolves
    // them itself (a resolve hook would put its own frames into every require() stack).
    for (const [name, target] of Object.entries(config.packages)) {
      const dir = join(this.runDir, 'node_modules', name);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, main: relative(dir, target) }));
    }
    // The process was started before the lesson was known, with a link as its entry: Node resolves the main
    // script only after the preload let it go, and runs the link's target under its real name.
    writeFileSync(join(this.runDir, ENTRY_LINK, 'package.json'), JSON.stringify({ main: `../${config.entry}` }));
    const control = this.child.stdio[3] as NodeJS.WritableStream;
    control.end(`${JSON.stringify(config)}\n`);
  }

  /** Kills the whole process group (the process and anything it started). */
  kill(): void {
    try { if (this.child.pid) process.kill(-this.child.pid, 'SIGKILL'); } catch { /* already gone */ }
    try { this.child.kill('SIGKILL'); } catch { /* already gone */ }
  }

  dispose(): void {
    this.kill();
    this.cleanup?.();
  }
}

/** Splits the trace pipe into frames and validates each (the run process is not trusted). */
export class FrameParser {
  // Chunks as they came off the pipe (64 KiB each, frames up to 256 KiB and more). A frame's ints are copied from
  // them straight into its Int32Array: never re-concatenated per chunk (that was quadratic in the frame size and the
  // run process waited on it), nor joined into one Buffer per frame first: a fresh 256 KiB on every frame, whose
  // pages the kernel maps on first write at ~9 µs each here, was the host's largest cost (Buffer.concat: ~1 s of the
  // host's 4.5 s of CPU in one bench/runtime.ts run; 3.3 s without it).
  private chunks: Buffer[] = [];
  private length = 0;

  /** The first `n` buffered bytes as one Buffer (joins only the chunks it needs), without consuming them. */
  private peek(n: number): Buffer {
    if (this.chunks[0]!.length >= n) return this.chunks[0]!;
    let count = 0;
    let have = 0;
    while (have < n) have += this.chunks[count++]!.length;
    const joined = Buffer.concat(this.chunks.slice(0, count), have);
    this.chunks.splice(0, count, joined);
    return joined;
  }

  private consume(n: number): void {
    this.length -= n;
    const first = this.chunks[0]!;
    if (first.length === n) this.chunks.shift();
    else this.chunks[0] = first.subarray(n);
  }

  /** Moves the next `into.length` buffered bytes into `into`, chunk by chunk; the chunks used up leave the list at
   * once (one `shift` per chunk was quadratic when the pipe delivered a frame in many small chunks). */
  private read(into: Uint8Array): void {
    let off = 0;
    let used = 0;
    while (off < into.length) {
      const chunk = this.chunks[used]!;
      const n = Math.min(chunk.length, into.length - off);
      into.set(n === chunk.length ? chunk : chunk.subarray(0, n), off);
      off += n;
      if (n === chunk.length) used++;
      else this.chunks[used] = chunk.subarray(n);
    }
    this.chunks.splice(0, used);
    this.length -= into.length;
  }

  push(chunk: Buffer): Frame[] {
    if (chunk.length) { this.chunks.push(chunk); this.length += chunk.length; }
    const out: Frame[] = [];
    while (this.length >= FRAME_HEADER_BYTES) {
      const head = this.peek(FRAME_HEADER_BYTES);
      const type = head.readInt32LE(0);
      const agent = head.readInt32LE(4);
      const nInts = head.readInt32LE(8);
      const nBytes = head.readInt32LE(12);
      if ((type !== 1 && type !== 2) || agent < 0 || agent > 255 || nInts < 0 || nInts > MAX_FRAME_INTS || nBytes < 0 || nBytes > MAX_FRAME_STRING_BYTES) {
        throw new Error(`a malformed trace frame (type ${type}, agent ${agent}, ${nInts} ints, ${nBytes} bytes)`);
      }
      if (this.length < FRAME_HEADER_BYTES + nInts * 4 + nBytes) break;
      this.consume(FRAME_HEADER_BYTES);
      const ints = new Int32Array(nInts);
      this.read(new Uint8Array(ints.buffer));
      const text = nBytes ? this.peek(nBytes).toString('utf8', 0, nBytes) : '';
      if (nBytes) this.consume(nBytes);
      let payload: unknown;
      try { payload = text ? JSON.parse(text) : []; } catch { throw new Error('a trace frame whose strings are not JSON'); }
      if (type === 2) {
        if (!payload || typeof payload !== 'object' || Array.isArray(payload)) throw new Error('a malformed control frame');
        out.push({ type: 'control', agent, message: payload as Record<string, unknown> });
        continue;
      }
      if (!Array.isArray(payload) || payload.some((s) => typeof s !== 'string' || s.length > 65535)) throw new Error('a trace batch with malformed strings');
      const notable: number[] = [];
      const events = checkBatch(ints, payload.length, notable);
      out.push({ type: 'batch', agent, ints, strings: payload as string[], events, notable });
    }
    return out;
  }
}

/** The events the host itself acts on (process-run.ts): a worker's end and an uncaught error. */
const HOST_READS: ReadonlySet<number> = new Set([EventKind.WorkerExit, EventKind.Error]);

/**
 * Every event of a batch is whole, of a known kind the run process may write, and names strings it carries. Returns
 * how many events it holds (a clock reading is not one): the count the run's event limit is held to; adds to
 * `notable` where each event of a `HOST_READS` kind begins. The one pass over every word the host makes: a busy
 * lesson writes events faster than the host takes them, and once its ring is full it waits for this loop (with a
 * second pass for those events, five traced fib(27)s in a row took 20–40 % longer: bench/runtime.ts).
 */
function checkBatch(ints: Int32Array, strings: number, notable: number[]): number {
  const n = ints.length;
  let events = 0;
  let i = 0;
  while (i < n) {
    // A run of packed stack words (negative): each one event, of kind Enter, Exit or Statement (its low two bits
    // after `~`: 0, 1, 2), counted at the run's end.
    const from = i;
    let word = ints[i]!;
    while (word < 0) {
      if ((word & 3) === 0) throw new Error(`a trace batch with an unknown packed word at int ${i}`);
      if (++i === n) break;
      word = ints[i]!;
    }
    events += i - from;
    if (i === n) break;
    const spec = EVENT_SPECS[word];
    if (!spec || HOST_ONLY.has(word)) throw new Error(`a trace batch with an event of kind ${word} a run process may not write`);
    const args = spec.args.length;
    if (i + 1 + args > n) throw new Error('a trace batch with a cut-off event');
    for (const s of spec.strings) {
      const v = ints[i + 1 + s]!;
      if (v < 0 || v >= strings) throw new Error(`a trace batch naming string ${v} of ${strings}`);
    }
    if (HOST_READS.has(word)) notable.push(i);
    if (word !== EventKind.Time) events++;
    i += 1 + args;
  }
  return events;
}
