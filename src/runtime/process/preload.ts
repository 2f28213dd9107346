/**
 * Preloaded (`--import`) into every thread of a run process (runtime v2), before the lesson's entry runs as the
 * process's main script.
 *
 * Main thread: blocks on fd 3 until the host sends the run's configuration (one JSON line: this is how a warm
 * process waits for its lesson), closes fd 3, then shares the configuration with future worker threads through
 * worker_threads environment data. Every thread: starts its agent (agent.ts), registers the module hooks that
 * instrument lesson files as Node loads them. (`@loopscope/kit` and the bundled packages resolve through a node_modules
 * entry the host writes into the run folder: no resolve hook, whose frames would show in every require() stack.)
 *
 * Boundary: this code is trusted, the lesson is not, and both share the process. Nothing here is a security
 * layer — those are outside the process (OS sandbox, permission model, limits; see launcher.ts). What this code
 * must not do is change what the lesson sees beyond the documented: stdout/stderr writes go into the trace, the
 * Worker class is a subclass that names its agent, `process.argv[1]` is the entry, `Error.prepareStackTrace` is an
 * accessor that hands a lesson's function CallSites with the learner's positions (call-sites.ts). (Atomics operations
 * are recorded around the lesson's own calls: instrument/values.ts.)
 */
import { closeSync, readFileSync } from 'node:fs';
import { registerHooks, syncBuiltinESMExports } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { getCallSites as nodeGetCallSites, types as utilTypes } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { EventKind as K, Phase as PH, TaskKind as TK } from '../../shared/trace/schema.ts';
import type { instrumentNative } from '../instrument/index.ts';
import { PositionMap } from '../instrument/position-map.ts';
import { isTypeScriptPath } from '../instrument/strip-types.ts';
import { TRACER_GLOBAL } from '../instrument/tracer-global.ts';
import { startAgent } from './agent.ts';
import { warmUpStackCalls } from './stack-calls.ts';
import { installCallSiteMapping } from './call-sites.ts';
import { DRAIN_KEY, DRAIN_READY, takeDrainBoot } from './drain.ts';
import { startLocks } from './locks.ts';
import { CONTROL_FD, LaunchFlag, WARM_UP_LINE, readControlLine } from './control.ts';
import { traceDeliveries } from './deliveries.ts';
import { internalField, internalKey } from './node-internals.ts';
import { findPorts, portTable, tracePorts } from './ports.ts';
import { startValues } from './values.ts';
import { SharedSlot, WORKER_SEGMENTS, MAIN_SEGMENTS, type Ring } from './trace-writer.ts';
import { uninstrument } from './uninstrument.ts';
import { SafeMap, SafeWeakMap, SafeWeakSet } from './safe-collections.ts';
import { taBuffer } from './preview.ts';
import { collect } from './value-walk.ts';
import type { Worker as NodeWorker, WorkerOptions } from 'node:worker_threads';

// The module itself (the tracer wraps its Worker): a bundle's default import of a built-in is a copy of its properties.
const workerThreads = process.getBuiltinModule('node:worker_threads');
/** This worker's port to its parent (null in the main thread), taken before a lesson can replace it on the module. */
const threadParentPort = workerThreads.parentPort;

// Built-ins this file calls while lesson code runs, taken before the lesson can replace them.
const atomicsAdd = Atomics.add;
const applyCaptured = Reflect.apply;
const { stringify } = JSON;
const { assign, create } = Object;
const { startsWith, endsWith, includes, slice } = String.prototype;

export interface RunConfig {
  readonly runStartMs: number;
  readonly traced: boolean;
  readonly mode: 'function' | 'statement';
  readonly frameFlavors: string;
  /** Lesson code files by path (relative to the run folder), as the host instrumented them. */
  readonly modules: Readonly<Record<string, LessonModule>>;
  /** The run folder, absolute, with a trailing slash. */
  readonly runDir: string;
  readonly entry: string;
  readonly maxConsoleLines: number;
  readonly maxWorkers: number;
  /** Bare specifiers the lesson imports that live outside the run folder → absolute file (node_modules entries). */
  readonly packages: Readonly<Record<string, string>>;
}

/**
 * A lesson file as the host instrumented it for this run (process-run.ts): the load hook hands Node `code` while the
 * file on disk still reads `text`, so a run process never parses or instruments a lesson's files itself (acorn, the
 * walker and Node's type stripper would load in every run, and instrumenting an import() made after the lesson
 * replaced a built-in such as `Array.prototype.push` would call the lesson's).
 */
export interface LessonModule {
  /** The id of the file's first frame, as the host numbered them for the header. */
  readonly base: number;
  /** The file as the lesson has it. */
  readonly text: string;
  /** Instrumented (types stripped), without a source map. */
  readonly code: string;
  /** How the host parsed it (Node's own syntax detection for a .js or .ts file). */
  readonly isModule: boolean;
  /** The instrumentation's source map mappings (`code` → `text`). */
  readonly mappings: string;
}

