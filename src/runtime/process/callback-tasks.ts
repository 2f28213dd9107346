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

export class CallbackTasks<I> {
  private readonly toString: (this: unknown) => string;
  private readonly lessonFunctions = new WeakMap<object, boolean>();
  private readonly timers = new Set<CallbackTask<I>>();
  private readonly immediates = new Set<CallbackTask<I>>();
  private ticks: CallbackTask<I>[] = [];
  private micros: CallbackTask<I>[] = [];
  /** What Node is draining between macrotasks: the nextTick queue or the microtask queue. */
  private draining: 'tick' | 'micro' = 'tick';

  constructor(realToString: (this: unknown) => string) {
    this.toString = realToString;
  }

  /** Whether `fn` reports its own start: an instrumented lesson function whose body runs when it is called. */
  selfReporting(fn: object): boolean {
    let known = this.lessonFunctions.get(fn);
    if (known === undefined) {
      let source = '';
      try { source = Reflect.apply(this.toString, fn, []); } catch { /* not a function */ }
      const proto = Object.getPrototypeOf(fn) as { [Symbol.toStringTag]?: string } | null;
      const tag = proto ? proto[Symbol.toStringTag] : undefined;
      known = source.includes('__ls$e(') && !/^class\b/.test(source) && tag !== 'GeneratorFunction' && tag !== 'AsyncGeneratorFunction';
      this.lessonFunctions.set(fn, known);
    }
    return known;
  }

  add(task: CallbackTask<I>): void {
    if (task.queue === 'timer') { if (task.self) this.timers.add(task); } else if (task.queue === 'immediate') { if (task.self) this.immediates.add(task); } else if (task.queue === 'tick') this.ticks.push(task);
    else this.micros.push(task);
  }

  /** A timer or immediate was cleared. */
  cancel(handle: object): void {
    for (const set of [this.timers, this.immediates]) for (const t of set) if (t.handle === handle) set.delete(t);
  }

  /** A task started (any kind): keeps track of which queue is being drained; a macrotask means both were drained. */
  started(kind: 'macro' | 'tick' | 'micro', id?: number): void {
    if (kind === 'macro') { this.ticks = []; this.micros = []; this.draining = 'tick'; return; }
    // Between two macrotasks Node drains both queues; which one runs first depends on how the turn began (an ES module
    // main script drains microtasks before ticks), so only a macrotask clears them.
    this.draining = kind;
    if (id === undefined) return;
    const list = kind === 'tick' ? this.ticks : this.micros;
    const at = list.findIndex((t) => t.id === id);
    if (at >= 0) list.splice(0, at + 1);
  }

  /** At a lesson function's entry with no task open: the self-reporting callback Node is running now, if any. */
  current(): CallbackTask<I> | null {
    for (const t of this.timers) {
      const h = t.handle as TimerHandle;
      if (h._destroyed === true) { this.timers.delete(t); continue; }
      if (h._idleNext == null && h._idlePrev == null) {
        if (!t.repeat) this.timers.delete(t);
        return t;
      }
    }
    for (const t of this.immediates) {
      const h = t.handle as TimerHandle;
      if (h._onImmediate == null) { this.immediates.delete(t); continue; }
      if (h._destroyed === true) { this.immediates.delete(t); return t; }
    }
    const tick = this.ticks[0]?.self ? this.ticks[0] : null;
    const micro = this.micros[0]?.self ? this.micros[0] : null;
    if (tick && micro) return this.draining === 'micro' ? micro : tick;
    return tick ?? micro;
  }
}
