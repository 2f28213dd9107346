/**
 * Values the stage shows (runtime v2), called by instrumented lesson code through the tracer global:
 * - `v(name, value)` / `p(name, result, now)`: a watched binding (`// @watch name`) was assigned (a Value event);
 * - `n(name, value)`: a value was created into a named variable (`const accountLock = new Mutex()`,
 *   `const view = new Int32Array(sab)`): names a lock, and announces a typed array over shared memory (SharedView);
 * - `w(target, key, value, name)` / `W(…)`: a computed element write `target[key] = value` where the target may be a
 *   shared typed array (strict and sloppy code); a write to a shared view is recorded (SharedStore);
 * - `c(target, key, op, rhs, name)` / `C(…)`: the same for `target[key]++`, `--target[key]`, `target[key] += x` …:
 *   the key is converted once, the element read, then `rhs()` evaluated (so the order is the original's);
 * - `o(target, name, arg, site)` / `q(base, key, name, arg, site)` … `O(result, site)`: around a call of a TypedArray
 *   method that writes (`view.set(a, 1)`, `fill`, `copyWithin`, `reverse`, `sort`), rewritten as
 *   `__ls$O(view.set(__ls$o(view, "view", a, 7), 1), 7)`; `q` reads `this.view` again as `base[key]`, a data
 *   property only (no getter runs twice). The call itself stays in the lesson's code: no frame of ours in its
 *   stack, the method not replaced (its toString, name and length stay native), nothing called but what the lesson
 *   calls. `o` copies the shared view's bytes before the call, `O` records the elements it changed (SharedStore).
 *   Not recorded: an element a call with arguments rewrote with the value it already held, and what a call wrote
 *   before it threw;
 * - `A(result)`: a writing method called without arguments (`view.sort()`, `view.reverse()`): every element of the
 *   view it returned was written, `__ls$A(view.sort())`.
 * A write is recorded as the bytes of the element written, by the writing view's type (SharedStore): any element
 * type, exact; the model puts them into the cells of the buffer's view.
 * - `k(args, rest)` / `K(token, result)`: around a lock call (`mutex.runExclusive(…)`), the arguments of the function
 *   that makes it, for the lock's Request (locks.ts names the waiter by them); nothing is read unless one happens.
 *
 * Boundary: the arguments come from lesson code and are untrusted. Nothing here calls lesson code (previews:
 * preview.ts); typed arrays are read through getters captured at start.
 */
import { types } from 'node:util';
import { AtomicsOp, EventKind as K, TYPED_ARRAY_TYPES } from '../../shared/trace/schema.ts';
import type { Agent } from './agent.ts';
import { lockOf, type LockRegistry } from './locks.ts';
import { call, clip, preview, taBuffer, taLength, taOffset, taTag } from './preview.ts';
import { SafeMap, SafeWeakMap, SafeWeakSet } from './safe-collections.ts';

const NAME_CHARS = 64;

const { isInteger } = Number;
const { getOwnPropertyDescriptor, getPrototypeOf } = Object;
const { isProxy, isTypedArray, isSharedArrayBuffer } = types; // captured: node:util's types object is the lesson's too
const TYPE_INDEX = new SafeMap(TYPED_ARRAY_TYPES.map((t, i) => [t.name, i]));

interface View {
  readonly bufferId: number;
  /** TYPED_ARRAY_TYPES index of the view's element type, and its size in bytes. */
  readonly type: number;
  readonly size: number;
  /** Element index of the view's element 0, counted from the buffer's start (byteOffset / size: always whole). */
  readonly base: number;
  readonly length: number;
  /** The tracer's own byte view of the whole buffer: reading it runs no lesson code. */
  readonly bytes: Uint8Array;
}

/** A TypedArray method call in progress on a shared view (`o` … `O`): the view's bytes before it. */
interface PendingCall {
  readonly site: number;
  readonly view: View;
  readonly before: Uint8Array;
}