const CONFIG_KEY = 'loopscope.config';
const SHARED_KEY = 'loopscope.shared';
const SPAWN_KEY = 'loopscope.spawn';


let configText: string;
let shared: Int32Array;
let agentId = 0;
let parentAgentId = -1;
let name = 'main';
let entryName: string;
let spawnedBuffers: number[] = [];
let spawnedPorts: number[] = [];
const dataViewBuffer = Object.getOwnPropertyDescriptor(DataView.prototype, 'buffer')!.get!;
/** A view's buffer through the captured getters (a lesson may redefine `buffer`), or the buffer itself. */
function bufferOf(v: object): unknown {
  if (utilTypes.isTypedArray(v)) return applyCaptured(taBuffer, v, []);
  if (utilTypes.isDataView(v)) return applyCaptured(dataViewBuffer, v, []);
  return v;
}
/** SharedArrayBuffers inside a value (a view's buffer when shared; at most 64), in a fixed walk order both ends of a
 * worker's start repeat (value-walk.ts). */
function findShared(value: unknown): SharedArrayBuffer[] {
  return collect(value, (v) => {
    if (!utilTypes.isSharedArrayBuffer(v) && !utilTypes.isArrayBufferView(v)) return null;
    const buffer = bufferOf(v);
    return utilTypes.isSharedArrayBuffer(buffer) ? buffer as SharedArrayBuffer : null;
  }, 64);
}
/**
 * A warm process starts Node's TypeScript type stripper while it waits for its lesson: Node strips a TypeScript ES
 * module's types to tell its format (`nextLoad` in the load hook below), and the stripper takes ~100 ms to start here
 * (plain node pays it before such a script too). Only when the host asks (control.ts `WARM_UP_LINE`): a process that
 * has waited a while for its lesson; not one whose lesson is on its way (a re-run, a one-shot `loopscope run`), which
 * would wait for it, for nothing if the lesson is JavaScript. entry.cjs leaves the loader on globalThis (it knows
 * where the file is); every thread takes it off before any lesson code runs.
 */
const warmUpLoader = (globalThis as Record<symbol, (() => void) | undefined>)[Symbol.for('loopscope.warm-up')];
delete (globalThis as Record<symbol, unknown>)[Symbol.for('loopscope.warm-up')];
function warmUpTypeStripper(): void {
  try { warmUpLoader?.(); } catch { /* the lesson's TypeScript starts it then, as in plain node */ }
}
let drainInfo: { channel?: string; threadId?: number } = {};
let mainRing: Ring | undefined;
if (workerThreads.isMainThread) {
  const boot = takeDrainBoot(); // the drain thread was started first (entry.cjs)
  ({ shared, ring: mainRing } = boot);
  // A process that waits for its lesson (the warm pool's) has V8 optimize the tracer's hot path meanwhile.
  if (boot.flags & LaunchFlag.WarmTracer) warmUpStackCalls();
  configText = readControlLine();
  while (configText === WARM_UP_LINE) {
    warmUpTypeStripper();
    configText = readControlLine();
  }
  closeSync(CONTROL_FD);
  if (!configText.trim()) process.exit(0); // the host closed the pipe: this warm process is not needed
  // A worker thread still starting keeps the event loop alive for a few milliseconds even when unref'd (plain node
  // too): a lesson started then ran an unref'd timer plain node never runs (`AbortSignal.timeout(5)` aborted, 8 runs
  // in 20 back to back under load). The lesson waits until the drain, if this run has one, is up (at once, in a
  // process that waited).
  if (workerThreads.getEnvironmentData(DRAIN_KEY) !== undefined) Atomics.wait(shared, SharedSlot.DrainUp, 0, 2000);
  workerThreads.setEnvironmentData(CONFIG_KEY, configText);
  workerThreads.setEnvironmentData(SHARED_KEY, shared.buffer as SharedArrayBuffer);
} else {
  configText = String(workerThreads.getEnvironmentData(CONFIG_KEY));
  shared = new Int32Array(workerThreads.getEnvironmentData(SHARED_KEY) as SharedArrayBuffer);
}
const config = JSON.parse(configText) as RunConfig;
// The lesson sees what `node main.js` shows: no flags. (Node starts a Worker with the flags it parsed, not with this
// array, so lesson workers keep the tracer and the permission model; see the Worker subclass for `execArgv: []`.)
process.execArgv = [];
try { drainInfo = JSON.parse(String(workerThreads.getEnvironmentData(DRAIN_KEY) ?? '{}')) as typeof drainInfo; } catch { /* a lesson overwrote it */ }
/** Threads Node numbered after the drain thread: one more than plain node would (see drain.ts startDrainThread). */
const threadShift = typeof drainInfo.threadId === 'number' && drainInfo.threadId > 0 ? 1 : 0;
if (workerThreads.isMainThread) {
  // An empty environment: whatever a launcher left (bubblewrap sets PWD for its --chdir) is not the lesson's.
  for (const key of Object.keys(process.env)) delete process.env[key];
  entryName = config.entry;
  process.argv[1] = config.runDir + config.entry;
} else {
  agentId = workerThreads.threadId - threadShift;
  let spawn: { parent?: number; file?: string; sab?: number[]; ports?: number[] } = {};
  try { spawn = JSON.parse(String(workerThreads.getEnvironmentData(SPAWN_KEY) ?? '{}')) as typeof spawn; } catch { /* a lesson overwrote it */ }
  parentAgentId = typeof spawn.parent === 'number' ? spawn.parent : 0;
  entryName = typeof spawn.file === 'string' ? spawn.file : '';
  name = `worker ${agentId}`;
  spawnedBuffers = Array.isArray(spawn.sab) ? spawn.sab : [];
  spawnedPorts = Array.isArray(spawn.ports) ? spawn.ports : [];
}

