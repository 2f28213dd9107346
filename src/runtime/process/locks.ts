/**
 * Locks in the trace (runtime v2): async-mutex's Mutex and Semaphore, which lessons import as the real npm package.
 * The package's Semaphore class (a Mutex is a Semaphore of one) is traced where the preload's load hook hands it to
 * `traceSemaphoreClass` (preload.ts appends that call to the package's own Semaphore.js), so every acquire, grant and
 * release becomes a Lock event of this agent, with the holders and waiters the library itself counts.
 * A lock is named by the variable that holds it when the instrumentation saw one (`const accountLock = new Mutex()`
 * → values.ts `n`), else `Mutex #n` / `Semaphore #n`. Its waiters and holders are named by the call that asked: the
 * instrumentation hands over the arguments of the lesson function around a lock call (values.ts `k`), and the next
 * Request (async-mutex's or the kit's) is preceded by a LockCaller event with their previews. The arguments are only
 * read then, never on a plain function call.
 *
 * A release through a grant's releaser (acquire's, runExclusive's) says which holder leaves (LockReleasing); a direct
 * `semaphore.release()` cannot: the library does not know either (see `release` below).
 *
 * Boundary: the class and its instances are lesson-reachable; this code reads only the library's own data fields
 * (never an accessor) and calls the original methods exactly as they were called.
 */
import { EventKind as K, LockOp } from '../../shared/trace/schema.ts';
import type { Agent } from './agent.ts';
import { previewArgs } from './preview.ts';
import { SafeWeakMap, SafeWeakSet } from './safe-collections.ts';

/** Captured at start-up: a lesson may replace `Reflect.apply`, and the tracer must never call lesson code. */
const apply = Reflect.apply;
const { abs, max } = Math;

/** async-mutex locks' ids start here, above the kit's own (kit.ts numbers its Semaphores 1, 2, …). */
const FIRST_ID = 1 << 16;

interface LockInfo {
  readonly id: number;
  readonly capacity: number;
  kind: 'Mutex' | 'Semaphore';
  name: string;
  /** Acquired events so far: a grant's number, which its releaser gives back (LockReleasing). */
  grants: number;
}

export interface LockRegistry {
  /** Gives a lock the name of the variable that holds it (re-announces it: the model keeps holders and waiters). */
  name(lock: object, name: string): void;
  /** A lock call starts in a lesson function called with these arguments (values.ts `k`); returns a token for `callerDone`. */
  caller(args: unknown, rest: unknown): number;
  /** That lock call returned: its arguments name no later Request. */
  callerDone(token: unknown): void;
  /** A Request of lock `lockId` of this agent is about to be written: names its caller when a lock call is under way. */
  requested(lockId: number): void;
}

const semaphoreProtos = new SafeWeakSet<object>();

function field(o: object, key: string): unknown {
  const d = Object.getOwnPropertyDescriptor(o, key);
  return d && 'value' in d ? d.value : undefined;
}

function isSemaphore(o: unknown): o is object {
  return o !== null && typeof o === 'object' && semaphoreProtos.has(Object.getPrototypeOf(o) as object);
}

/** The traced semaphore behind a lock object (a Semaphore itself, or a Mutex's), else null. */
export function lockOf(o: object): object | null {
  if (isSemaphore(o)) return o;
  const inner = field(o, '_semaphore');
  if (isSemaphore(inner)) {
    infoMarks.set(inner as object, 'Mutex');
    return inner as object;
  }
  return null;
}
/** Semaphores that serve a Mutex (known once a Mutex was named or acquired through). */
const infoMarks = new SafeWeakMap<object, 'Mutex'>();

