/**
 * The runtime host process. Started (and supervised) by host-client.ts under Node's permission model; owns a
 * warm sandbox worker, runs one lesson at a time, and streams the header, trace batches and the run's end to
 * its parent over the IPC channel.
 *
 * Invariants:
 * - Lesson code never runs on this thread: it only instruments source text and brokers messages.
 * - Every run ends exactly once (`finish`), with a specific reason, after the last batch; the host survives
 *   every fault a lesson can cause, and the next run gets a fresh worker.
 * - A limit is enforced here even if the sandbox is subverted: wall clock, process memory, event count.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Socket } from 'node:net';
import { Worker, type MessagePort } from 'node:worker_threads';
import { DEFAULT_LIMITS, resolveLimits, validateRunRequest, type RunEnd, type RunLimits, type RunRequest } from '../shared/run/contract.ts';
import { END_REASON_NAMES, EVENT_SPECS, EndReason, EventKind, HOST_FRAMES, PACKED_PAYLOAD_LIMIT, TRACE_FORMAT_VERSION, walkWireEvents, type Frame, type TraceHeader } from '../shared/trace/schema.ts';
import { encodeFrame } from './frames.ts';
import { InstrumentError, instrument } from './instrument/index.ts';
import { COUNTER_SLOTS, Counter, Ring, decodeStrings, type AgentInit, type AgentToHost, type ClientToHost, type HostToClient, type InstrumentedFile } from './protocol.ts';
import { agentWorkerOptions } from './worker-options.ts';

const AGENT_WORKER = new URL('./agent-worker.ts', import.meta.url);
const APP_ROOT = process.env.LOOPSCOPE_APP_ROOT ?? resolve(fileURLToPath(new URL('../..', import.meta.url)));
const RUNS_DIR = process.env.LOOPSCOPE_RUNS_DIR ?? '';
const LESSON_ROOT = '/lesson/';
const CODE_FILE = /\.(?:[cm]?ts|[cm]?js)$/;
/** The most ints one event can take on the wire, with the clock reading before it. */
const MAX_EVENT_INTS = 2 + 1 + Math.max(...EVENT_SPECS.map((s) => s.args.length));
/** npm packages lessons may import; evaluated inside the sandbox like lesson code. */
const PACKAGES: Record<string, string[]> = {
  'async-mutex': ['lib/index.js', 'lib/Mutex.js', 'lib/Semaphore.js', 'lib/errors.js', 'lib/withTimeout.js', 'lib/tryAcquire.js', 'lib/MutexInterface.js', 'lib/SemaphoreInterface.js'],
  tslib: ['tslib.js'],
};

// Everything for the client goes, in order, on the frame pipe (fd 4): see frames.ts.
const toClient = new Socket({ fd: 4, readable: false, writable: true });
toClient.on('error', () => process.exit(0)); // the client is gone
const send = (message: HostToClient): void => {
  for (const part of encodeFrame(message)) toClient.write(part);
};

// ---------------------------------------------------------------- packages (instrumented once)
const packageFiles: InstrumentedFile[] = [];
const packageEntries: Record<string, string> = {};
for (const [name, paths] of Object.entries(PACKAGES)) {
  const pkgDir = join(APP_ROOT, 'node_modules', name);
  const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { main?: string };
  packageEntries[name] = `node_modules/${name}/${(manifest.main ?? 'index.js').replace(/^\.\//, '')}`;
  for (const rel of paths) {
    const path = `node_modules/${name}/${rel}`;
    const res = instrument({ path, text: readFileSync(join(pkgDir, rel), 'utf8') }, { mode: 'function', frameIdBase: 0, traced: false });
    packageFiles.push({ path, code: res.code, map: res.map, isModule: false });
  }
}