const agent = startAgent({
  agentId, parentAgentId, name, entry: entryName, traced: config.traced, frameFlavors: config.frameFlavors,
  runStartMs: config.runStartMs, maxConsoleLines: config.maxConsoleLines,
  segments: workerThreads.isMainThread ? MAIN_SEGMENTS : WORKER_SEGMENTS, ring: mainRing,
}, shared);
if (typeof drainInfo.channel === 'string') {
  // The main agent's ring went to the drain when it started; a worker's goes on the channel (again when the drain
  // says it listens, in case it was not yet). Until the drain has it, sealed segments wait and this agent's next
  // flush sends them — nothing is lost either way.
  try {
    if (workerThreads.isMainThread) agent.writer.useDrain();
    else {
      const channel = new workerThreads.BroadcastChannel(drainInfo.channel);
      const ring = agent.writer.ring;
      channel.onmessage = (event: unknown) => { if ((event as { data?: unknown }).data === DRAIN_READY) channel.postMessage(ring); };
      channel.postMessage(ring);
      (channel as unknown as { unref(): void }).unref();
      agent.writer.useDrain();
    }
  } catch { /* no drain: this agent sends everything itself */ }
}
if (threadShift && !workerThreads.isMainThread) {
  // What plain node would number this worker (see drain.ts startDrainThread).
  Object.defineProperty(workerThreads, 'threadId', { value: agentId, writable: false, configurable: true, enumerable: true });
}
// values.ts: watched values, named locks and views, shared element writes; locks.ts: async-mutex's locks (L)
const locks = startLocks(agent);
Object.defineProperty(globalThis, Symbol.for(TRACER_GLOBAL), { value: Object.freeze({ ...agent.tracer, ...startValues(agent, locks), L: locks.traceSemaphoreClass, locks, agent }), enumerable: false, configurable: false, writable: false });
// ports.ts: MessageChannel messages and port closes (the table is made before any lesson code, shared with workers)
const ports = config.traced ? tracePorts(agent, agentId, parentAgentId, portTable()) : null;
if (ports) ports.adoptSpawned(spawnedPorts, workerThreads.workerData);

if (spawnedBuffers.length) {
  const found = findShared(workerThreads.workerData);
  for (let i = 0; i < found.length && i < spawnedBuffers.length; i++) agent.adoptBuffer(found[i]!, spawnedBuffers[i]!);
}

// ---------------------------------------------------------------- modules: instrument lesson files as Node loads them
/** async-mutex's Semaphore class (a Mutex is one of capacity 1): its file hands the class to locks.ts. */
const SEMAPHORE_FILE = '/node_modules/async-mutex/lib/Semaphore.js';
function traceableSemaphore(url: string): { format: 'commonjs'; source: string; shortCircuit: true } {
  const source = `${readFileSync(fileURLToPath(url), 'utf8')}\n;globalThis[Symbol.for('${TRACER_GLOBAL}')].L(Semaphore);\n`;
  return { format: 'commonjs', source, shortCircuit: true };
}
const runDirUrl = pathToFileURL(config.runDir).href;
// The load hook runs while lesson code does (a require() or import() at any time): it calls no built-in a lesson can
// replace — string methods and decodeURIComponent are captured here, lesson files sit in a SafeMap.
const decodeUriComponent = decodeURIComponent;
const lessonModules = new SafeMap<string, LessonModule & { readonly positions: PositionMap; readonly typescript: boolean }>();
for (const [rel, m] of Object.entries(config.modules)) lessonModules.set(rel, { ...m, positions: new PositionMap(m.mappings), typescript: isTypeScriptPath(rel) });
const lessonMaps = new SafeMap<string, PositionMap>();
const mappedCallSites = installCallSiteMapping((fileName) => lessonMaps.get(fileName));
/** Node's format for a lesson file → how it parses it: true ES module, false CommonJS, undefined not decided yet (Node
 * detects module syntax in an ambiguous .js or .ts file: the instrumenter decides the same way), null not code. */
