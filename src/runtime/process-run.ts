/**
 * One run of runtime v2 in the runtime host: a run process (launcher.ts) runs the lesson; this class numbers the
 * frames for the header, hands the lesson to a warm process, forwards its validated trace batches to the client,
 * enforces the limits the process cannot be trusted with (wall clock, events, output) and ends the run exactly once
 * with a specific reason.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { RunEnd, RunLimits, RunRequest } from '../shared/run/contract.ts';
import { resolveLimits } from '../shared/run/contract.ts';
import { EndReason, EventKind, HOST_FRAMES, TRACE_FORMAT_VERSION, type Frame, type TraceHeader } from '../shared/trace/schema.ts';
import { RunProcess, type Frame as TraceFrame, type LaunchOptions } from './launcher.ts';
import type { LessonModule, RunConfig } from './process/preload.ts';
import type { HostToClient } from './protocol.ts';
import { fixUncaughtHeaders, headerSources, type HeaderSource } from './uncaught-header.ts';
import { memoryLimitMessage, runMemoryMb, treeRssBytes } from './run-memory.ts';
import { kitFor } from './runtime-bundle.ts';

const CODE_FILE = /\.(?:[cm]?ts|[cm]?js)$/;

/** `@loopscope/kit` (this runtime's real module) and the npm packages lessons may import. */
function lessonPackages(appRoot: string): Record<string, string> {
  const out: Record<string, string> = { '@loopscope/kit': kitFor(appRoot) };
  for (const name of ['async-mutex', 'tslib']) {
    const dir = join(appRoot, 'node_modules', name);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { main?: string };
    out[name] = join(dir, manifest.main ?? 'index.js');
  }
  return out;
}

/** How long a warm process waits before it is asked to start Node's type stripper (~100 ms of its CPU): longer than
 * a re-run takes to come (bench/runtime.ts re-runs 250 ms after a run ended), shorter than a learner's next edit. */
const WARM_UP_AFTER_MS = 500;

/** One process started ahead, waiting for its lesson; replaced as soon as a run takes it. */
type Instrumenter = typeof import('./instrument/index.ts');
let instrumenter: Promise<Instrumenter> | undefined;
/**
 * The instrumenter (acorn and the walker: the largest part of this module's imports, 25–60 ms to load here) is
 * loaded when the first warm process has been started, not with this module: a one-shot `loopscope run` then starts
 * its run process before loading it, and the process boots meanwhile.
 */
function loadInstrumenter(): Promise<Instrumenter> {
  return (instrumenter ??= import('./instrument/index.ts'));
}

export class WarmPool {
  private warm: RunProcess | null = null;
  private readonly options: Omit<LaunchOptions, 'heapMb' | 'memoryMb'>;
  readonly defaults: Pick<RunLimits, 'heapMb' | 'externalMemoryMb'>;
  /** Bare specifiers lessons may import from outside their folder → absolute file. */
  readonly packages: Record<string, string>;

  private readonly refill: boolean;
  private readonly warmUp: boolean;
  private warmUpTimer: NodeJS.Timeout | undefined;

  /**
   * `refill: false`: no new warm process after a run; `warmUp: false`: never ask the waiting process to warm up (both
   * for a one-shot caller, in-process.ts, whose lesson follows at once).
   */
  constructor(options: Omit<LaunchOptions, 'heapMb' | 'memoryMb'>, defaults: Pick<RunLimits, 'heapMb' | 'externalMemoryMb'>, behaviour: { refill?: boolean; warmUp?: boolean } = {}) {
    this.options = options;
    this.defaults = defaults;
    this.packages = lessonPackages(options.appRoot);
    this.refill = behaviour.refill ?? true;
    this.warmUp = behaviour.warmUp ?? true;
  }