/** Views larger than this are not copied around method calls (their method writes are not recorded). */
const MAX_CALL_BYTES = 1 << 16;
/** Method calls a throw left unmatched are dropped beyond this many. */
const MAX_PENDING_CALLS = 64;
const ByteArray = Uint8Array; // captured: a lesson may replace the global

export interface ValuesTracer {
  readonly v: (name: unknown, value: unknown) => unknown;
  readonly p: (name: unknown, result: unknown, now: unknown) => unknown;
  readonly n: (name: unknown, value: unknown) => unknown;
  readonly w: (target: unknown, key: unknown, value: unknown, name: unknown) => unknown;
  readonly W: (target: unknown, key: unknown, value: unknown, name: unknown) => unknown;
  readonly c: (target: unknown, key: unknown, op: unknown, rhs: unknown, name: unknown) => unknown;
  readonly C: (target: unknown, key: unknown, op: unknown, rhs: unknown, name: unknown) => unknown;
  readonly o: (target: unknown, name: unknown, arg: unknown, site: unknown) => unknown;
  readonly q: (base: unknown, key: unknown, name: unknown, arg: unknown, site: unknown) => unknown;
  readonly O: (result: unknown, site: unknown) => unknown;
  readonly A: (result: unknown) => unknown;
  readonly y: (arg: unknown, site: unknown, k: unknown, last?: unknown) => unknown;
  readonly Y: (result: unknown, site: unknown, op: unknown) => unknown;
  readonly k: (args: unknown, rest?: unknown) => unknown;
  readonly K: (token: unknown, result: unknown) => unknown;
}

/** A property key the way `o[k]` converts it: once (an object key's toString runs once, as in the original). */
function propertyKey(k: unknown): PropertyKey {
  if (k !== null && (typeof k === 'object' || typeof k === 'function')) return Reflect.ownKeys({ [k as unknown as PropertyKey]: 0 })[0]!;
  return k as PropertyKey;
}

/** `a op b` for a compound assignment operator (`+=` …), or the new value of an update (`x++`, `--x`). */
function combine(op: string, a: unknown, b: unknown): unknown {
  const x = a as number;
  const y = b as number;
  switch (op) {
    case '+=': return (a as string) + (b as string);
    case '-=': return x - y;
    case '*=': return x * y;
    case '/=': return x / y;
    case '%=': return x % y;
    case '**=': return x ** y;
    case '<<=': return x << y;
    case '>>=': return x >> y;
    case '>>>=': return x >>> y;
    case '&=': return x & y;
    case '|=': return x | y;
    case '^=': return x ^ y;
    default: throw new TypeError(`loopscope: unknown compound assignment ${String(op)}`);
  }
}

/** `o[k]` when it is a data property of `o` or its prototypes (no getter, no Proxy: nothing of the lesson runs). */
function dataProperty(o: unknown, k: unknown): unknown {
  if (typeof k !== 'string' && typeof k !== 'number') return undefined;
  let at = o;
  for (let depth = 0; at !== null && (typeof at === 'object' || typeof at === 'function') && depth < 64; depth++) {
    if (isProxy(at)) return undefined;
    const d = getOwnPropertyDescriptor(at, k);
    if (d) return 'value' in d ? d.value : undefined;
    at = getPrototypeOf(at);
  }
  return undefined;
}

// A sloppy-mode assignment (this module is strict): a lesson's sloppy code must fail silently where it would.
const sloppySet = new Function('o', 'k', 'v', 'return o[k] = v;') as (o: unknown, k: unknown, v: unknown) => unknown;