function parsedAsModule(format: unknown): boolean | undefined | null {
  if (format === undefined || format === null || format === 'typescript') return undefined;
  if (format === 'module' || format === 'module-typescript') return true;
  if (format === 'commonjs' || format === 'commonjs-typescript') return false;
  return null;
}
let instrumenter: typeof instrumentNative | undefined;
const takeInstrumenter = (globalThis as Record<symbol, (() => { instrumentNative: typeof instrumentNative }) | undefined>)[Symbol.for('loopscope.instrumenter')];
delete (globalThis as Record<symbol, unknown>)[Symbol.for('loopscope.instrumenter')];
/**
 * A lesson file the host's instrumentation does not fit: the lesson rewrote it before loading it, or Node parses it
 * otherwise than syntax detection did (a package.json "type" in the lesson). Instrumented here, as the host would —
 * the one case that loads the instrumenter into a run process, while lesson code runs.
 */
function instrumentHere(rel: string, text: string, base: number, asModule: boolean | undefined): { code: string; isModule: boolean; positions: PositionMap } | null {
  instrumenter ??= takeInstrumenter?.().instrumentNative;
  if (!instrumenter) return null;
  try {
    const out = instrumenter({ path: rel, text }, { mode: config.mode, frameIdBase: base, traced: config.traced, asModule });
    return { code: out.bare, isModule: out.isModule, positions: new PositionMap(out.map.mappings) };
  } catch {
    return null; // a syntax error: Node reports it, exactly as for plain node
  }
}
registerHooks({
  load(url, context, nextLoad) {
    if (config.traced && applyCaptured(endsWith, url, [SEMAPHORE_FILE])) return traceableSemaphore(url);
    if (!applyCaptured(startsWith, url, [runDirUrl]) || applyCaptured(includes, url, ['/node_modules/'])) return nextLoad(url, context);
    const rel = decodeUriComponent(applyCaptured(slice, url, [runDirUrl.length]) as string);
    const lesson = lessonModules.get(rel);
    const result = nextLoad(url, context);
    const asModule = parsedAsModule(result.format);
    if (lesson === undefined || asModule === null) return result;
    const text = readFileSync(fileURLToPath(url), 'utf8');
    const loaded = text === lesson.text && (asModule === undefined || asModule === lesson.isModule)
      ? lesson : instrumentHere(rel, text, lesson.base, asModule);
    if (!loaded) return result;
    lessonMaps.set(url, loaded.positions);
    lessonMaps.set(fileURLToPath(url), loaded.positions);
    // No inline source map (the run has no --enable-source-maps: call-sites.ts maps stack positions instead), and for
    // TypeScript the `sourceURL` Node's own type stripping appends, so frames and the uncaught header name the file
    // by its URL exactly as plain node does.
    return { format: loaded.isModule ? 'module' : 'commonjs', source: lesson.typescript ? `${loaded.code}\n\n//# sourceURL=${url}` : loaded.code, shortCircuit: true };
  },
});

// ---------------------------------------------------------------- scheduling APIs and timers/promises
// The modules themselves, not an import: the lesson's require() must get the wrapped functions, and a bundle's
// default import of a built-in is a copy of its properties (made at start-up: ~5 ms for the four modules it was).
const timersModule = process.getBuiltinModule('node:timers');
const timersPromises = process.getBuiltinModule('node:timers/promises');
agent.installSchedulers([timersModule as unknown as Record<string, unknown>]);
for (const [name, kind] of [['setTimeout', TK.Timeout], ['setImmediate', TK.Immediate]] as const) {
  const real = (timersPromises as unknown as Record<string, (...args: unknown[]) => unknown>)[name]!;
  Object.defineProperty(timersPromises, name, { value: agent.wrapPromiseTimer(real, kind), writable: true, configurable: true, enumerable: true });
}

// ---------------------------------------------------------------- messages: each delivery is a Message task
// Ids link a post to its receive on the worker ⇄ parent channel: both ends count that channel's messages in order.
const sentTo = new SafeMap<number, number>();
const receivedFrom = new SafeMap<number, number>();
function postId(target: number): number {
  if (target < 0) return -1;
  const n = (sentTo.get(target) ?? 0) + 1;
  sentTo.set(target, n);
  return (agentId << 20) | n;
}
function receiveId(sender: number): number {
  if (sender < 0) return -1;
  const n = (receivedFrom.get(sender) ?? 0) + 1;
  receivedFrom.set(sender, n);
  return (sender << 20) | n;
}
function peekPostId(target: number): number {
  return target < 0 ? -1 : (agentId << 20) | ((sentTo.get(target) ?? 0) + 1);
}
// deliveries.ts: each delivery on a port the lesson listens on is a Message task, opened with no runtime frame around
// the listeners. The 'message' listeners the lesson adds are Node's to call as they are; only the port is noted.
const deliveries = traceDeliveries(agent, (port) => port === threadParentPort || (ports?.traced(port) ?? false), (port, task, received, worker) => {
  const id = worker ? receiveId(workerAgents.get(worker) ?? -1) : port === threadParentPort ? receiveId(parentAgentId) : ports?.traced(port) ? ports.received(port) : -1;
  agent.writer.emit(K.MessageReceive, id, task);
  ports?.arrived(id, received); // ports it carried, before the listeners can use them
});
type Listener = (...args: unknown[]) => unknown;
const portProto = workerThreads.MessagePort.prototype as unknown as Record<string, Listener>;
for (const method of ['on', 'addListener', 'once', 'prependListener', 'addEventListener']) {
  const original = portProto[method];
  if (typeof original !== 'function') continue;
  Object.defineProperty(portProto, method, {
    value: { [method](this: object, type: unknown, ...rest: unknown[]): unknown {
      if (type === 'message' && this !== null && typeof this === 'object' && !agent.isInternal()) deliveries.listened(this);
      return applyCaptured(original, this, [type, ...rest]);
    } }[method],
    writable: true, configurable: true, enumerable: false,
  });
}
/**
 * Around a post the writer flushes: the trace orders agents' events by when their batches arrive, and whatever this
 * thread did before posting (writes to shared memory included) must come before what the receiver does after
 * receiving (flushed before the real post). The post itself is flushed right after it (the model tolerates a
 * receive that arrives first).
 */
