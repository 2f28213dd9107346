/**
 * One agent of a run: the entry of every sandbox worker thread (the run's main agent and each lesson Worker).
 *
 * Invariants:
 * - Lesson code only ever runs inside this agent's vm context, through the in-context bootstrap
 *   (sandbox/bootstrap.js, sandbox/modules.js). This file is the host side of the bridge: every function in
 *   `bridge` takes and returns primitives (or context-realm objects) and never hands a host object to the context.
 *   The configuration crosses as JSON text; the bridge object itself stays in the bootstrap's closure.
 * - Every option bag this thread builds for `new Worker(...)` has a null prototype and no `execArgv` (Node starts a
 *   Worker given any execArgv without the permission model), see worker-options.ts.
 * - Trace events live in a ring of segments the context created (protocol.ts `Ring`); `flushBatch` seals the
 *   open segment and names it in a `batch` message, so the host process copies it, not this thread. The host can
 *   recover an unflushed tail from the same buffers if this thread is stuck.
 * - Lifecycle goes to the host process on this agent's trace port: `agent` (buffers), `batch`, `fatal`, `exit`, `limit`.
 */
import { readFile, stat } from 'node:fs';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { inspect, formatWithOptions } from 'node:util';
import { promiseHooks } from 'node:v8';
import vm from 'node:vm';
import { MessageChannel, MessagePort, Worker, isMainThread, moveMessagePortToContext, parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';
import { EVENT_SPECS, EventKind, HOST_FRAMES, Phase, TaskKind } from '../shared/trace/schema.ts';
import { Counter, Ring, decodeStrings, type AgentInit, type AgentToHost } from './protocol.ts';
import { agentWorkerOptions } from './worker-options.ts';

const BOOTSTRAP = readFileSync(new URL('./sandbox/bootstrap.js', import.meta.url), 'utf8');
const MODULES = readFileSync(new URL('./sandbox/modules.js', import.meta.url), 'utf8');
const AGENT_WORKER_URL = new URL(import.meta.url);

if (isMainThread) throw new Error('agent-worker.ts runs only as a worker thread');

/** Context-side API returned by bootstrap.js (typed loosely: it is JavaScript evaluated in the context). */
interface Core {
  tracer: Record<string, (...args: number[]) => unknown>;
  /** String args are passed as strings; the tracer interns them. */
  emit(kind: number, ...args: (number | string)[]): void;
  flush(): void;
  dispatch(id: number, phase: number): void;
  runTask(id: number, kind: number, phase: number, fn: () => unknown, self: unknown, args: unknown[]): void;
  unhandledRejection(reason: unknown, promise: unknown): void;
  uncaught(err: unknown): void;
  reactionStart(id: number): void;
  reactionEnd(id: number): void;
  runScript(frameId: number, body: () => unknown): void;
  signal(name: string): boolean;
  internals: { ring: Int32Array; ctl: Int32Array; sbuf: Uint16Array };
  state: {
    currentTask: number; pendingAwait: number; readonly pendingAwaitOn: number; forAwait: number; forAwaitArmed: boolean;
    nextTaskId(): number;
  };
}
interface Modules {
  runEntry(path: string): unknown;
  workerEvent(agent: number, type: string, code: number, message: string, stack: string): void;
  ioComplete(id: number, error: string, text: string): void;
  portMessage(key: number, value: unknown): void;
}

function start(init: AgentInit, control: MessagePort): void {
  // The main agent reports on its parentPort, so everything it posted arrives before the host sees it exit.
  const tracePort = init.tracePort ?? control;
  const counters = new Int32Array(init.counters);
  const post = (message: AgentToHost, transfer: readonly ArrayBuffer[] | readonly MessagePort[] = []): void => tracePort.postMessage(message, transfer as never);
  const files = new Map(init.files.map((f) => [f.path, f]));
  const maps = new Map<string, TraceMap>();
  const runStartMs = init.runStartMs;
  const now = (): number => (performance.timeOrigin + performance.now() - runStartMs) * 1000;

  const context = vm.createContext(Object.create(null), {
    name: `loopscope agent ${init.agentId}`,
    codeGeneration: { strings: true, wasm: false },
  });
  // Node sets up a context's own primordials (its internal copies of built-ins) lazily, the first time a MessagePort
  // is moved into it and used. Do that now, while the built-ins are pristine: set up later, it would copy methods
  // a lesson had replaced, and Node's internals would call lesson code.
  {
    const ch = new MessageChannel();
    const a = moveMessagePortToContext(ch.port1, context);
    const b = moveMessagePortToContext(ch.port2, context);
    a.postMessage({ warm: [1] });
    receiveMessageOnPort(b);
    a.close();
    b.close();
  }

  // ------------------------------------------------------------ batches
  // Only the context's flush() may call flushBatch (through bridge.flush): it owns the write position. Host-side
  // code asks for a flush with core.flush().
  let batchSeq = 0;
  const ringSegments = init.agentId === 0 ? Ring.mainSegments : Ring.workerSegments;
  let core: Core;
  /**
   * This realm's views of the tracer's shared buffers. The context's own typed arrays carry the context's
   * prototypes (a lesson can replace their iterator or methods), so host code never reads through them.
   */
  let views: { ring: Int32Array; ctl: Int32Array; sbuf: Uint16Array };
  /**
   * Seals the open segment (if it holds anything: `events` events, as the tracer counted them) and returns the
   * start of the next one, once the host has freed it.
   */
  function flushBatch(events: number): number {
    const { ctl, sbuf } = views;
    const start = ctl[Ring.start]!;
    const length = ctl[Ring.committed]! - start;
    const segment = start / Ring.segmentInts;
    if (length > 0) {
      const strings = decodeStrings(sbuf, ctl[Ring.strings]!);
      const runEvents = Atomics.add(counters, Counter.Events, events) + events;
      Atomics.store(ctl, Ring.state + segment, 1);
      post({ type: 'batch', agent: init.agentId, seq: batchSeq++, segment, length, events, strings });
      if (runEvents > init.limits.maxEvents) post({ type: 'limit', what: 'events' });
    }
    const next = (segment + 1) % ringSegments;
    while (Atomics.load(ctl, Ring.state + next) !== 0) Atomics.wait(ctl, Ring.state + next, 1);
    const nextStart = next * Ring.segmentInts;
    ctl[Ring.start] = nextStart; ctl[Ring.committed] = nextStart; ctl[Ring.chars] = 0; ctl[Ring.strings] = 0;
    ctl[Ring.seq] = batchSeq; // last: the host recovers a tail only when it has every batch before it
    return nextStart;
  }

  // ------------------------------------------------------------ channels, workers, timers, I/O
  const hostPorts = new Map<number, MessagePort>();
  const workerPortKeys = new Map<number, number>();
  const PARENT_PORT_KEY = 1;
  let channelSeq = 0;
  const listeners = new Map<number, (value: unknown) => void>();
  const listenerFor = (key: number): ((value: unknown) => void) => {
    let fn = listeners.get(key);
    if (!fn) {
      fn = (value: unknown) => modules.portMessage(key, toContext(value));
      listeners.set(key, fn);
    }
    return fn;
  };
  const PORT_MARK = '@loopscope-port';
  /** Clones a context value (with its transfer list) into this realm; swaps port markers for the real ports. */
  function toHost(value: unknown, transfer: unknown[], keysCsv: string): { value: unknown; transfers: unknown[]; ports: MessagePort[] } {
    const ch = new MessageChannel();
    const a = moveMessagePortToContext(ch.port1, context);
    let bundle: { v: unknown; t: unknown[] };
    try {
      a.postMessage({ v: value, t: transfer }, transfer as never);
      bundle = receiveMessageOnPort(ch.port2)?.message as typeof bundle;
    } finally {
      a.close();
      ch.port2.close();
    }
    const ports: MessagePort[] = [];
    for (const k of keysCsv ? keysCsv.split(',').map(Number) : []) {
      const port = hostPorts.get(k);
      if (!port) throw new Error('A transferred MessagePort was already closed or transferred');
      hostPorts.delete(k);
      ports.push(port);
    }
    const swap = (v: unknown): unknown => {
      if (v && typeof v === 'object' && typeof (v as Record<string, unknown>)[PORT_MARK] === 'number') return ports[keysCsv.split(',').map(Number).indexOf((v as Record<string, number>)[PORT_MARK]!)];
      return v;
    };
    let out = swap(bundle.v);
    if (out && typeof out === 'object' && !(out instanceof MessagePort)) {
      const o = out as Record<string, unknown>;
      if (o['@loopscope'] === 1 && o.data && typeof o.data === 'object') {
        const d = (o.data = swap(o.data)) as Record<string, unknown>;
        if (d && typeof d === 'object' && Object.getPrototypeOf(d) === Object.prototype) for (const k of Object.keys(d)) d[k] = swap(d[k]);
      } else if (Object.getPrototypeOf(o) === Object.prototype) for (const k of Object.keys(o)) o[k] = swap(o[k]);
      out = o;
    }
    return { value: out, transfers: bundle.t, ports };
  }
  /** Clones a host value into the context; real ports inside it are registered and travel as markers. */
  function toContext(value: unknown): unknown {
    const mark = (v: unknown): unknown => {
      if (!(v instanceof MessagePort)) return v;
      const key = 2 * ++channelSeq + 1;
      hostPorts.set(key, v);
      return { [PORT_MARK]: key };
    };
    let v = mark(value);
    if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o)) o[k] = mark(o[k]);
      if (o['@loopscope'] === 1 && o.data && typeof o.data === 'object') {
        o.data = mark(o.data);
        const d = o.data as Record<string, unknown>;
        if (Object.getPrototypeOf(d) === Object.prototype) for (const k of Object.keys(d)) d[k] = mark(d[k]);
      }
      v = o;
    }
    const ch = new MessageChannel();
    const b = moveMessagePortToContext(ch.port2, context);
    try {
      ch.port1.postMessage(v);
      return receiveMessageOnPort(b)?.message;
    } finally {
      ch.port1.close();
      b.close();
    }
  }
  const timers = new Map<number, NodeJS.Timeout>();
  const immediates = new Map<number, NodeJS.Immediate>();
  const children = new Map<number, Worker>();
  const compiled = new Map<string, unknown>();
  let internal = false;
  let modules: Modules;
  const phaseOfTimers = Phase.Timers;

  const bridge = Object.freeze({
    now,
    flush: (events: number): number => flushBatch(events),
    errorText(e: unknown, key: string): string {
      try {
        const v = (e as Record<string, unknown>)[key];
        return v === undefined || v === null ? '' : String(v);
      } catch {
        return '';
      }
    },
    timer(id: number, ms: number, repeat: boolean): void {
      const fire = (): void => core.dispatch(id, phaseOfTimers);
      timers.set(id, repeat ? setInterval(fire, ms) : setTimeout(() => { timers.delete(id); fire(); }, ms));
    },
    clearTimer(id: number): void { clearTimeout(timers.get(id)); timers.delete(id); },
    refTimer(id: number, ref: boolean): void { const t = timers.get(id); if (ref) t?.ref(); else t?.unref(); },
    refreshTimer(id: number): void { timers.get(id)?.refresh(); },
    immediate(id: number): void { immediates.set(id, setImmediate(() => { immediates.delete(id); core.dispatch(id, Phase.Check); })); },
    clearImmediate(id: number): void { clearImmediate(immediates.get(id)); immediates.delete(id); },
    refImmediate(id: number, ref: boolean): void { const t = immediates.get(id); if (ref) t?.ref(); else t?.unref(); },
    nextTick(id: number): void { process.nextTick(() => core.dispatch(id, -1)); },
    microtask(id: number): void { queueMicrotask(() => core.dispatch(id, -1)); },
    format(args: unknown[]): string { return formatWithOptions({ customInspect: false }, ...args); },
    inspect(value: unknown, depth: number): string { return inspect(value, { depth, customInspect: false }); },
    promiseId(value: object): number { return promiseIds.get(value) ?? -1; },
    mapPosition(file: string, line: number, column: number): string {
      const path = file.slice(init.lessonRoot.length);
      const f = files.get(path);
      if (!f) return '';
      let map = maps.get(path);
      if (!map) { map = new TraceMap(f.map as never); maps.set(path, map); }
      const pos = originalPositionFor(map, { line, column: Math.max(0, column - 1) });
      if (pos.line === null) return '';
      return `${init.lessonRoot}${pos.source ?? path}:${pos.line}:${pos.column + 1}`;
    },
    reserveExternal(bytes: number): boolean {
      const kb = Math.ceil(bytes / 1024);
      const total = Atomics.add(counters, Counter.ExternalKb, kb) + kb;
      if (total > init.limits.externalMemoryMb * 1024) {
        Atomics.sub(counters, Counter.ExternalKb, kb);
        post({ type: 'limit', what: 'external', detail: `${Math.round(bytes / 1048576)} MB` });
        return false;
      }
      return true;
    },
    truncated(): void { /* the Truncated event is already in the trace */ },
    exit(code: number): void {
      core.flush();
      post({ type: 'exit', agent: init.agentId, code });
      process.exit(code);
    },
    fatal(kind: number, message: string, stack: string): void {
      core.flush();
      if (init.parentAgentId >= 0) control.postMessage({ type: 'error', message, stack });
      post({ type: 'fatal', agent: init.agentId, kind, message, stack });
      process.exit(1);
    },
    channel(): number {
      const ch = new MessageChannel();
      const id = ++channelSeq;
      hostPorts.set(id * 2, ch.port1);
      hostPorts.set(id * 2 + 1, ch.port2);
      return id;
    },
    portPost(key: number, envelope: unknown, transfer: unknown[], keysCsv: string): void {
      const port = hostPorts.get(key);
      if (!port) throw new Error('This port is closed');
      const { value, transfers, ports } = toHost(envelope, transfer, keysCsv);
      port.postMessage(value, [...transfers, ...ports] as never);
    },
    portListen(key: number, on: boolean): void {
      const port = hostPorts.get(key);
      if (!port) return;
      if (on) port.on('message', listenerFor(key));
      else port.off('message', listenerFor(key));
    },
    portRef(key: number, on: boolean): void {
      const port = hostPorts.get(key);
      if (on) port?.ref(); else port?.unref();
    },
    portClose(key: number): void {
      hostPorts.get(key)?.close();
      hostPorts.delete(key);
    },
    clone(value: unknown, transfer: unknown[]): unknown {
      const ch = new MessageChannel();
      const a = moveMessagePortToContext(ch.port1, context);
      const b = moveMessagePortToContext(ch.port2, context);
      try {
        a.postMessage(value, transfer as never);
        return receiveMessageOnPort(b)?.message;
      } finally {
        a.close();
        b.close();
      }
    },
    takeWorkerData(): unknown {
      const port = hostPorts.get(PARENT_PORT_KEY);
      const first = port ? receiveMessageOnPort(port)?.message : undefined;
      return first === undefined ? undefined : toContext(first);
    },
    workerPortKey(agent: number): number { return workerPortKeys.get(agent) ?? -1; },
    resolveFile(base: string): string {
      for (const candidate of [base, base.replace(/\.js$/, '.ts'), base.replace(/\.mjs$/, '.mts'), `${base}.ts`, `${base}.js`, `${base}/index.ts`, `${base}/index.js`]) {
        if (files.has(candidate)) return candidate;
      }
      return '';
    },
    resolveLessonFile(path: string): string {
      const found = bridge.resolveFile(path.replace(/^\.\//, ''));
      return found && !found.startsWith('node_modules/') ? found : '';
    },
    isModule(path: string): boolean { return files.get(path)?.isModule ?? false; },
    compile(path: string): unknown {
      let fn = compiled.get(path);
      if (fn) return fn;
      const f = files.get(path);
      if (!f) throw new Error(`Cannot find module ${path}`);
      fn = new vm.Script(f.code, { filename: init.lessonRoot + path }).runInContext(context);
      compiled.set(path, fn);
      return fn;
    },
    spawnWorker(path: string, name: string, first: unknown, transfer: unknown[], keysCsv: string): number {
      const n = Atomics.add(counters, Counter.Workers, 1) + 1;
      if (n > init.limits.maxWorkers) {
        post({ type: 'limit', what: 'workers', detail: String(init.limits.maxWorkers) });
        throw new Error(`Worker limit reached: a run may create at most ${init.limits.maxWorkers} workers`);
      }
      const agentId = Atomics.add(counters, Counter.NextAgent, 1);
      const lesson = new MessageChannel();
      const { value, transfers, ports } = toHost(first, transfer, keysCsv);
      lesson.port1.postMessage(value, [...transfers, ...ports] as never);
      const key = 2 * ++channelSeq;
      hostPorts.set(key, lesson.port1);
      workerPortKeys.set(agentId, key);
      const childEnd = lesson.port2;
      const trace = new MessageChannel();
      post({ type: 'agent-port', agent: agentId, port: trace.port1 }, [trace.port1]);
      core.emit(EventKind.WorkerSpawn, agentId, path);
      core.flush();
      const child: AgentInit = { ...init, agentId, parentAgentId: init.agentId, entry: path, name: name || `worker ${agentId}`, tracePort: trace.port2, parentChannel: childEnd };
      const worker = new Worker(AGENT_WORKER_URL, agentWorkerOptions(init.limits.heapMb, child, [trace.port2, childEnd]));
      children.set(agentId, worker);
      let errored: { message: string; stack: string } | null = null;
      worker.on('online', () => modules.workerEvent(agentId, 'online', 0, '', ''));
      worker.on('message', (m: { type?: string; message?: string; stack?: string }) => {
        if (m && m.type === 'error') errored = { message: String(m.message), stack: String(m.stack) };
      });
      worker.on('error', (err: Error & { code?: string }) => {
        if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') post({ type: 'limit', what: 'heap', detail: `worker ${agentId}` });
        else errored = { message: String(err.message), stack: String(err.stack) };
      });
      worker.on('exit', (code) => {
        children.delete(agentId);
        // Messages the worker posted just before it ended may still sit in the port: deliver them first, as
        // Node does for a worker's parentPort.
        const port = hostPorts.get(key);
        for (let m = port && receiveMessageOnPort(port); m; m = receiveMessageOnPort(port!)) modules.portMessage(key, toContext(m.message));
        if (errored) modules.workerEvent(agentId, 'error', 1, errored.message, errored.stack);
        modules.workerEvent(agentId, 'exit', code, '', '');
        post({ type: 'agent-exit', agent: agentId, code });
      });
      return agentId;
    },
    terminateWorker(agent: number): void { void children.get(agent)?.terminate(); },
    refWorker(agent: number, ref: boolean): void { const w = children.get(agent); if (ref) w?.ref(); else w?.unref(); },
    readFile(id: number, path: string): void {
      const found = bridge.resolveLessonFile(path);
      if (!found) {
        setImmediate(() => stat(init.runDir, () => modules.ioComplete(id, `ENOENT: no such lesson file '${path}'`, '')));
        return;
      }
      readFile(`${init.runDir}/${found}`, 'utf8', (err, text) => modules.ioComplete(id, err ? `${err.code}: cannot read '${path}'` : '', text ?? ''));
    },
    service(id: number, latencyMs: number): void {
      // A real I/O completion after the simulated latency, so the callback truly runs in the poll phase.
      setTimeout(() => stat(init.runDir, () => modules.ioComplete(id, '', '')), latencyMs);
    },
    signal(name: string, afterMs: number): void {
      setTimeout(() => stat(init.runDir, () => {
        if (!core.signal(name)) {
          core.flush();
          post({ type: 'exit', agent: init.agentId, code: name === 'SIGTERM' ? 143 : 130, signal: name });
          process.exit(name === 'SIGTERM' ? 143 : 130);
        }
      }), afterMs);
    },
    closeHandle(id: number): void {
      const { port1 } = new MessageChannel(); // a real handle: its close callback runs in libuv's close phase
      port1.on('close', () => core.dispatch(id, Phase.Close));
      port1.close();
    },
    cpus: () => availableParallelism(),
    memory(k: number): number {
      const m = process.memoryUsage();
      return [m.rss, m.heapTotal, m.heapUsed, m.external, m.arrayBuffers][k] ?? 0;
    },
    internal(on: boolean): void { internal = on; },
  });

  const config = Object.freeze({
    agentId: init.agentId,
    parentAgentId: init.parentAgentId,
    traced: init.traced,
    hostFrames: HOST_FRAMES,
    arity: EVENT_SPECS.map((s) => s.args.length),
    ring: { ...Ring, segments: ringSegments },
    frameFlavors: init.frameFlavors,
    lessonRoot: init.lessonRoot,
    entry: init.entry,
    nodeVersion: process.version,
    platform: process.platform,
    arch: process.arch,
    timeOriginMs: runStartMs,
    maxConsoleLines: init.limits.maxConsoleLines,
    externalMemoryMb: init.limits.externalMemoryMb,
    heapMb: init.limits.heapMb,
    packages: init.packages,
  });

  core = new vm.Script(BOOTSTRAP, { filename: 'loopscope:bootstrap' }).runInContext(context)(bridge, JSON.stringify(config)) as Core;
  {
    const internals = core.internals; // read before any lesson code runs
    views = {
      ring: new Int32Array(internals.ring.buffer as SharedArrayBuffer),
      ctl: new Int32Array(internals.ctl.buffer as SharedArrayBuffer),
      sbuf: new Uint16Array(internals.sbuf.buffer as SharedArrayBuffer),
    };
  }
  const { ring, ctl, sbuf } = views;
  post({ type: 'agent', agent: init.agentId, ring: ring.buffer as SharedArrayBuffer, control: ctl.buffer as SharedArrayBuffer, strings: sbuf.buffer as SharedArrayBuffer });
  // The lesson channel to the parent: workerData arrives on it first, then the lesson's messages.
  if (init.parentChannel) hostPorts.set(PARENT_PORT_KEY, init.parentChannel);
  modules = new vm.Script(MODULES, { filename: 'loopscope:modules' }).runInContext(context)(init.parentChannel ? PARENT_PORT_KEY : -1, core) as Modules;
  core.emit(EventKind.AgentStart, init.agentId, init.parentAgentId, init.name, init.entry);

  // ------------------------------------------------------------ promise hooks: what runs as a promise job
  const promiseIds = new WeakMap<object, number>();
  const reactionTask = new WeakMap<object, number>();
  const waiting = new WeakMap<object, number[]>();
  const settled = new WeakSet<object>();
  const HostPromiseProto = Promise.prototype;
  let promiseSeq = 0;
  let awaitWrapper: object | null = null;
  let forAwaitRequest: object | null = null;
  if (init.traced) {
    const guarded = <A extends unknown[]>(fn: (...args: A) => void) => (...args: A): void => {
      try {
        fn(...args);
      } catch (err) {
        // Lesson code reached from the tracer (a polluted prototype) threw inside a hook: end like Node would
        // for an exception nobody catches, instead of failing the sandbox.
        core.uncaught(err);
      }
    };
    promiseHooks.createHook({
      init: guarded((promise: Promise<unknown>, parent: Promise<unknown> | undefined) => {
        if (internal || Object.getPrototypeOf(promise) === HostPromiseProto) return;
        const id = ++promiseSeq;
        promiseIds.set(promise, id);
        const parentId = parent ? (promiseIds.get(parent) ?? -1) : -1;
        core.emit(EventKind.PromiseCreate, id, parentId);
        if (!parent && core.state.forAwaitArmed) {
          core.state.forAwaitArmed = false;
          forAwaitRequest = promise;
        }
        if (!parent || parentId < 0) return;
        // `await v`: V8 reacts to v itself when it is a native promise; otherwise it first wraps v in a new
        // promise (whose parent is the async function's own promise) and reacts to that wrapper.
        let awaiting = 0;
        if (core.state.pendingAwait) {
          const on = core.state.pendingAwaitOn;
          if (on === -1 && awaitWrapper === null) {
            awaitWrapper = promise;
            return; // the wrapper is not a job
          }
          if (parentId === on || parent === awaitWrapper) {
            awaiting = core.state.pendingAwait;
            core.state.pendingAwait = 0;
            awaitWrapper = null;
          }
        }
        if (!awaiting && parent === forAwaitRequest) {
          awaiting = core.state.forAwait;
          forAwaitRequest = null;
        }
        const task = core.state.nextTaskId();
        reactionTask.set(promise, task);
        core.emit(EventKind.TaskSchedule, task, awaiting ? TaskKind.AwaitContinuation : TaskKind.PromiseReaction, 0, core.state.currentTask, 0);
        if (settled.has(parent)) core.emit(EventKind.TaskRunnable, task);
        else {
          const list = waiting.get(parent);
          if (list) list.push(task); else waiting.set(parent, [task]);
        }
      }),
      settled: guarded((promise: Promise<unknown>) => {
        const id = promiseIds.get(promise);
        if (id === undefined) return;
        settled.add(promise);
        core.emit(EventKind.PromiseSettle, id, 0);
        const list = waiting.get(promise);
        if (list) {
          waiting.delete(promise);
          for (const task of list) core.emit(EventKind.TaskRunnable, task);
        }
      }),
      before: guarded((promise: Promise<unknown>) => {
        const task = reactionTask.get(promise);
        if (task !== undefined) core.reactionStart(task);
      }),
      after: guarded((promise: Promise<unknown>) => {
        const task = reactionTask.get(promise);
        if (task !== undefined) core.reactionEnd(task);
      }),
    });
  }
  process.on('unhandledRejection', (reason, promise) => core.unhandledRejection(reason, promise));
  process.on('beforeExit', () => core.flush());
  setInterval(() => core.flush(), 50).unref();

  // ------------------------------------------------------------ the script task
  const runScript = (): void => {
    core.emit(EventKind.TaskSchedule, 1, TaskKind.Script, 0, -1, 0);
    core.emit(EventKind.TaskRunnable, 1);
    core.runTask(1, TaskKind.Script, Phase.Main, () => core.runScript(init.scriptFrames[init.entry] ?? -1, () => modules.runEntry(init.entry)), undefined, []);
  };
  const isModule = files.get(init.entry)?.isModule ?? false;
  const begin = isModule ? (): void => queueMicrotask(runScript) : runScript; // ES modules evaluate inside a job
  if (init.parentAgentId < 0) setImmediate(begin); // like a main script: the loop starts after it
  else begin(); // like a real worker: its script runs inside the port message that started it
}


// ------------------------------------------------------------ entry
const port = parentPort!;
const data = workerData as { warm?: boolean } | AgentInit;
if ('warm' in data && data.warm) {
  // A warm worker for the run's main agent: wait for the run, then stop listening so an idle loop can end.
  port.once('message', (init: AgentInit) => {
    port.unref();
    start(init, port);
  });
} else {
  start(data as AgentInit, port);
}
