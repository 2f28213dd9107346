/**
 * Values the stage shows (runtime v2), called by instrumented lesson code through the tracer global:
 * - `v(name, value)` / `p(name, result, now)`: a watched binding (`// @watch name`) was assigned (a Value event);
 * - `n(name, value)`: a value was created into a named variable (`const accountLock = new Mutex()`,
 *   `const view = new Int32Array(sab)`): names a lock, and announces a typed array over shared memory (SharedView);
 * - `w(target, key, value, name)` / `W(…)`: a computed element write `target[key] = value` where the target may be a
 *   shared typed array (strict and sloppy code); a write to a shared view is recorded (SharedStore);
 * - `c(target, key, op, rhs, name)` / `C(…)`: the same for `target[key]++`, `--target[key]`, `target[key] += x` …:
 *   the key is converted once, the element read, then `rhs()` evaluated (so the order is the original's);
 * - `o(target, name, arg, site)` / `q(base, key, name, arg, site)` / `g(view, site)`, `a(arg, site, k)` …
 *   `O(result, site, method)`: around a call of a TypedArray method that writes (`view.set(a, 1)`, `fill`,
 *   `copyWithin`, `reverse`, `sort`), rewritten as `__ls$O(view.set(__ls$o(view, "view", a, 7), __ls$a(1, 7, 1)), 7, "set")`;
 *   `q` reads `this.view` (or `a.b.c`, keys in an array) again as data properties only (no getter runs twice), `g`
 *   takes the view of `X.set.call(view, …)`, `a` the other arguments, and a call on a call's result
 *   (`getView().fill(0)`) has only `a`: `O` finds its view in the result. The call itself stays in the lesson's code:
 *   no frame of ours in its stack, the method not replaced (its toString, name and length stay native), nothing called
 *   but what the lesson calls. `O` records the elements the arguments say the method wrote (a rewrite with the same
 *   value too; at most MAX_CALL_ELEMENTS); for a spread, `.apply` or a method the lesson replaced, the elements whose
 *   bytes changed since `o`'s copy (views up to MAX_CALL_BYTES; SharedStore). Not recorded: what a call wrote before
 *   it threw, and `getView().set(…)` (set returns undefined: nothing tells which view it wrote);
 * - `A(result)`: a writing method called without arguments (`view.sort()`, `view.reverse()`): every element of the
 *   view it returned was written, `__ls$A(view.sort())`.
 * A write is recorded as the bytes of the element written, by the writing view's type (SharedStore): any element
 * type, exact; the model shows them in a row per view type of the buffer. Atomics calls (`y` … `Y`): atomics-calls.ts.
 * - `k(args, rest)` / `K(token, result)`: around a lock call (`mutex.runExclusive(…)`), the arguments of the function
 *   that makes it, for the lock's Request (locks.ts names the waiter by them); nothing is read unless one happens.
 *
 * Boundary: the arguments come from lesson code and are untrusted. Nothing here calls lesson code (previews:
 * preview.ts); typed arrays are read through getters captured at start.
 */
import { types } from 'node:util';
import { EventKind as K, TYPED_ARRAY_TYPES } from '../../shared/trace/schema.ts';
import type { Agent } from './agent.ts';
import { lockOf, type LockRegistry } from './locks.ts';
import { startAtomicsCalls, typeIndex } from './atomics-calls.ts';
import { call, clip, preview, taBuffer, taLength, taOffset, taTag } from './preview.ts';
import { SafeWeakMap, SafeWeakSet } from './safe-collections.ts';

const NAME_CHARS = 64;