  /** `waits`: the process is started ahead of its run, so it warms the tracer up meanwhile (launcher.ts `warmTracer`). */
  private launch(limits: Pick<RunLimits, 'heapMb' | 'externalMemoryMb'>, waits: boolean): RunProcess {
    return new RunProcess({ ...this.options, heapMb: limits.heapMb, memoryMb: runMemoryMb(limits), warmTracer: waits && this.warmUp });
  }

  fill(): void {
    if (this.warm) return;
    const warm = this.launch(this.defaults, true);
    this.warm = warm;
    // Once nobody re-ran at once, the waiting process starts Node's type stripper (launcher.ts `warmUp`): a re-run
    // within WARM_UP_AFTER_MS does not wait for it, a lesson started later in TypeScript does not either.
    if (this.warmUp) {
      this.warmUpTimer = setTimeout(() => { if (this.warm === warm) warm.warmUp(); }, WARM_UP_AFTER_MS);
      this.warmUpTimer.unref();
    }
    void loadInstrumenter().catch(() => { /* reported by the run that needs it (ProcessRun.start) */ });
  }

  /** A run ended: start the next warm process (unless this pool serves one run only). */
  afterRun(): void {
    if (this.refill) this.fill();
  }

  /** The warm process if it was started with these limits (heap flag and memory budget), else a new one. */
  take(limits: Pick<RunLimits, 'heapMb' | 'externalMemoryMb'>): RunProcess {
    const w = this.warm;
    const ready = w && w.heapMb === limits.heapMb && w.memoryMb === runMemoryMb(limits) && w.child.exitCode === null && w.child.signalCode === null ? w : null;
    if (w && !ready) { w.dispose(); rmSync(w.runDir, { recursive: true, force: true }); }
    this.warm = null;
    clearTimeout(this.warmUpTimer);
    // The next warm process starts when this run ends (ProcessRun.finishNow), not now: booting Node while the
    // lesson runs would take CPU from it and shift its timers.
    return ready ?? this.launch(limits, false); // a run is waiting for this one: no warm-up before it
  }

  dispose(): void {
    if (this.warm) { this.warm.dispose(); rmSync(this.warm.runDir, { recursive: true, force: true }); }
    this.warm = null;
    clearTimeout(this.warmUpTimer);
  }
}

export class ProcessRun {
  readonly runId: string;
  readonly request: RunRequest;
  readonly limits: RunLimits;
  readonly done: Promise<void>;
  private resolveDone!: () => void;
  private readonly send: (m: HostToClient) => void;
  private readonly pool: WarmPool;
  private proc: RunProcess | null = null;
  private endReason: { reason: EndReason; message: string; exitCode: number } | null = null;
  private ended = false;
  /** The process exited and its pipes closed: everything it wrote has been read. */
  private closed = false;
  private timers: NodeJS.Timeout[] = [];
  private events = 0;
  private readonly agents = new Set<number>([0]);
  /** Workers whose exit their parent saw (their lane ends there; the host closes only the others). */
  private readonly exitedAgents = new Set<number>();
  private readonly startedAt = performance.now();
  private readonly runStartMs = performance.timeOrigin + performance.now();
  private exitCalled: number | null = null;
  private errorKind = -1;
  private errorText = '';
  private syntaxError = '';
  /** Lesson files by the names Node's uncaught-error header gives them (uncaught-header.ts). */
  private headers: Map<string, HeaderSource> = new Map();

  constructor(runId: string, request: RunRequest, send: (m: HostToClient) => void, pool: WarmPool) {
    this.runId = runId;
    this.request = request;
    this.limits = resolveLimits(request);
    this.send = send;
    this.pool = pool;
    this.done = new Promise((resolve) => { this.resolveDone = resolve; });
  }

  /** Starts the run once the instrumenter is loaded (at once after the first run). */
  start(): void {
    void loadInstrumenter().then(
      (instrument) => { if (!this.ended) this.begin(instrument); },
      (err: unknown) => this.finishNow(EndReason.InternalError, `Could not load the instrumenter: ${(err as Error).message}`, 1),
    );
  }