function beforePost(): void {
  if (config.traced) agent.writer.flush();
}
function posted(id: number, target: number): void {
  agent.writer.emit(K.MessagePost, id, target);
  agent.writer.flush();
}
/** V8 quotes a function's source in DataCloneError messages: show the learner's, not the instrumented one. */
function cleanCloneError(err: unknown): unknown {
  if (err && typeof err === 'object' && typeof (err as Error).message === 'string' && (err as Error).message.includes('__ls$')) {
    try { Object.defineProperty(err, 'message', { value: uninstrument((err as Error).message), writable: true, configurable: true, enumerable: false }); } catch { /* frozen */ }
  }
  return err;
}
const realStructuredClone = globalThis.structuredClone;
Object.defineProperty(globalThis, 'structuredClone', {
  value: { structuredClone(...args: unknown[]): unknown { try { return applyCaptured(realStructuredClone, globalThis, args); } catch (err) { throw cleanCloneError(err); } } }.structuredClone,
  writable: true, configurable: true, enumerable: true,
});
const portPost = portProto.postMessage!;
Object.defineProperty(portProto, 'postMessage', {
  value: function postMessage(this: object, ...args: unknown[]): unknown {
    // Posts with ids both ends can count: a worker's parentPort (the worker ⇄ parent channel) and the ports of the
    // lesson's MessageChannels (ports.ts); a post on any other port (Node's own) would stay "in flight" forever.
    // A thread's events up to a message are out before the receiver can react to it (it may print, or terminate
    // the worker, at once).
    const parent = this === threadParentPort && !agent.isInternal();
    if (!parent && ports && !agent.isInternal() && ports.isBroadcast(this)) {
      // A BroadcastChannel's post (through its internal port): one message to each other instance of its name.
      beforePost();
      let out: ReturnType<typeof ports.postBroadcast>;
      try { out = ports.postBroadcast(this, () => applyCaptured(portPost, this, args)); } catch (err) { throw cleanCloneError(err); }
      for (let i = 0; i < out.sent.length; i++) agent.writer.emit(K.MessagePost, out.sent[i]!.id, out.sent[i]!.target);
      agent.writer.flush();
      return out.value;
    }
    const next = parent || !ports || agent.isInternal() ? null : ports.nextPost(this);
    const carrier = parent ? peekPostId(parentAgentId) : next ? next.id : -1;
    const carried = ports && carrier >= 0 ? ports.send(carrier, args[1], parent ? parentAgentId : next ? next.target : -1) : null;
    let r: unknown;
    if (parent || next) beforePost();
    try { r = applyCaptured(portPost, this, args); } catch (err) { carried?.undo(); throw cleanCloneError(err); }
    if (config.traced && parent) posted(postId(parentAgentId), parentAgentId);
    else if (next) { next.commit(); posted(next.id, next.target); }
    return r;
  },
  writable: true, configurable: true, enumerable: false,
});

// ---------------------------------------------------------------- workers: real threads, each its own agent
const RealWorker = workerThreads.Worker;
/**
 * Each lesson Worker's agent id: its threadId (shifted, see drain.ts startDrainThread), kept because Node sets `threadId` to -1 once
 * the thread exited.
 */
const workerAgents = new SafeWeakMap<object, number>();
/** Workers this thread is terminating: it holds the trace pipe's lock until each one's 'exit' (trace-writer.ts `holdPipe`). */
const terminating = new SafeWeakSet<object>();
/**
 * Node's C++ handle of each running worker this thread made, by agent id: how to ask whether its thread is gone
 * (`workerGone`). Kept here because Node drops the worker's `[kHandle]` before it emits 'error' and 'exit'.
 */
const workerHandles = new SafeMap<number, object>();
let handleKey: symbol | undefined;
let loopIdleTime: ((this: object) => number) | undefined;
/** Node's C++ worker handle (`[kHandle]`): its `loopIdleTime()` is -1 once the thread stopped, even before 'exit'. */
function workerHandle(worker: object): object | null {
  handleKey ??= internalKey(worker, 'kHandle');
  const handle = internalField(worker, handleKey);
  return handle !== null && typeof handle === 'object' ? handle : null;
}
/**
 * Whether the thread of this thread's worker `agent` stopped. Asked while this thread waits for the trace pipe's lock
 * (trace-writer.ts): a worker stopped by its resourceLimits while it held the lock never lets go, and its 'exit' —
 * where the lock is freed otherwise — cannot come while this thread waits.
 */