/** `Atomics` methods the trace records → their code in the Atomics event. */
const ATOMICS_CODES = new SafeMap<string, number>([
  ['load', AtomicsOp.Load], ['store', AtomicsOp.Store], ['add', AtomicsOp.Add], ['sub', AtomicsOp.Sub], ['and', AtomicsOp.And],
  ['or', AtomicsOp.Or], ['xor', AtomicsOp.Xor], ['exchange', AtomicsOp.Exchange], ['compareExchange', AtomicsOp.CompareExchange],
  ['wait', AtomicsOp.Wait], ['notify', AtomicsOp.Notify], ['waitAsync', AtomicsOp.WaitAsync],
]);
/** An Atomics call whose arguments are being evaluated: its site and the arguments so far. */
interface AtomicsCall { readonly site: number; readonly args: unknown[] }

/** A number as the event's int32 (a BigInt's low 32 bits), without calling lesson code (no valueOf). */
function toInt(v: unknown): number {
  if (typeof v === 'bigint') return Number(BigInt.asIntN(32, v));
  return v !== null && (typeof v === 'object' || typeof v === 'function' || typeof v === 'symbol') ? 0 : Number(v) | 0;
}
function toIndex(v: unknown): number {
  return typeof v === 'number' ? v | 0 : typeof v === 'string' && String(Number(v)) === v ? Number(v) | 0 : 0;
}