  private begin({ instrumentNative, InstrumentError }: Instrumenter): void {
    const { request } = this;
    const traced = request.traced !== false;
    const frames: Frame[] = HOST_FRAMES.map((name, id) => ({ id, kind: 'host', name, file: '', line: 0, column: 0, endLine: 0, endColumn: 0 }));
    // Every code file is instrumented here, once: the run process hands Node this code as it loads each file
    // (preload.ts LessonModule), so it never parses a lesson itself.
    const modules: Record<string, LessonModule> = {};
    const instrumented: { path: string; text: string; mappings: string }[] = [];
    try {
      for (const file of request.files) {
        if (!CODE_FILE.test(file.path)) continue;
        const res = instrumentNative(file, { mode: request.mode, frameIdBase: frames.length, traced });
        modules[file.path] = { base: frames.length, text: file.text, code: res.bare, isModule: res.isModule, mappings: res.map.mappings };
        frames.push(...res.frames);
        instrumented.push({ path: file.path, text: file.text, mappings: res.map.mappings });
      }
    } catch (err) {
      if (!(err instanceof InstrumentError)) {
        this.send({ type: 'header', runId: this.runId, header: this.header(frames) });
        this.finishNow(EndReason.InternalError, `Could not prepare the lesson: ${(err as Error).message}`, 1);
        return;
      }
      // A syntax error: the run goes on, and Node reports it as plain node would; the run's end message names the
      // original TypeScript line and column (Node's report shows the stripped JavaScript).
      this.syntaxError = `SyntaxError: ${err.message}`;
    }
    this.send({ type: 'header', runId: this.runId, header: this.header(frames) });
    const flavors = frames.map((f) => (f.flavor === 'async' ? '1' : f.flavor === 'generator' ? '2' : f.flavor === 'async-generator' ? '3' : '0')).join('');

    const proc = this.pool.take(this.limits);
    this.proc = proc;
    this.headers = headerSources(proc.runDir, instrumented);
    proc.onFrame((f) => this.onFrame(f));
    proc.child.once('close', (code, signal) => this.onExit(code, signal));
    const config: RunConfig = {
      runStartMs: this.runStartMs, traced, mode: request.mode, frameFlavors: flavors, modules, runDir: `${proc.runDir}/`,
      entry: request.entry, maxConsoleLines: this.limits.maxConsoleLines, maxWorkers: this.limits.maxWorkers,
      // Every package a lesson may use gets a node_modules entry in the run folder (launcher.ts), as a folder with
      // them installed would have: a require() of a computed name finds them too, as under plain node.
      packages: this.pool.packages,
    };
    try {
      proc.begin(request.files, config);
    } catch (err) {
      this.end(EndReason.InternalError, `Could not start the run: ${(err as Error).message}`, 1);
      return;
    }
    this.watchMemory(proc);
    this.timers.push(setTimeout(() => {
      this.end(EndReason.Timeout, `Stopped after ${this.limits.timeoutMs} ms: the lesson was still running. A synchronous infinite loop, an endless stream of microtasks or a wait that never ends keeps a run from finishing.`, 1);
    }, this.limits.timeoutMs));
  }

  /**
   * The run's memory budget (run-memory.ts) where no cgroup enforces it: the resident memory of the run's process
   * tree, sampled every 25 ms, against the budget plus what the tree held before the lesson started.
   */
  private watchMemory(proc: RunProcess): void {
    const pid = proc.child.pid;
    if (proc.memory || !pid || process.platform !== 'linux') return;
    const base = treeRssBytes(pid);
    if (base === null) return;
    const budget = runMemoryMb(this.limits) * 1048576;
    this.timers.push(setInterval(() => {
      const now = treeRssBytes(pid);
      if (now !== null && now > base + budget) this.end(EndReason.ExternalMemoryLimit, memoryLimitMessage(this.limits), 1);
    }, 25));
  }