function workerGone(agent: number): boolean {
  const handle = workerHandles.get(agent);
  if (!handle) return false;
  loopIdleTime ??= (Object.getPrototypeOf(handle) as { loopIdleTime?: (this: object) => number }).loopIdleTime;
  return typeof loopIdleTime === 'function' && applyCaptured(loopIdleTime, handle, []) === -1;
}
agent.writer.whenPipeStuck(workerGone);
const urlHref = Object.getOwnPropertyDescriptor(URL.prototype, 'href')!.get!;
/** A Worker's file as the lesson named it (a path or a file: URL), relative to the run folder — read without
 * calling the lesson's String or URL methods (Node accepts only a string or a URL; anything else names nothing). */
function lessonPath(file: unknown): string {
  let shown = '';
  if (typeof file === 'string') shown = file;
  else try { shown = applyCaptured(urlHref, file, []) as string; } catch { /* not a URL */ }
  const bases = [runDirUrl, config.runDir, './'];
  for (let i = 0; i < bases.length; i++) {
    if (applyCaptured(startsWith, shown, [bases[i]])) return applyCaptured(slice, shown, [bases[i]!.length]) as string;
  }
  return shown;
}
/** Node's `threadId` getter: -1 once the thread exited. */
const realThreadId = Object.getOwnPropertyDescriptor(RealWorker.prototype, 'threadId')?.get;
class Worker extends RealWorker {
  constructor(file: string | URL, options?: WorkerOptions) {
    const n = atomicsAdd(shared, SharedSlot.Workers, 1) + 1;
    if (n > config.maxWorkers) {
      agent.writer.control({ t: 'limit', what: 'workers', detail: String(config.maxWorkers) });
      throw new Error(`Worker limit reached: a run may create at most ${config.maxWorkers} workers`);
    }
    const rel = lessonPath(file);
    const buffers = findShared(options?.workerData);
    let sab = '';
    for (let i = 0; i < buffers.length; i++) sab += `${i ? ',' : ''}${agent.sharedBufferId(buffers[i]!, 4)}`;
    const ends = ports?.spawnEnds(options?.workerData) ?? [];
    let portList = '';
    for (let i = 0; i < ends.length; i++) portList += `${i ? ',' : ''}${ends[i]!}`;
    // `execArgv: []` (or `process.execArgv`, which is [] here) means "no flags", as the thread already has in plain
    // node: leave it out so the thread inherits the run's flags — any execArgv would drop the tracer and the
    // permission model in it. The options are copied without a prototype, so nothing inherited adds one back.
    if (options && Array.isArray(options.execArgv) && options.execArgv.length === 0) {
      const copy = assign(create(null) as WorkerOptions, options);
      delete (copy as { execArgv?: unknown }).execArgv;
      options = copy;
    }
    // Written by hand: JSON.stringify of an object or array asks Object.prototype for a toJSON (the lesson's).
    workerThreads.setEnvironmentData(SPAWN_KEY, `{"parent":${agentId},"file":${stringify(rel)},"sab":[${sab}],"ports":[${portList}]}`);
    // Node's own start-up of the thread (its internal port, listeners, ticks and the load message) is not the
    // lesson's activity: untraced, as plain node shows none of it.
    agent.beginInternal();
    try { super(file, options); } finally { agent.endInternal(); }
    workerAgents.set(this, this.threadId);
    // (found now, before the lesson could have touched Symbol.prototype)
    const handle = workerHandle(this);
    if (handle) workerHandles.set(this.threadId, handle);
    deliveries.worker(this);
    ports?.spawned(options?.workerData, this.threadId);
    agent.writer.emit(K.WorkerSpawn, this.threadId, rel);
  }

  override postMessage(...args: Parameters<NodeWorker['postMessage']>): void {
    beforePost();
    const child = workerAgents.get(this) ?? -1;
    const carried = ports?.send(peekPostId(child), args[1], child);
    try { super.postMessage(...args); } catch (err) { carried?.undo(); throw cleanCloneError(err); }
    if (config.traced) posted(postId(child), child);
  }

  override terminate(): Promise<number> {
    // Stopped while it wrote a frame, the worker would keep the pipe's lock for ever (every thread's next console
    // line, and the end of the run, would wait for it): it is stopped while this thread holds the lock.
    const running = realThreadId ? (applyCaptured(realThreadId, this, []) as number) >= 0 : false;
    if (running && !terminating.has(this)) { terminating.add(this); agent.writer.holdPipe(); }
    return super.terminate();
  }

}
/**
 * Node delivers a worker's events by calling `emit`. Its messages (and 'messageerror') come through its public port,
 * already a Message task (deliveries.ts): Node's forwarder gets EventEmitter's own `emit`, so no runtime frame stands
 * between it and the listeners. 'exit', 'error' and 'online' each run as a Message task in the poll phase.
 */