const { isInteger } = Number;
const { getOwnPropertyDescriptor, getPrototypeOf } = Object;
// Captured at start-up: a lesson may replace any of these, and the tracer must not run its code.
const { isTypedArray, isProxy, isSharedArrayBuffer } = types; // node:util's object is the lesson's to change too
const Num = Number;
const Str = String;
const { trunc, min, max } = Math;
const { isArray } = Array;
const TA_PROTO = getPrototypeOf(Int32Array.prototype) as Record<string, unknown>;
/** The TypedArray methods that write, as the lesson found them: a call of any other function is not read by its arguments. */
const NATIVE_METHODS: Readonly<Record<string, unknown>> = { set: TA_PROTO.set, fill: TA_PROTO.fill, copyWithin: TA_PROTO.copyWithin, sort: TA_PROTO.sort, reverse: TA_PROTO.reverse };
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

/** A TypedArray method call in progress (`o`/`q`/`g`/`a` … `O`). */
interface PendingCall {
  readonly site: number;
  /** The shared view called on; undefined when only the call's result tells (`getView().fill(0)`). */
  readonly view: View | undefined;
  /** What the method was looked up on (the view for `view.fill(…)`), undefined when it was borrowed (`X.fill.call`). */
  readonly target: object | undefined;
  /** The view's bytes before the call (views up to MAX_CALL_BYTES): what it wrote when its arguments cannot say. */
  readonly before: Uint8Array | null;
  /** The method's arguments so far, in order. */
  readonly args: unknown[];
  /** `X.fill.apply(view, args)`: the one argument kept is the array of the method's arguments. */
  readonly spread?: boolean;
}

/**
 * Views larger than this are not copied around method calls: a call on one records what its arguments say it wrote
 * (fill, set, copyWithin, sort, reverse with arguments the tracer can read), not a replaced method's or a call with a
 * spread's writes. 64 KiB: a copy and a compare per call stay well under the call's own cost for lesson-sized views.
 */
const MAX_CALL_BYTES = 1 << 16;
/**
 * Elements one method call records at most, its first ones (SharedStore: 6 words each, so ≤ 96 KiB of trace a call):
 * `big.fill(0)` on a 1 MiB view is not a million events. The stage draws a row's first 64 cells; the HTML player
 * lists written cells.
 */
const MAX_CALL_ELEMENTS = 4096;
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
  readonly g: (view: unknown, site: unknown, apply?: unknown) => unknown;
  readonly a: (arg: unknown, site: unknown, k: unknown) => unknown;
  readonly O: (result: unknown, site: unknown, method?: unknown) => unknown;
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