// ---------------------------------------------------------------- warm worker
function spawnAgent(limits: RunLimits): Worker {
  const worker = new Worker(AGENT_WORKER, agentWorkerOptions(limits.heapMb, { warm: true }, []));
  worker.on('error', () => { /* reported through the active run, if any */ });
  return worker;
}
let warm: Worker | null = spawnAgent(DEFAULT_LIMITS);
function takeWorker(limits: RunLimits): Worker {
  const reuse = warm && limits.heapMb === DEFAULT_LIMITS.heapMb ? warm : null;
  if (warm && !reuse) void warm.terminate();
  warm = null;
  return reuse ?? spawnAgent(limits);
}

// ---------------------------------------------------------------- runs
/** An agent's trace ring (protocol.ts `Ring`), once its `agent` message arrived. */
interface AgentTrace {
  ring: Int32Array | null;
  control: Int32Array | null;
  strings: Uint16Array | null;
  nextSeq: number;
  ended: boolean;
}
const newAgentTrace = (): AgentTrace => ({ ring: null, control: null, strings: null, nextSeq: 0, ended: false });

class Run {
  readonly agents = new Map<number, AgentTrace>();
  readonly ports: MessagePort[] = [];
  readonly limits: RunLimits;
  readonly counters = new SharedArrayBuffer(4 * COUNTER_SLOTS);
  private worker: Worker | null = null;
  private ended = false;
  private endReason: { reason: EndReason; message: string; exitCode: number } | null = null;
  private timers: NodeJS.Timeout[] = [];
  private events = 0;
  private baselineRss = 0;
  private peakRss = 0;
  private readonly startedAt = performance.now();
  readonly runStartMs = performance.timeOrigin + performance.now();
  readonly runDir: string;
  readonly done: Promise<void>;
  private resolveDone!: () => void;

  readonly runId: string;
  readonly request: RunRequest;

  constructor(runId: string, request: RunRequest) {
    this.runId = runId;
    this.request = request;
    this.limits = resolveLimits(request);
    this.runDir = join(RUNS_DIR, runId.replace(/[^\w-]/g, '_'));
    this.done = new Promise((resolve) => { this.resolveDone = resolve; });
  }

