/**
 * Previews of lesson values (runtime v2): what the stage shows for a watched value (values.ts) or a lock caller's
 * arguments (locks.ts), formatted without calling lesson code.
 *
 * Boundary: the values are the lesson's. Built-in internal slots are read through getters captured at start (a lesson
 * may replace prototypes' getters later), never a property that could be an accessor, never toString/valueOf; a Proxy
 * is shown as `Proxy`.
 */
import { types } from 'node:util';
import { ownData } from './value-walk.ts';

/** Captured at start-up: a lesson may replace `Reflect.apply`, and the tracer must never call lesson code. */
const apply = Reflect.apply;

/** Longest preview of a value (characters). */
export const PREVIEW_CHARS = 60;

const TypedArrayProto = Object.getPrototypeOf(Int32Array.prototype) as object;
const getter = (proto: object, key: PropertyKey): ((this: unknown) => unknown) => Object.getOwnPropertyDescriptor(proto, key)!.get!;
export const taBuffer = getter(TypedArrayProto, 'buffer');
export const taLength = getter(TypedArrayProto, 'length');
export const taOffset = getter(TypedArrayProto, 'byteOffset');
export const taTag = getter(TypedArrayProto, Symbol.toStringTag);
const mapSize = getter(Map.prototype, 'size');
const setSize = getter(Set.prototype, 'size');
const symbolDescription = getter(Symbol.prototype, 'description');
const sabLength = getter(SharedArrayBuffer.prototype, 'byteLength');
const abLength = getter(ArrayBuffer.prototype, 'byteLength');
const { isArray } = Array;
const { getOwnPropertyDescriptor, getPrototypeOf } = Object;
const { stringify } = JSON;
const stringSlice = String.prototype.slice;
export const call = (fn: (this: unknown) => unknown, self: unknown): unknown => apply(fn, self, []);

export function clip(text: string, max = PREVIEW_CHARS): string {
  return text.length > max ? `${apply(stringSlice, text, [0, max - 1]) as string}…` : text;
}

/** A string as a learner writes it, `'it\'s'`: JSON's escapes with single quotes, enough of it for a preview (a
 * loop over the characters: String.prototype.replace would run a RegExp method the lesson can replace). */
function quoted(value: string): string {
  const json = stringify(value); // a string: JSON asks no toJSON of a primitive
  let out = "'";
  for (let i = 1; i < json.length - 1 && out.length <= PREVIEW_CHARS; i++) {
    const c = json[i]!;
    if (c === '\\' && json[i + 1] === '"') { out += '"'; i++; } else if (c === '\\') { out += c + json[i + 1]!; i++; } else if (c === "'") out += "\\'";
    else out += c;
  }
  return clip(`${out}'`);
}


/** The name a constructor's prototype gives an object (`Account`), '' when it has none we can read safely. */
function className(o: object): string {
  const proto = getPrototypeOf(o) as object | null;
  if (proto === null) return '';
  const ctor = ownData(proto, 'constructor');
  const name = typeof ctor === 'function' ? ownData(ctor, 'name') : undefined;
  return typeof name === 'string' ? name : '';
}

/** A short, safe preview of any value, as a learner reads it on the stage: `100`, `'bob'`, `[3 items]`, `Map(2)`. */
export function preview(value: unknown): string {
  switch (typeof value) {
    case 'number': return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint': return clip(`${value}n`);
    case 'boolean': return String(value);
    case 'undefined': return 'undefined';
    case 'string': return quoted(value);
    case 'symbol': { const d = call(symbolDescription, value); return clip(`Symbol(${typeof d === 'string' ? d : ''})`); }
    case 'function': {
      if (types.isProxy(value)) return 'Proxy';
      const name = ownData(value, 'name');
      return clip(`ƒ ${typeof name === 'string' && name ? name : '(anonymous)'}`);
    }
    default: break;
  }
  if (value === null) return 'null';
  const o = value as object;
  if (types.isProxy(o)) return 'Proxy';
  if (isArray(o)) {
    const n = ownData(o, 'length') as number;
    let items = '';
    for (let i = 0; i < n && i < 6; i++) {
      const d = getOwnPropertyDescriptor(o, i);
      const v = d && 'value' in d ? d.value : undefined;
      items += `${i ? ', ' : ''}${v !== null && (typeof v === 'object' || typeof v === 'function') ? (isArray(v) ? '[…]' : '{…}') : d && !('value' in d) ? '(getter)' : preview(v)}`;
    }
    return clip(`[${items}${n > 6 ? `, … ${n} items` : ''}]`);
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

/** Most arguments a lock's caller is shown with, and the longest that text gets. */
const MAX_CALLER_ARGS = 6;
const CALLER_CHARS = 48;

/**
 * The previews of a call's arguments, `'bob', 100`, read from the arrays the instrumented code made (`args`, and the
 * rest parameter's array): own data elements only, so no lesson code runs (a hole or an accessor shows as `…`).
 */
export function previewArgs(args: unknown, rest?: unknown): string {
  // Plain loops and string concatenation: array iteration, push and join are the lesson's to replace.
  let text = '';
  let count = 0;
  for (let k = 0; k < 2; k++) {
    const list = k === 0 ? args : rest;
    if (!isArray(list)) continue;
    const n = ownData(list, 'length') as number;
    for (let i = 0; i < n; i++) {
      if (count === MAX_CALLER_ARGS) return clip(`${text}, …`, CALLER_CHARS);
      const d = getOwnPropertyDescriptor(list, i);
      text += `${count++ === 0 ? '' : ', '}${d && 'value' in d ? preview(d.value) : '…'}`;
    }
  }
  return clip(text, CALLER_CHARS);
}
