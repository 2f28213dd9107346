/**
 * The tracer of one agent of a run process (runtime v2): the main thread or a lesson's worker thread, each with its
 * own TraceWriter. It only observes real Node:
 * - the stack, from the calls the instrumentation put in lesson code (`e`/`x`/`u`/`r`/`t`/`m` on a global symbol);
 * - tasks, from async_hooks (timers, immediates, ticks, queueMicrotask, I/O, messages, signals) and V8's promise
 *   hooks (reactions and await continuations: which promise a job belongs to);
 * - console output, by taking over `process.stdout.write` / `process.stderr.write` of this thread (the text goes
 *   into the trace instead of the pipe; the host prints what the trace says);
 * - workers, through a subclass of `Worker` that names the child agent (its threadId) in the trace.
 * Everything the lesson can call is validated: a forged id writes nothing.
 */
import { promiseHooks } from 'node:v8';
import { EVENT_SPECS, EventKind as K, Phase as PH, TaskKind as TK } from '../../shared/trace/schema.ts';
import { PACKED_LIMIT, SharedSlot, TraceWriter, type Ring } from './trace-writer.ts';

export interface AgentConfig {
  readonly agentId: number;
  readonly parentAgentId: number;
  readonly name: string;
  readonly entry: string;
  readonly traced: boolean;
  readonly frameFlavors: string;
  readonly runStartMs: number;
  readonly maxConsoleLines: number;
  /** Segments of this agent's trace ring (trace-writer.ts), or the ring itself when allocated ahead. */
  readonly segments?: number;
  readonly ring?: Ring;
}

const ARITY = EVENT_SPECS.map((s) => s.args.length);

interface TaskInfo {
  id: number;
  kind: number;
  due: number;
  delayMs: number;
  runnable: boolean;
  ran: boolean;
}

export interface Agent {
  readonly writer: TraceWriter;
  readonly tracer: Record<string, (...args: never[]) => unknown>;
  /** Console output of this thread into the trace (stream 0/1 line, 2/3 raw). */
  console(stream: 0 | 1, text: string): void;
  /** Starts a task (kit I/O, signals, messages) around `fn`. */
  runTask<T>(kind: number, phase: number, label: string, fn: (taskId: number) => T): T;
  /** Replaces the scheduling functions on globalThis and on each of `targets` (the timers module). */
  installSchedulers(targets: Record<string, unknown>[]): void;
  wrapPromiseTimer(real: (...args: unknown[]) => unknown, kind: number): (...args: unknown[]) => unknown;
  bufferId(ta: unknown): number;
  /** This agent's id for a SharedArrayBuffer (assigned on first sight). */
  sharedBufferId(buf: object, elementSize: number): number;
  /** Takes the id another agent gave a buffer it shared with this one (so both lanes name one buffer). */
  adoptBuffer(buf: object, id: number): void;
  finish(): void;
}