  start(): void {
    const { request } = this;
    const traced = request.traced !== false;
    // Instrument every lesson file up front: one frame table for every agent.
    const frames: Frame[] = HOST_FRAMES.map((name, id) => ({ id, kind: 'host', name, file: '', line: 0, column: 0, endLine: 0, endColumn: 0 }));
    const files: InstrumentedFile[] = [];
    const scriptFrames: Record<string, number> = {};
    try {
      for (const file of request.files) {
        if (!CODE_FILE.test(file.path)) continue;
        const res = instrument(file, { mode: request.mode, frameIdBase: frames.length, traced });
        frames.push(...res.frames);
        scriptFrames[file.path] = res.frames[0]?.id ?? -1;
        files.push({ path: file.path, code: res.code, map: res.map, isModule: res.isModule });
      }
    } catch (err) {
      const header = this.header(frames);
      send({ type: 'header', runId: this.runId, header });
      const message = err instanceof InstrumentError ? `SyntaxError: ${err.message}` : `Could not prepare the lesson: ${(err as Error).message}`;
      this.finishNow(err instanceof InstrumentError ? EndReason.SyntaxError : EndReason.InternalError, message, 1);
      return;
    }
    send({ type: 'header', runId: this.runId, header: this.header(frames) });
    const flavors = frames.map((f) => (f.flavor === 'async' ? '1' : f.flavor === 'generator' ? '2' : f.flavor === 'async-generator' ? '3' : '0')).join('');

    mkdirSync(this.runDir, { recursive: true });
    for (const file of request.files) {
      mkdirSync(dirname(join(this.runDir, file.path)), { recursive: true });
      writeFileSync(join(this.runDir, file.path), file.text);
    }

    const counters = new Int32Array(this.counters);
    counters[Counter.NextAgent] = 1;
    this.agents.set(0, newAgentTrace());
    const init: AgentInit = {
      agentId: 0, parentAgentId: -1, name: 'main', entry: request.entry, files: [...files, ...packageFiles],
      frameFlavors: flavors, scriptFrames, packages: packageEntries, traced, limits: this.limits, lessonRoot: LESSON_ROOT,
      runDir: this.runDir, runStartMs: this.runStartMs, counters: this.counters,
    };
    const worker = takeWorker(this.limits);
    this.worker = worker;
    worker.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') this.end(EndReason.HeapLimit, `The lesson ran out of memory: it needed more than ${this.limits.heapMb} MB of JavaScript heap.`, 1);
      else this.end(EndReason.InternalError, `The sandbox failed: ${err.message}`, 1);
    });
    worker.on('message', (m: AgentToHost) => this.onAgentMessage(m));
    worker.on('exit', () => {
      this.worker = null;
      this.end(EndReason.Completed, 'The run completed: the event loop had nothing left to do.', 0);
    });
    worker.postMessage(init);
    setImmediate(() => { if (!warm) warm = spawnAgent(DEFAULT_LIMITS); });

    this.timers.push(setTimeout(() => {
      this.end(EndReason.Timeout, `Stopped after ${this.limits.timeoutMs} ms: the lesson was still running. A synchronous infinite loop, an endless stream of microtasks or a wait that never ends keeps a run from finishing.`, 1);
    }, this.limits.timeoutMs));
    this.baselineRss = process.memoryUsage.rss();
    this.peakRss = this.baselineRss;
    const rssBudget = this.baselineRss + (this.limits.externalMemoryMb + 2 * this.limits.heapMb + 256) * 1048576;
    this.timers.push(setInterval(() => {
      const rss = process.memoryUsage.rss();
      this.peakRss = Math.max(this.peakRss, rss);
      if (rss > rssBudget) {
        this.end(EndReason.ExternalMemoryLimit, `Stopped: the run used more memory than allowed (${Math.round(rssBudget / 1048576)} MB for the runtime), likely large ArrayBuffers.`, 1);
      }
    }, 25));
  }

  private header(frames: Frame[]): TraceHeader {
    return {
      version: TRACE_FORMAT_VERSION, runId: this.runId, mode: this.request.mode, startedAtMs: Date.now(), frames,
      files: this.request.files.map((f) => ({ path: f.path, text: f.text })), entry: this.request.entry,
    };
  }

  private listen(agent: number, port: MessagePort): void {
    this.ports.push(port);
    this.agents.set(agent, this.agents.get(agent) ?? newAgentTrace());
    port.on('message', (m: AgentToHost) => this.onAgentMessage(m));
  }

  private onAgentMessage(m: AgentToHost): void {
    switch (m.type) {
      case 'agent': {
        const a = this.agents.get(m.agent) ?? newAgentTrace();
        const sound = m.ring instanceof SharedArrayBuffer && m.ring.byteLength > 0 && m.ring.byteLength % (4 * Ring.segmentInts) === 0
          && m.control instanceof SharedArrayBuffer && m.control.byteLength >= 4 * Ring.controlSlots && m.strings instanceof SharedArrayBuffer;
        if (!sound) {
          this.end(EndReason.InternalError, `The sandbox described its trace buffers wrongly (agent ${m.agent}).`, 1);
          return;
        }
        a.ring = new Int32Array(m.ring);
        a.control = new Int32Array(m.control);
        a.strings = new Uint16Array(m.strings);
        this.agents.set(m.agent, a);
        return;
      }
      case 'agent-port':
        this.listen(m.agent, m.port);
        return;
      case 'batch': {
        const a = this.agents.get(m.agent);
        const ints = a && takeSegment(a, m.segment, m.length);
        if (!a || !ints) {
          this.end(EndReason.InternalError, `The sandbox sent a malformed trace batch (agent ${m.agent}, segment ${m.segment}, ${m.length} ints).`, 1);
          return;
        }
        a.nextSeq = Math.max(a.nextSeq, m.seq + 1);
        // The tracer's count, kept within what the ints can hold (an event takes 1 to MAX_EVENT_INTS ints).
        this.events += Math.min(ints.length, Math.max(Math.ceil(ints.length / MAX_EVENT_INTS), Number.isInteger(m.events) ? m.events : 0));
        if (this.events > this.limits.maxEvents) this.onAgentMessage({ type: 'limit', what: 'events' });
        if (!this.ended) send({ type: 'batch', runId: this.runId, agent: m.agent, ints, strings: m.strings });
        return;
      }
      case 'fatal':
        if (m.agent === 0) {
          const reason = m.kind === 1 ? EndReason.UnhandledRejection : EndReason.UncaughtError;
          const what = m.kind === 1 ? 'an unhandled promise rejection' : 'an uncaught exception';
          this.end(reason, `The run ended with ${what}: ${firstLine(m.stack) || m.message}`, 1);
        }
        return;
      case 'exit':
        if (m.agent === 0) {
          const message = m.signal ? `The lesson was terminated by ${m.signal} (it has no ${m.signal} handler).` : `The lesson called process.exit(${m.code}).`;
          this.end(EndReason.ProcessExit, message, m.code);
        }
        return;
      case 'agent-exit': {
        const a = this.agents.get(m.agent);
        if (a) a.ended = true;
        return;
      }
      case 'limit': {
        if (m.what === 'events') this.end(EndReason.EventLimit, `Stopped after more than ${this.limits.maxEvents.toLocaleString('en-US')} trace events: the run produces events faster than anyone can watch them.`, 1);
        else if (m.what === 'external') this.end(EndReason.ExternalMemoryLimit, `Stopped: the lesson tried to allocate ${m.detail ?? 'too much'} of ArrayBuffer memory; a run may use at most ${this.limits.externalMemoryMb} MB.`, 1);
        else if (m.what === 'workers') this.end(EndReason.WorkerLimit, `Stopped: the lesson tried to create more than ${this.limits.maxWorkers} workers. Use a pool of a few workers instead.`, 1);
        else if (m.what === 'heap') this.end(EndReason.HeapLimit, `The lesson ran out of memory in ${m.detail ?? 'a worker'}: it needed more than ${this.limits.heapMb} MB of JavaScript heap.`, 1);
        return;
      }
    }
  }

  /** Ends the run (first call wins): stop the sandbox, collect what it wrote, report. */
  end(reason: EndReason, message: string, exitCode: number): void {
    if (this.endReason) return;
    this.endReason = { reason, message, exitCode };
    for (const t of this.timers) clearTimeout(t);
    const worker = this.worker;
    this.worker = null;
    const stopped = worker ? worker.terminate().catch(() => 0) : Promise.resolve(0);
    // Let messages already posted by the agents arrive before reading what they did not flush.
    void stopped.then(() => new Promise((r) => setTimeout(r, 20))).then(() => this.finishNow(reason, message, exitCode));
  }

  private finishNow(reason: EndReason, message: string, exitCode: number): void {
    if (this.ended) return;
    this.endReason ??= { reason, message, exitCode };
    for (const [agent, a] of this.agents) {
      if (!a.ring || !a.control || !a.strings || a.control[Ring.seq] !== a.nextSeq) continue;
      const start = a.control[Ring.start]!;
      const ints = takeSegment(a, start / Ring.segmentInts, tailEnd(a.ring, a.control[Ring.committed]!, start + Ring.segmentInts) - start);
      if (ints && ints.length > 0) {
        send({ type: 'batch', runId: this.runId, agent, ints, strings: decodeStrings(a.strings, a.control[Ring.strings]!) });
        this.events += walkWireEvents(ints);
      }
    }
    const events = this.events;
    this.ended = true;
    const timeUs = Math.round((performance.timeOrigin + performance.now() - this.runStartMs) * 1000);
    const closing: number[] = [EventKind.Time, timeUs];
    for (const [agent, a] of this.agents) if (!a.ended && agent !== 0) closing.push(EventKind.AgentEnd, agent, -1);
    closing.push(EventKind.AgentEnd, 0, exitCode, EventKind.RunEnd, reason, 0);
    send({ type: 'batch', runId: this.runId, agent: 0, ints: Int32Array.from(closing), strings: [message] });
    this.peakRss = Math.max(this.peakRss, process.memoryUsage.rss());
    const end: RunEnd = {
      reason, message, exitCode, events, durationMs: Math.round(performance.now() - this.startedAt),
      hostMemory: { baselineRssBytes: this.baselineRss, peakRssBytes: this.peakRss },
    };
    send({ type: 'end', runId: this.runId, end });
    for (const port of this.ports) port.close();
    if (RUNS_DIR) rmSync(this.runDir, { recursive: true, force: true });
    this.resolveDone();
  }
}