  private header(frames: Frame[]): TraceHeader {
    return {
      version: TRACE_FORMAT_VERSION, runId: this.runId, mode: this.request.mode, startedAtMs: Date.now(), frames,
      files: this.request.files.map((f) => ({ path: f.path, text: f.text })), entry: this.request.entry,
    };
  }

  private onFrame(f: TraceFrame | Error): void {
    if (this.ended) return;
    if (f instanceof Error) {
      this.end(EndReason.InternalError, `Stopped: the run process sent ${f.message}.`, 1);
      return;
    }
    if (f.type === 'control') {
      const m = f.message;
      if (m.t === 'exit' && f.agent === 0 && typeof m.code === 'number') this.exitCalled = m.code | 0;
      else if (m.t === 'limit' && m.what === 'workers') this.end(EndReason.WorkerLimit, `Stopped: the lesson tried to create more than ${this.limits.maxWorkers} workers. Use a pool of a few workers instead.`, 1);
      return;
    }
    this.agents.add(f.agent);
    this.events += f.events;
    this.scan(f);
    if (this.endReason) return;
    this.send({ type: 'batch', runId: this.runId, agent: f.agent, ints: f.ints, strings: f.strings.map((t) => this.hidePaths(t)) });
    if (this.events > this.limits.maxEvents) {
      this.end(EndReason.EventLimit, `Stopped after more than ${this.limits.maxEvents.toLocaleString('en-US')} trace events: the run produces events faster than anyone can watch them.`, 1);
    }
  }

  /**
   * The run folder's real path (in stack traces, error reports, import.meta) is shown as `/lesson`: the learner's
   * files live there, and where this machine keeps its run folders is nobody's business.
   */
  private hidePaths(text: string): string {
    const dir = this.proc?.runDir;
    if (!dir || !text.includes(dir)) return text;
    return text.split(`file://${dir}`).join('file:///lesson').split(dir).join('/lesson');
  }

  /**
   * Remembers the main agent's uncaught error or unhandled rejection (for the end reason) and which workers ended:
   * the events the frame parser marked (launcher.ts `HOST_READS`), not another pass over the batch.
   */
  private scan(f: { agent: number; ints: Int32Array; strings: string[]; notable: readonly number[] }): void {
    const ints = f.ints;
    for (const i of f.notable) {
      const word = ints[i]!;
      if (word === EventKind.WorkerExit) this.exitedAgents.add(ints[i + 1]!);
      if (word === EventKind.Error && f.agent === 0) {
        this.errorKind = ints[i + 1]!;
        const stack = f.strings[ints[i + 3]!] ?? '';
        const lines = stack.split('\n');
        const at = lines.find((l) => l.trim().startsWith('at '));
        this.errorText = this.hidePaths(at ? `${lines[0]} (${at.trim().slice(3)})` : (lines[0] ?? ''));
      }
    }
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.closed = true;
    if (this.endReason) { this.finishNow(this.endReason.reason, this.endReason.message, this.endReason.exitCode); return; }
    const stderr = this.proc?.stderr ?? '';
    // The kernel stopped the run at its cgroup's memory limit: the cgroup counts it (where a kernel does not, a
    // SIGKILL the host did not send is taken as the OOM killer's).
    const counted = this.proc?.memory ? this.proc.memory.oomKilled() : false;
    const oomKilled = counted === true || (counted === null && signal === 'SIGKILL');
    if (oomKilled) {
      this.end(EndReason.ExternalMemoryLimit, memoryLimitMessage(this.limits), 137);
    } else if (/heap out of memory|Reached heap limit/i.test(stderr)) {
      this.end(EndReason.HeapLimit, `The lesson ran out of memory: it needed more than ${this.limits.heapMb} MB of JavaScript heap.`, 1);
    } else if (code !== 0 && this.syntaxError && /^SyntaxError\b/m.test(stderr) && this.exitCalled === null) {
      this.end(EndReason.SyntaxError, this.syntaxError, code ?? 1);
    } else if (this.errorKind >= 0 && code !== 0 && /^RangeError: Array buffer allocation failed/.test(this.errorText)) {
      this.end(EndReason.ExternalMemoryLimit, `Stopped: the operating system refused the lesson's ArrayBuffer memory (${this.errorText}).`, code ?? 1);
    } else if (this.errorKind >= 0 && code !== 0) {
      const what = this.errorKind === 1 ? 'an unhandled promise rejection' : 'an uncaught exception';
      this.end(this.errorKind === 1 ? EndReason.UnhandledRejection : EndReason.UncaughtError, `The run ended with ${what}: ${this.errorText}`, code ?? 1);

    } else if (signal) {
      const n = signal === 'SIGTERM' ? 143 : signal === 'SIGINT' ? 130 : 128 + 9;
      this.end(EndReason.ProcessExit, `The lesson was terminated by ${signal} (it has no ${signal} handler).`, n);
    } else if (this.exitCalled !== null) {
      this.end(EndReason.ProcessExit, `The lesson called process.exit(${this.exitCalled}).`, code ?? this.exitCalled);
    } else if (code === 0) {
      this.end(EndReason.Completed, 'The run completed: the event loop had nothing left to do.', 0);
    } else {
      this.end(EndReason.ProcessExit, `The lesson ended with exit code ${code}.`, code ?? 1);
    }
  }

