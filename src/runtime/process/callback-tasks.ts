/**
 * Callbacks that report their own task (runtime v2): which scheduled lesson callback Node is running right now.
 *
 * A wrapper around a callback puts its own frame into every stack captured inside it and renames the callback's
 * frame (`Timeout._onTimeout (…/agent.ts)` above `Timeout.onTimer`, where plain node prints
 * `Timeout.onTimer [as _onTimeout]`). So a lesson function — instrumented, it calls the tracer as its first act — is
 * handed to Node as it is, and when it is entered with no task open, the tracer asks this module which of the
 * pending callbacks it is. Node's own bookkeeping answers for timers and immediates: the timer being run is the one
 * taken off its list (no `_idleNext`) but not yet destroyed; the immediate being run is marked destroyed while its
 * callback is still set. nextTick and queueMicrotask callbacks run in the order they were queued; when both queues
 * hold one, the queue being drained is the one whose task started last (a tick queue runs until empty, and so does
 * V8's microtask queue).
 * Other callbacks (native functions, bound functions, generators, classes) keep a wrapper: they have no entry call.
 */

export type CallbackQueue = 'timer' | 'immediate' | 'tick' | 'micro';

export interface CallbackTask<I> {
  readonly id: number;
  readonly info: I;
  readonly queue: CallbackQueue;
  /** The Timeout or Immediate object Node returned (timers and immediates). */
  readonly handle?: object;
  readonly repeat?: boolean;
  /** False: a wrapped callback, which opens its own task; it is listed only to keep the queue's order. */
  readonly self: boolean;
}

interface TimerHandle { _idleNext?: unknown; _idlePrev?: unknown; _destroyed?: unknown; _onImmediate?: unknown }

// Built-ins captured when the preload loads, before any lesson code: this runs at a lesson function's entry, and a
// lesson may have replaced Set/Array/WeakMap/String methods with its own (instrumented) functions — calling those
// would enter the tracer again, and again. So the queues are plain arrays walked by index.
const apply = Reflect.apply;
const getPrototypeOf = Reflect.getPrototypeOf;
const weakGet = WeakMap.prototype.get;
const weakSet = WeakMap.prototype.set;
const strIncludes = String.prototype.includes;
const strStartsWith = String.prototype.startsWith;
const strCharCodeAt = String.prototype.charCodeAt;

/** `\w` or `$` (no RegExp: its methods are replaceable too). */
function isIdentifierChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
}
/** Removes `list[at]` in place (no Array methods). */
function removeAt<T>(list: T[], at: number): void {
  for (let i = at; i < list.length - 1; i++) list[i] = list[i + 1]!;
  list.length--;
}
function removeHandle<I>(list: CallbackTask<I>[], handle: object): void {
  for (let i = list.length - 1; i >= 0; i--) if (list[i]!.handle === handle) removeAt(list, i);
}
/** Drops the first `n` entries in place. */
function dropFirst<T>(list: T[], n: number): void {
  for (let i = n; i < list.length; i++) list[i - n] = list[i]!;
  list.length -= n;
}

export class CallbackTasks<I> {
  private readonly toString: (this: unknown) => string;
  private readonly lessonFunctions = new WeakMap<object, boolean>();
  private readonly timers: CallbackTask<I>[] = [];
  private readonly immediates: CallbackTask<I>[] = [];
  private readonly ticks: CallbackTask<I>[] = [];
  private readonly micros: CallbackTask<I>[] = [];
  /** What Node is draining between macrotasks: the nextTick queue or the microtask queue. */
  private draining: 'tick' | 'micro' = 'tick';

  constructor(realToString: (this: unknown) => string) {
    this.toString = realToString;
  }

  /** Whether `fn` reports its own start: an instrumented lesson function whose body runs when it is called. */
  selfReporting(fn: object): boolean {
    let known = apply(weakGet, this.lessonFunctions, [fn]) as boolean | undefined;
    if (known === undefined) {
      let source = '';
      try { source = apply(this.toString, fn, []); } catch { /* not a function */ }
      const proto = getPrototypeOf(fn) as { [Symbol.toStringTag]?: string } | null;
      const tag = proto ? proto[Symbol.toStringTag] : undefined;
      const isClass = apply(strStartsWith, source, ['class']) && !isIdentifierChar(apply(strCharCodeAt, source, [5]) as number);
      known = apply(strIncludes, source, ['__ls$e(']) && !isClass && tag !== 'GeneratorFunction' && tag !== 'AsyncGeneratorFunction';
      apply(weakSet, this.lessonFunctions, [fn, known]);
    }
    return known;
  }

  add(task: CallbackTask<I>): void {
    const list = task.queue === 'timer' ? this.timers : task.queue === 'immediate' ? this.immediates : task.queue === 'tick' ? this.ticks : this.micros;
    if ((task.queue === 'timer' || task.queue === 'immediate') && !task.self) return;
    list[list.length] = task;
  }

  /** A timer or immediate was cleared. */
  cancel(handle: object): void {
    removeHandle(this.timers, handle);
    removeHandle(this.immediates, handle);
  }

  /** A task started (any kind): keeps track of which queue is being drained; a macrotask means both were drained. */
  started(kind: 'macro' | 'tick' | 'micro', id?: number): void {
    if (kind === 'macro') { this.ticks.length = 0; this.micros.length = 0; this.draining = 'tick'; return; }
    // Between two macrotasks Node drains both queues; which one runs first depends on how the turn began (an ES module
    // main script drains microtasks before ticks), so only a macrotask clears them.
    this.draining = kind;
    if (id === undefined) return;
    const list = kind === 'tick' ? this.ticks : this.micros;
    for (let at = 0; at < list.length; at++) if (list[at]!.id === id) { dropFirst(list, at + 1); return; }
  }

  /** At a lesson function's entry with no task open: the self-reporting callback Node is running now, if any. */
  current(): CallbackTask<I> | null {
    const timers = this.timers;
    for (let i = 0; i < timers.length; i++) {
      const t = timers[i]!;
      const h = t.handle as TimerHandle;
      if (h._destroyed === true) { removeAt(timers, i--); continue; }
      if (h._idleNext == null && h._idlePrev == null) {
        if (!t.repeat) removeAt(timers, i);
        return t;
      }
    }
    const immediates = this.immediates;
    for (let i = 0; i < immediates.length; i++) {
      const t = immediates[i]!;
      const h = t.handle as TimerHandle;
      if (h._onImmediate == null) { removeAt(immediates, i--); continue; }
      if (h._destroyed === true) { removeAt(immediates, i); return t; }
    }
    const tick = this.ticks.length > 0 && this.ticks[0]!.self ? this.ticks[0]! : null;
    const micro = this.micros.length > 0 && this.micros[0]!.self ? this.micros[0]! : null;
    if (tick && micro) return this.draining === 'micro' ? micro : tick;
    return tick ?? micro;
  }
}
