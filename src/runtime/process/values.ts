/**
 * Values the stage shows (runtime v2), called by instrumented lesson code through the tracer global:
 * - `v(name, value)` / `p(name, result, now)`: a watched binding (`// @watch name`) was assigned (a Value event);
 * - `n(name, value)`: a value was created into a named variable (`const accountLock = new Mutex()`,
 *   `const view = new Int32Array(sab)`): names a lock, and announces a typed array over shared memory (SharedView);
 * - `w(target, key, value, name)` / `W(…)`: a computed element write `target[key] = value` where the target may be a
 *   shared typed array (strict and sloppy code); a write to a shared view is recorded (SharedWrite);
 * - `c(target, key, op, rhs, name)` / `C(…)`: the same for `target[key]++`, `--target[key]`, `target[key] += x` …:
 *   the key is converted once, the element read, then `rhs()` evaluated (so the order is the original's);
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
import { call, clip, preview, taBuffer, taLength, taOffset, taTag } from './preview.ts';

const NAME_CHARS = 64;
const TYPE_INDEX = new Map(TYPED_ARRAY_TYPES.map((t, i) => [t.name, i]));

interface View {
  readonly bufferId: number;
  /** Cell index of element 0 (byteOffset / element size), -1 when the view's type is not the buffer's. */
  readonly base: number;
  readonly length: number;
}

export interface ValuesTracer {
  readonly v: (name: unknown, value: unknown) => unknown;
  readonly p: (name: unknown, result: unknown, now: unknown) => unknown;
  readonly n: (name: unknown, value: unknown) => unknown;
  readonly w: (target: unknown, key: unknown, value: unknown, name: unknown) => unknown;
  readonly W: (target: unknown, key: unknown, value: unknown, name: unknown) => unknown;
  readonly c: (target: unknown, key: unknown, op: unknown, rhs: unknown, name: unknown) => unknown;
  readonly C: (target: unknown, key: unknown, op: unknown, rhs: unknown, name: unknown) => unknown;
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

// A sloppy-mode assignment (this module is strict): a lesson's sloppy code must fail silently where it would.
const sloppySet = new Function('o', 'k', 'v', 'return o[k] = v;') as (o: unknown, k: unknown, v: unknown) => unknown;

export function startValues(agent: Agent, locks: LockRegistry): ValuesTracer {
  const w = agent.writer;
  const views = new WeakMap<object, View>();
  const notShared = new WeakSet<object>();
  /** Element type (TYPED_ARRAY_TYPES index) each shared buffer's cells are counted in: its first view's. */
  const bufferTypes = new WeakMap<object, number>();

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
    if (!types.isTypedArray(o)) { notShared.add(o); return undefined; }
    const buf = call(taBuffer, o) as object;
    const type = TYPE_INDEX.get(String(call(taTag, o))) ?? -1;
    if (!types.isSharedArrayBuffer(buf) || type < 0) { notShared.add(o); return undefined; }
    const size = TYPED_ARRAY_TYPES[type]!.size;
    let bufferType = bufferTypes.get(buf);
    if (bufferType === undefined) { bufferType = type; bufferTypes.set(buf, type); }
    const bufferId = agent.sharedBufferId(buf, TYPED_ARRAY_TYPES[bufferType]!.size);
    const offset = call(taOffset, o) as number;
    const length = call(taLength, o) as number;
    const view: View = { bufferId, base: bufferType === type && offset % size === 0 ? offset / size : -1, length };
    views.set(o, view);
    w.emit(K.SharedView, bufferId, nameOf(name), type, offset, length);
    return view;
  }

  function recordWrite(o: object, view: View, key: unknown): void {
    let index: number;
    if (typeof key === 'number') index = key;
    else if (typeof key === 'string' && /^(?:0|[1-9]\d{0,9})$/.test(key)) index = Number(key);
    else return; // not an element (or a key whose conversion would run lesson code twice)
    if (view.base < 0 || !(index >= 0 && index < view.length) || index !== Math.floor(index)) return;
    const stored = (o as Record<number, unknown>)[index]; // an element read: no lesson code runs
    const int = typeof stored === 'bigint' ? Number(BigInt.asIntN(32, stored)) : Number(stored) | 0;
    w.emit(K.SharedWrite, view.bufferId, view.base + index, int);
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
        next = op.includes('+') ? (n as number) + (one as number) : (n as number) - (one as number);
        result = op[0] === 'x' ? n : next;
      } else {
        next = combine(String(op), old, (rhs as () => unknown)());
        result = next;
      }
      set(o, key, next);
      if (view !== undefined) recordWrite(o as object, view, key);
      return result;
    };
  }

  return {
    v: value,
    p(name, result, now) { value(name, now); return result; },
    n(name, v) {
      if (v !== null && typeof v === 'object') {
        if (types.isTypedArray(v)) viewOf(v, name);
        else { const lock = lockOf(v); if (lock) locks.name(lock, nameOf(name)); }
      }
      return v;
    },
    w(o, k, v, name) {
      const view = viewOf(o, name);
      (o as Record<PropertyKey, unknown>)[k as PropertyKey] = v; // strict: throws exactly where the lesson's code would
      if (view !== undefined) recordWrite(o as object, view, k);
      return v;
    },
    W(o, k, v, name) {
      const view = viewOf(o, name);
      sloppySet(o, k, v);
      if (view !== undefined) recordWrite(o as object, view, k);
      return v;
    },
    c: compound((o, k, v) => { (o as Record<PropertyKey, unknown>)[k] = v; }),
    C: compound(sloppySet),
    k: (args, rest) => locks.caller(args, rest),
    K(token, result) { locks.callerDone(token); return result; },
  };
}