  /** Ends the run (first call wins): stop the process, then report once everything it wrote was read. */
  end(reason: EndReason, message: string, exitCode: number): void {
    if (this.endReason) return;
    this.endReason = { reason, message, exitCode };
    for (const t of this.timers) clearTimeout(t);
    const proc = this.proc;
    if (!proc) { this.finishNow(reason, message, exitCode); return; }
    if (this.closed) {
      this.finishNow(reason, message, exitCode); // 'close': every pipe drained, nothing more can come
    } else if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
      // already gone: 'close' may have fired or will fire once its pipes drained
      setTimeout(() => this.finishNow(reason, message, exitCode), 50);
    } else {
      proc.kill();
      setTimeout(() => this.finishNow(reason, message, exitCode), 1000); // in case 'close' never comes
    }
  }

  private finishNow(reason: EndReason, message: string, exitCode: number): void {
    if (this.ended) return;
    this.ended = true;
    this.endReason ??= { reason, message, exitCode };
    const proc = this.proc;
    const strings: string[] = [message];
    const closing: number[] = [EventKind.Time, Math.round((performance.timeOrigin + performance.now() - this.runStartMs) * 1000)];
    // What Node itself wrote to the real stdout/stderr (the uncaught-error report, fatal errors): the tracer did not
    // see it. It comes last, as the process printed it last.
    if (proc && reason !== EndReason.Timeout && reason !== EndReason.Stopped) {
      if (proc.stdout) { strings.push(this.hidePaths(proc.stdout)); closing.push(EventKind.Console, 2, strings.length - 1); }
      if (proc.stderr) { strings.push(this.hidePaths(fixUncaughtHeaders(proc.stderr, this.headers))); closing.push(EventKind.Console, 3, strings.length - 1); }
    }
    for (const agent of this.agents) if (agent !== 0 && !this.exitedAgents.has(agent)) closing.push(EventKind.AgentEnd, agent, -1);
    closing.push(EventKind.AgentEnd, 0, exitCode, EventKind.RunEnd, reason, 0);
    this.send({ type: 'batch', runId: this.runId, agent: 0, ints: Int32Array.from(closing), strings });
    const end: RunEnd = {
      reason, message, exitCode, events: this.events, durationMs: Math.round(performance.now() - this.startedAt),
      layers: proc?.layers ?? [],
    };
    this.send({ type: 'end', runId: this.runId, end });
    if (proc) {
      proc.dispose();
      rmSync(proc.runDir, { recursive: true, force: true });
    }
    this.pool.afterRun();
    this.resolveDone();
  }
}
