/**
 * The tracer of one agent of a run process (runtime v2): the main thread or a lesson's worker thread, each with its
 * own TraceWriter. It only observes real Node:
 * - the stack, from the calls the instrumentation put in lesson code (`e`/`x`/`u`/`r`/`t`/`m` on a global symbol);
 * - tasks: setTimeout/setInterval/setImmediate/nextTick/queueMicrotask are thin wrappers that record the schedule;
 *   a lesson callback is handed to Node unwrapped and opens its task when it is entered (callback-tasks.ts says
 *   which one Node is running), so its stack frames are plain node's; other callbacks (native, bound) are wrapped.
 *   V8's promise hooks give reactions and await continuations (which promise a job belongs to);
 * - console output, by taking over `process.stdout.write` / `process.stderr.write` of this thread (the text goes
 *   into the trace instead of the pipe; the host prints what the trace says);
 * - workers, through a subclass of `Worker` that names the child agent (its threadId) in the trace.
 * Everything the lesson can call is validated: a forged id writes nothing.
 */
import { executionAsyncId } from 'node:async_hooks';
import { getCallSites as nodeGetCallSites, types } from 'node:util';
import { promiseHooks } from 'node:v8';
import { EVENT_SPECS, EventKind as K, Phase as PH, TaskKind as TK } from '../../shared/trace/schema.ts';
import { PACKED_LIMIT, SharedSlot, TraceWriter, type Ring } from './trace-writer.ts';
import { CallbackTasks, type CallbackTask } from './callback-tasks.ts';
import { consoleHostFrame } from './console-frame.ts';
import { IntStack, SafeMap, SafeSet, SafeWeakMap, SafeWeakSet } from './safe-collections.ts';
import { setRoots, stackCalls, stackState } from './stack-calls.ts';

/** Captured at start-up: a lesson may replace `Reflect.apply`, and the tracer must never call lesson code. */
/** Node's own, captured now: the lesson's `util.getCallSites` is a stand-in without the runtime's frames (call-sites.ts). */
const getCallSites = nodeGetCallSites;
const apply = Reflect.apply;
const toNumber = Number;
const { trunc } = Math;
const { endsWith, slice } = String.prototype;
const { isEncoding: bufferIsEncoding } = Buffer;
const bufferFrom = Buffer.from.bind(Buffer) as (value: string | Uint8Array, encoding?: BufferEncoding) => Buffer;
const bufferToString = Buffer.prototype.toString;
const sharedByteLength = Object.getOwnPropertyDescriptor(SharedArrayBuffer.prototype, 'byteLength')!.get!;
const arrayByteLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength')!.get!;
const { isSharedArrayBuffer, isArrayBuffer } = types;
/** A buffer's size through the getters captured at start-up (a lesson may redefine `byteLength`); 0: not a buffer. */
function byteLengthOf(buf: object): number {
  return isSharedArrayBuffer(buf) ? apply(sharedByteLength, buf, []) as number : isArrayBuffer(buf) ? apply(arrayByteLength, buf, []) as number : 0;
}
/** Bytes as UTF-8 text, through built-ins captured at start-up. */
const utf8 = (bytes: Buffer): string => apply(bufferToString, bytes, ['utf8']) as string;

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
  /**
   * `runTask` for a caller that runs the task's code itself, between these two (-1: nothing began), so that no frame
   * of the runtime's stands between Node and the lesson's listeners but the caller's own.
   */
  beginTask(kind: number, phase: number): number;
  endTask(taskId: number, kind: number, threw: boolean): void;
  /**
   * Node is about to deliver a message (deliveries.ts: a MessagePort's dispatch; the caller checks `isIdle`): a Message
   * task opens now, with no runtime frame around the listeners, and closes when Node is done with that callback — at
   * the next task, the first lesson code that runs outside the delivery's async context, or the microtask queued here,
   * whichever comes first. -1: nothing opened (an untraced run, or before the script started).
   */
  openDelivery(): number;
  /** No lesson frame on the stack and no task of the lesson open: Node itself is calling in. */
  isIdle(): boolean;
  /**
   * Kit I/O started now and completing later: the task is pending (on the stage) from this call; the returned
   * function runs `fn` as that task, in the poll phase, when the I/O completes.
   */
  pendingTask<A extends unknown[]>(kind: number, label: string, fn: (...args: A) => void): (...args: A) => void;
  /** Between these two, what Node's own machinery schedules (e.g. while constructing a Worker) is not traced. */
  beginInternal(): void;
  endInternal(): void;
  isInternal(): boolean;
  /** A timer the trace does not show (the kit's simulated latency is I/O, not a lesson timer). */
  readonly untracedSetTimeout: typeof setTimeout;
  /** Replaces the scheduling functions on globalThis and on each of `targets` (the timers module). */
  installSchedulers(targets: Record<string, unknown>[]): void;
  wrapPromiseTimer(real: (...args: unknown[]) => unknown, kind: number): (...args: unknown[]) => unknown;
  /** This agent's id for a SharedArrayBuffer (assigned on first sight). */
  sharedBufferId(buf: object, elementSize: number): number;
  /** Takes the id another agent gave a buffer it shared with this one (so both lanes name one buffer). */
  adoptBuffer(buf: object, id: number): void;
  finish(): void;
}

