/**
 * In-context bootstrap: evaluated INSIDE each agent's null-prototype vm context, before any lesson code.
 *
 * Invariants (the sandbox's first layer rests on them):
 * - Every function a lesson can reach is created here, inside the context, so `fn.constructor` is the context's
 *   own Function. Host functions live only in the `host` closure variable and are never stored on anything a
 *   lesson can reach.
 * - The host bridge takes and returns primitives, except where noted (format/inspect take context values and
 *   only read them; receive/channel return context-realm MessagePorts and messages).
 * - Errors thrown from host calls are caught by the guarded bridge and rebuilt as context errors, so a host error
 *   object never reaches lesson code.
 * - The tracer writes int32 events into a ring of segments in a SharedArrayBuffer this code created (layout in
 *   protocol.ts `Ring`). A flush seals the open segment for the host process, which copies it out and frees it,
 *   and continues in the next free one: this thread never copies or allocates per batch. The control array holds
 *   the committed write position, and past it only stack events are written, so the host can recover the whole
 *   unflushed tail of an agent that is stuck or was terminated. Enter, Exit and Statement are written as packed
 *   words (one negative int each, schema.ts v2); instances are numbered 1, 2, 3, … in Enter order, which is how
 *   a reader numbers packed Enters.
 *
 * Strict mode everywhere: CallSites of strict frames expose no `this` or function.
 */