/**
 * Copies `length` ints out of segment `segment` of an agent's ring, zeroes them and frees the segment for its
 * tracer; null when the numbers do not describe a segment (the sandbox is not trusted).
 */
function takeSegment(a: AgentTrace, segment: number, length: number): Int32Array | null {
  if (!a.ring || !a.control || !Number.isInteger(segment) || segment < 0 || segment >= a.ring.length / Ring.segmentInts) return null;
  if (!Number.isInteger(length) || length < 0 || length > Ring.segmentInts) return null;
  const start = segment * Ring.segmentInts;
  const ints = a.ring.slice(start, start + length);
  a.ring.fill(0, start, start + length);
  Atomics.store(a.control, Ring.state + segment, 0);
  Atomics.notify(a.control, Ring.state + segment);
  return ints;
}

/**
 * Where a stopped agent's events end. Past the committed position the tracer writes only stack events, as packed
 * (negative) words or, for an instance beyond the packed range, [Exit, instance]; a segment is all zeroes until
 * written. So the events run on from `committed` to the first word that is neither: nothing the agent wrote is lost.
 */
function tailEnd(ring: Int32Array, committed: number, segmentEnd: number): number {
  let i = committed;
  while (i < segmentEnd) {
    const word = ring[i]!;
    if (word < 0) i += 1;
    else if (word === EventKind.Exit && i + 1 < segmentEnd && ring[i + 1]! >= PACKED_PAYLOAD_LIMIT) i += 2;
    else break;
  }
  return i;
}

