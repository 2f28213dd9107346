/**
 * In-context module system and the built-in modules a lesson may import: node:events, node:timers,
 * node:timers/promises, node:worker_threads, node:os, node:util, node:assert, node:perf_hooks, async-mutex (the
 * real package, evaluated in this context), and @loopscope/kit. Anything else fails with a message naming it.
 *
 * Same invariants as bootstrap.js: every function here is created inside the context; host calls go through
 * the guarded bridge (`core.host`) so host errors never reach lesson code.
 */
(function modules(parentPortKey, core) {
  'use strict';
  const host = core.host; // the guarded bridge: host errors never reach lesson code
  const config = core.config; // parsed inside the context (bootstrap.js): no host object
  const g = globalThis;
  const { Object: O, Array: A, Error: E, TypeError: TE, Promise: P, Symbol: S, String: Str, Map: M, WeakMap: WM, Reflect: R } = g;
  // The originals of every built-in the loader and the event emitter call (see bootstrap.js `prim`): a lesson that
  // replaces Array.prototype.push or Map.prototype.get changes its own world, not the sandbox's.
  const prim = core.prim;
  const { apply, MapGet, MapSet, ArrayPush, ArraySlice, ArraySplice, ArrayUnshift, ArrayJoin, StringSlice, StringSplit, StringStartsWith, StringIndexOf, StringLastIndexOf } = prim;
  const hasOwn = prim.hasOwn;
  const objectKeys = prim.keys;
  const { K, TK, PH, emit, flush } = core;
  const traced = config.traced;
  const agentId = config.agentId;
  const exitFrame = (s) => { if (traced) core.exitFrame(s); };

  // ---------------------------------------------------------------- events
  const kCapture = S('kCapture');
  class EventEmitter {
    constructor() { this._events = prim.create(null); this._maxListeners = undefined; }
    setMaxListeners(n) { this._maxListeners = n; return this; }
    getMaxListeners() { return this._maxListeners === undefined ? 10 : this._maxListeners; }
    #list(name) { if (!this._events) this._events = prim.create(null); return this._events[name] || (this._events[name] = []); }
    #add(name, fn, prepend, once) {
      if (typeof fn !== 'function') {
        const err = new TE('The "listener" argument must be of type function. ' + core.received(fn));
        err.code = 'ERR_INVALID_ARG_TYPE';
        throw err;
      }
      if (this._events && this._events.newListener && name !== 'newListener') this.emit('newListener', name, fn);
      const entry = { __proto__: null, fn, once };
      if (prepend) ArrayUnshift(this.#list(name), entry); else ArrayPush(this.#list(name), entry);
      return this;
    }
    on(name, fn) { return this.#add(name, fn, false, false); }
    addListener(name, fn) { return this.#add(name, fn, false, false); }
    prependListener(name, fn) { return this.#add(name, fn, true, false); }
    once(name, fn) { return this.#add(name, fn, false, true); }
    prependOnceListener(name, fn) { return this.#add(name, fn, true, true); }
    off(name, fn) {
      const list = this._events && this._events[name];
      if (!list) return this;
      for (let i = list.length - 1; i >= 0; i--) {
        if (list[i].fn === fn) { ArraySplice(list, i, 1); if (this._events.removeListener) this.emit('removeListener', name, fn); break; }
      }
      if (list.length === 0) delete this._events[name];
      return this;
    }
    removeListener(name, fn) { return this.off(name, fn); }
    removeAllListeners(name) {
      if (!this._events) return this;
      if (name === undefined) this._events = prim.create(null); else delete this._events[name];
      return this;
    }
    emit(name, ...args) {
      const list = this._events && this._events[name];
      if (!list || list.length === 0) {
        if (name === 'error') {
          const err = args[0];
          if (err instanceof E) throw err;
          const wrapped = new E('Unhandled error. (' + core.inspectValue(err) + ')');
          wrapped.code = 'ERR_UNHANDLED_ERROR';
          wrapped.context = err;
          throw wrapped;
        }
        return false;
      }
      const copy = ArraySlice(list);
      for (let i = 0; i < copy.length; i++) {
        const entry = copy[i];
        if (entry.once) this.off(name, entry.fn);
        apply(entry.fn, this, args);
      }
      return true;
    }
    listenerCount(name) { const l = this._events && this._events[name]; return l ? l.length : 0; }
    listeners(name) {
      const l = this._events && this._events[name];
      const out = [];
      if (l) for (let i = 0; i < l.length; i++) prim.defineProperty(out, i, { value: l[i].fn, writable: true, enumerable: true, configurable: true });
      return out;
    }
    rawListeners(name) { return this.listeners(name); }
    eventNames() { return this._events ? prim.ownKeys(this._events) : []; }
  }
  O.defineProperty(EventEmitter.prototype, '_events', { value: undefined, writable: true, enumerable: false });
  function once(emitter, name, options) {
    return new P((resolve, reject) => {
      const signal = options && options.signal;
      if (signal && signal.aborted) { reject(abortError(signal.reason)); return; }
      const onEvent = (...args) => { cleanup(); resolve(args); };
      const onError = (err) => { cleanup(); reject(err); };
      const onAbort = () => { cleanup(); reject(abortError(signal.reason)); };
      function cleanup() {
        if (typeof emitter.off === 'function') { emitter.off(name, onEvent); if (name !== 'error') emitter.off('error', onError); }
        else if (typeof emitter.removeEventListener === 'function') emitter.removeEventListener(name, onEvent);
        if (signal) signal.removeEventListener('abort', onAbort);
      }
      if (typeof emitter.once === 'function') { emitter.once(name, onEvent); if (name !== 'error') emitter.once('error', onError); }
      else emitter.addEventListener(name, onEvent, { once: true });
      if (signal) signal.addEventListener('abort', onAbort, { once: true });
    });
  }
  function on(emitter, name) {
    const queue = [];
    const waiting = [];
    let error = null;
    emitter.on(name, (...args) => { if (waiting.length) waiting.shift().resolve({ value: args, done: false }); else queue.push(args); });
    emitter.on('error', (err) => { if (waiting.length) waiting.shift().reject(err); else error = err; });
    return {
      next() {
        if (queue.length) return P.resolve({ value: queue.shift(), done: false });
        if (error) { const e = error; error = null; return P.reject(e); }
        return new P((resolve, reject) => waiting.push({ resolve, reject }));
      },
      return() { emitter.removeAllListeners(name); return P.resolve({ value: undefined, done: true }); },
      [S.asyncIterator]() { return this; },
    };
  }
  function abortError(reason) {
    const err = new E('The operation was aborted', reason !== undefined ? { cause: reason } : undefined);
    err.name = 'AbortError';
    err.code = 'ABORT_ERR';
    return err;
  }
  const eventsModule = O.assign(EventEmitter, { EventEmitter, once, on, defaultMaxListeners: 10, errorMonitor: S('events.errorMonitor'), captureRejectionSymbol: S.for('nodejs.rejection') });
  void kCapture;

  // the lesson's `process` becomes an EventEmitter (SIGTERM, exit, uncaughtException, unhandledRejection)
  const processObject = core.processObject;
  const processEmitter = new EventEmitter();
  for (const m of ['on', 'once', 'off', 'addListener', 'removeListener', 'removeAllListeners', 'emit', 'listenerCount', 'listeners', 'prependListener', 'prependOnceListener']) {
    processObject[m] = function (...args) {
      const r = apply(processEmitter[m], processEmitter, args);
      if (m !== 'emit' && m !== 'listenerCount' && m !== 'listeners') {
        return processObject;
      }
      return r;
    };
  }
  core.setProcessEmitter(processEmitter);

  // ---------------------------------------------------------------- timers/promises
  const T = core.timers;
  function timerPromise(kind, ms, value, options) {
    const signal = options && options.signal;
    if (signal && signal.aborted) return P.reject(abortError(signal.reason));
    return new P((resolve, reject) => {
      const handle = kind === 'immediate' ? T.setImmediate(() => resolve(value)) : T.setTimeout(() => resolve(value), ms);
      if (options && options.ref === false) handle.unref();
      if (signal) signal.addEventListener('abort', () => {
        if (kind === 'immediate') T.clearImmediate(handle); else T.clearTimeout(handle);
        reject(abortError(signal.reason));
      }, { once: true });
    });
  }
  const timersPromises = {
    setTimeout: (ms, value, options) => timerPromise('timeout', ms, value, options),
    setImmediate: (value, options) => timerPromise('immediate', 0, value, options),
    setInterval(ms, value, options) {
      const signal = options && options.signal;
      let pending = 0;
      let wake = null;
      const handle = T.setInterval(() => { pending++; if (wake) { const w = wake; wake = null; w(); } }, ms);
      return {
        async next() {
          if (signal && signal.aborted) { T.clearInterval(handle); throw abortError(signal.reason); }
          if (pending === 0) await new P((resolve) => { wake = resolve; });
          pending--;
          return { value, done: false };
        },
        async return() { T.clearInterval(handle); return { value: undefined, done: true }; },
        [S.asyncIterator]() { return this; },
      };
    },
    scheduler: { wait: (ms, options) => timerPromise('timeout', ms, undefined, options), yield: () => timerPromise('immediate', 0, undefined) },
  };
  const timersModule = { ...T, promises: timersPromises };

  // ---------------------------------------------------------------- util
  const customInspect = S.for('nodejs.util.inspect.custom');
  const customPromisify = S.for('nodejs.util.promisify.custom');
  function inspect(value, options) {
    const depth = options && typeof options === 'object' && typeof options.depth === 'number' ? options.depth : options && options.depth === null ? 1e9 : 2;
    return core.inspectValue(value, depth);
  }
  inspect.custom = customInspect;
  function promisify(fn) {
    if (typeof fn !== 'function') throw new TE('The "original" argument must be of type function');
    if (fn[customPromisify]) return fn[customPromisify];
    return function promisified(...args) {
      return new P((resolve, reject) => {
        R.apply(fn, this, [...args, (err, ...values) => (err ? reject(err) : resolve(values.length > 1 ? values : values[0]))]);
      });
    };
  }
  T.setTimeout[customPromisify] = timersPromises.setTimeout;
  T.setImmediate[customPromisify] = timersPromises.setImmediate;
  const utilModule = {
    inspect, promisify,
    format: (...args) => host.format(args),
    formatWithOptions: (_o, ...args) => host.format(args),
    deprecate: (fn) => fn,
    isDeepStrictEqual: (a, b) => deepEqual(a, b),
    types: {
      isPromise: (v) => v instanceof P,
      isAsyncFunction: (v) => typeof v === 'function' && v[S.toStringTag] === 'AsyncFunction',
      isGeneratorFunction: (v) => typeof v === 'function' && /^(async )?function\s*\*/.test(Function.prototype.toString.call(v)),
      isSharedArrayBuffer: (v) => v instanceof SharedArrayBuffer,
      isTypedArray: (v) => ArrayBuffer.isView(v) && !(v instanceof DataView),
    },
    TextEncoder: g.TextEncoder, TextDecoder: g.TextDecoder,
  };

  // ---------------------------------------------------------------- assert
  class AssertionError extends E {
    constructor(options) { super(options.message); this.name = 'AssertionError'; this.code = 'ERR_ASSERTION'; this.actual = options.actual; this.expected = options.expected; this.operator = options.operator; }
  }
  function deepEqual(a, b) {
    if (O.is(a, b)) return true;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
    if (O.getPrototypeOf(a) !== O.getPrototypeOf(b)) return false;
    if (a instanceof M) return a.size === b.size && [...a].every(([k, v]) => b.has(k) && deepEqual(v, b.get(k)));
    if (a instanceof Set) return a.size === b.size && [...a].every((v) => b.has(v));
    const ka = O.keys(a), kb = O.keys(b);
    return ka.length === kb.length && ka.every((k) => O.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  function fail(message, actual, expected, operator, fallback) {
    if (message instanceof E) throw message;
    throw new AssertionError({ message: message ?? fallback, actual, expected, operator });
  }
  function assert(value, message) { if (!value) fail(message, value, true, '==', 'The expression evaluated to a falsy value:\n\n  assert(' + core.inspectValue(value) + ')\n'); }
  O.assign(assert, {
    ok: assert, AssertionError,
    equal(a, b, m) { if (a != b) fail(m, a, b, '==', core.inspectValue(a) + ' == ' + core.inspectValue(b)); },
    notEqual(a, b, m) { if (a == b) fail(m, a, b, '!=', core.inspectValue(a) + ' != ' + core.inspectValue(b)); },
    strictEqual(a, b, m) { if (!O.is(a, b)) fail(m, a, b, 'strictEqual', 'Expected values to be strictly equal:\n\n' + core.inspectValue(a) + ' !== ' + core.inspectValue(b) + '\n'); },
    notStrictEqual(a, b, m) { if (O.is(a, b)) fail(m, a, b, 'notStrictEqual', 'Expected "actual" to be strictly unequal to: ' + core.inspectValue(b)); },
    deepStrictEqual(a, b, m) { if (!deepEqual(a, b)) fail(m, a, b, 'deepStrictEqual', 'Expected values to be strictly deep-equal:\n' + core.inspectValue(a) + '\n\nshould equal\n\n' + core.inspectValue(b)); },
    deepEqual(a, b, m) { if (!deepEqual(a, b)) fail(m, a, b, 'deepEqual', 'Expected values to be loosely deep-equal'); },
    throws(fn, _e, m) { try { fn(); } catch { return; } fail(typeof _e === 'string' ? _e : m, undefined, undefined, 'throws', 'Missing expected exception.'); },
    async rejects(p, _e, m) { try { await (typeof p === 'function' ? p() : p); } catch { return; } fail(typeof _e === 'string' ? _e : m, undefined, undefined, 'rejects', 'Missing expected rejection.'); },
    fail(m) { fail(m, undefined, undefined, 'fail', 'Failed'); },
  });
  assert.strict = assert;

  // ---------------------------------------------------------------- os
  const cpuCount = host.cpus();
  const osModule = {
    cpus: () => A.from({ length: cpuCount }, () => ({ model: 'Loopscope sandbox CPU', speed: 0, times: { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 } })),
    availableParallelism: () => cpuCount,
    EOL: '\n', platform: () => config.platform, arch: () => config.arch, type: () => 'Linux', release: () => '0.0.0',
    hostname: () => 'loopscope', homedir: () => '/home/lesson', tmpdir: () => '/tmp', endianness: () => 'LE',
    totalmem: () => config.heapMb * 1048576, freemem: () => config.heapMb * 1048576, loadavg: () => [0, 0, 0], uptime: () => 0,
  };

  // ---------------------------------------------------------------- messages, ports, workers
  // Real MessagePorts stay on the host side (so they ref/unref like Node's); data crosses into and out of this
  // context through structured clone only. A port inside a message travels as a marker `{ '@loopscope-port': key }`.
  let messageSeq = 0;
  const portKeys = new WM(); // wrapper -> host port key
  const portsByKey = new M(); // host port key -> wrapper
  const PORT_MARK = '@loopscope-port';
  /** SharedArrayBuffers inside a message, in a fixed walk order the receiver repeats, so both sides share ids. */
  function findShared(value, out, depth, seen) {
    if (value === null || typeof value !== 'object' || depth > 4 || seen.has(value) || out.length > 64) return;
    seen.add(value);
    if (value instanceof SharedArrayBuffer) { out.push(value); return; }
    if (ArrayBuffer.isView(value)) { if (value.buffer instanceof SharedArrayBuffer) out.push(value.buffer); return; }
    if (A.isArray(value)) { for (let i = 0; i < value.length && i < 64; i++) findShared(value[i], out, depth + 1, seen); return; }
    if (value instanceof M) { for (const v of value.values()) findShared(v, out, depth + 1, seen); return; }
    if (O.getPrototypeOf(value) === O.prototype) for (const k of O.keys(value).slice(0, 64)) findShared(value[k], out, depth + 1, seen);
  }
  /** Replaces port wrappers (top level or one property deep) with markers; returns their keys. */
  function markPorts(data, keys) {
    const mark = (v) => { const k = portKeys.get(v); if (k === undefined) return v; keys.push(k); return { [PORT_MARK]: k }; };
    if (portKeys.has(data)) return mark(data);
    if (data !== null && typeof data === 'object' && O.getPrototypeOf(data) === O.prototype) {
      let copy = null;
      for (const k of O.keys(data)) if (portKeys.has(data[k])) { copy = copy || { ...data }; copy[k] = mark(data[k]); }
      return copy || data;
    }
    return data;
  }
  function unmarkPorts(data) {
    const unmark = (v) => (v !== null && typeof v === 'object' && typeof v[PORT_MARK] === 'number' ? new MessagePort(v[PORT_MARK], -1) : v);
    if (data !== null && typeof data === 'object' && typeof data[PORT_MARK] === 'number') return unmark(data);
    if (data !== null && typeof data === 'object' && O.getPrototypeOf(data) === O.prototype) for (const k of O.keys(data)) data[k] = unmark(data[k]);
    return data;
  }
  function envelope(data, targetAgent, keys) {
    const id = (agentId << 20) | ++messageSeq;
    const shared = [];
    findShared(data, shared, 0, new Set());
    const sabIds = shared.map((b) => core.bufferId(new Uint8Array(b)));
    emit(K.MessagePost, id, targetAgent);
    flush(); // the receiver's agent may log the receive before this agent's next batch
    return { '@loopscope': 1, id, sabIds, data: markPorts(data, keys) };
  }
  function transferablesOf(transfer) {
    if (!transfer) return [];
    const list = A.isArray(transfer) ? transfer : transfer.transfer || [];
    return A.from(list).filter((t) => !portKeys.has(t));
  }
  function post(key, data, transfer, targetAgent) {
    const s = core.hostEnter('postMessage');
    try {
      const keys = [];
      const env = envelope(data, targetAgent, keys);
      core.ensureStackHeadroom();
      try {
        host.portPost(key, env, transferablesOf(transfer), keys.join(','));
      } catch (e) {
        throw core.cleanMessage(e);
      }
    } finally { exitFrame(s); }
  }
  /** Delivers one message (already cloned into this context) as a Message task in the poll phase. */
  function receive(envelopeValue, deliver) {
    const id = core.state.nextTaskId();
    const isOurs = envelopeValue !== null && typeof envelopeValue === 'object' && envelopeValue['@loopscope'] === 1;
    const data = unmarkPorts(isOurs ? envelopeValue.data : envelopeValue);
    if (isOurs && envelopeValue.sabIds.length) {
      const shared = [];
      findShared(data, shared, 0, new Set());
      for (let i = 0; i < shared.length && i < envelopeValue.sabIds.length; i++) core.adoptBuffer(shared[i], envelopeValue.sabIds[i]);
    }
    emit(K.TaskSchedule, id, TK.Message, 0, -1, 0);
    emit(K.TaskRunnable, id);
    emit(K.MessageReceive, isOurs ? envelopeValue.id : -1, id);
    core.runTask(id, TK.Message, PH.Poll, deliver, undefined, [data]);
  }
  /** The host delivers a message that arrived on port `key`. */
  function portMessage(key, value) {
    const port = portsByKey.get(key);
    if (port) receive(value, (data) => port._deliver(data));
  }
  class MessagePort extends EventEmitter {
    #key; #target; #listening = false; #onmessage = null;
    constructor(key, targetAgent) {
      super();
      this.#key = key;
      this.#target = targetAgent;
      portKeys.set(this, key);
      portsByKey.set(key, this);
    }
    #sync() {
      const want = this.listenerCount('message') > 0 || typeof this.#onmessage === 'function';
      if (want !== this.#listening) { this.#listening = want; host.portListen(this.#key, want); }
    }
    on(name, fn) { super.on(name, fn); this.#sync(); return this; }
    addListener(name, fn) { return this.on(name, fn); }
    once(name, fn) { super.once(name, fn); this.#sync(); return this; }
    off(name, fn) { super.off(name, fn); this.#sync(); return this; }
    removeListener(name, fn) { return this.off(name, fn); }
    removeAllListeners(name) { super.removeAllListeners(name); this.#sync(); return this; }
    get onmessage() { return this.#onmessage; }
    set onmessage(fn) { this.#onmessage = fn; this.#sync(); }
    _deliver(data) {
      if (typeof this.#onmessage === 'function') this.#onmessage({ data, type: 'message', target: this });
      this.emit('message', data);
      this.#sync(); // a once() listener may be gone
    }
    postMessage(data, transfer) { post(this.#key, data, transfer, this.#target); }
    start() {}
    close() { host.portClose(this.#key); portsByKey.delete(this.#key); this.emit('close'); }
    ref() { host.portRef(this.#key, true); return this; }
    unref() { host.portRef(this.#key, false); return this; }
    addEventListener(type, fn) { this.on(type, (data) => (typeof fn === 'function' ? fn({ data, type }) : fn.handleEvent({ data, type }))); }
    removeEventListener() {}
  }
  class MessageChannel {
    constructor() {
      core.ensureStackHeadroom();
      const ch = host.channel();
      this.port1 = new MessagePort(ch * 2, -1);
      this.port2 = new MessagePort(ch * 2 + 1, -1);
    }
  }
  const workersByAgent = new M();
  function resolveWorkerFile(file) {
    let path = file instanceof core.URL || (file && typeof file === 'object' && typeof file.href === 'string') ? Str(file.href) : Str(file);
    if (path.startsWith('file://')) path = path.slice(7);
    if (path.startsWith(config.lessonRoot)) path = path.slice(config.lessonRoot.length);
    else if (path.startsWith('./')) path = path.slice(2);
    const found = host.resolveLessonFile(path);
    if (!found) {
      const err = new E('Cannot find worker file \'' + Str(file) + '\': a lesson worker must be one of the lesson\'s files');
      err.code = 'ERR_WORKER_PATH';
      throw err;
    }
    return found;
  }
  class Worker extends EventEmitter {
    #port; #agent; #exit; #resolveExit;
    constructor(file, options = {}) {
      super();
      const s = core.hostEnter('new Worker');
      try {
        if (options.eval) throw new TE('new Worker(code, { eval: true }) is not supported in lessons: put the worker code in a lesson file');
        const path = resolveWorkerFile(file);
        const keys = [];
        const shared = [];
        findShared(options.workerData, shared, 0, new Set());
        const first = { workerData: markPorts(options.workerData, keys), sabIds: shared.map((b) => core.bufferId(new Uint8Array(b))) };
        core.ensureStackHeadroom();
        const agent = host.spawnWorker(path, options.name ? Str(options.name) : '', first, transferablesOf(options.transferList), keys.join(','));
        this.#agent = agent;
        this.threadId = agent;
        this.#port = new MessagePort(host.workerPortKey(agent), agent);
        this.#port.on('message', (data) => this.emit('message', data));
        workersByAgent.set(agent, this);
        this.#exit = new P((resolve) => { this.#resolveExit = resolve; });
      } finally { exitFrame(s); }
    }
    postMessage(data, transfer) { this.#port.postMessage(data, transfer); }
    terminate() {
      const s = core.hostEnter('worker.terminate');
      try { host.terminateWorker(this.#agent); return this.#exit; } finally { exitFrame(s); }
    }
    ref() { host.refWorker(this.#agent, true); return this; }
    unref() { host.refWorker(this.#agent, false); this.#port.unref(); return this; }
    _lifecycle(type, code, message, stack) {
      if (type === 'online') this.emit('online');
      else if (type === 'error') {
        const err = new E(message);
        err.stack = stack;
        this.emit('error', err);
      } else if (type === 'exit') {
        workersByAgent.delete(this.#agent);
        this.#port.removeAllListeners('message');
        this.emit('exit', code);
        this.#resolveExit(code);
      }
    }
  }
  /** The host reports a child agent's lifecycle: online, error, exit. Runs as a Message task (poll phase). */
  function workerEvent(agent, type, code, message, stack) {
    const worker = workersByAgent.get(agent);
    if (!worker) return;
    const id = core.state.nextTaskId();
    emit(K.TaskSchedule, id, TK.Message, 0, -1, 0);
    emit(K.TaskRunnable, id);
    if (type === 'exit') emit(K.WorkerExit, agent, code);
    core.runTask(id, TK.Message, PH.Poll, () => worker._lifecycle(type, code, message, stack), undefined, []);
  }
  let parentPort = null;
  let workerData = null;
  if (parentPortKey >= 0) {
    const first = host.takeWorkerData();
    workerData = first ? unmarkPorts(first.workerData) : undefined;
    if (first && first.sabIds && first.sabIds.length) {
      const shared = [];
      findShared(workerData, shared, 0, new Set());
      for (let i = 0; i < shared.length && i < first.sabIds.length; i++) core.adoptBuffer(shared[i], first.sabIds[i]);
    }
    parentPort = new MessagePort(parentPortKey, config.parentAgentId);
  }
  const workerThreads = {
    isMainThread: config.parentAgentId < 0, parentPort, workerData, threadId: agentId, resourceLimits: {},
    Worker, MessageChannel, MessagePort, SHARE_ENV: S.for('nodejs.worker_threads.SHARE_ENV'),
    markAsUntransferable() {}, isMarkedAsUntransferable: () => false,
    receiveMessageOnPort() { throw new E('receiveMessageOnPort is not available in lessons'); },
    getEnvironmentData: () => undefined, setEnvironmentData() {},
  };

  // ---------------------------------------------------------------- async-mutex: the real package, locks traced
  let lockSeq = 0;
  const lockState = new WM();
  function lockOf(sem, name, capacity) {
    let st = lockState.get(sem);
    if (!st) {
      st = { id: ++lockSeq, holders: 0, waiters: 0 };
      lockState.set(sem, st);
      emit(K.LockDefine, st.id, name + ' #' + st.id, capacity);
    }
    return st;
  }
  function instrumentAsyncMutex(mod) {
    const Sem = mod.Semaphore;
    const proto = Sem && Sem.prototype;
    if (!proto || proto.__loopscope) return mod;
    const acquire = proto.acquire;
    const release = proto.release;
    O.defineProperty(proto, '__loopscope', { value: true });
    proto.acquire = function (weight = 1, priority = 0) {
      const st = lockOf(this, this.__mutex ? 'Mutex' : 'Semaphore', this.__mutex ? 1 : this.getValue() + this.__held || 1);
      st.waiters++;
      emit(K.Lock, st.id, 0, st.holders, st.waiters);
      const promise = R.apply(acquire, this, [weight, priority]);
      host.internal(true);
      try {
        promise.then(() => { st.waiters--; st.holders++; this.__held = (this.__held || 0) + 1; emit(K.Lock, st.id, 1, st.holders, st.waiters); }, () => { st.waiters--; });
      } finally { host.internal(false); }
      return promise;
    };
    proto.release = function (weight = 1) {
      const st = lockState.get(this);
      if (st && st.holders > 0) { st.holders--; this.__held--; emit(K.Lock, st.id, 2, st.holders, st.waiters); }
      return R.apply(release, this, [weight]);
    };
    const MutexCtor = mod.Mutex;
    if (MutexCtor) {
      const Wrapped = class Mutex extends MutexCtor {
        constructor(...args) { super(...args); if (this._semaphore) this._semaphore.__mutex = true; }
      };
      return { ...mod, Mutex: Wrapped, default: mod.default };
    }
    return mod;
  }

  // ---------------------------------------------------------------- @loopscope/kit
  function hash(s) { let h = 2166136261; for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619); } return h >>> 0; }
  function rng(seed) { let a = seed; return () => { a |= 0; a = (a + 0x6d2b79f5) | 0; let t = Math.imul(a ^ (a >>> 15), 1 | a); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; }; }
  const ioWaiters = new M(); // taskId -> callback(errorText, text)
  /** Starts a real I/O operation in the host; `done` runs as an I/O task in the poll phase. */
  function io(label, start, done) {
    const id = core.schedule(TK.Io, done, [], 0, false);
    emit(K.TaskLabel, id, label);
    ioWaiters.set(id, true);
    start(id);
    return id;
  }
  function ioComplete(id, errorText, text) {
    if (!ioWaiters.delete(id)) return;
    core.setIoResult(id, errorText, text);
    core.dispatch(id, PH.Poll);
  }
  function readLessonFile(path, callback) {
    const s = core.hostEnter('readFile');
    try {
      if (typeof callback === 'function') {
        io('readFile ' + path, (id) => host.readFile(id, Str(path)), function () { const r = core.takeIoResult(); r.error ? callback(new E(r.error)) : callback(null, r.text); });
        return undefined;
      }
      return new P((resolve, reject) => {
        io('readFile ' + path, (id) => host.readFile(id, Str(path)), () => { const r = core.takeIoResult(); r.error ? reject(new E(r.error)) : resolve(r.text); });
      });
    } finally { exitFrame(s); }
  }
  const services = new M();
  function defineService(name, options) {
    services.set(Str(name), { latencyMs: +options.latencyMs || 0, jitterMs: +options.jitterMs || 0, failureRate: +options.failureRate || 0, healthy: options.healthy !== false, weight: options.weight ?? 1, random: rng(hash(Str(name))) });
  }
  function serviceOf(name) {
    const svc = services.get(Str(name));
    if (!svc) throw new E('Unknown service \'' + Str(name) + '\': declare it first with defineService(\'' + Str(name) + '\', { latencyMs })');
    return svc;
  }
  function request(name, path = '/') {
    const s = core.hostEnter('fetch');
    try {
      const svc = serviceOf(name);
      const latency = Math.round(svc.latencyMs + svc.jitterMs * svc.random());
      const failed = !svc.healthy || svc.random() < svc.failureRate;
      return new P((resolve, reject) => {
        io('GET ' + name + path, (id) => host.service(id, latency), () => {
          core.takeIoResult();
          if (!svc.healthy) reject(new E(name + ': 503 Service Unavailable'));
          else if (failed) reject(new E(name + ': 500 Internal Server Error'));
          else resolve({ status: 200, body: 'ok ' + name + path, service: Str(name), latencyMs: latency });
        });
      });
    } finally { exitFrame(s); }
  }
  function health(name) {
    const svc = serviceOf(name);
    return new P((resolve) => { io('HEALTH ' + name, (id) => host.service(id, Math.round(svc.latencyMs)), () => { core.takeIoResult(); resolve(svc.healthy); }); });
  }
  function setHealthy(name, healthy) { serviceOf(name).healthy = !!healthy; }
  function delay(ms) { return timersPromises.setTimeout(ms); }
  class Semaphore {
    #permits; #held = 0; #waiting = []; #st;
    constructor(permits, name = 'Semaphore') {
      this.#permits = permits | 0;
      this.#st = { id: ++lockSeq };
      emit(K.LockDefine, this.#st.id, Str(name), this.#permits);
    }
    get available() { return this.#permits - this.#held; }
    acquire() {
      emit(K.Lock, this.#st.id, 0, this.#held, this.#waiting.length + 1);
      return new P((resolve) => {
        const grant = () => {
          this.#held++;
          emit(K.Lock, this.#st.id, 1, this.#held, this.#waiting.length);
          let released = false;
          resolve(() => {
            if (released) return;
            released = true;
            this.#held--;
            emit(K.Lock, this.#st.id, 2, this.#held, this.#waiting.length);
            const next = this.#waiting.shift();
            if (next) next();
          });
        };
        if (this.#held < this.#permits) grant(); else this.#waiting.push(grant);
      });
    }
    async runExclusive(fn) {
      const release = await this.acquire();
      try { return await fn(); } finally { release(); }
    }
  }
  function sendSignal(signal, afterMs = 0) {
    if (signal !== 'SIGTERM' && signal !== 'SIGINT') throw new TE('sendSignal supports SIGTERM and SIGINT');
    host.signal(signal, +afterMs || 0);
  }
  /** A resource whose close callback runs in the close-callbacks phase: a real libuv handle closes underneath. */
  function openResource(name = 'resource') {
    let closed = false;
    const label = Str(name);
    return {
      get closed() { return closed; },
      close(callback) {
        if (closed) throw new E('Resource ' + label + ' is already closed');
        closed = true;
        core.ensureStackHeadroom();
        const id = core.schedule(TK.Close, () => { if (typeof callback === 'function') callback(); }, [], 0, false);
        emit(K.TaskLabel, id, 'close ' + label);
        host.closeHandle(id);
      },
    };
  }
  const kit = { readLessonFile, delay, defineService, request, health, setHealthy, Semaphore, sendSignal, openResource };

  // ---------------------------------------------------------------- module loader
  const builtins = {
    events: eventsModule, timers: timersModule, 'timers/promises': timersPromises, worker_threads: workerThreads,
    os: osModule, util: utilModule, assert, 'assert/strict': assert, perf_hooks: { performance: g.performance },
    '@loopscope/kit': kit,
  };
  const packages = config.packages; // package name -> entry path among host files, e.g. async-mutex
  const cache = new M();
  function dirOf(path) { const i = StringLastIndexOf(path, '/'); return i < 0 ? '' : StringSlice(path, 0, i + 1); }
  function normalize(path) {
    const parts = StringSplit(path, '/');
    const out = [];
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      if (part === '..') prim.ArrayPop(out);
      else if (part !== '.' && part !== '') ArrayPush(out, part);
    }
    return ArrayJoin(out, '/');
  }
  function unavailable(spec) {
    const names = [];
    const b = objectKeys(builtins);
    for (let i = 0; i < b.length; i++) ArrayPush(names, b[i][0] === '@' ? b[i] : 'node:' + b[i]);
    const p = objectKeys(packages);
    for (let i = 0; i < p.length; i++) ArrayPush(names, p[i]);
    const err = new E('Cannot use module \'' + spec + '\' in a lesson: it is not available in the Loopscope sandbox. Available: ' + ArrayJoin(names, ', '));
    err.code = 'ERR_LESSON_MODULE_UNAVAILABLE';
    return err;
  }
  function resolve(from, spec) {
    spec = Str(spec);
    const bare = StringStartsWith(spec, 'node:') ? StringSlice(spec, 5) : spec;
    if (hasOwn(builtins, bare)) return { __proto__: null, builtin: bare };
    if (StringStartsWith(spec, './') || StringStartsWith(spec, '../') || StringStartsWith(spec, '/')) {
      const base = StringStartsWith(spec, '/') ? StringSlice(spec, 1) : normalize(dirOf(from) + spec);
      const found = host.resolveFile(base);
      if (found) return { __proto__: null, file: found };
      const err = new E('Cannot find module \'' + spec + '\' imported from ' + from);
      err.code = 'ERR_MODULE_NOT_FOUND';
      throw err;
    }
    const slash = StringIndexOf(spec, '/');
    const pkg = slash < 0 ? spec : StringSlice(spec, 0, slash);
    if (hasOwn(packages, pkg)) return { __proto__: null, file: packages[pkg], pkg };
    throw unavailable(spec);
  }
  function load(from, spec) {
    const r = resolve(from, spec);
    if (r.builtin) return builtins[r.builtin];
    const cached = MapGet(cache, r.file);
    if (cached) return cached.exports;
    const module = { exports: {}, id: r.file, filename: config.lessonRoot + r.file, loaded: false };
    MapSet(cache, r.file, module);
    runFile(r.file, module);
    module.loaded = true;
    if (r.pkg === 'async-mutex') module.exports = instrumentAsyncMutex(module.exports);
    return module.exports;
  }
  function namespace(exports) {
    if (exports !== null && (typeof exports === 'object' || typeof exports === 'function')) {
      if (exports.__esModule) return exports;
      const ns = prim.create(null);
      const keys = objectKeys(exports);
      for (let i = 0; i < keys.length; i++) ns[keys[i]] = exports[keys[i]];
      if (typeof exports === 'function') {
        const names = prim.getOwnPropertyNames(exports);
        for (let i = 0; i < names.length; i++) {
          const k = names[i];
          if (!(k in ns) && k !== 'prototype' && k !== 'length' && k !== 'name') ns[k] = exports[k];
        }
      }
      ns.default = exports;
      return ns;
    }
    return { default: exports };
  }
  function runFile(path, module) {
    const fn = host.compile(path);
    const isModule = host.isModule(path);
    const require = (spec) => load(path, spec);
    prim.defineProperty(require, 'resolve', { value: (spec) => { const r = resolve(path, spec); return r.builtin ? 'node:' + r.builtin : config.lessonRoot + r.file; }, writable: true, enumerable: true, configurable: true });
    prim.defineProperty(require, 'cache', { value: prim.create(null), writable: true, enumerable: true, configurable: true });
    const imp = (spec) => namespace(load(path, spec));
    const dimp = (spec) => { try { return prim.PromiseResolve(imp(spec)); } catch (e) { return prim.PromiseReject(e); } };
    const exp = module.exports;
    const filename = config.lessonRoot + path;
    const meta = { url: 'file://' + filename, filename, dirname: StringSlice(filename, 0, StringLastIndexOf(filename, '/')), resolve: (s) => 'file://' + config.lessonRoot + resolve(path, s).file };
    const t = core.tracer;
    const body = fn(t.enter, t.exit, t.suspend, t.resume, t.statement, imp, dimp, exp, meta);
    // Node's own wrappers: (exports, require, module, __filename, __dirname) with this = exports for CommonJS;
    // nothing for an ES module.
    return isModule ? apply(body, undefined, []) : apply(body, exp, [exp, require, module, filename, meta.dirname]);
  }
  /** Runs the agent's entry file (the script task); returns what the wrapper returned (a promise with top-level await). */
  function runEntry(path) {
    const module = { exports: {}, id: '.', filename: config.lessonRoot + path, loaded: false };
    MapSet(cache, path, module);
    return runFile(path, module);
  }

  return { runEntry, workerEvent, ioComplete, portMessage, EventEmitter };
});