export function startAgent(config: AgentConfig, shared: Int32Array): Agent {
  const w = new TraceWriter(config.agentId, shared, config.runStartMs, ARITY, config.segments, config.ring);
  const realFunctionToString = Function.prototype.toString; // before the preload shows lesson functions' own source
  const startsWith = String.prototype.startsWith; // captured: a lesson may replace it
  const traced = config.traced;
  const flavor = new Uint8Array(config.frameFlavors.length);
  for (let i = 0; i < flavor.length; i++) flavor[i] = config.frameFlavors.charCodeAt(i) - 48;

  // ---------------------------------------------------------------- stack (called by instrumented code)
  const asyncFrame = new SafeMap<number, number>();
  const suspended = new SafeSet<number>();
  const mainStack = new IntStack();
  let pendingAwait = 0;
  let pendingAwaitOn = -1;
  let forAwait = 0;
  let forAwaitArmed = false;
  let scriptInstance = 0;
  /** Inside `enter`'s search for the callback being run (callback-tasks.ts): a nested entry does not search. */
  let asking = false;
  // The hot path (every call of a lesson function: fib(27) makes 630 000) is in stack-calls.ts; the rest is here.
  const st = stackState();
  const { enter, exit, statement } = stackCalls(w, flavor, st, { enter: enterSlow, exit: exitSlow });
  function enterSlow(fid: number, fl: number): number {
    let callback: CallbackTask<TaskInfo> | null = null;
    let opened = false;
    // A message delivery's task stays open while Node runs its listeners; lesson code entered from elsewhere (a tick
    // a listener queued, a stream callback) is past it.
    if (deliveryTask !== 0 && st.depth === 0 && currentTask === deliveryTask && executionAsyncId() !== deliveryAsyncId) closeDelivery();
    // No lesson frame on the stack and no task but a finished (or awaiting) script open: Node or V8 is calling in.
    if (st.depth === 0 && !asking && started && (currentTask === 0 || (scriptOpen && currentTask === 1))) {
      // Finding the callback iterates Sets and arrays, whose methods a lesson may have replaced with its own
      // (instrumented) functions: their entry must not ask again, or the tracer recursed until the stack overflowed.
      asking = true;
      try {
        callback = callbacks.current();
        if (callback) startCallback(callback);
        else if (currentTask === 0) { thenableJob(); opened = true; }
      } finally {
        asking = false;
      }
    }
    st.depth++;
    const s = ++st.inst;
    w.packed(~(fid << 2));
    if (callback) { callbackRoot = { task: callback, instance: s }; setRoots(st, st.mainTop, s); }
    else if (opened) { thenableRoot = s; setRoots(st, st.mainTop, s); }
    if (fl === 0) return s;
    asyncFrame.set(s, fid);
    return -s;
  }
  function instanceOf(s: number): number {
    if (typeof s !== 'number' || s !== (s | 0)) return 0;
    if (s < 0) s = -s;
    return s > 0 && s <= st.inst ? s : 0;
  }
  /** The call that opened a thenable job (V8 or Node calling lesson code outside any known task): its return ends
   * that job, so a callback Node runs next (a timer after an 'uncaughtException' handler) is found as its own task. */
  let thenableRoot = 0;
  function endThenableRoot(s: number): void {
    if (s !== thenableRoot) return;
    thenableRoot = 0;
    if (st.rootInstance === s) setRoots(st, st.mainTop, 0);
    closeThenableJob();
  }
  function exitSlow(s: number): void {
    if (instanceOf(s) === 0) return;
    if (s < 0) {
      s = -s;
      if (suspended.has(s)) resume(-s, undefined, 0); // an await that threw: the frame is back on the stack
      asyncFrame.delete(s);
    }
    if (st.depth > 0) st.depth--;
    if (s === st.mainTop) { mainStack.pop(); setRoots(st, mainStack.top(), st.rootInstance); }
    if (s < PACKED_LIMIT) w.packed(~(s << 2 | 1));
    else w.wideExit(K.Exit, s);
    if (callbackRoot && callbackRoot.instance === s) endCallback();
    else if (s === thenableRoot) endThenableRoot(s);
  }
  function suspend(s: number, v: unknown, how: number): unknown {
    s = s === 0 ? scriptInstance : instanceOf(s);
    if (how !== 0 && how !== 1 && how !== 2) how = 0;
    if (s === 0 || suspended.has(s)) return v;
    suspended.add(s);
    if (st.depth > 0) st.depth--; // the frame leaves the stack until it resumes
    const fid = asyncFrame.get(s) ?? -1;
    const pid = v !== null && (typeof v === 'object' || typeof v === 'function') ? (promiseIds.get(v as object) ?? -1) : -1;
    w.emit(K.Suspend, s, fid, pid, how);
    if (how === 0) { pendingAwait = s; pendingAwaitOn = pid; } else if (how === 2) { forAwait = s; forAwaitArmed = true; }
    if (callbackRoot && callbackRoot.instance === s) endCallback(); // an async callback returns its promise here
    else if (s === thenableRoot) endThenableRoot(s);
    // A module suspended at a top-level await with nothing of the lesson left on the stack: the script's synchronous
    // run is over here (Node goes on to the microtasks and the event loop), not when the next task happens to start.
    if (st.depth === 0 && scriptOpen && currentTask === 1) endScriptTask();
    return v;
  }
  function resume(s: number, v: unknown, how: number): unknown {
    s = s === 0 ? scriptInstance : instanceOf(s);
    if (how !== 0 && how !== 1 && how !== 2) how = 0;
    if (!suspended.has(s)) return v;
    suspended.delete(s);
    st.depth++;
    w.emit(K.Resume, s, asyncFrame.get(s) ?? -1, how);
    return v;
  }
  /** A module's top-level code starts: the first one opens the agent's script task. */
  function enterMain(fid: number): number {
    if (!started && !ended) startScript();
    const s = enter(fid);
    const abs = s < 0 ? -s : s;
    if (abs > 0) { mainStack.push(abs); setRoots(st, abs, st.rootInstance); }
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
  const stack = new IntStack();
  const timerInfo = new SafeWeakMap<object, TaskInfo>();
  const pendingTimers = new SafeSet<TaskInfo>();
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
    while (mainStack.length && !suspended.has(mainStack.top())) exit(mainStack.top()); // a module that threw never reached its end
    endScriptTask();
  }
  function endScriptTask(): void {
    scriptOpen = false;
    w.emit(K.TaskEnd, 1, threwTask === 1 ? 1 : 0);
    currentTask = 0;
    lastWasMacro = true;
  }
  let thenableTask = 0;
  function thenableJob(): void {
    closeDelivery();
    const id = ++taskSeq;
    w.emit(K.TaskSchedule, id, TK.ThenableJob, 0, -1, 0);
    w.emit(K.TaskRunnable, id);
    if (lastWasMacro) { w.emit(K.MicrotaskCheckpoint, currentPhase); lastWasMacro = false; }
    w.emit(K.TaskStart, id, currentPhase);
    currentTask = thenableTask = id;
    callbacks.started('micro');
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
    closeDelivery();
    closeScript();
    closeThenableJob();
    callbacks.started(kind === TK.NextTick ? 'tick' : isMicro(kind) ? 'micro' : 'macro', id);
    if (!isMicro(kind)) currentPhase = phaseOf(kind);
    else if (lastWasMacro) { w.emit(K.MicrotaskCheckpoint, currentPhase); lastWasMacro = false; }
    w.emit(K.TaskStart, id, currentPhase);
    stack.push(currentTask);
    currentTask = id;
  }
  function taskEnd(id: number, kind: number): void {
    w.emit(K.TaskEnd, id, threwTask === id ? 1 : 0);
    currentTask = stack.pop();
    if (!isMicro(kind)) {
      lastWasMacro = true;
      expireTimers();
    }
  }

  // A message delivery's task (openDelivery): open while Node runs the listeners, in the port's async context.
  let deliveryTask = 0;
  let deliveryAsyncId = -1;
  function closeDelivery(): void {
    const id = deliveryTask;
    if (id === 0) return;
    deliveryTask = 0;
    if (currentTask === id) taskEnd(id, TK.Message);
    else w.emit(K.TaskEnd, id, threwTask === id ? 1 : 0);
  }
  /** Node's own queueMicrotask, before the trace wraps it: closes a delivery's task once Node's callback is over. */
  const untracedQueueMicrotask = globalThis.queueMicrotask;

  let internal = 0; // >0 while Node's own machinery (or the tracer) schedules something: not the lesson's task

  // ---------------------------------------------------------------- scheduling APIs: thin wrappers around Node's own
  // (async_hooks would see them too, but it marks every promise with symbols util.inspect prints)
  const realNextTick = process.nextTick;
  const untracedSetTimeout = globalThis.setTimeout;
  /** Wraps `fn` so its calls run as task `info` (every call of an interval's callback is a run of the same task). */
  function asTask<A extends unknown[], R>(info: TaskInfo, fn: (...args: A) => R): (...args: A) => R {
    return function (this: unknown, ...args: A): R {
      if (info.kind === TK.Timeout || info.kind === TK.Interval) expireTimers();
      if (!info.runnable) { info.runnable = true; w.emit(K.TaskRunnable, info.id); pendingTimers.delete(info); }
      info.ran = true;
      taskStart(info.id, info.kind);
      let threw = true;
      try {
        const r = apply(fn, this, args) as R;
        threw = false;
        return r;
      } finally {
        if (threw) threwTask = info.id;
        taskEnd(info.id, info.kind);
        if (info.kind === TK.Interval) { info.runnable = false; info.due = w.now() + info.delayMs * 1000; pendingTimers.add(info); }
      }
    };
  }
  // Lesson callbacks run unwrapped and report their own start (callback-tasks.ts): the task opens when the callback
  // is entered with no task open, and closes when that call returns (an async callback: at its first await).
  const callbacks = new CallbackTasks<TaskInfo>(realFunctionToString);
  let callbackRoot: { task: CallbackTask<TaskInfo>; instance: number } | null = null;
  function startCallback(task: CallbackTask<TaskInfo>): void {
    const info = task.info;
    if (info.kind === TK.Timeout || info.kind === TK.Interval) expireTimers();
    if (!info.runnable) { info.runnable = true; w.emit(K.TaskRunnable, info.id); pendingTimers.delete(info); }
    info.ran = true;
    taskStart(info.id, info.kind);
  }
  function endCallback(): void {
    const info = callbackRoot!.task.info;
    callbackRoot = null;
    setRoots(st, st.mainTop, 0);
    taskEnd(info.id, info.kind);
    if (info.kind === TK.Interval) { info.runnable = false; info.due = w.now() + info.delayMs * 1000; pendingTimers.add(info); }
  }
  /** A timer's delay as Node reads it (1 unless 1 ≤ ms ≤ 2³¹−1). An object's valueOf is the lesson's, which Node runs
   * once itself: the trace then shows 1. */
  const delayOf = (ms: unknown): number => {
    const n = typeof ms === 'number' ? ms : typeof ms === 'string' || typeof ms === 'boolean' || ms === undefined || ms === null ? toNumber(ms) : 1;
    return n >= 1 && n <= 2147483647 ? trunc(n) : 1;
  };
  type AnyFn = (...args: unknown[]) => unknown;
  function wrapTimer(real: AnyFn, kind: number): AnyFn {
    return function (this: unknown, fn: unknown): unknown {
      // The arguments object, passed on as it came (its callback swapped in place): a spread would iterate with the
      // Array.prototype[Symbol.iterator] a lesson may replace.
      // eslint-disable-next-line prefer-rest-params
      const args = arguments;
      if (typeof fn !== 'function' || !started || internal > 0) return apply(real, this, args);
      const self = callbacks.selfReporting(fn);
      if (!self && calledByNode()) return apply(real, this, args);
      const repeat = kind === TK.Interval;
      const info = kind === TK.Immediate ? schedule(kind, 0, false, true) : schedule(kind, delayOf(args[1]), repeat, false);
      if (kind !== TK.Immediate) pendingTimers.add(info);
      if (!self) args[0] = asTask(info, fn as AnyFn);
      const handle = apply(real, this, args);
      if (handle && typeof handle === 'object') {
        timerInfo.set(handle as object, info);
        if (self) callbacks.add({ id: info.id, info, queue: kind === TK.Immediate ? 'immediate' : 'timer', handle: handle as object, repeat: kind === TK.Interval, self });
      }
      return handle;
    };
  }
  /**
   * Node's own code schedules through the same functions (streams, a Worker's exit, events call process.nextTick and
   * setImmediate): those are not the lesson's tasks and plain node shows none of them. Asked only for callbacks that
   * are not lesson functions; util.getCallSites never runs a lesson's Error.prepareStackTrace.
   */
  function calledByNode(): boolean {
    const caller = getCallSites(3)[2]; // [this function, the wrapper, whoever called the wrapper]
    return caller !== undefined && apply(startsWith, caller.scriptName, ['node:']) as boolean;
  }
  function wrapClear(real: AnyFn): AnyFn {
    return function (this: unknown, handle: unknown): unknown {
      const info = handle && typeof handle === 'object' ? timerInfo.get(handle as object) : undefined;
      if (info && (!info.ran || info.kind === TK.Interval)) { w.emit(K.TaskCancel, info.id); pendingTimers.delete(info); timerInfo.delete(handle as object); callbacks.cancel(handle as object); }
      return apply(real, this, [handle]);
    };
  }
  function wrapQueue(real: AnyFn, kind: number): AnyFn {
    return function (this: unknown, fn: unknown): unknown {
      // eslint-disable-next-line prefer-rest-params
      const args = arguments; // as in wrapTimer
      if (typeof fn !== 'function' || !started || internal > 0) return apply(real, this, args);
      const self = callbacks.selfReporting(fn);
      if (!self && calledByNode()) return apply(real, this, args);
      const info = schedule(kind, 0, false, true);
      callbacks.add({ id: info.id, info, queue: kind === TK.NextTick ? 'tick' : 'micro', self });
      if (!self) args[0] = asTask(info, fn as AnyFn);
      return apply(real, this, args);
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
  const timerPromises = new SafeWeakMap<object, TaskInfo>();
  function wrapPromiseTimer(real: AnyFn, kind: number): AnyFn {
    return function (this: unknown, ...args: unknown[]): unknown {
      const p = apply(real, this, args);
      if (started && p && typeof p === 'object') {
        const info = kind === TK.Immediate ? schedule(kind, 0, false, true) : schedule(kind, delayOf(args[0]), false, false);
        timerPromises.set(p as object, info);
        // An abort clears Node's timer at once (its promise rejects a job later): the task is cancelled there. Only a
        // data property is read, so a lesson's getter runs exactly as often as under plain node.
        const options = args[kind === TK.Immediate ? 1 : 2];
        const d = options && typeof options === 'object' ? Object.getOwnPropertyDescriptor(options, 'signal') : undefined;
        const signal = d && 'value' in d ? d.value as unknown : undefined;
        if (signal instanceof AbortSignal && !signal.aborted) {
          signal.addEventListener('abort', () => {
            if (timerPromises.delete(p as object)) w.emit(K.TaskCancel, info.id);
          }, { once: true });
        }
      }
      return p;
    };
  }
  function timerFired(promise: object): void {
    const info = timerPromises.get(promise);
    if (!info) return;
    timerPromises.delete(promise);
    if (!info.runnable) { info.runnable = true; w.emit(K.TaskRunnable, info.id); }
    closeDelivery();
    closeScript();
    callbacks.started('macro');
    currentPhase = phaseOf(info.kind);
    w.emit(K.TaskStart, info.id, currentPhase);
    w.emit(K.TaskEnd, info.id, 0);
    lastWasMacro = true;
  }

  // ---------------------------------------------------------------- promise jobs (V8's hooks say which promise)
  const promiseIds = new SafeWeakMap<object, number>();
  const reactionTask = new SafeWeakMap<object, number>();
  const waiting = new SafeWeakMap<object, IntStack>();
  const settled = new SafeWeakSet<object>();
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
          if (list) list.push(task);
          else { const tasks = new IntStack(); tasks.push(task); waiting.set(parent, tasks); }
        }
      },
      settled(promise: Promise<unknown>) {
        if (timerPromises.has(promise)) timerFired(promise);
        const id = promiseIds.get(promise);
        if (id === undefined) return;
        settled.add(promise);
        w.emit(K.PromiseSettle, id, 0);
        const list = waiting.get(promise);
        if (list) { waiting.delete(promise); for (let i = 0; i < list.length; i++) w.emit(K.TaskRunnable, list.at(i)); }
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
    st.depth = 0; // the stack unwound to Node
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
  /** `hostFrame`: the console method writing (console-frame.ts), drawn on the stack around the line; -1: none. */
  function consoleText(stream: 0 | 1, text: string, hostFrame = -1): void {
    if (++lines > config.maxConsoleLines) {
      if (!truncated) { truncated = true; w.emit(K.Truncated, 0); }
      return;
    }
    const s = traced && hostFrame >= 0 ? enter(hostFrame) : 0;
    if (apply(endsWith, text, ['\n'])) w.emit(K.Console, stream, apply(slice, text, [0, -1]) as string);
    else if (text.length) w.emit(K.Console, stream + 2, text);
    if (s !== 0) exit(s);
    w.flush(); // what a program printed is out, as with a real pipe, even if the process is killed right after
  }
  function takeOver(stream: 0 | 1, out: NodeJS.WriteStream): void {
    const write = function write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
      // A string is written in its encoding (write('68690a', 'hex') prints "hi\n"); bytes are UTF-8 text on a pipe.
      const enc = typeof encoding === 'string' && bufferIsEncoding(encoding) ? encoding : 'utf8';
      const text = typeof chunk === 'string' ? (enc === 'utf8' || enc === 'utf-8' ? chunk : utf8(bufferFrom(chunk, enc))) : chunk instanceof Uint8Array ? utf8(bufferFrom(chunk)) : String(chunk);
      consoleText(stream, text, traced ? consoleHostFrame(write) : -1);
      const cb = typeof encoding === 'function' ? encoding : callback;
      if (typeof cb === 'function') apply(realNextTick, process, [cb]);
      return true;
    };
    Object.defineProperty(out, 'write', { value: write, writable: true, configurable: true, enumerable: false });
  }
  // Node creates process.stdout/stderr on first use, and that costs what it costs in plain node (loading the stream
  // and socket modules, a few ms): a lesson's first console.log pays it in plain node, so it pays it here too —
  // `setTimeout(f, 3); setImmediate(g); console.log()` at top level runs the timer first only because of it. So the
  // streams are taken over when first used: Node's own getter is put back and runs, then `write` is replaced.
  for (const [stream, name] of [[0, 'stdout'], [1, 'stderr']] as const) {
    const desc = Object.getOwnPropertyDescriptor(process, name);
    const getter = desc?.get;
    if (!desc || !getter || !desc.configurable) { takeOver(stream, process[name]); continue; }
    Object.defineProperty(process, name, {
      configurable: true, enumerable: desc.enumerable,
      // Node's getter may throw (a first console.log at the stack limit): this getter then stays and tries again,
      // so no stream is ever handed out without its write taken over.
      get: { [getter.name]() {
        const out = apply(getter, process, []) as NodeJS.WriteStream;
        takeOver(stream, out);
        Object.defineProperty(process, name, desc);
        return out;
      } }[getter.name],
    });
  }

  w.emit(K.AgentStart, config.agentId, config.parentAgentId, config.name, config.entry);
  setInterval(() => w.flush(), 50).unref();
  process.on('exit', () => {
    closeDelivery();
    closeScript();
    w.exiting = true;
    w.flush();
  });

  /** Starts task `info` in `phase` (a task the runtime starts: kit I/O, signals, messages). */
  function beginAs(info: TaskInfo, phase: number): void {
    closeDelivery();
    closeScript();
    closeThenableJob();
    callbacks.started('macro');
    currentPhase = phase;
    w.emit(K.TaskStart, info.id, phase);
    stack.push(currentTask);
    currentTask = info.id;
  }
  /** Runs `fn` as task `info` in `phase`. */
  function runAs<T>(info: TaskInfo, phase: number, fn: (taskId: number) => T): T {
    beginAs(info, phase);
    let threw = true;
    try { const r = fn(info.id); threw = false; return r; } finally { if (threw) threwTask = info.id; taskEnd(info.id, info.kind); }
  }

  const atomicsBuffers = new SafeWeakMap<object, number>();
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
      return runAs(info, phase, fn);
    },
    beginTask(kind: number, phase: number): number {
      if (!traced || !started) return -1;
      const info = schedule(kind, 0, false, true);
      beginAs(info, phase);
      return info.id;
    },
    endTask(taskId: number, kind: number, threw: boolean): void {
      if (taskId < 0) return;
      if (threw) threwTask = taskId;
      taskEnd(taskId, kind);
    },
    openDelivery(): number {
      if (!traced || !started) return -1;
      closeDelivery();
      const info = schedule(TK.Message, 0, false, true);
      beginAs(info, PH.Poll);
      deliveryTask = info.id;
      deliveryAsyncId = executionAsyncId();
      // Node runs microtasks once its callback returns (after the nextTick queue): queued first, this is their first.
      apply(untracedQueueMicrotask, globalThis, [closeDelivery]);
      return info.id;
    },
    isIdle(): boolean {
      return st.depth === 0 && (currentTask === 0 || (scriptOpen && currentTask === 1) || currentTask === deliveryTask);
    },
    pendingTask<A extends unknown[]>(kind: number, label: string, fn: (...args: A) => void): (...args: A) => void {
      if (!traced || !started || internal > 0) return fn;
      const info = schedule(kind, 0, false, false);
      if (label) w.emit(K.TaskLabel, info.id, label);
      return (...args: A): void => {
        info.runnable = true;
        w.emit(K.TaskRunnable, info.id);
        runAs(info, PH.Poll, () => fn(...args));
      };
    },
    beginInternal(): void { internal++; },
    endInternal(): void { if (internal > 0) internal--; },
    isInternal(): boolean { return internal > 0; },
    untracedSetTimeout,
    sharedBufferId(buf: object, elementSize: number): number {
      let id = atomicsBuffers.get(buf);
      if (id === undefined) {
        id = (config.agentId << 20) | ++bufferSeq;
        atomicsBuffers.set(buf, id);
        w.emit(K.SharedBuffer, id, byteLengthOf(buf), elementSize);
      }
      return id;
    },
    adoptBuffer(buf: object, id: number): void {
      if (atomicsBuffers.has(buf) || !Number.isInteger(id)) return;
      atomicsBuffers.set(buf, id);
      w.emit(K.SharedBuffer, id, byteLengthOf(buf), 4);
    },
    finish(): void {
      closeDelivery();
      closeScript();
      ended = true;
      w.flush();
    },
  };
}

export { SharedSlot };