/** The elements of an array `apply` was given, as data properties (no getter, no Proxy); undefined for anything else. */
function elementsOf(a: unknown): unknown[] | undefined {
  if (!isArray(a) || isProxy(a)) return undefined;
  const length = getOwnPropertyDescriptor(a, 'length')!.value as number;
  const out: unknown[] = [];
  for (let k = 0; k < length && k < 4; k++) {
    const d = getOwnPropertyDescriptor(a, k);
    if (d === undefined || !('value' in d)) return undefined; // a hole reads the prototype chain, an accessor runs
    out[k] = d?.value;
  }
  return out;
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

export function startValues(agent: Agent, locks: LockRegistry): ValuesTracer {
  const w = agent.writer;
  const views = new SafeWeakMap<object, View>();
  const notShared = new SafeWeakSet<object>();
  const bufferBytes = new SafeWeakMap<object, Uint8Array>();
  const pending: PendingCall[] = [];

  function nameOf(name: unknown): string {
    return typeof name === 'string' ? clip(name, NAME_CHARS) : '';
  }

  function value(name: unknown, v: unknown): unknown {
    if (typeof name === 'string') w.emit(K.Value, clip(name, NAME_CHARS), preview(v));
    return v;
  }

  /** The shared view `o` is, registered (and announced) on first sight; undefined for anything else. */
  function viewOf(o: unknown, name: unknown): View | undefined {
    if (o === null || typeof o !== 'object') return undefined;
    const known = views.get(o);
    if (known !== undefined || notShared.has(o)) return known;
    if (!isTypedArray(o)) { notShared.add(o); return undefined; }
    const buf = call(taBuffer, o) as object;
    const type = typeIndex(call(taTag, o));
    if (!isSharedArrayBuffer(buf) || type < 0) { notShared.add(o); return undefined; }
    const size = TYPED_ARRAY_TYPES[type]!.size;
    const bufferId = agent.sharedBufferId(buf, size);
    let bytes = bufferBytes.get(buf as object);
    if (bytes === undefined) { bytes = new ByteArray(buf as SharedArrayBuffer); bufferBytes.set(buf as object, bytes); }
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
    const index = typeof key === 'number' ? key : typeof key === 'string' && Str(Num(key)) === key ? Num(key) : -1;
    if (!(index >= 0 && index < view.length) || !isInteger(index)) return;
    store(view, index);
  }

  /**
   * `o`: the first argument of a writing method's call on `target`, passed through; for a shared view, the call is
   * opened (its bytes copied when small). `borrowed`: the view is the `this` of `X.fill.call(view, …)` (`g`).
   */
  function before(target: unknown, name: unknown, arg: unknown, site: unknown, borrowed = false, spread = false): unknown {
    const view = viewOf(target, name);
    if (view === undefined || typeof site !== 'number') return arg;
    const bytes = view.length * view.size;
    let copy: Uint8Array | null = null;
    if (bytes <= MAX_CALL_BYTES) {
      copy = new ByteArray(bytes);
      const start = view.base * view.size;
      const end = call(taLength, view.bytes) as number;
      for (let k = 0; k < bytes && start + k < end; k++) copy[k] = view.bytes[start + k]!;
    }
    open({ site, view, target: borrowed ? undefined : target as object, before: copy, args: borrowed ? [] : [arg], spread });
    return arg;
  }

  function open(call: PendingCall): void {
    if (pending.length >= MAX_PENDING_CALLS) drop(0);
    pending[pending.length] = call;
  }

  /**
   * The elements `[from, to)` of the view a call of `method` with these arguments wrote, as the TypedArray methods
   * define it (`fill(v, start, end)`, `set(source, offset)`, `copyWithin(target, start, end)`; sort and reverse write
   * every one), when the arguments say it without running lesson code (numbers, strings, arrays and typed arrays as
   * sources); undefined otherwise.
   */
  function writtenBy(method: string, args: readonly unknown[], length: number): readonly [number, number] | undefined {
    const at = (k: number, otherwise: number): number | undefined => {
      const x = args[k];
      if (x === undefined) return otherwise;
      if (x !== null && typeof x !== 'number' && typeof x !== 'string' && typeof x !== 'boolean') return undefined; // its conversion may be the lesson's
      const n = Num(x);
      const i = n !== n ? 0 : trunc(n);
      return i < 0 ? max(length + i, 0) : min(i, length);
    };
    switch (method) {
      case 'sort': case 'reverse': return [0, length];
      case 'fill': { const from = at(1, 0); const to = at(2, length); return from === undefined || to === undefined ? undefined : [from, to]; }
      case 'copyWithin': {
        const target = at(0, 0);
        const from = at(1, 0);
        const to = at(2, length);
        if (target === undefined || from === undefined || to === undefined) return undefined;
        return [target, target + max(0, min(to - from, length - target))];
      }
      case 'set': {
        const offset = at(1, 0);
        const source = args[0];
        let n: unknown;
        if (typeof source === 'string') n = source.length;
        else if (isTypedArray(source)) n = call(taLength, source);
        else if (isArray(source) && !isProxy(source)) n = getOwnPropertyDescriptor(source, 'length')?.value;
        else n = dataProperty(source, 'length');
        return offset === undefined || typeof n !== 'number' || !(n >= 0) ? undefined : [offset, min(offset + trunc(n), length)];
      }
      default: return undefined;
    }
  }

  /** Removes pending call `k` (by hand: Array.prototype's methods are the lesson's to replace). */
  function drop(k: number): void {
    for (let j = k; j + 1 < pending.length; j++) pending[j] = pending[j + 1]!;
    pending.length--;
  }

  /** Records the elements of a pending call's view whose bytes differ from before the call. */
  function changedSince(pendingCall: PendingCall): void {
    const { view, before } = pendingCall;
    if (view === undefined || before === null) return;
    const b = view.bytes;
    const start = view.base * view.size;
    for (let e = 0, n = 0; e < view.length && n < MAX_CALL_ELEMENTS; e++) {
      for (let k = 0; k < view.size; k++) {
        const at = e * view.size + k;
        if (b[start + at] !== before[at]) { store(view, e); n++; break; }
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
        const n = typeof old === 'bigint' ? old : Num(old);
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

  const atomicsCalls = startAtomicsCalls(agent, (ta) => viewOf(ta, ''));
  return {
    ...atomicsCalls,
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
    o: (target, name, arg, site) => before(target, name, arg, site),
    q(base, key, name, arg, site) {
      // `this.view` (one key) or `a.b[i]` (keys in an array the rewrite wrote), read as data properties only
      let target = base;
      if (isArray(key)) for (let k = 0; k < key.length && target !== undefined; k++) target = dataProperty(target, key[k]);
      else target = dataProperty(base, key);
      return before(target, name, arg, site);
    },
    g(view, site, apply) {
      before(view, '', view, site, true, apply === 1);
      return view;
    },
    a(arg, site, k) {
      // A further argument of a writing method's call (its k-th, from 0): kept for the call's record. The first one of
      // a call on a target the tracer cannot read again (`getView().fill(…)`) opens the record.
      if (typeof site !== 'number' || typeof k !== 'number') return arg;
      const top = pending[pending.length - 1];
      if (top !== undefined && top.site === site && top.args.length === k) top.args[k] = arg;
      else if (k === 0) open({ site, view: undefined, target: undefined, before: null, args: [arg] });
      return arg;
    },
    O(result, site, method) {
      // The innermost pending call of this site. Calls above it, and older ones of the same site below it, were left
      // by a throw (their O never ran): dropped, since what changed since their copy may be another thread's write.
      let at = pending.length - 1;
      while (at >= 0 && pending[at]!.site !== site) at--;
      if (at < 0) return result; // a call on something that is not a shared view (`map.set(k, v)`)
      const done = pending[at]!;
      pending.length = at;
      for (let k = at - 1; k >= 0; k--) if (pending[k]!.site === site) drop(k);
      // fill, copyWithin, sort and reverse return the view they wrote: how a call on `getView()` finds it
      const view = done.view ?? (method === 'set' ? undefined : viewOf(result, ''));
      if (view === undefined) return result;
      // The method the lesson called is the TypedArray one when the view's own lookup finds it (a borrowed one is
      // taken at its word): its arguments then say which elements it wrote, rewrites with the same value included.
      const m = typeof method === 'string' ? method : '';
      const native = done.target === undefined || dataProperty(done.target, m) === NATIVE_METHODS[m];
      const args = done.spread ? elementsOf(done.args[0]) : done.args;
      const range = m !== '' && native && args !== undefined ? writtenBy(m, args, view.length) : undefined;
      if (range !== undefined) for (let e = range[0]; e < range[1] && e < range[0] + MAX_CALL_ELEMENTS; e++) store(view, e);
      else if (done.view !== undefined) changedSince(done);
      return result;
    },
    A(result) {
      // A method called without arguments wrote every element (`sort()`, `reverse()`, `fill()`) of the view it returns.
      const view = viewOf(result, '');
      if (view !== undefined) for (let e = 0; e < view.length && e < MAX_CALL_ELEMENTS; e++) store(view, e);
      return result;
    },
    k: (args, rest) => locks.caller(args, rest),
    K(token, result) { locks.callerDone(token); return result; },
  };
}