const realEmit = RealWorker.prototype.emit;
const tracedEmit = { emit(this: NodeWorker, event: string | symbol): boolean {
  // `arguments` as they came (a spread would iterate with an Array.prototype[Symbol.iterator] the lesson may replace).
  // eslint-disable-next-line prefer-rest-params
  const args = arguments;
  // Node emits these from its own callbacks (nothing of the lesson's on the stack); a lesson calling emit itself
  // just emits.
  if ((event !== 'error' && event !== 'exit' && event !== 'online') || !agent.isIdle()) return applyCaptured(realEmit, this, args) as boolean;
  const child = workerAgents.get(this) ?? -1;
  // The task begins and ends here, not in a callback: each frame between Node's emit and the listeners would count
  // against Error.stackTraceLimit in a listener's stack (hidden there, they cut its last frames).
  const task = agent.beginTask(TK.Message, PH.Poll);
  let threw = true;
  try {
    if (event === 'exit') {
      const code: unknown = args[1];
      agent.writer.emit(K.WorkerExit, child, typeof code === 'number' ? code | 0 : 0);
      if (terminating.delete(this)) agent.writer.releasePipe();
      workerHandles.delete(child);
      agent.writer.releasePipeOf(child); // it may have died holding it
      ports?.agentEnded(child); // its BroadcastChannels receive nothing more
    }
    const r = applyCaptured(realEmit, this, args) as boolean;
    threw = false;
    return r;
  } finally {
    agent.endTask(task, TK.Message, threw);
  }
} }.emit;
Object.defineProperty(Worker.prototype, 'emit', {
  get(this: object): unknown { return deliveries.forwarding(this) ? realEmit : tracedEmit; },
  // An assignment makes the worker's own `emit`, as it would on a plain Worker.
  set(this: object, value: unknown): void { Object.defineProperty(this, 'emit', { value, writable: true, configurable: true, enumerable: true }); },
  enumerable: false, configurable: true,
});
// `threadId`: the id plain node would give this worker (the drain thread took one; see drain.ts startDrainThread). Node defines it
// as a getter on Worker.prototype.
if (realThreadId && threadShift) {
  Object.defineProperty(Worker.prototype, 'threadId', {
    get: { threadId(this: object): number { const id = applyCaptured(realThreadId, this, []) as number; return id > 0 ? id - threadShift : id; } }.threadId,
    enumerable: false, configurable: true,
  });
}
Object.defineProperty(workerThreads, 'Worker', { value: Worker, writable: true, configurable: true, enumerable: true });

// ---------------------------------------------------------------- MessageChannel: its ports' messages (ports.ts)
/** Stand-ins the lesson reaches in place of Node's own functions: `toString` shows the original's text. */
const shownAs = new SafeWeakMap<object, object>();
if (ports) {
  const tracer = ports;
  const RealMessageChannel = workerThreads.MessageChannel;
  /** The lesson's channels: the same class underneath; each new one has its two ends numbered for the trace. */
  const MessageChannel = class MessageChannel extends RealMessageChannel {
    constructor() {
      super();
      tracer.channel(this.port1, this.port2);
    }
  };
  shownAs.set(MessageChannel, RealMessageChannel);
  /** Puts `value` in place of Node's class `name` in worker_threads and as the global. */
  const replaceClass = (name: 'MessageChannel' | 'BroadcastChannel', value: unknown): void => {
    Object.defineProperty(workerThreads, name, { value, writable: true, configurable: true, enumerable: true });
    // The global: Node's may be loaded on first use (an accessor that turns into a data property on a get or a set),
    // so it behaves the same; a data property already stays one.
    const setGlobal = (v: unknown): void => { Object.defineProperty(globalThis, name, { writable: true, value: v }); };
    const own = Object.getOwnPropertyDescriptor(globalThis, name);
    if (!own) return;
    if ('value' in own) { setGlobal(value); return; }
    const lazy = Object.getOwnPropertyDescriptor({
      get [name](): unknown { setGlobal(value); return value; },
      set [name](v: unknown) { setGlobal(v); },
    }, name)!;
    Object.defineProperty(globalThis, name, { get: lazy.get, set: lazy.set, enumerable: false, configurable: true });
  };
  replaceClass('MessageChannel', MessageChannel);
  // BroadcastChannel: Node's posts and receives through a MessagePort it keeps under a symbol (kHandle); joining the
  // name's group and numbering the instance happen under the tracer's lock (ports.ts `broadcast`), so no post from
  // another thread can reach the new instance uncounted. The instance's name is read back from Node's own field
  // (converting the argument again would call a lesson's toString twice).
  const RealBroadcastChannel = workerThreads.BroadcastChannel;
  if (typeof RealBroadcastChannel === 'function') {
    const BroadcastChannel = class BroadcastChannel extends RealBroadcastChannel {
      constructor(name: string) {
        const none = arguments.length === 0; // passed on as called: a missing name throws as in plain node
        tracer.lock();
        try {
          // @ts-expect-error -- Node's own check of the missing argument
          if (none) super(); else super(name);
          const handle = internalField(this, 'kHandle');
          const shown = internalField(this, 'kName');
          if (handle !== null && typeof handle === 'object' && typeof shown === 'string') tracer.broadcast(handle, shown);
        } finally { tracer.unlock(); }
      }
    };
    shownAs.set(BroadcastChannel, RealBroadcastChannel);
    replaceClass('BroadcastChannel', BroadcastChannel);
  }
  // A message taken synchronously is received too (no task runs for it); counting it keeps later ids in step.
  const realReceive = workerThreads.receiveMessageOnPort;
  const receive = { receiveMessageOnPort(port: unknown): ReturnType<typeof realReceive> {
      // eslint-disable-next-line prefer-rest-params -- passed on as called, without iterating a lesson-replaceable array
      const r = applyCaptured(realReceive, undefined, arguments) as ReturnType<typeof realReceive>;
      if (r !== undefined && port !== null && typeof port === 'object' && ports.traced(port)) {
        const id = ports.received(port);
        agent.writer.emit(K.MessageReceive, id, -1);
        ports.arrived(id, findPorts((r as { message?: unknown }).message));
      }
      return r;
    } }.receiveMessageOnPort;
  shownAs.set(receive, realReceive);
  Object.defineProperty(workerThreads, 'receiveMessageOnPort', { value: receive, writable: true, configurable: true, enumerable: true });
}

