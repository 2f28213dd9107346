/**
 * Values the stage shows (runtime v2), called by instrumented lesson code through the tracer global:
 * - `v(name, value)` / `p(name, result, now)`: a watched binding (`// @watch name`) was assigned (a Value event);
 * - `n(name, value)`: a value was created into a named variable (`const accountLock = new Mutex()`,
 *   `const view = new Int32Array(sab)`): names a lock, and announces a typed array over shared memory (SharedView);
 * - `w(target, key, value, name)` / `W(…)`: a computed element write `target[key] = value` where the target may be a
 *   shared typed array (strict and sloppy code); a write to a shared view is recorded (SharedWrite).
 *
 * Boundary: the arguments come from lesson code and are untrusted. Nothing here calls lesson code: previews read
 * built-in internal slots through getters captured at start (a lesson may replace prototypes' getters later), never
 * a property that could be an accessor, never toString/valueOf; a Proxy is shown as `Proxy`.
 */
import { types } from 'node:util';
import { EventKind as K, TYPED_ARRAY_TYPES } from '../../shared/trace/schema.ts';
import type { Agent } from './agent.ts';
import { lockOf, type LockRegistry } from './locks.ts';

/** Longest preview of a value (characters). */
export const PREVIEW_CHARS = 60;
const NAME_CHARS = 64;

const TypedArrayProto = Object.getPrototypeOf(Int32Array.prototype) as object;
const getter = (proto: object, key: PropertyKey): ((this: unknown) => unknown) => Object.getOwnPropertyDescriptor(proto, key)!.get!;
const taBuffer = getter(TypedArrayProto, 'buffer');
const taLength = getter(TypedArrayProto, 'length');
const taOffset = getter(TypedArrayProto, 'byteOffset');
const taTag = getter(TypedArrayProto, Symbol.toStringTag);
const mapSize = getter(Map.prototype, 'size');
const setSize = getter(Set.prototype, 'size');
const symbolDescription = getter(Symbol.prototype, 'description');
const sabLength = getter(SharedArrayBuffer.prototype, 'byteLength');
const abLength = getter(ArrayBuffer.prototype, 'byteLength');
const { isArray } = Array;
const { getOwnPropertyDescriptor, getPrototypeOf } = Object;
const { stringify } = JSON;
const call = (fn: (this: unknown) => unknown, self: unknown): unknown => Reflect.apply(fn, self, []);
const TYPE_INDEX = new Map(TYPED_ARRAY_TYPES.map((t, i) => [t.name, i]));

function clip(text: string, max = PREVIEW_CHARS): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A data property's value (never an accessor's), else undefined. */
function own(o: object, key: PropertyKey): unknown {
  const d = getOwnPropertyDescriptor(o, key);
  return d && 'value' in d ? d.value : undefined;
}

/** The name a constructor's prototype gives an object (`Account`), '' when it has none we can read safely. */
function className(o: object): string {
  const proto = getPrototypeOf(o) as object | null;
  if (proto === null) return '';
  const ctor = own(proto, 'constructor');
  const name = typeof ctor === 'function' ? own(ctor, 'name') : undefined;
  return typeof name === 'string' ? name : '';
}

/** A short, safe preview of any value, as a learner reads it on the stage: `100`, `'bob'`, `[3 items]`, `Map(2)`. */
export function preview(value: unknown): string {
  switch (typeof value) {
    case 'number': return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint': return clip(`${value}n`);
    case 'boolean': return String(value);
    case 'undefined': return 'undefined';
    case 'string': return clip(`'${stringify(value).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`);
    case 'symbol': { const d = call(symbolDescription, value); return clip(`Symbol(${typeof d === 'string' ? d : ''})`); }
    case 'function': {
      if (types.isProxy(value)) return 'Proxy';
      const name = own(value, 'name');
      return clip(`ƒ ${typeof name === 'string' && name ? name : '(anonymous)'}`);
    }
    default: break;
  }
  if (value === null) return 'null';
  const o = value as object;
  if (types.isProxy(o)) return 'Proxy';
  if (isArray(o)) {
    const n = own(o, 'length') as number;
    const items: string[] = [];
    for (let i = 0; i < n && i < 6; i++) {
      const d = getOwnPropertyDescriptor(o, i);
      const v = d && 'value' in d ? d.value : undefined;
      items.push(v !== null && (typeof v === 'object' || typeof v === 'function') ? (isArray(v) ? '[…]' : '{…}') : d && !('value' in d) ? '(getter)' : preview(v));
    }
    return clip(`[${items.join(', ')}${n > 6 ? `, … ${n} items` : ''}]`);
  }
  if (types.isTypedArray(o)) return clip(`${String(call(taTag, o))}(${String(call(taLength, o))})`);
  if (types.isMap(o)) return `Map(${String(call(mapSize, o))})`;
  if (types.isSet(o)) return `Set(${String(call(setSize, o))})`;
  if (types.isPromise(o)) return 'Promise';
  if (types.isSharedArrayBuffer(o)) return `SharedArrayBuffer(${String(call(sabLength, o))})`;
  if (types.isArrayBuffer(o)) return `ArrayBuffer(${String(call(abLength, o))})`;
  if (types.isDate(o)) return 'Date';
  if (types.isNativeError(o)) return clip(`${className(o) || 'Error'}`);
  const name = className(o);
  return clip(name && name !== 'Object' ? `${name} {…}` : '{…}');
}

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
  };
}