function firstLine(text: string): string {
  const lines = text.split('\n');
  const at = lines.find((l) => l.trim().startsWith('at '));
  return at ? `${lines[0]} (${at.trim().slice(3)})` : (lines[0] ?? '');
}

// ---------------------------------------------------------------- the client channel
let current: Run | null = null;
process.on('message', (raw: unknown) => {
  const m = raw as ClientToHost;
  if (!m || typeof m !== 'object') return;
  if (m.type === 'shutdown') {
    current?.end(EndReason.Stopped, 'The runtime host is shutting down.', 1);
    void (current?.done ?? Promise.resolve()).then(() => process.exit(0));
    return;
  }
  if (m.type === 'stop') {
    if (current && current.runId === m.runId) current.end(EndReason.Stopped, 'Stopped by the user.', 1);
    return;
  }
  if (m.type === 'run') {
    const runId = typeof m.runId === 'string' ? m.runId.slice(0, 64) : 'run';
    let request: RunRequest;
    try {
      request = validateRunRequest(m.request);
    } catch (err) {
      send({ type: 'end', runId, end: { reason: EndReason.InternalError, message: (err as Error).message, exitCode: 1, events: 0, durationMs: 0 } });
      return;
    }
    const previous = current;
    previous?.end(EndReason.Stopped, 'Stopped: a new run started.', 1);
    const run = new Run(runId, request);
    current = run;
    void (previous?.done ?? Promise.resolve()).then(() => run.start());
  }
});
process.on('disconnect', () => process.exit(0));
void END_REASON_NAMES;
send({ type: 'ready', pid: process.pid });