(function bootstrap(rawHost, configJson) {
  'use strict';
  const g = globalThis;
  const { Object: O, Array: A, Error: E, TypeError: TE, RangeError: RE, Promise: P, Symbol: S, String: Str, Number: Num, Map: M, Set: St, WeakMap: WM, Reflect: R, Math: MathObj } = g;
  const defineProperty = O.defineProperty;
  // The configuration arrives as JSON text and is parsed here, so it is made of this context's objects: no object
  // of the host realm is ever reachable from the context (its Function constructor would be Node's real one).
  const config = g.JSON.parse(configJson);

  // ---------------------------------------------------------------- built-ins, captured before any lesson code
  // Lesson code may replace any built-in method (Array.prototype.push, Map.prototype.get, Reflect.apply, the array
  // iterator, …). This code and modules.js call only the originals captured here, uncurried like Node's own
  // primordials, so a replaced built-in never sees the sandbox's values and never breaks the sandbox.
  const apply = R.apply;
  const uncurry = (fn) => apply(g.Function.prototype.bind, g.Function.prototype.call, [fn]);
  const getter = (proto, name) => uncurry(O.getOwnPropertyDescriptor(proto, name).get);
  const prim = O.freeze({
    __proto__: null,
    apply, construct: R.construct, ownKeys: R.ownKeys, create: O.create, keys: O.keys, freeze: O.freeze, is: O.is,
    getPrototypeOf: O.getPrototypeOf, setPrototypeOf: O.setPrototypeOf, hasOwn: O.hasOwn, defineProperty,
    getOwnPropertyNames: O.getOwnPropertyNames, isArray: A.isArray, arrayFrom: A.from, jsonParse: g.JSON.parse,
    ObjectPrototype: O.prototype, FunctionPrototype: g.Function.prototype,
    MapGet: uncurry(M.prototype.get), MapSet: uncurry(M.prototype.set), MapHas: uncurry(M.prototype.has),
    MapDelete: uncurry(M.prototype.delete), MapSize: getter(M.prototype, 'size'), MapValues: uncurry(M.prototype.values),
    SetAdd: uncurry(St.prototype.add), SetHas: uncurry(St.prototype.has), SetDelete: uncurry(St.prototype.delete),
    SetSize: getter(St.prototype, 'size'),
    WeakMapGet: uncurry(WM.prototype.get), WeakMapSet: uncurry(WM.prototype.set), WeakMapHas: uncurry(WM.prototype.has),
    WeakMapDelete: uncurry(WM.prototype.delete),
    ArrayPush: uncurry(A.prototype.push), ArrayPop: uncurry(A.prototype.pop), ArrayShift: uncurry(A.prototype.shift),
    ArrayUnshift: uncurry(A.prototype.unshift), ArraySlice: uncurry(A.prototype.slice), ArrayJoin: uncurry(A.prototype.join),
    ArraySplice: uncurry(A.prototype.splice), ArrayIndexOf: uncurry(A.prototype.indexOf),
    StringSlice: uncurry(Str.prototype.slice), StringIndexOf: uncurry(Str.prototype.indexOf),
    StringLastIndexOf: uncurry(Str.prototype.lastIndexOf), StringSplit: uncurry(Str.prototype.split),
    StringStartsWith: uncurry(Str.prototype.startsWith), StringReplace: uncurry(Str.prototype.replace),
    StringCharCodeAt: uncurry(Str.prototype.charCodeAt),
    PromiseThen: uncurry(P.prototype.then), PromiseResolve: (v) => apply(P.resolve, P, [v]),
    PromiseReject: (v) => apply(P.reject, P, [v]),
  });
  const { MapGet, MapSet, MapHas, MapDelete, MapSize, SetAdd, SetHas, SetDelete, ArrayPush, ArrayJoin, StringSlice, StringIndexOf, StringSplit, StringReplace } = prim;
  const getPrototypeOf = O.getPrototypeOf;
  const ObjectProto = O.prototype;
  /**
   * True for primitives and for objects of this context (their prototype chain ends at this context's
   * Object.prototype). Null-prototype objects count as foreign: a host object could look like one.
   */
  function isContextValue(v) {
    if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return true;
    try {
      let o = v;
      for (let i = 0; i < 10000; i++) {
        o = getPrototypeOf(o);
        if (o === ObjectProto) return true;
        if (o === null) return false;
      }
    } catch { /* a revoked proxy, or a lesson trap that throws */ }
    return false;
  }

  // ---------------------------------------------------------------- the bridge, guarded
  // Every host call goes through a context function that converts whatever the host throws. A host function can
  // throw a host-realm error even when it is correct: V8 creates the RangeError of a stack overflow in the realm
  // of the function that overflowed, and a lesson can arrange to overflow inside a host call.
  function contextError(err) {
    if (isContextValue(err)) return err;
    let message = 'Maximum call stack size exceeded';
    let name = 'RangeError';
    let code = '';
    try {
      message = uninstrument(rawHost.errorText(err, 'message'));
      name = rawHost.errorText(err, 'name') || 'Error';
      code = rawHost.errorText(err, 'code');
    } catch { /* at the stack limit: keep the stack-overflow defaults */ }
    const Ctor = name === 'TypeError' ? TE : name === 'RangeError' ? RE : E;
    const copy = new Ctor(message);
    if (name !== copy.name) copy.name = name;
    if (code) copy.code = code;
    return copy;
  }
  /**
   * The learner's source text from instrumented source text: undoes exactly the insertions the instrumentation
   * makes (src/runtime/instrument/walker.ts), innermost first. Used by Function.prototype.toString and for
   * messages V8 builds from a function's source (DataCloneError).
   */
  const ARROW = / \{ const __ls\$s = __ls\$e\(\d+\); try \{ return \(((?:(?! \{ const __ls\$s = )[\s\S])*?)\); \} finally \{ __ls\$x\(__ls\$s\); \} \}/;
  const SUSPEND = /__ls\$r\((__ls\$s|0), (await|yield\*?) __ls\$u\(\1, ((?:(?!__ls\$[ru]\()[\s\S])*?), ([01])\), \4\)/;
  function uninstrument(src) {
    if (typeof src !== 'string' || StringIndexOf(src, '__ls$') < 0) return src;
    let out = src;
    out = StringReplace(out, /__ls\$r\(__ls\$s, yield __ls\$u\(__ls\$s, undefined, 1\), 1\)/g, 'yield');
    out = StringReplace(out, /__ls\$t\(\d+\); /g, '');
    out = StringReplace(out, /\{ __ls\$r\((?:__ls\$s|0), undefined, 0\); try \{ /g, '');
    out = StringReplace(out, / \} finally \{ __ls\$u\((?:__ls\$s|0), undefined, 2\); \} \}/g, '');
    out = StringReplace(out, /(?:\{ )?__ls\$u\((?:__ls\$s|0), undefined, 2\); /g, '');
    out = StringReplace(out, / __ls\$r\((?:__ls\$s|0), undefined, 0\);(?: \})?/g, '');
    for (let guard = 0; guard < 10000; guard++) {
      const next = StringReplace(StringReplace(out, SUSPEND, '$2$3'), ARROW, '$1');
      if (next === out) break;
      out = next;
    }
    out = StringReplace(out, / const __ls\$s = __ls\$e\(\d+\); try \{/g, '');
    return StringReplace(out, / \} finally \{ __ls\$x\(__ls\$s\); \}/g, '');
  }
  /** V8 quotes a function's source in some messages ("() => {} could not be cloned"): show the learner's. */
  function cleanMessage(e) {
    try {
      if (e !== null && typeof e === 'object' && typeof e.message === 'string' && StringIndexOf(e.message, '__ls$') >= 0) {
        defineProperty(e, 'message', { value: uninstrument(e.message), writable: true, configurable: true, enumerable: false });
      }
    } catch { /* a frozen or exotic error keeps its message */ }
    return e;
  }
  const host = O.create(null);
  for (const name of O.keys(rawHost)) {
    const fn = rawHost[name];
    host[name] = function (a, b, c, d, e) {
      try {
        return fn(a, b, c, d, e);
      } catch (err) {
        throw contextError(err);
      }
    };
  }
  O.freeze(host);
  /**
   * Node aborts the whole process (an assertion in node_messaging.cc) when it creates a MessagePort at the very edge
   * of the stack. Every bridge call that creates ports (structuredClone, postMessage, MessageChannel, Worker) first
   * proves there is headroom — ~6000 small frames, measured to clear the assertion with margin on a 4 MB stack —
   * and otherwise throws the RangeError the lesson would have got anyway.
   */
  function ensureStackHeadroom() {
    let depth = 0;
    const probe = () => { if (++depth < 6000) probe(); };
    try { probe(); } catch { throw new RE('Maximum call stack size exceeded'); }
  }
  const create = O.create;

  // ---------------------------------------------------------------- kinds (mirror src/shared/trace/schema.ts)
  const K = { Time: 0, Enter: 5, Exit: 6, Suspend: 7, Resume: 8, Statement: 9, TaskSchedule: 10, TaskRunnable: 11,
    TaskStart: 12, TaskEnd: 13, TaskCancel: 14, MicrotaskCheckpoint: 15, Console: 18, WorkerSpawn: 19, WorkerExit: 20,
    MessagePost: 21, MessageReceive: 22, Atomics: 23, SharedBuffer: 24, LockDefine: 25, Lock: 26, Error: 27,
    Truncated: 28, Signal: 29, TaskLabel: 30, AgentStart: 3, AgentEnd: 4 };
  const TK = { Script: 0, Timeout: 1, Interval: 2, Immediate: 3, NextTick: 4, Microtask: 5, PromiseReaction: 6,
    AwaitContinuation: 7, Io: 8, Close: 9, Message: 10, Signal: 11, ThenableJob: 13 };
  const PH = { Main: 0, Timers: 1, Pending: 2, Poll: 3, Check: 4, Close: 5 };
  const HF = {}; // host frame ids by name
  for (let i = 0; i < config.hostFrames.length; i++) HF[config.hostFrames[i]] = i;
  const traced = config.traced;
  const agentId = config.agentId;

  // ---------------------------------------------------------------- tracer
  const RING = config.ring; // protocol.ts Ring
  const SEGMENT = RING.segmentInts;
  const CHARS = 1 << 18; // > 2 × the longest string (65535) + headers, so one event's strings always fit
  const ibuf = new Int32Array(new SharedArrayBuffer(4 * SEGMENT * RING.segments)); // the ring
  const ctl = new Int32Array(new SharedArrayBuffer(4 * RING.controlSlots));
  const sbuf = new Uint16Array(new SharedArrayBuffer(2 * (CHARS + 16)));
  const COMMITTED = RING.committed, CHARS_USED = RING.chars, STRINGS = RING.strings;
  const STACK_EVENTS_PER_CLOCK = 1024; // schema.ts TIME_EVERY_STACK_EVENTS
  const ROOM = 2 * STACK_EVENTS_PER_CLOCK + 64; // the stack events written between two clock checks, and one event
  const PACKED_LIMIT = 1 << 29; // schema.ts PACKED_PAYLOAD_LIMIT; frame and location ids stay far below it (2 MB of source)
  let p = 0; // write position in the ring; the open segment is [segmentStart, segmentStart + SEGMENT)
  let segmentStart = 0;
  let wideInts = 0; // ints of the open segment's clock readings and unpacked events,
  let wideEvents = 0; // and how many events those are (a clock reading is not one)
  let limit = SEGMENT - ROOM;
  let sp = 0;
  let scount = 0;
  let inst = 0;
  let lastFlushUs = 0;
  const flavor = new Uint8Array(config.frameFlavors.length);
  for (let i = 0; i < flavor.length; i++) flavor[i] = config.frameFlavors.charCodeAt(i) - 48;
  const asyncFrame = new M(); // instance -> frame id, for async functions and generators only
  const suspended = new St();

  /** Seals the open segment for the host and moves to the next free one (the host may make this thread wait). */
  function flush() {
    if (p === segmentStart) return;
    ctl[COMMITTED] = p;
    // Every int not counted in wideInts is a one-int (packed) event: the host needs no pass over the segment.
    p = segmentStart = host.flush(p - segmentStart - wideInts + wideEvents);
    wideInts = 0; wideEvents = 0;
    limit = segmentStart + SEGMENT - ROOM;
    sp = 0; scount = 0;
    nextClockAt = p + STACK_EVENTS_PER_CLOCK;
    lastFlushUs = host.now();
  }
  /** Writes a clock reading. Never flushes: a caller may hold batch-local string indices. */
  function clock() {
    const t = host.now();
    ibuf[p] = 0; ibuf[p + 1] = t | 0; p += 2; ctl[COMMITTED] = p;
    wideInts += 2;
    return t;
  }
  /** About every 1024 stack events: a clock reading, and a flush when the buffer is nearly full or the host has
   * not heard from us for 20 ms (keeps its view fresh inside a long synchronous run). */
  function stackClock() {
    const t = clock();
    if (p > limit || t - lastFlushUs > 20000) flush();
    nextClockAt = p + STACK_EVENTS_PER_CLOCK;
  }
  /** Interns `s` into this batch's string area; returns its batch-local index. */
  function str(s) {
    s = '' + s;
    if (s.length > 65535) s = StringSlice(s, 0, 65532) + '…';
    sbuf[sp] = s.length & 0xffff; sp += 1;
    for (let i = 0; i < s.length; i++) sbuf[sp + i] = s.charCodeAt(i);
    sp += s.length;
    ctl[CHARS_USED] = sp; ctl[STRINGS] = ++scount;
    return scount - 1;
  }
  /**
   * Writes one non-stack event with its clock reading. Args are ints, or strings for the kind's string args
   * (interned here, after any flush, so their batch-local indices stay valid).
   */
  function emit(kind, a, b, c, d, e, f) {
    // No iteration protocol here: the host calls emit() from promise hooks, and a lesson may have replaced
    // Array.prototype[Symbol.iterator].
    let chars = 0;
    if (typeof a === 'string') chars += a.length + 1;
    if (typeof b === 'string') chars += b.length + 1;
    if (typeof c === 'string') chars += c.length + 1;
    if (typeof d === 'string') chars += d.length + 1;
    if (p > limit || sp + chars + 4 > CHARS) flush();
    if (typeof a === 'string') a = str(a);
    if (typeof b === 'string') b = str(b);
    if (typeof c === 'string') c = str(c);
    if (typeof d === 'string') d = str(d);
    clock();
    ibuf[p++] = kind;
    const n = config.arity[kind];
    wideInts += 1 + n; wideEvents++;
    if (n > 0) ibuf[p++] = a; if (n > 1) ibuf[p++] = b; if (n > 2) ibuf[p++] = c;
    if (n > 3) ibuf[p++] = d; if (n > 4) ibuf[p++] = e; if (n > 5) ibuf[p++] = f;
    ctl[COMMITTED] = p;
  }
  // The hot path: one typed-array store per event. The committed position (ctl) is written at clock readings
  // and non-stack events only; past it there are only stack events, then the zeroes the host left (host.ts
  // tailEnd), so the host recovers every event of a hard-stopped agent.
  let nextClockAt = p + STACK_EVENTS_PER_CLOCK;
  // Instances of async functions and generators are handed to the lesson's code as negative numbers, so exit()
  // of an ordinary function never touches the bookkeeping maps.
  const frameCount = flavor.length;
  function enter(fid) {
    // Only a frame id of this run: anything else would write a word that is not a packed Enter (a forged event).
    if (typeof fid !== 'number' || !(fid >= 0 && fid < frameCount) || fid !== (fid | 0)) return 0;
    if (currentTask === 0) thenableJob();
    if (p >= nextClockAt) stackClock();
    const s = ++inst; // only here, right before its Enter: readers count Enters to number instances
    ibuf[p++] = ~(fid << 2);
    if (flavor[fid] === 0) return s;
    MapSet(asyncFrame, s, fid);
    return -s;
  }
  /** An instance this agent handed out (1 … inst), as an int; 0 for anything else. */
  function instanceOf(s) {
    if (typeof s !== 'number' || s !== (s | 0)) return 0;
    if (s < 0) s = -s;
    return s > 0 && s <= inst ? s : 0;
  }
  function exit(s) {
    if (instanceOf(s) === 0) return; // not an instance this agent entered: nothing to pop
    if (s < 0) {
      s = -s;
      if (SetHas(suspended, s)) resume(-s, undefined, 0);
      MapDelete(asyncFrame, s);
    }
    if (p >= nextClockAt) stackClock();
    if (s < PACKED_LIMIT) ibuf[p++] = ~(s << 2 | 1);
    else { ibuf[p] = K.Exit; ibuf[p + 1] = s; p += 2; wideInts += 2; wideEvents++; }
  }
  let scriptInstance = 0; // the instance of the running file's `(main)` frame, for top-level await
  let pendingAwait = 0; // the instance that just suspended at an await: the next promise job is its continuation
  let pendingAwaitOn = -1; // the awaited promise's id, or -1 when V8 wraps a non-promise value first
  // A for-await loop awaits the promise its iterator's next() returns: the first promise created after the loop
  // suspends. The host's promise hook finds it (armed → request) and then the job that reacts to it.
  let forAwait = 0;
  let forAwaitArmed = false;
  function suspend(s, v, how) {
    s = s === 0 ? scriptInstance : instanceOf(s); // 0: top-level await of an ES module
    if (how !== 0 && how !== 1 && how !== 2) how = 0;
    if (!traced || s === 0 || SetHas(suspended, s)) return v;
    SetAdd(suspended, s);
    const fid = MapGet(asyncFrame, s) ?? -1;
    const pid = v !== null && (typeof v === 'object' || typeof v === 'function') ? host.promiseId(v) : -1;
    emit(K.Suspend, s, fid, pid, how);
    if (how === 0) { pendingAwait = s; pendingAwaitOn = pid; }
    else if (how === 2) { forAwait = s; forAwaitArmed = true; }
    return v;
  }
  function resume(s, v, how) {
    s = s === 0 ? scriptInstance : instanceOf(s);
    if (how !== 0 && how !== 1 && how !== 2) how = 0;
    if (!traced || !SetHas(suspended, s)) return v;
    SetDelete(suspended, s);
    emit(K.Resume, s, MapGet(asyncFrame, s) ?? -1, how);
    return v;
  }
  function statement(loc) {
    // A location id, or nothing: a larger number would not stay a packed (negative) word.
    if (typeof loc !== 'number' || !(loc >= 0 && loc < PACKED_LIMIT) || loc !== (loc | 0)) return;
    if (p >= nextClockAt) stackClock();
    ibuf[p++] = ~(loc << 2 | 2);
  }
  function hostEnter(name) { return traced ? enter(HF[name]) : 0; }

  // ---------------------------------------------------------------- errors crossing the bridge

  // ---------------------------------------------------------------- tasks
  let taskSeq = 1; // 1 = the script task
  let currentTask = 0;
  let currentPhase = PH.Main;
  let lastWasMacro = true;
  const callbacks = new M(); // taskId -> { fn, args, kind, delayMs, repeat, due, ref }

  function schedule(kind, fn, args, delayMs, repeat) {
    const id = ++taskSeq;
    emit(K.TaskSchedule, id, kind, (delayMs * 1000) | 0, currentTask, repeat ? 1 : 0);
    MapSet(callbacks, id, { __proto__: null, fn, args, kind, delayMs, repeat, due: host.now() + delayMs * 1000, runnable: false, self: undefined });
    return id;
  }
  function runnable(id) {
    const t = MapGet(callbacks, id);
    if (t && !t.runnable) { t.runnable = true; emit(K.TaskRunnable, id); }
  }
  let uncaughtHandlerDepth = 0;
  /** Runs a task's callback the way Node would: errors become uncaught exceptions. */
  function runTask(id, kind, phase, fn, self, args) {
    closeThenableJob();
    const prevTask = currentTask;
    const micro = kind === TK.NextTick || kind === TK.Microtask;
    if (!micro) currentPhase = phase;
    else if (lastWasMacro) { emit(K.MicrotaskCheckpoint, currentPhase); lastWasMacro = false; }
    emit(K.TaskStart, id, currentPhase);
    currentTask = id;
    let threw = 0;
    try {
      apply(fn, self, args);
    } catch (err) {
      threw = 1;
      emit(K.TaskEnd, id, 1);
      currentTask = prevTask;
      uncaught(err);
      return;
    } finally {
      if (!threw) { emit(K.TaskEnd, id, 0); currentTask = prevTask; }
      if (!micro) {
        lastWasMacro = true;
        if (MapSize(callbacks) !== 0) expireTimers();
        if (host.now() - lastFlushUs > 5000) flush();
      }
    }
  }

  /** Timers whose delay has passed enter the timers queue now, even if the loop is still busy elsewhere. */
  const mapEntries = M.prototype.entries;
  const mapIteratorNext = O.getPrototypeOf(new M().entries()).next;
  function expireTimers() {
    const now = host.now();
    const it = apply(mapEntries, callbacks, []);
    for (let r = apply(mapIteratorNext, it, []); !r.done; r = apply(mapIteratorNext, it, [])) {
      const other = r.value[1];
      if ((other.kind === TK.Timeout || other.kind === TK.Interval) && !other.runnable && other.due <= now) runnable(r.value[0]);
    }
  }
  /** Called by the host for a macrotask (timer, immediate, I/O, signal) or a tick / microtask. */
  function dispatch(id, phase) {
    const t = MapGet(callbacks, id);
    if (!t) return; // cleared
    if (t.kind === TK.Timeout || t.kind === TK.Interval) expireTimers();
    runnable(id);
    if (!t.repeat) MapDelete(callbacks, id);
    else { t.runnable = false; t.due = host.now() + t.delayMs * 1000; }
    runTask(id, t.kind, phase, t.fn, t.self, t.args);
  }

  /**
   * Lesson code is starting while no task runs: V8 is running a job it has no hook for (the job that calls a
   * thenable's `then` when a promise is resolved with it). Open a task for it; the next task start closes it.
   */
  let thenableTask = 0;
  function thenableJob() {
    const id = ++taskSeq;
    emit(K.TaskSchedule, id, TK.ThenableJob, 0, -1, 0);
    emit(K.TaskRunnable, id);
    if (lastWasMacro) { emit(K.MicrotaskCheckpoint, currentPhase); lastWasMacro = false; }
    emit(K.TaskStart, id, currentPhase);
    currentTask = thenableTask = id;
  }
  function closeThenableJob() {
    if (thenableTask === 0) return;
    emit(K.TaskEnd, thenableTask, 0);
    if (currentTask === thenableTask) currentTask = 0;
    thenableTask = 0;
  }
  /** A promise job (reaction or await continuation) starts / ends; called from the host's promise hooks. */
  function reactionStart(id) {
    closeThenableJob();
    if (lastWasMacro) { emit(K.MicrotaskCheckpoint, currentPhase); lastWasMacro = false; }
    emit(K.TaskStart, id, currentPhase);
    if (reactionDepth < reactionStack.length) reactionStack[reactionDepth] = currentTask;
    reactionDepth++;
    currentTask = id;
  }
  function reactionEnd(id) {
    emit(K.TaskEnd, id, 0);
    currentTask = reactionDepth > 0 && --reactionDepth < reactionStack.length ? reactionStack[reactionDepth] : 0;
  }
  const reactionStack = new Int32Array(4096); // a typed array: no prototype setter can see the task ids
  let reactionDepth = 0;
  let ioResult = null;
  function setIoResult(id, error, text) { ioResult = { error, text }; }
  function takeIoResult() { const r = ioResult || { error: '', text: '' }; ioResult = null; return r; }
  /** A termination signal arrives (kit sendSignal): lesson handlers run as a task in the poll phase. */
  function signal(name) {
    emit(K.Signal, name);
    if (!processEmitter || processEmitter.listenerCount(name) === 0) return false;
    const id = schedule(TK.Signal, () => processEmitter.emit(name, name), [], 0, false);
    emit(K.TaskLabel, id, name);
    dispatch(id, PH.Poll);
    return true;
  }

  /**
   * The agent's script task body: push the file's `(main)` frame and run it. With top-level await the module
   * function returns a promise while its frame is parked at the await; the frame is popped when the module
   * finishes (an internal reaction the trace does not show).
   */
  function runScript(frameId, body) {
    const s = traced ? enter(frameId) : 0;
    scriptInstance = s < 0 ? -s : s;
    let ret;
    try {
      ret = body();
    } finally {
      if (traced && ret instanceof P && suspended.has(scriptInstance)) {
        const done = () => exit(s);
        host.internal(true);
        try { P.prototype.then.call(ret, done, done); } finally { host.internal(false); }
      } else if (traced) exit(s);
    }
  }

  // ---------------------------------------------------------------- uncaught errors and rejections
  let exiting = false;
  function describe(err) {
    let stack = '';
    let message;
    try {
      if (err !== null && typeof err === 'object' && typeof err.stack === 'string') stack = err.stack;
      if (err !== null && typeof err === 'object' && 'message' in err) message = Str(err.message);
      else message = typeof err === 'string' ? err : inspectValue(err);
    } catch {
      message = '[error could not be described]';
    }
    if (!stack) stack = message;
    return { message, stack };
  }
  function uncaught(err) {
    err = contextError(err); // the host's promise hooks report what they caught: never let a host error through
    if (exiting) return;
    if (processEmitter && processEmitter.listenerCount('uncaughtException') > 0 && uncaughtHandlerDepth === 0) {
      uncaughtHandlerDepth++;
      try { processEmitter.emit('uncaughtException', err, 'uncaughtException'); } catch (again) { uncaughtHandlerDepth--; return fatal(0, again); }
      uncaughtHandlerDepth--;
      return;
    }
    fatal(0, err);
  }
  function fatal(kind, err) {
    const { message, stack } = describe(err);
    emit(K.Error, kind, message, stack);
    // A worker's uncaught error is not printed: Node hands it to the parent as an 'error' event instead.
    if (config.parentAgentId < 0) writeConsole(1, kind === 1 ? unhandledText(err, stack) : uncaughtText(err, stack), true);
    exiting = true;
    flush();
    host.fatal(kind, message, stack);
  }
  function uncaughtText(err, stack) {
    if (err !== null && typeof err === 'object') return stack + '\n\nNode.js ' + config.nodeVersion;
    return 'Uncaught ' + inspectValue(err) + '\n\nNode.js ' + config.nodeVersion;
  }
  function unhandledText(err, stack) {
    if (err !== null && typeof err === 'object' && typeof err.stack === 'string') return stack + '\n\nNode.js ' + config.nodeVersion;
    return '[UnhandledPromiseRejection: This error originated either by throwing inside of an async function without a catch block, or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason "' + (typeof err === 'string' ? err : inspectValue(err)) + '".] {\n  code: \'ERR_UNHANDLED_REJECTION\'\n}\n\nNode.js ' + config.nodeVersion;
  }
  /** The host saw an unhandled rejection (Node's own tracking) for a context promise. */
  function unhandledRejection(reason, promise) {
    // Node's own tracking reports every promise of the thread: only this context's promises and values go on.
    if (!isContextValue(promise)) return;
    reason = contextError(reason);
    if (exiting) return;
    if (processEmitter && processEmitter.listenerCount('unhandledRejection') > 0) {
      try { processEmitter.emit('unhandledRejection', reason, promise); } catch (err) { uncaught(err); }
      return;
    }
    fatal(1, reason);
  }

  // ---------------------------------------------------------------- stack traces in original source lines
  const lessonPrefix = config.lessonRoot;
  // CallSite methods are host builtins: at the stack limit they throw host-realm RangeErrors, so convert.
  function prepareStackTrace(err, frames) {
    try {
      return formatStack(err, frames);
    } catch (e) {
      throw contextError(e);
    }
  }
  function formatStack(err, frames) {
    let head;
    try {
      const name = err && err.name !== undefined ? Str(err.name) : 'Error';
      const message = err && err.message !== undefined ? Str(err.message) : '';
      head = message ? name + ': ' + message : name;
    } catch {
      head = 'Error';
    }
    const lines = [head];
    for (let i = 0; i < frames.length; i++) {
      const f = frames[i];
      const file = f.getFileName();
      if (typeof file !== 'string' || StringSlice(file, 0, lessonPrefix.length) !== lessonPrefix) continue;
      const where = host.mapPosition(file, f.getLineNumber() || 0, f.getColumnNumber() || 0);
      if (!where) continue;
      const bar = StringIndexOf(where, '|');
      const fname = bar >= 0 ? StringSlice(where, bar + 1) : '';
      const loc = bar >= 0 ? StringSlice(where, 0, bar) : where;
      const fn = fname || f.getFunctionName();
      const isAsync = typeof f.isAsync === 'function' && f.isAsync();
      ArrayPush(lines, '    at ' + (isAsync ? 'async ' : '') + (fn ? fn + ' (' + loc + ')' : loc));
    }
    return ArrayJoin(lines, '\n');
  }
  defineProperty(E, 'prepareStackTrace', { value: prepareStackTrace, writable: false, configurable: false, enumerable: false });
  E.stackTraceLimit = 10;

  // ---------------------------------------------------------------- console
  let consoleLines = 0;
  let consoleTruncated = false;
  let groupIndent = '';
  function inspectValue(v, depth) {
    return host.inspect(v, depth === undefined ? 2 : depth);
  }
  function writeConsole(stream, text, force) {
    if (!force && ++consoleLines > config.maxConsoleLines) {
      if (!consoleTruncated) { consoleTruncated = true; emit(K.Truncated, 0); host.truncated(0); }
      return;
    }
    if (groupIndent) text = groupIndent + ArrayJoin(StringSplit(text, '\n'), '\n' + groupIndent);
    emit(K.Console, stream, text);
  }
  function logger(name, stream) {
    return {
      [name](...args) {
        const s = hostEnter('console.' + (name === 'dir' ? 'dir' : name === 'table' ? 'table' : name === 'trace' ? 'trace' : name));
        try {
          writeConsole(stream, host.format(args));
        } finally {
          if (traced) exit(s);
        }
      },
    }[name];
  }
  const counts = new M();
  const timersByLabel = new M();
  const consoleObject = {
    log: logger('log', 0), info: logger('info', 0), debug: logger('debug', 0),
    warn: logger('warn', 1), error: logger('error', 1),
    dir(value, options) { writeConsole(0, inspectValue(value, options && typeof options.depth === 'number' ? options.depth : 2)); },
    table(value) { writeConsole(0, inspectValue(value)); },
    trace(...args) {
      const e = new E(args.length ? host.format(args) : '');
      writeConsole(1, 'Trace: ' + Str(e.stack).replace(/^Error: ?/, ''));
    },
    assert(cond, ...args) { if (!cond) writeConsole(1, 'Assertion failed' + (args.length ? ': ' + host.format(args) : '')); },
    count(label = 'default') { const n = (counts.get(label) || 0) + 1; counts.set(label, n); writeConsole(0, label + ': ' + n); },
    countReset(label = 'default') { counts.delete(label); },
    time(label = 'default') { timersByLabel.set(label, host.now()); },
    timeLog(label = 'default', ...args) { const t = timersByLabel.get(label); if (t !== undefined) writeConsole(0, label + ': ' + fmtMs((host.now() - t) / 1000) + (args.length ? ' ' + host.format(args) : '')); },
    timeEnd(label = 'default') { const t = timersByLabel.get(label); if (t !== undefined) { timersByLabel.delete(label); writeConsole(0, label + ': ' + fmtMs((host.now() - t) / 1000)); } },
    group(...args) { if (args.length) consoleObject.log(...args); groupIndent += '  '; },
    groupCollapsed(...args) { consoleObject.group(...args); },
    groupEnd() { groupIndent = groupIndent.slice(2); },
  };
  function fmtMs(ms) { return ms >= 1000 ? (ms / 1000).toFixed(3) + 's' : ms.toFixed(3) + 'ms'; }

  // ---------------------------------------------------------------- timers
  class Timeout {
    #id; #ref = true;
    constructor(id) { this.#id = id; }
    ref() { this.#ref = true; host.refTimer(this.#id, true); return this; }
    unref() { this.#ref = false; host.refTimer(this.#id, false); return this; }
    hasRef() { return this.#ref; }
    refresh() { host.refreshTimer(this.#id); return this; }
    close() { clearTimer(this.#id); return this; }
    [S.toPrimitive]() { return this.#id; }
    [S.dispose]() { clearTimer(this.#id); }
  }
  class Immediate {
    #id; #ref = true;
    constructor(id) { this.#id = id; }
    ref() { this.#ref = true; host.refImmediate(this.#id, true); return this; }
    unref() { this.#ref = false; host.refImmediate(this.#id, false); return this; }
    hasRef() { return this.#ref; }
    [S.dispose]() { clearImmediateId(this.#id); }
    get _id() { return this.#id; }
  }
  const timerIds = new WM();
  /** The tail of Node's ERR_INVALID_ARG_TYPE message ("Received type string ('x')"). */
  function received(value) {
    if (value === null || value === undefined) return 'Received ' + value;
    if (typeof value === 'function') return 'Received function ' + (value.name || '<anonymous>');
    if (typeof value === 'object') {
      const ctor = value.constructor;
      return ctor && typeof ctor.name === 'string' && ctor.name ? 'Received an instance of ' + ctor.name : 'Received ' + inspectValue(value, -1);
    }
    let shown = inspectValue(value);
    if (shown.length > 28) shown = shown.slice(0, 25) + '...';
    return 'Received type ' + typeof value + ' (' + shown + ')';
  }
  function checkCallback(fn) {
    if (typeof fn !== 'function') {
      const err = new TE('The "callback" argument must be of type function. ' + received(fn));
      err.code = 'ERR_INVALID_ARG_TYPE';
      throw err;
    }
  }
  function delayOf(ms) {
    ms = Num(ms);
    return ms >= 1 && ms <= 2147483647 ? MathObj.trunc(ms) : 1;
  }
  function setTimer(kind, fn, ms, args) {
    checkCallback(fn);
    const s = hostEnter(kind === TK.Interval ? 'setInterval' : 'setTimeout');
    try {
      const delay = delayOf(ms);
      const id = schedule(kind, fn, args, delay, kind === TK.Interval);
      host.timer(id, delay, kind === TK.Interval);
      const t = new Timeout(id);
      timerIds.set(t, id);
      MapGet(callbacks, id).self = t; // Node calls timer callbacks with the Timeout as `this`
      return t;
    } finally { if (traced) exit(s); }
  }
  function clearTimer(id) {
    if (!MapHas(callbacks, id)) return;
    MapDelete(callbacks, id);
    emit(K.TaskCancel, id);
    host.clearTimer(id);
  }
  function idOf(t) {
    if (t === null || t === undefined) return -1;
    if (typeof t === 'number' || typeof t === 'string') return Num(t);
    const id = timerIds.get(t);
    return id === undefined ? -1 : id;
  }
  function clearImmediateId(id) {
    if (!MapHas(callbacks, id)) return;
    MapDelete(callbacks, id);
    emit(K.TaskCancel, id);
    host.clearImmediate(id);
  }
  function setTimeout(fn, ms, ...args) { return setTimer(TK.Timeout, fn, ms, args); }
  function setInterval(fn, ms, ...args) { return setTimer(TK.Interval, fn, ms, args); }
  function clearTimeout(t) { const s = hostEnter('clearTimeout'); clearTimer(idOf(t)); if (traced) exit(s); }
  function clearInterval(t) { const s = hostEnter('clearInterval'); clearTimer(idOf(t)); if (traced) exit(s); }
  function setImmediate(fn, ...args) {
    checkCallback(fn);
    const s = hostEnter('setImmediate');
    try {
      const id = schedule(TK.Immediate, fn, args, 0, false);
      runnable(id);
      host.immediate(id);
      const im = new Immediate(id);
      timerIds.set(im, id);
      MapGet(callbacks, id).self = im;
      return im;
    } finally { if (traced) exit(s); }
  }
  function clearImmediate(im) { const s = hostEnter('clearImmediate'); clearImmediateId(idOf(im)); if (traced) exit(s); }
  function queueMicrotask(fn) {
    checkCallback(fn);
    const s = hostEnter('queueMicrotask');
    try {
      const id = schedule(TK.Microtask, fn, [], 0, false);
      runnable(id);
      host.microtask(id);
    } finally { if (traced) exit(s); }
  }
  function nextTick(fn, ...args) {
    checkCallback(fn);
    const s = hostEnter('process.nextTick');
    try {
      const id = schedule(TK.NextTick, fn, args, 0, false);
      runnable(id);
      host.nextTick(id);
    } finally { if (traced) exit(s); }
  }

  // ---------------------------------------------------------------- memory guard for ArrayBuffers
  const ABuf = g.ArrayBuffer;
  const SABuf = g.SharedArrayBuffer;
  function reserve(bytes) {
    bytes = Num(bytes);
    if (!(bytes > 0)) return;
    if (!host.reserveExternal(bytes)) {
      const err = new RE('Array buffer allocation failed: this run may allocate at most ' + config.externalMemoryMb + ' MB of ArrayBuffer memory');
      err.code = 'ERR_LESSON_MEMORY_LIMIT';
      throw err;
    }
  }
  // Each size is read from the lesson's arguments exactly once and the constructor gets that number: a valueOf or
  // getter that answers small when checked and large when used can no longer slip past the cap.
  const abByteLength = getter(ABuf.prototype, 'byteLength');
  const sabByteLength = getter(SABuf.prototype, 'byteLength');
  /** The byte length of a real ArrayBuffer or SharedArrayBuffer (a brand check: no lesson getter runs), or -1. */
  function bufferByteLength(v) {
    try { return abByteLength(v); } catch { /* not an ArrayBuffer */ }
    try { return sabByteLength(v); } catch { /* not a SharedArrayBuffer */ }
    return -1;
  }
  const construct = prim.construct;
  function guardBuffer(Ctor) {
    return new Proxy(Ctor, {
      construct(target, args, newTarget) {
        const length = Num(args[0]);
        const options = args[1];
        let max;
        if (options !== null && (typeof options === 'object' || typeof options === 'function')) max = options.maxByteLength;
        if (max !== undefined) max = Num(max);
        reserve(length);
        if (max !== undefined) reserve(max);
        const fixed = max === undefined ? [length] : [length, { __proto__: null, maxByteLength: max }];
        return construct(target, fixed, newTarget === MapGet(proxies, Ctor) ? target : newTarget);
      },
    });
  }
  const proxies = new M();
  const typedArrayNames = ['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array', 'Float16Array'];
  function guardTyped(Ctor) {
    const size = Ctor.BYTES_PER_ELEMENT;
    return new Proxy(Ctor, {
      construct(target, args, newTarget) {
        const a0 = args[0];
        if (a0 !== null && (typeof a0 === 'object' || typeof a0 === 'function')) {
          // A view on an existing buffer allocates nothing; anything else is copied from a fixed-length array.
          if (bufferByteLength(a0) < 0) {
            const copy = prim.arrayFrom(a0); // fixes the length before allocation (heap-limited)
            reserve(copy.length * size);
            args = [copy];
          }
        } else if (typeof a0 !== 'bigint' && typeof a0 !== 'symbol') {
          const length = Num(a0); // a length: converted once, checked, and passed on as that number
          reserve(length * size);
          args = [length];
        }
        return construct(target, args, newTarget === MapGet(proxies, Ctor) ? target : newTarget);
      },
    });
  }
  for (const [name, Ctor, guard] of [['ArrayBuffer', ABuf, guardBuffer], ['SharedArrayBuffer', SABuf, guardBuffer], ...typedArrayNames.filter((n) => typeof g[n] === 'function').map((n) => [n, g[n], guardTyped])]) {
    const px = guard(Ctor);
    MapSet(proxies, Ctor, px);
    defineProperty(g, name, { value: px, writable: true, configurable: true, enumerable: false });
  }
  for (const Ctor of [ABuf, SABuf]) {
    const proto = Ctor.prototype;
    for (const method of ['slice', 'resize', 'grow', 'transfer', 'transferToFixedLength']) {
      const orig = proto[method];
      if (typeof orig !== 'function') continue;
      defineProperty(proto, method, {
        value: { [method](a) {
          if (method === 'slice') { reserve(bufferByteLength(this)); return apply(orig, this, arguments); }
          if (a === undefined && method !== 'resize' && method !== 'grow') { reserve(bufferByteLength(this)); return apply(orig, this, []); }
          const length = Num(a); // read once; the real method gets this number
          reserve(length);
          return apply(orig, this, [length]);
        } }[method],
        writable: true, configurable: true,
      });
    }
  }

  // ---------------------------------------------------------------- shared memory and Atomics (every op traced)
  const RealAtomics = g.Atomics;
  const bufferIds = new WM();
  let bufferSeq = 0;
  function adoptBuffer(buf, id) {
    if (prim.WeakMapHas(bufferIds, buf)) return;
    prim.WeakMapSet(bufferIds, buf, id);
    emit(K.SharedBuffer, id, buf.byteLength, 4);
  }
  function bufferId(ta) {
    const buf = ta && ta.buffer;
    if (!buf) return -1;
    let id = prim.WeakMapGet(bufferIds, buf);
    if (id === undefined) {
      id = (agentId << 20) | ++bufferSeq;
      prim.WeakMapSet(bufferIds, buf, id);
      emit(K.SharedBuffer, id, buf.byteLength, ta.BYTES_PER_ELEMENT || 1);
    }
    return id;
  }
  const OP = { load: 0, store: 1, add: 2, sub: 3, and: 4, or: 5, xor: 6, exchange: 7, compareExchange: 8, wait: 9, notify: 11, waitAsync: 12 };
  function toInt(v) { return typeof v === 'bigint' ? Num(BigInt.asIntN(32, v)) : Num(v) | 0; }
  const AtomicsObject = create(O.getPrototypeOf(RealAtomics));
  for (const name of O.getOwnPropertyNames(RealAtomics)) {
    const real = RealAtomics[name];
    if (typeof real !== 'function') continue;
    const op = OP[name];
    let wrapped;
    if (name === 'wait') {
      wrapped = function wait(ta, index, value, timeout) {
        const s = hostEnter('Atomics.wait');
        emit(K.Atomics, OP.wait, bufferId(ta), index | 0, toInt(value), 0, timeout === undefined ? -1 : toInt(timeout));
        flush(); // the host must see the wait before this thread blocks
        try {
          const result = apply(real, RealAtomics, [ta, index, value, timeout]);
          emit(K.Atomics, 10, bufferId(ta), index | 0, toInt(value), result === 'ok' ? 0 : result === 'not-equal' ? 1 : 2, 0);
          return result;
        } finally { if (traced) exit(s); }
      };
    } else if (name === 'notify') {
      wrapped = function notify(ta, index, count) {
        const s = hostEnter('Atomics.notify');
        try {
          const woken = apply(real, RealAtomics, [ta, index, count]);
          emit(K.Atomics, OP.notify, bufferId(ta), index | 0, count === undefined ? -1 : toInt(count), 0, woken);
          flush();
          return woken;
        } finally { if (traced) exit(s); }
      };
    } else if (op !== undefined) {
      wrapped = { [name](ta, index, a, b) {
        const result = apply(real, RealAtomics, arguments); // no spread: it would run the (replaceable) array iterator
        const more = arguments.length - 2;
        const value = more <= 0 ? result : more === 1 ? a : b;
        emit(K.Atomics, op, bufferId(ta), index | 0, toInt(value), toInt(name === 'waitAsync' ? 0 : result), more === 2 ? toInt(a) : 0);
        return result;
      } }[name];
    } else {
      wrapped = real; // isLockFree, pause: no memory effect
    }
    defineProperty(AtomicsObject, name, { value: wrapped, writable: true, configurable: true, enumerable: false });
  }
  defineProperty(AtomicsObject, S.toStringTag, { value: 'Atomics', configurable: true });
  defineProperty(g, 'Atomics', { value: AtomicsObject, writable: true, configurable: true, enumerable: false });

  // ---------------------------------------------------------------- structuredClone (the host's, into this context)
  function structuredClone(value, options) {
    const s = hostEnter('structuredClone');
    try {
      const transfer = options && options.transfer ? prim.arrayFrom(options.transfer) : [];
      ensureStackHeadroom();
      try {
        return host.clone(value, transfer);
      } catch (e) {
        throw cleanMessage(e);
      }
    } finally { if (traced) exit(s); }
  }

  // ---------------------------------------------------------------- process
  let processEmitter = null; // set by modules once EventEmitter exists
  const processObject = {
    nextTick,
    exit(code) {
      const s = hostEnter('process.exit');
      if (code !== undefined) processObject.exitCode = code;
      const c = processObject.exitCode === undefined ? 0 : Num(processObject.exitCode) | 0;
      if (processEmitter) { try { processEmitter.emit('exit', c); } catch { /* Node ignores too */ } }
      if (traced) exit(s);
      exiting = true;
      flush();
      host.exit(c);
      throw new E('process.exit'); // not reached: the host stops this agent
    },
    exitCode: undefined,
    env: O.freeze(create(null)),
    argv: ['node', config.lessonRoot + config.entry],
    execArgv: [],
    platform: config.platform,
    arch: config.arch,
    version: config.nodeVersion,
    versions: O.freeze({ node: config.nodeVersion.slice(1) }),
    pid: 4242 + agentId,
    ppid: 4241,
    title: 'loopscope-lesson',
    cwd() { return config.lessonRoot.slice(0, -1); },
    uptime() { return host.now() / 1e6; },
    hrtime: O.assign(function hrtime(prev) {
      const us = host.now();
      let sec = MathObj.floor(us / 1e6);
      let ns = MathObj.floor((us % 1e6) * 1000);
      if (prev) { sec -= prev[0]; ns -= prev[1]; if (ns < 0) { sec--; ns += 1e9; } }
      return [sec, ns];
    }, { bigint() { return BigInt(MathObj.floor(host.now() * 1000)) + 1000000000n; } }),
    memoryUsage: O.assign(function memoryUsage() { return { rss: host.memory(0), heapTotal: host.memory(1), heapUsed: host.memory(2), external: host.memory(3), arrayBuffers: host.memory(4) }; }, { rss() { return host.memory(0); } }),
    cpuUsage() { return { user: MathObj.floor(host.now()), system: 0 }; },
    stdout: { write(text) { writeConsole(2, Str(text), false); return true; }, isTTY: false, columns: 80 },
    stderr: { write(text) { writeConsole(3, Str(text), false); return true; }, isTTY: false, columns: 80 },
    emitWarning(w) { writeConsole(1, '(node:' + (4242 + agentId) + ') ' + (typeof w === 'string' ? 'Warning: ' + w : Str(w && w.name) + ': ' + Str(w && w.message))); },
  };

  // ---------------------------------------------------------------- performance, TextEncoder, URL, AbortController
  const performance = {
    now() { return host.now() / 1000; },
    get timeOrigin() { return config.timeOriginMs; },
    mark() {}, measure() {},
    toJSON() { return { timeOrigin: config.timeOriginMs }; },
  };
  class TextEncoder {
    get encoding() { return 'utf-8'; }
    encode(input = '') {
      const s = Str(input);
      const out = [];
      for (let i = 0; i < s.length; i++) {
        let c = s.codePointAt(i);
        if (c > 0xffff) i++;
        if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
        if (c < 0x80) out.push(c);
        else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
        else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
        else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
      }
      return new Uint8Array(out);
    }
  }
  class TextDecoder {
    get encoding() { return 'utf-8'; }
    decode(input) {
      if (input === undefined) return '';
      const b = input instanceof ABuf || input instanceof SABuf ? new Uint8Array(input) : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
      let s = '';
      for (let i = 0; i < b.length;) {
        const c = b[i];
        let cp, n;
        if (c < 0x80) { cp = c; n = 1; } else if (c >> 5 === 6) { cp = c & 31; n = 2; } else if (c >> 4 === 14) { cp = c & 15; n = 3; } else if (c >> 3 === 30) { cp = c & 7; n = 4; } else { s += '\ufffd'; i++; continue; }
        for (let k = 1; k < n; k++) cp = (cp << 6) | ((b[i + k] ?? 0) & 63);
        s += Str.fromCodePoint(cp);
        i += n;
      }
      return s;
    }
  }
  class URL {
    #href;
    constructor(input, base) {
      input = Str(input);
      if (/^[a-z][a-z0-9+.-]*:/i.test(input)) this.#href = input;
      else if (base !== undefined) {
        const b = Str(base);
        const dir = b.slice(0, b.lastIndexOf('/') + 1);
        const parts = (input.startsWith('/') ? b.slice(0, b.indexOf('/', b.indexOf('//') + 2)) + input : dir + input).split('/');
        const out = [];
        for (const part of parts) { if (part === '..') { if (out.length > 3) out.pop(); } else if (part !== '.') out.push(part); }
        this.#href = out.join('/');
      } else {
        const err = new TE('Invalid URL'); err.code = 'ERR_INVALID_URL'; err.input = input; throw err;
      }
    }
    get href() { return this.#href; }
    get protocol() { return this.#href.slice(0, this.#href.indexOf(':') + 1); }
    get pathname() { const m = /^[a-z]+:\/\/[^/]*(\/[^?#]*)/i.exec(this.#href); return m ? m[1] : ''; }
    get search() { const i = this.#href.indexOf('?'); return i < 0 ? '' : this.#href.slice(i).split('#')[0]; }
    get hash() { const i = this.#href.indexOf('#'); return i < 0 ? '' : this.#href.slice(i); }
    get host() { const m = /^[a-z]+:\/\/([^/]*)/i.exec(this.#href); return m ? m[1] : ''; }
    get hostname() { return this.host.split(':')[0]; }
    get origin() { return this.protocol === 'file:' ? 'null' : this.protocol + '//' + this.host; }
    toString() { return this.#href; }
    toJSON() { return this.#href; }
  }
  class Event {
    constructor(type, init) { this.type = Str(type); this.defaultPrevented = false; this.cancelable = !!(init && init.cancelable); this.timeStamp = host.now() / 1000; }
    preventDefault() { if (this.cancelable) this.defaultPrevented = true; }
  }
  class EventTarget {
    #listeners = new M();
    addEventListener(type, fn, options) {
      if (!fn) return;
      const list = this.#listeners.get(type) || [];
      if (!list.some((l) => l.fn === fn)) list.push({ fn, once: !!(options && options.once) });
      this.#listeners.set(type, list);
    }
    removeEventListener(type, fn) {
      const list = this.#listeners.get(type);
      if (list) this.#listeners.set(type, list.filter((l) => l.fn !== fn));
    }
    dispatchEvent(event) {
      const list = (this.#listeners.get(event.type) || []).slice();
      const handler = this['on' + event.type];
      if (typeof handler === 'function') apply(handler, this, [event]);
      for (const l of list) {
        if (l.once) this.removeEventListener(event.type, l.fn);
        if (typeof l.fn === 'function') apply(l.fn, this, [event]); else l.fn.handleEvent(event);
      }
      return !event.defaultPrevented;
    }
  }
  function abortError(reason) {
    if (reason !== undefined) return reason;
    const err = new E('This operation was aborted');
    err.name = 'AbortError';
    err.code = 20;
    return err;
  }
  class AbortSignal extends EventTarget {
    #aborted = false; #reason = undefined;
    get aborted() { return this.#aborted; }
    get reason() { return this.#reason; }
    throwIfAborted() { if (this.#aborted) throw this.#reason; }
    static abort(reason) { const c = new AbortController(); c.abort(reason); return c.signal; }
    static timeout(ms) {
      const c = new AbortController();
      setTimeout(() => { const err = new E('The operation was aborted due to timeout'); err.name = 'TimeoutError'; err.code = 23; c.abort(err); }, ms).unref();
      return c.signal;
    }
    static any(signals) {
      const c = new AbortController();
      for (const s of signals) { if (s.aborted) { c.abort(s.reason); break; } s.addEventListener('abort', () => c.abort(s.reason), { once: true }); }
      return c.signal;
    }
    _abort(reason) {
      if (this.#aborted) return;
      this.#aborted = true;
      this.#reason = abortError(reason);
      this.dispatchEvent(new Event('abort'));
    }
  }
  class AbortController {
    #signal = new AbortSignal();
    get signal() { return this.#signal; }
    abort(reason) { this.#signal._abort(reason); }
  }

  // ---------------------------------------------------------------- Function.prototype.toString shows the learner's code
  const realToString = g.Function.prototype.toString;
  defineProperty(g.Function.prototype, 'toString', {
    value: { toString() { return uninstrument(apply(realToString, this, [])); } }.toString,
    writable: true, configurable: true, enumerable: false,
  });

  // ---------------------------------------------------------------- globals
  const globals = {
    console: consoleObject, setTimeout, setInterval, setImmediate, clearTimeout, clearInterval, clearImmediate,
    queueMicrotask, structuredClone, performance, process: processObject, TextEncoder, TextDecoder, URL, Event,
    EventTarget, AbortController, AbortSignal, global: g,
  };
  for (const name of O.keys(globals)) defineProperty(g, name, { value: globals[name], writable: true, configurable: true, enumerable: false });
  delete g.WebAssembly;

  return {
    tracer: { enter, exit, suspend, resume, statement },
    emit, flush, dispatch, runTask, schedule, uncaught, unhandledRejection, inspectValue,
    host, ensureStackHeadroom, runScript, received, cleanMessage, hostEnter, exitFrame: exit, bufferId, adoptBuffer, reactionStart, reactionEnd, setIoResult, takeIoResult, signal,
    internals: { ring: ibuf, ctl, sbuf },
    timers: { setTimeout, setInterval, setImmediate, clearTimeout, clearInterval, clearImmediate },
    processObject, setProcessEmitter(e) { processEmitter = e; },
    prim, config, isContextValue, contextError,
    URL,
    state: {
      get currentTask() { return currentTask; },
      get pendingAwait() { return pendingAwait; }, set pendingAwait(v) { pendingAwait = v; },
      get pendingAwaitOn() { return pendingAwaitOn; },
      get forAwait() { return forAwait; }, set forAwait(v) { forAwait = v; },
      get forAwaitArmed() { return forAwaitArmed; }, set forAwaitArmed(v) { forAwaitArmed = v; },
      nextTaskId() { return ++taskSeq; },
    },
    K, TK, PH,
  };
});