// ---------------------------------------------------------------- the permission model's own start-up warning
// Node warns that --allow-worker weakens the permission model: printing is off (--disable-warning=PERM0006), but
// the 'warning' event is still queued (a tick) and a lesson listening for warnings would get it. It is about the
// runtime's flags, not the lesson: run the start-up ticks now, before any lesson code can listen.
if (workerThreads.isMainThread) (process as unknown as { _tickCallback?: () => void })._tickCallback?.();

// ---------------------------------------------------------------- process.exit, toString
const realExit = process.exit.bind(process);
if (workerThreads.isMainThread) Object.defineProperty(process, 'exit', {
  value: function exit(...args: [code?: number | string | null]): never {
    const code = args[0];
    const c = code === undefined || code === null ? (process.exitCode === undefined ? 0 : Number(process.exitCode) | 0) : Number(code) | 0;
    agent.writer.control({ t: 'exit', code: c });
    // No argument means "use process.exitCode": pass none on, exactly as called.
    return args.length === 0 ? realExit() : realExit(code as number);
  },
  writable: true, configurable: true, enumerable: false,
});
if (config.traced) {
  const realToString = Function.prototype.toString;
  Object.defineProperty(Function.prototype, 'toString', {
    value: { toString(this: unknown) { return uninstrument(applyCaptured(realToString, shownAs.get(this as object) ?? this, [])); } }.toString,
    writable: true, configurable: true, enumerable: false,
  });
}
// util.getCallSites: the learner's positions, without the runtime's frames (call-sites.ts; an untraced run's lesson
// files are not rewritten)
if (config.traced && mappedCallSites) {
  shownAs.set(mappedCallSites.getCallSites, nodeGetCallSites);
  Object.defineProperty(process.getBuiltinModule('node:util'), 'getCallSites', { value: mappedCallSites.getCallSites, writable: true, configurable: true, enumerable: true });
}
syncBuiltinESMExports();

// ---------------------------------------------------------------- the lesson starts on a clean slate
// The tracer's start-up (its bundle, the configuration with the lesson's code, the drain's boot) leaves the young
// generation nearly full, and V8 scavenged it in the lesson's first loop turn: the script's first setImmediate ran
// 3.4–10 ms after the script (plain node: 0.1–0.4 ms), and that turn outlasted an unref'd `AbortSignal.timeout(5)`,
// which fired in 20 runs of 20 (plain node: never). Collected here, it is not the lesson's: 0.7 ms and 0 of 20.
if (workerThreads.isMainThread) collectYoungGarbage();
// The agent's first events name it and its file: strings, which only this thread can send (trace-writer.ts). Left in
// the open segment, they made its first seal a send from this thread — 256 KiB through the pipe, waiting for the host
// to read it, in the middle of the lesson (the first fib(20) of a traced run took 11–20 ms, plain node's 0.7 ms).
// Sent now, before any lesson code, the segment carries none and its seal goes to the drain thread.
agent.writer.flush();

/** A scavenge, now: V8's `gc({ type: 'minor' })`, reached as Node's own tests do, through a throwaway context made
 * while `--expose-gc` is on (it is off again before any context of the lesson's can be made). */
function collectYoungGarbage(): void {
  let gc: unknown;
  try {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc');
  } catch { /* no scavenge: the lesson's first loop turn pays it */ } finally {
    setFlagsFromString('--no-expose-gc');
  }
  if (typeof gc === 'function') (gc as (options: { type: 'minor' }) => void)({ type: 'minor' });
}