export function startAgent(config: AgentConfig, shared: Int32Array): Agent {
  const w = new TraceWriter(config.agentId, shared, config.runStartMs, ARITY, config.segments, config.ring);
  const traced = config.traced;
  const flavor = new Uint8Array(config.frameFlavors.length);
  for (let i = 0; i < flavor.length; i++) flavor[i] = config.frameFlavors.charCodeAt(i) - 48;

  // ---------------------------------------------------------------- stack (called by instrumented code)
  let inst = 0;
  const asyncFrame = new Map<number, number>();
  const suspended = new Set<number>();
  const mainStack: number[] = [];
  let pendingAwait = 0;
  let pendingAwaitOn = -1;
  let forAwait = 0;
  let forAwaitArmed = false;
  let scriptInstance = 0;

  // The hot path: every call of a lesson function runs `enter` and `exit` (fib(27): 630 000 calls, a few ns each
  // untraced). Keep them small so V8 inlines them early — most of a short program runs before it is optimized —
  // with one check that rejects every forged argument: `flavor[fid]` is undefined for anything but a frame id.
  function enter(fid: number): number {
    const fl = typeof fid === 'number' ? flavor[fid] : undefined;
    if (fl === undefined) return 0;
    if (currentTask === 0 && started) thenableJob();
    const s = ++inst;
    w.packed(~(fid << 2));
    if (fl === 0) return s;
    asyncFrame.set(s, fid);
    return -s;
  }
  function instanceOf(s: number): number {
    if (typeof s !== 'number' || s !== (s | 0)) return 0;
    if (s < 0) s = -s;
    return s > 0 && s <= inst ? s : 0;
  }
  /** The innermost module top level still open (0: none): its exit also pops `mainStack`. */
  let mainTop = 0;
  function exit(s: number): void {
    // A plain function's exit (a positive instance that packs, not a module's top level): one word.
    if (typeof s === 'number' && s > 0 && s <= inst && s < PACKED_LIMIT && s !== mainTop) w.packed(~(s << 2 | 1));
    else exitSlow(s);
  }
  function exitSlow(s: number): void {
    if (instanceOf(s) === 0) return;
    if (s < 0) {
      s = -s;
      if (suspended.has(s)) resume(-s, undefined, 0);
      asyncFrame.delete(s);
    }
    if (s === mainTop) { mainStack.pop(); mainTop = mainStack.length ? mainStack[mainStack.length - 1]! : 0; }
    if (s < PACKED_LIMIT) w.packed(~(s << 2 | 1));
    else w.wideExit(K.Exit, s);
  }
  function suspend(s: number, v: unknown, how: number): unknown {
    s = s === 0 ? scriptInstance : instanceOf(s);
    if (how !== 0 && how !== 1 && how !== 2) how = 0;
    if (s === 0 || suspended.has(s)) return v;
    suspended.add(s);
    const fid = asyncFrame.get(s) ?? -1;
    const pid = v !== null && (typeof v === 'object' || typeof v === 'function') ? (promiseIds.get(v as object) ?? -1) : -1;
    w.emit(K.Suspend, s, fid, pid, how);
    if (how === 0) { pendingAwait = s; pendingAwaitOn = pid; } else if (how === 2) { forAwait = s; forAwaitArmed = true; }
    return v;
  }
  function resume(s: number, v: unknown, how: number): unknown {
    s = s === 0 ? scriptInstance : instanceOf(s);
    if (how !== 0 && how !== 1 && how !== 2) how = 0;
    if (!suspended.has(s)) return v;
    suspended.delete(s);
    w.emit(K.Resume, s, asyncFrame.get(s) ?? -1, how);
    return v;
  }
  function statement(loc: number): void {
    // `loc` is a statement's frame id (instrument/walker.ts): the same one-load check as `enter`.
    if (typeof loc === 'number' && flavor[loc] !== undefined) w.packed(~(loc << 2 | 2));
  }
  /** A module's top-level code starts: the first one opens the agent's script task. */
  function enterMain(fid: number): number {
    if (!started && !ended) startScript();
    const s = enter(fid);
    const abs = s < 0 ? -s : s;
    if (abs > 0) { mainStack.push(abs); mainTop = abs; }
    if (scriptInstance === 0) scriptInstance = abs;
    return s;
  }

  // ---------------------------------------------------------------- tasks
  let started = false; // the script task opened: from here on, tasks are the lesson's
  let ended = false;
  let scriptOpen = false;
  let taskSeq = 1;
  let currentTask = 0;
  let currentPhase: number = PH.Main;
  let lastWasMacro = true;
  const stack: number[] = [];
  const timerInfo = new WeakMap<object, TaskInfo>();
  const pendingTimers = new Set<TaskInfo>();
  let threwTask = -1;

  function startScript(): void {
    started = true;
    scriptOpen = true;
    w.emit(K.TaskSchedule, 1, TK.Script, 0, -1, 0);
    w.emit(K.TaskRunnable, 1);
    w.emit(K.TaskStart, 1, PH.Main);
    currentTask = 1;
  }
  function closeScript(): void {
    if (!scriptOpen) return;
    scriptOpen = false;
    while (mainStack.length) exit(mainStack[mainStack.length - 1]!); // a module that threw never reached its end
    w.emit(K.TaskEnd, 1, threwTask === 1 ? 1 : 0);
    currentTask = 0;
    lastWasMacro = true;
  }
  let thenableTask = 0;
  function thenableJob(): void {
    const id = ++taskSeq;
    w.emit(K.TaskSchedule, id, TK.ThenableJob, 0, -1, 0);
    w.emit(K.TaskRunnable, id);
    if (lastWasMacro) { w.emit(K.MicrotaskCheckpoint, currentPhase); lastWasMacro = false; }
    w.emit(K.TaskStart, id, currentPhase);
    currentTask = thenableTask = id;
  }
  function closeThenableJob(): void {
    if (thenableTask === 0) return;
    w.emit(K.TaskEnd, thenableTask, 0);
    if (currentTask === thenableTask) currentTask = 0;
    thenableTask = 0;
  }
  function schedule(kind: number, delayMs: number, repeat: boolean, runnable: boolean): TaskInfo {
    const info: TaskInfo = { id: ++taskSeq, kind, due: w.now() + delayMs * 1000, delayMs, runnable, ran: false };
    w.emit(K.TaskSchedule, info.id, kind, (delayMs * 1000) | 0, currentTask, repeat ? 1 : 0);
    if (runnable) w.emit(K.TaskRunnable, info.id);
    return info;
  }
  function expireTimers(): void {
    if (pendingTimers.size === 0) return;
    const now = w.now();
    for (const t of pendingTimers) {
      if (!t.runnable && t.due <= now) { t.runnable = true; w.emit(K.TaskRunnable, t.id); pendingTimers.delete(t); }
    }
  }
  const isMicro = (kind: number): boolean => kind === TK.NextTick || kind === TK.Microtask || kind === TK.PromiseReaction || kind === TK.AwaitContinuation;
  function phaseOf(kind: number): number {
    switch (kind) {
      case TK.Timeout: case TK.Interval: return PH.Timers;
      case TK.Immediate: return PH.Check;
      case TK.Close: return PH.Close;
      default: return PH.Poll;
    }
  }
  function taskStart(id: number, kind: number): void {
    closeScript();
    closeThenableJob();
    if (!isMicro(kind)) currentPhase = phaseOf(kind);
    else if (lastWasMacro) { w.emit(K.MicrotaskCheckpoint, currentPhase); lastWasMacro = false; }
    w.emit(K.TaskStart, id, currentPhase);
    stack.push(currentTask);
    currentTask = id;
  }
  function taskEnd(id: number, kind: number): void {
    w.emit(K.TaskEnd, id, threwTask === id ? 1 : 0);
    currentTask = stack.length ? stack.pop()! : 0;
    if (!isMicro(kind)) {
      lastWasMacro = true;
      expireTimers();
    }
  }

  const internal = 0; // >0 while the tracer itself schedules something: not the lesson's task

  // ---------------------------------------------------------------- scheduling APIs: thin wrappers around Node's own
  // (async_hooks would see them too, but it marks every promise with symbols util.inspect prints)
  const realNextTick = process.nextTick;
  /** Wraps `fn` so its calls run as task `info` (every call of an interval's callback is a run of the same task). */
  function asTask<A extends unknown[], R>(info: TaskInfo, fn: (...args: A) => R): (...args: A) => R {
    return function (this: unknown, ...args: A): R {
      if (info.kind === TK.Timeout || info.kind === TK.Interval) expireTimers();
      if (!info.runnable) { info.runnable = true; w.emit(K.TaskRunnable, info.id); pendingTimers.delete(info); }
      info.ran = true;
      taskStart(info.id, info.kind);
      let threw = true;
      try {
        const r = Reflect.apply(fn, this, args) as R;
        threw = false;
        return r;
      } finally {
        if (threw) threwTask = info.id;
        taskEnd(info.id, info.kind);
        if (info.kind === TK.Interval) { info.runnable = false; info.due = w.now() + info.delayMs * 1000; pendingTimers.add(info); }
      }
    };
  }
  const delayOf = (ms: unknown): number => { const n = Number(ms); return n >= 1 && n <= 2147483647 ? Math.trunc(n) : 1; };
  type AnyFn = (...args: unknown[]) => unknown;
  function wrapTimer(real: AnyFn, kind: number): AnyFn {
    return function (this: unknown, fn: unknown, ...rest: unknown[]): unknown {
      if (typeof fn !== 'function' || !started || internal > 0) return Reflect.apply(real, this, [fn, ...rest]);
      const repeat = kind === TK.Interval;
      const info = kind === TK.Immediate ? schedule(kind, 0, false, true) : schedule(kind, delayOf(rest[0]), repeat, false);
      if (kind !== TK.Immediate) pendingTimers.add(info);
      const handle = Reflect.apply(real, this, [asTask(info, fn as AnyFn), ...rest]);
      if (handle && typeof handle === 'object') timerInfo.set(handle as object, info);
      return handle;
    };
  }
  function wrapClear(real: AnyFn): AnyFn {
    return function (this: unknown, handle: unknown): unknown {
      const info = handle && typeof handle === 'object' ? timerInfo.get(handle as object) : undefined;
      if (info && (!info.ran || info.kind === TK.Interval)) { w.emit(K.TaskCancel, info.id); pendingTimers.delete(info); timerInfo.delete(handle as object); }
      return Reflect.apply(real, this, [handle]);
    };
  }
  function wrapQueue(real: AnyFn, kind: number): AnyFn {
    return function (this: unknown, fn: unknown, ...rest: unknown[]): unknown {
      if (typeof fn !== 'function' || !started || internal > 0) return Reflect.apply(real, this, [fn, ...rest]);
      return Reflect.apply(real, this, [asTask(schedule(kind, 0, false, true), fn as AnyFn), ...rest]);
    };
  }
  function installSchedulers(targets: Record<string, unknown>[]): void {
    const g = globalThis as unknown as Record<string, AnyFn>;
    const wrapped: Record<string, AnyFn> = {
      setTimeout: wrapTimer(g.setTimeout!, TK.Timeout), setInterval: wrapTimer(g.setInterval!, TK.Interval),
      setImmediate: wrapTimer(g.setImmediate!, TK.Immediate), clearTimeout: wrapClear(g.clearTimeout!),
      clearInterval: wrapClear(g.clearInterval!), clearImmediate: wrapClear(g.clearImmediate!),
      queueMicrotask: wrapQueue(g.queueMicrotask!, TK.Microtask),
    };
    for (const [name, fn] of Object.entries(wrapped)) {
      const original = g[name]!;
      Object.defineProperty(fn, 'name', { value: original.name });
      Object.defineProperty(fn, 'length', { value: original.length });
      const custom = (original as unknown as Record<symbol, unknown>)[Symbol.for('nodejs.util.promisify.custom')];
      if (custom) Object.defineProperty(fn, Symbol.for('nodejs.util.promisify.custom'), { value: custom, configurable: true, writable: true });
      for (const target of [g as unknown as Record<string, unknown>, ...targets]) if (target[name] === original) Object.defineProperty(target, name, { value: fn, writable: true, configurable: true, enumerable: Object.getOwnPropertyDescriptor(target, name)?.enumerable ?? true });
    }
    const tick = wrapQueue(realNextTick as AnyFn, TK.NextTick);
    Object.defineProperty(tick, 'name', { value: 'nextTick' });
    process.nextTick = tick as typeof process.nextTick;
  }

  // timers/promises: Node's own promise timers; the timer's firing shows as a task when its promise settles
  const timerPromises = new WeakMap<object, TaskInfo>();
  function wrapPromiseTimer(real: AnyFn, kind: number): AnyFn {
    return function (this: unknown, ...args: unknown[]): unknown {
      const p = Reflect.apply(real, this, args);
      if (started && p && typeof p === 'object') {
        const info = kind === TK.Immediate ? schedule(kind, 0, false, true) : schedule(kind, delayOf(args[0]), false, false);
        timerPromises.set(p as object, info);
      }
      return p;
    };
  }
  function timerFired(promise: object): void {
    const info = timerPromises.get(promise);
    if (!info) return;
    timerPromises.delete(promise);
    if (!info.runnable) { info.runnable = true; w.emit(K.TaskRunnable, info.id); }
    closeScript();
    currentPhase = phaseOf(info.kind);
    w.emit(K.TaskStart, info.id, currentPhase);
    w.emit(K.TaskEnd, info.id, 0);
    lastWasMacro = true;
  }

  // ---------------------------------------------------------------- promise jobs (V8's hooks say which promise)
  const promiseIds = new WeakMap<object, number>();
  const reactionTask = new WeakMap<object, number>();
  const waiting = new WeakMap<object, number[]>();
  const settled = new WeakSet<object>();
  let promiseSeq = 0;
  let awaitWrapper: object | null = null;
  let forAwaitRequest: object | null = null;
  if (traced) {
    promiseHooks.createHook({
      init(promise: Promise<unknown>, parent?: Promise<unknown>) {
        if (!started || internal > 0) return;
        const id = ++promiseSeq;
        promiseIds.set(promise, id);
        const parentId = parent ? (promiseIds.get(parent) ?? -1) : -1;
        w.emit(K.PromiseCreate, id, parentId);
        if (!parent && forAwaitArmed) { forAwaitArmed = false; forAwaitRequest = promise; }
        if (!parent || parentId < 0) return;
        let awaiting = 0;
        if (pendingAwait) {
          if (pendingAwaitOn === -1 && awaitWrapper === null) { awaitWrapper = promise; return; }
          if (parentId === pendingAwaitOn || parent === awaitWrapper) { awaiting = pendingAwait; pendingAwait = 0; awaitWrapper = null; }
        }
        if (!awaiting && parent === forAwaitRequest) { awaiting = forAwait; forAwaitRequest = null; }
        const task = ++taskSeq;
        reactionTask.set(promise, task);
        w.emit(K.TaskSchedule, task, awaiting ? TK.AwaitContinuation : TK.PromiseReaction, 0, currentTask, 0);
        if (settled.has(parent)) w.emit(K.TaskRunnable, task);
        else {
          const list = waiting.get(parent);
          if (list) list.push(task); else waiting.set(parent, [task]);
        }
      },
      settled(promise: Promise<unknown>) {
        if (timerPromises.has(promise)) timerFired(promise);
        const id = promiseIds.get(promise);
        if (id === undefined) return;
        settled.add(promise);
        w.emit(K.PromiseSettle, id, 0);
        const list = waiting.get(promise);
        if (list) { waiting.delete(promise); for (const task of list) w.emit(K.TaskRunnable, task); }
      },
      before(promise: Promise<unknown>) {
        const task = reactionTask.get(promise);
        if (task !== undefined) taskStart(task, TK.PromiseReaction);
      },
      after(promise: Promise<unknown>) {
        const task = reactionTask.get(promise);
        if (task !== undefined && currentTask === task) taskEnd(task, TK.PromiseReaction);
      },
    });
  }

  // ---------------------------------------------------------------- errors and the end
  process.on('uncaughtExceptionMonitor', (err: unknown, origin: string) => {
    threwTask = currentTask;
    let message: string;
    let stackText = '';
    try {
      message = err instanceof Error ? String(err.message) : String(err);
      stackText = err instanceof Error && typeof err.stack === 'string' ? err.stack : message;
    } catch { message = '[error could not be described]'; }
    w.emit(K.Error, origin === 'unhandledRejection' ? 1 : 0, message, stackText);
    w.flush();
  });

  // ---------------------------------------------------------------- console output of this thread
  let lines = 0;
  let truncated = false;
  function consoleText(stream: 0 | 1, text: string): void {
    if (++lines > config.maxConsoleLines) {
      if (!truncated) { truncated = true; w.emit(K.Truncated, 0); }
      return;
    }
    if (text.endsWith('\n')) w.emit(K.Console, stream, text.slice(0, -1));
    else if (text.length) w.emit(K.Console, stream + 2, text);
    w.flush(); // what a program printed is out, as with a real pipe, even if the process is killed right after
  }
  for (const [stream, out] of [[0, process.stdout], [1, process.stderr]] as const) {
    const write = function write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
      // A string is written in its encoding (write('68690a', 'hex') prints "hi\n"); bytes are UTF-8 text on a pipe.
      const enc = typeof encoding === 'string' && Buffer.isEncoding(encoding) ? encoding : 'utf8';
      const text = typeof chunk === 'string' ? (enc === 'utf8' || enc === 'utf-8' ? chunk : Buffer.from(chunk, enc).toString('utf8')) : chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : String(chunk);
      consoleText(stream, text);
      const cb = typeof encoding === 'function' ? encoding : callback;
      if (typeof cb === 'function') Reflect.apply(realNextTick, process, [cb]);
      return true;
    };
    Object.defineProperty(out, 'write', { value: write, writable: true, configurable: true, enumerable: false });
  }

  w.emit(K.AgentStart, config.agentId, config.parentAgentId, config.name, config.entry);
  setInterval(() => w.flush(), 50).unref();
  process.on('exit', () => {
    closeScript();
    w.exiting = true;
    w.flush();
  });

  const atomicsBuffers = new WeakMap<object, number>();
  let bufferSeq = 0;
  return {
    writer: w,
    tracer: { e: enter, x: exit, u: suspend, r: resume, t: statement, m: enterMain } as unknown as Agent['tracer'],
    console: consoleText,
    installSchedulers,
    wrapPromiseTimer,
    runTask<T>(kind: number, phase: number, label: string, fn: (taskId: number) => T): T {
      if (!traced || !started) return fn(-1);
      const info = schedule(kind, 0, false, true);
      if (label) w.emit(K.TaskLabel, info.id, label);
      closeScript();
      closeThenableJob();
      currentPhase = phase;
      w.emit(K.TaskStart, info.id, phase);
      stack.push(currentTask);
      currentTask = info.id;
      let threw = true;
      try { const r = fn(info.id); threw = false; return r; } finally { if (threw) threwTask = info.id; taskEnd(info.id, kind); }
    },
    bufferId(ta: unknown): number {
      const buf = (ta as { buffer?: object } | null)?.buffer;
      if (!buf || typeof buf !== 'object') return -1;
      return this.sharedBufferId(buf, (ta as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1);
    },
    sharedBufferId(buf: object, elementSize: number): number {
      let id = atomicsBuffers.get(buf);
      if (id === undefined) {
        id = (config.agentId << 20) | ++bufferSeq;
        atomicsBuffers.set(buf, id);
        w.emit(K.SharedBuffer, id, (buf as ArrayBuffer).byteLength, elementSize);
      }
      return id;
    },
    adoptBuffer(buf: object, id: number): void {
      if (atomicsBuffers.has(buf) || !Number.isInteger(id)) return;
      atomicsBuffers.set(buf, id);
      w.emit(K.SharedBuffer, id, (buf as ArrayBuffer).byteLength, 4);
    },
    finish(): void {
      closeScript();
      ended = true;
      w.flush();
    },
  };
}

export { SharedSlot };