export function startValues(agent: Agent, locks: LockRegistry): ValuesTracer {
  const w = agent.writer;
  const views = new SafeWeakMap<object, View>();
  const notShared = new SafeWeakSet<object>();
  const bufferBytes = new SafeWeakMap<object, Uint8Array>();
  const pending: PendingCall[] = [];
  const atomics: AtomicsCall[] = [];

  function nameOf(name: unknown): string {
    return typeof name === 'string' ? clip(name, NAME_CHARS) : '';
  }

  function value(name: unknown, v: unknown): unknown {
    if (typeof name === 'string') w.emit(K.Value, clip(name, NAME_CHARS), preview(v));
    return v;
  }

  /** The id of the buffer under the typed array an Atomics call took (shared or not); -1 for anything else. */
  function atomicsBufferId(ta: unknown): number {
    if (!isTypedArray(ta)) return -1;
    const type = TYPE_INDEX.get(String(call(taTag, ta))) ?? -1;
    return type < 0 ? -1 : agent.sharedBufferId(call(taBuffer, ta) as object, TYPED_ARRAY_TYPES[type]!.size);
  }

  /** The shared view `o` is, registered (and announced) on first sight; undefined for anything else. */
  function viewOf(o: unknown, name: unknown): View | undefined {
    if (o === null || typeof o !== 'object') return undefined;
    const known = views.get(o);
    if (known !== undefined || notShared.has(o)) return known;
    if (!isTypedArray(o)) { notShared.add(o); return undefined; }
    const buf = call(taBuffer, o) as object;
    const type = TYPE_INDEX.get(String(call(taTag, o))) ?? -1;
    if (!isSharedArrayBuffer(buf) || type < 0) { notShared.add(o); return undefined; }
    const size = TYPED_ARRAY_TYPES[type]!.size;
    const bufferId = agent.sharedBufferId(buf, size);
    let bytes = bufferBytes.get(buf);
    if (bytes === undefined) { bytes = new ByteArray(buf as SharedArrayBuffer); bufferBytes.set(buf, bytes); }
    const offset = call(taOffset, o) as number;
    const length = call(taLength, o) as number;
    const view: View = { bufferId, type, size, base: offset / size, length, bytes };
    views.set(o, view);
    w.emit(K.SharedView, bufferId, nameOf(name), type, offset, length);
    return view;
  }

  /** Records element `index` of the view (in view elements) as it is now: its bytes, by the view's type. */
  function store(view: View, index: number): void {
    const at = (view.base + index) * view.size;
    const b = view.bytes;
    if (at + view.size > (call(taLength, b) as number)) return; // a growable buffer's view past its end
    let lo = 0;
    let hi = 0;
    for (let k = view.size - 1; k >= 0; k--) {
      if (k >= 4) hi = (hi << 8) | b[at + k]!;
      else lo = (lo << 8) | b[at + k]!;
    }
    w.emit(K.SharedStore, view.bufferId, view.type, view.base + index, lo | 0, hi | 0);
  }

  function recordWrite(view: View, key: unknown): void {
    // An element index: a number, or a string that is one's canonical text (`'3'`, not `'03'`); any other key is not an
    // element (and converting an object key again would run lesson code twice). String(number) runs no lesson code.
    const index = typeof key === 'number' ? key : typeof key === 'string' && String(Number(key)) === key ? Number(key) : -1;
    if (!(index >= 0 && index < view.length) || !isInteger(index)) return;
    store(view, index);
  }

  /** `o`: the first argument of a writing method's call on `target`, passed through; a shared view's bytes copied. */
  function before(target: unknown, name: unknown, arg: unknown, site: unknown): unknown {
    const view = viewOf(target, name);
    const bytes = view ? view.length * view.size : 0;
    if (view === undefined || bytes > MAX_CALL_BYTES || typeof site !== 'number') return arg;
    const copy = new ByteArray(bytes);
    const start = view.base * view.size;
    const end = call(taLength, view.bytes) as number;
    for (let k = 0; k < bytes && start + k < end; k++) copy[k] = view.bytes[start + k]!;
    if (pending.length >= MAX_PENDING_CALLS) drop(0);
    pending[pending.length] = { site, view, before: copy };
    return arg;
  }

  /** Removes pending call `k` (by hand: Array.prototype's methods are the lesson's to replace). */
  function drop(k: number): void {
    for (let j = k; j + 1 < pending.length; j++) pending[j] = pending[j + 1]!;
    pending.length--;
  }

  /** Records the elements of a pending call's view whose bytes differ from before the call. */
  function changedSince(pendingCall: PendingCall): void {
    const { view, before } = pendingCall;
    const b = view.bytes;
    const start = view.base * view.size;
    for (let e = 0; e < view.length; e++) {
      for (let k = 0; k < view.size; k++) {
        const at = e * view.size + k;
        if (b[start + at] !== before[at]) { store(view, e); break; }
      }
    }
  }

  function compound(set: (o: unknown, k: PropertyKey, v: unknown) => unknown) {
    return (o: unknown, k: unknown, op: unknown, rhs: unknown, name: unknown): unknown => {
      const view = viewOf(o, name);
      const key = propertyKey(k);
      const old = (o as Record<PropertyKey, unknown>)[key];
      let next: unknown;
      let result: unknown;
      if (op === 'x++' || op === 'x--' || op === '++x' || op === '--x') {
        const n = typeof old === 'bigint' ? old : Number(old);
        const one = typeof n === 'bigint' ? 1n : 1;
        next = op === 'x++' || op === '++x' ? (n as number) + (one as number) : (n as number) - (one as number);
        result = op[0] === 'x' ? n : next;
      } else {
        next = combine(String(op), old, (rhs as () => unknown)());
        result = next;
      }
      set(o, key, next);
      if (view !== undefined) recordWrite(view, key);
      return result;
    };
  }

  return {
    v: value,
    p(name, result, now) { value(name, now); return result; },
    n(name, v) {
      if (v !== null && typeof v === 'object') {
        if (isTypedArray(v)) viewOf(v, name);
        else { const lock = lockOf(v); if (lock) locks.name(lock, nameOf(name)); }
      }
      return v;
    },
    w(o, k, v, name) {
      const view = viewOf(o, name);
      (o as Record<PropertyKey, unknown>)[k as PropertyKey] = v; // strict: throws exactly where the lesson's code would
      if (view !== undefined) recordWrite(view, k);
      return v;
    },
    W(o, k, v, name) {
      const view = viewOf(o, name);
      sloppySet(o, k, v);
      if (view !== undefined) recordWrite(view, k);
      return v;
    },
    c: compound((o, k, v) => { (o as Record<PropertyKey, unknown>)[k] = v; }),
    C: compound(sloppySet),
    o: before,
    q(base, key, name, arg, site) {
      return before(dataProperty(base, key), name, arg, site);
    },
    O(result, site) {
      // The innermost pending call of this site. Calls above it, and older ones of the same site below it, were left
      // by a throw (their O never ran): dropped, since what changed since their copy may be another thread's write.
      let at = pending.length - 1;
      while (at >= 0 && pending[at]!.site !== site) at--;
      if (at < 0) return result; // a call on something that is not a shared view (`map.set(k, v)`)
      changedSince(pending[at]!);
      pending.length = at;
      for (let k = at - 1; k >= 0; k--) if (pending[k]!.site === site) drop(k);
      return result;
    },
    y(arg, site, k, last) {
      // An argument of `Atomics.op(…)` (instrument/values.ts `atomicsCall`): the first opens the call's record.
      if (typeof site !== 'number' || typeof k !== 'number') return arg;
      if (k === 0) {
        if (atomics.length >= MAX_PENDING_CALLS) atomics.length = 0; // left by throws in the arguments: stale
        atomics[atomics.length] = { site, args: [arg] };
      } else {
        const top = atomics[atomics.length - 1];
        if (top !== undefined && top.site === site && top.args.length === k) top.args[k] = arg;
      }
      // `Atomics.wait` blocks this thread: the wait is recorded, and sent, before the call (the call stays the lesson's).
      if (last === 1) {
        const top = atomics[atomics.length - 1];
        const args = top?.site === site ? top.args : []; // by index: an array's iterator is the lesson's to replace
        const ta = args[0], index = args[1], value = args[2], timeout = args[3];
        const id = top?.site === site ? atomicsBufferId(ta) : -1;
        if (id >= 0) {
          w.emit(K.Atomics, AtomicsOp.Wait, id, toIndex(index), toInt(value), 0, timeout === undefined ? -1 : toInt(timeout));
          w.flush();
          w.beforeBlocking();
        }
      }
      return arg;
    },
    Y(result, site, op) {
      // The innermost record of this site; records above it were left by calls that threw (their Y never ran).
      let at = atomics.length - 1;
      while (at >= 0 && atomics[at]!.site !== site) at--;
      if (at < 0) return result;
      const args = atomics[at]!.args; // by index: an array's iterator is the lesson's to replace
      const ta = args[0], index = args[1], a = args[2], b = args[3];
      const more = atomics[at]!.args.length - 2;
      atomics.length = at;
      const code = typeof op === 'string' ? ATOMICS_CODES.get(op) : undefined;
      const id = code === undefined ? -1 : atomicsBufferId(ta);
      if (id < 0) return result; // `Atomics` is the lesson's own object here, or the call did not take a typed array
      if (code === AtomicsOp.Wait) {
        w.emit(K.Atomics, AtomicsOp.WaitDone, id, toIndex(index), toInt(a), result === 'ok' ? 0 : result === 'not-equal' ? 1 : 2, 0);
      } else if (code === AtomicsOp.Notify) {
        w.emit(K.Atomics, code, id, toIndex(index), a === undefined ? -1 : toInt(a), 0, toInt(result));
        w.flush();
      } else {
        const value = more <= 0 ? result : more === 1 ? a : b;
        w.emit(K.Atomics, code, id, toIndex(index), toInt(value), code === AtomicsOp.WaitAsync ? 0 : toInt(result), more === 2 ? toInt(a) : 0);
      }
      return result;
    },
    A(result) {
      // A method called without arguments wrote every element (`sort()`, `reverse()`, `fill()`) of the view it returns.
      const view = viewOf(result, '');
      if (view !== undefined && view.length * view.size <= MAX_CALL_BYTES) for (let e = 0; e < view.length; e++) store(view, e);
      return result;
    },
    k: (args, rest) => locks.caller(args, rest),
    K(token, result) { locks.callerDone(token); return result; },
  };
}