export function startLocks(agent: Agent): LockRegistry & { traceSemaphoreClass(ctor: unknown): void } {
  const w = agent.writer;
  const locks = new SafeWeakMap<object, LockInfo>();
  const counts = { Mutex: 0, Semaphore: 0 };
  let seq = FIRST_ID;

  function valueOf(sem: object): number {
    const v = field(sem, '_value');
    return typeof v === 'number' ? v : 0;
  }
  function queued(sem: object): number {
    const q = field(sem, '_queue');
    return Array.isArray(q) ? q.length : 0;
  }
  function info(sem: object, name = ''): LockInfo {
    let l = locks.get(sem);
    if (!l) {
      const kind = infoMarks.has(sem) || valueOf(sem) === 1 ? 'Mutex' : 'Semaphore';
      l = { id: ++seq, capacity: max(1, valueOf(sem)), kind, name: name || `${kind} #${++counts[kind]}`, grants: 0 };
      locks.set(sem, l);
      w.emit(K.LockDefine, l.id, l.name, l.capacity);
    }
    return l;
  }
  const held = (sem: object, l: LockInfo): number => max(0, l.capacity - valueOf(sem));

  // The lock call under way (values.ts k/K): its function's arguments, kept as values until a Request reads them.
  let callArgs: unknown = null;
  let callRest: unknown = null;
  let callToken = 0;
  // The grant being dispatched (its releaser is made inside _dispatchItem), and the one whose releaser is running.
  let granting: { readonly sem: object; readonly grant: number } | null = null;
  let releasingGrant = -1;
  function requested(lockId: number): void {
    if (callToken <= 0) return;
    w.emit(K.LockCaller, lockId, previewArgs(callArgs, callRest));
    callToken = -callToken; // one Request per call: runExclusive's own acquire asks once
    callArgs = callRest = null;
  }

  return {
    caller(args: unknown, rest: unknown): number {
      callArgs = args;
      callRest = rest;
      callToken = abs(callToken) + 1;
      return callToken;
    },
    callerDone(token: unknown): void {
      if (token === callToken || token === -callToken) { callToken = -abs(callToken); callArgs = callRest = null; }
    },
    requested,
    name(lock: object, name: string): void {
      if (!name) return;
      const l = info(lock, name);
      if (l.name === name) return;
      l.name = name;
      w.emit(K.LockDefine, l.id, name, l.capacity);
    },
    traceSemaphoreClass(ctor: unknown): void {
      if (typeof ctor !== 'function') return;
      const proto = (ctor as { prototype?: unknown }).prototype;
      if (proto === null || typeof proto !== 'object' || semaphoreProtos.has(proto)) return;
      const methods = proto as Record<string, unknown>;
      const acquire = methods.acquire;
      const dispatch = methods._dispatchItem;
      const release = methods.release;
      const newReleaser = methods._newReleaser;
      if (typeof acquire !== 'function' || typeof dispatch !== 'function' || typeof release !== 'function') return;
      semaphoreProtos.add(proto);
      Object.defineProperty(proto, 'acquire', {
        value: { acquire(this: object, ...args: unknown[]): unknown {
          if (isSemaphore(this)) {
            const l = info(this);
            requested(l.id);
            w.emit(K.Lock, l.id, LockOp.Request, held(this, l), queued(this) + 1);
          }
          return apply(acquire, this, args);
        } }.acquire,
        writable: true, configurable: true, enumerable: false,
      });
      Object.defineProperty(proto, '_dispatchItem', {
        value: { _dispatchItem(this: object, ...args: unknown[]): unknown {
          const l = isSemaphore(this) ? locks.get(this) : undefined;
          granting = l ? { sem: this, grant: l.grants + 1 } : null;
          let r: unknown;
          try { r = apply(dispatch, this, args); } finally { granting = null; }
          if (l) {
            l.grants++;
            w.emit(K.Lock, l.id, LockOp.Acquired, held(this, l), queued(this));
          }
          return r;
        } }._dispatchItem,
        writable: true, configurable: true, enumerable: false,
      });
      // A grant's releaser (the function acquire resolves with) says which holder leaves: holders of a semaphore
      // release in any order. Its own once-only guard stays the library's; ours only marks the first call.
      if (typeof newReleaser === 'function') {
        Object.defineProperty(proto, '_newReleaser', {
          value: { _newReleaser(this: object, ...args: unknown[]): unknown {
            const inner = apply(newReleaser, this, args);
            const grant = granting !== null && granting.sem === this ? granting.grant : -1;
            if (typeof inner !== 'function' || grant < 0) return inner;
            let done = false;
            return function (this: unknown, ...a: unknown[]): unknown {
              const first = !done;
              done = true;
              if (first) releasingGrant = grant;
              try { return apply(inner, this, a); } finally { if (first) releasingGrant = -1; }
            };
          } }._newReleaser,
          writable: true, configurable: true, enumerable: false,
        });
      }
      Object.defineProperty(proto, 'release', {
        value: { release(this: object, ...args: unknown[]): unknown {
          const l = isSemaphore(this) ? locks.get(this) : undefined;
          if (l) {
            const weight = typeof args[0] === 'number' && args[0] > 0 ? args[0] : 1;
            // Grant 0: release() called directly. async-mutex's Semaphore keeps a count, not owners (release adds
            // permits, and every grant's releaser stays callable), so no holder is known to leave: the model shows the
            // oldest one leaving and says that it cannot tell.
            w.emit(K.LockReleasing, l.id, releasingGrant > 0 ? releasingGrant : 0);
            releasingGrant = -1; // one Release per releaser call
            w.emit(K.Lock, l.id, LockOp.Release, max(0, held(this, l) - weight), queued(this));
          }
          return apply(release, this, args);
        } }.release,
        writable: true, configurable: true, enumerable: false,
      });
    },
  };
}
