/**
 * Stack frames of instrumented lesson files show the learner's positions (runtime v2), both where V8 formats them
 * and where a lesson's own `Error.prepareStackTrace` reads them.
 *
 * Why not `--enable-source-maps`: Node's source-mapped formatter rebuilds every frame from the CallSite API and does
 * not print what V8 prints (`Account.get broken` for `get broken`, `<anonymous> (…)` for a bare location, `file://`
 * dropped for ES modules and TypeScript). Plain node on the same file has no source map at all (its type stripping
 * keeps positions), so V8 formats its frames.
 *
 * V8's formatting: Node's default stack formatter joins the CallSite objects into text, and turning a CallSite into a
 * string asks for its `Symbol.toPrimitive` before V8's own `toString`. V8's CallSite methods are read-only and not
 * configurable, but the prototype is extensible: it gets a `Symbol.toPrimitive` (non-enumerable) that calls V8's
 * `toString` and puts the original line and column in place of the instrumented code's, for lesson files only.
 * Frame names, `async`, `new`, `[as …]`, `file://`, native and Node-internal frames stay V8's.
 *
 * A lesson's `Error.prepareStackTrace = (error, sites) => …`: V8's CallSite objects cannot be changed, so the lesson
 * gets stand-ins. `Error.prepareStackTrace` becomes an accessor (non-enumerable, configurable, like Node's data
 * property): it keeps what was assigned (at first Node's own `ErrorPrepareStackTrace`) and gives it back unchanged,
 * but when Node's stack formatter (node:internal/errors) reads a function other than Node's own, it gets a function
 * that replaces each CallSite of the array with a stand-in and calls the assigned one. A stand-in answers every CallSite method by asking
 * V8's CallSite, with the learner's positions in `getLineNumber`, `getColumnNumber`, `getEnclosingLineNumber`,
 * `getEnclosingColumnNumber`, `getEvalOrigin`, `toString` and string conversion.
 * Differences from plain node that remain: `Object.getOwnPropertyDescriptor(Error, 'prepareStackTrace')` shows a
 * getter and a setter, not a value; a stand-in's prototype is not V8's CallSite prototype (it inherits from it); `getPosition()` is the offset in
 * the instrumented code; a lesson that deletes or redefines the property gets V8's CallSites again.
 *
 * Boundary: everything here runs while lesson code runs (formatting a stack, a lesson calling a CallSite method).
 * It calls no built-in a lesson can replace: the functions it needs are captured when the preload loads, strings are
 * scanned by index, and arrays are only written at indices they already have.
 */
import { getCallSites } from 'node:util';
import type { PositionMap } from '../instrument/position-map.ts';

/** File names as V8 reports them (a path for CommonJS, a file URL for ES modules and TypeScript) → their map. */
export type MapLookup = (fileName: string) => PositionMap | undefined;

type CallSite = Record<PropertyKey, unknown>;
type Method = (this: unknown, ...args: unknown[]) => unknown;

const apply = Reflect.apply;
const ownKeys = Reflect.ownKeys;
const defineProperty = Object.defineProperty;
const create = Object.create;
const isArray = Array.isArray;
const WeakMapCtor = WeakMap;
const weakGet = WeakMap.prototype.get;
const weakSet = WeakMap.prototype.set;
const charCodeAt = String.prototype.charCodeAt;
const slice = String.prototype.slice;
const callSites = getCallSites;

/** Where Node's stack formatter reads `Error.prepareStackTrace` (prepareStackTraceCallback). */
const NODE_FORMATTER = 'node:internal/errors';

export function installCallSiteMapping(lookup: MapLookup): void {
  const proto = callSitePrototype();
  const toString = proto?.toString;
  if (!proto || typeof toString !== 'function' || !Object.isExtensible(proto)) return;

  /** The original position of a lesson file's generated line and column, or null (not a lesson file, inserted text). */
  const original = (file: unknown, line: unknown, column: unknown): { line: number; column: number } | null => {
    if (typeof file !== 'string' || typeof line !== 'number' || typeof column !== 'number') return null;
    return lookup(file)?.original(line, column) ?? null;
  };
  /** Every `name:line:column` of a lesson file in a frame's text (its own location, and an eval's origin). */
  const mapText = (text: unknown): unknown => (typeof text === 'string' ? mapLocations(text, original) : text);

  defineProperty(proto, Symbol.toPrimitive, {
    value: function (this: unknown): unknown { return mapText(apply(toString, this, [])); },
    writable: false, enumerable: false, configurable: false,
  });
  installLessonPrepareStackTrace(standIns(proto, original, mapText));
}

/**
 * The stand-ins' prototype: every method V8's CallSite prototype has, asking the V8 CallSite the stand-in stands
 * for (called on anything else, V8's own method answers, and throws as V8 does for a non-CallSite).
 * Returns the function that makes a stand-in for a V8 CallSite.
 */
function standIns(
  proto: CallSite,
  original: (file: unknown, line: unknown, column: unknown) => { line: number; column: number } | null,
  mapText: (text: unknown) => unknown,
): (site: unknown) => unknown {
  const realOf = new WeakMapCtor<object, object>();
  const real = (self: unknown): unknown => (self !== null && typeof self === 'object' ? apply(weakGet, realOf, [self]) ?? self : self);
  // (V8's CallSite methods are read-only and not configurable: taking them here or at call time is the same)
  const method = (key: PropertyKey): Method => proto[key] as Method;
  const [getFileName, getLine, getColumn, getEnclosingLine, getEnclosingColumn, toString] =
    ['getFileName', 'getLineNumber', 'getColumnNumber', 'getEnclosingLineNumber', 'getEnclosingColumnNumber', 'toString'].map(method) as [Method, Method, Method, Method, Method, Method];
  const position = (site: unknown, line: Method, column: Method) =>
    original(apply(getFileName, site, []), apply(line, site, []), apply(column, site, []));

  type Mapped = (site: unknown, fallback: Method) => unknown;
  // (a Map read at install time, before any lesson code)
  const mapped = new Map<PropertyKey, Mapped>([
    ['getLineNumber', (site, fallback) => position(site, getLine, getColumn)?.line ?? apply(fallback, site, [])],
    ['getColumnNumber', (site, fallback) => position(site, getLine, getColumn)?.column ?? apply(fallback, site, [])],
    ['getEnclosingLineNumber', (site, fallback) => position(site, getEnclosingLine, getEnclosingColumn)?.line ?? apply(fallback, site, [])],
    ['getEnclosingColumnNumber', (site, fallback) => position(site, getEnclosingLine, getEnclosingColumn)?.column ?? apply(fallback, site, [])],
    ['getEvalOrigin', (site, fallback) => mapText(apply(fallback, site, []))],
    ['toString', (site, fallback) => mapText(apply(fallback, site, []))],
    [Symbol.toPrimitive, (site) => mapText(apply(toString, site, []))],
  ]);
  const standInProto = create(proto) as CallSite;
  for (const key of ownKeys(proto)) {
    const fallback = proto[key];
    if (key === 'constructor' || typeof fallback !== 'function') continue;
    const map = mapped.get(key);
    // A method named as V8's (`site.getLineNumber.name`), taking no arguments as V8's do.
    const fn = { [key](this: unknown): unknown {
      const site = real(this);
      return map ? map(site, fallback as Method) : apply(fallback as Method, site, []);
    } }[key as string]!;
    defineProperty(standInProto, key, { value: fn, writable: false, enumerable: false, configurable: false });
  }
  return (site: unknown): unknown => {
    if (site === null || typeof site !== 'object') return site;
    const standIn = create(standInProto) as object;
    apply(weakSet, realOf, [standIn, site]);
    return standIn;
  };
}

/**
 * `Error.prepareStackTrace` as an accessor: the lesson reads back what it assigned; Node's formatter gets a function
 * that hands the lesson's function stand-ins for the CallSites (see the header comment).
 */
function installLessonPrepareStackTrace(standIn: (site: unknown) => unknown): void {
  const nodeDefault = (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
  let assigned = nodeDefault;
  const wrappers = new WeakMapCtor<object, Method>();
  const forNode = (fn: Method): Method => {
    let wrapper = apply(weakGet, wrappers, [fn]) as Method | undefined;
    if (!wrapper) {
      wrapper = function (this: unknown, error: unknown, trace: unknown): unknown {
        if (isArray(trace)) for (let i = 0; i < trace.length; i++) trace[i] = standIn(trace[i]);
        return apply(fn, this, [error, trace]);
      };
      apply(weakSet, wrappers, [fn, wrapper]);
    }
    return wrapper;
  };
  defineProperty(Error, 'prepareStackTrace', {
    get: function prepareStackTrace(): unknown {
      const fn = assigned;
      if (typeof fn !== 'function' || fn === nodeDefault) return fn; // Node's own formats through Symbol.toPrimitive
      // [this getter, whoever read the property]
      const reader = callSites(2)[1];
      return reader !== undefined && reader.scriptName === NODE_FORMATTER ? forNode(fn as Method) : fn;
    },
    set: function prepareStackTrace(value: unknown): void { assigned = value; },
    enumerable: false, configurable: true,
  });
}

/**
 * `text` with every `name:line:column` whose name has a map given the original line and column — the tokens of a
 * frame's text are separated by white space and parentheses (`f (file:///lesson/main.mjs:3:9)`,
 * `eval at run (/lesson/main.js:1:29), <anonymous>:2:7`).
 */
function mapLocations(text: string, original: (file: unknown, line: unknown, column: unknown) => { line: number; column: number } | null): string {
  let out = '';
  let copied = 0;
  let start = 0;
  const length = text.length;
  for (let i = 0; i <= length; i++) {
    const c = i < length ? (apply(charCodeAt, text, [i]) as number) : 32;
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 40 && c !== 41) continue; // not white space, ( or )
    if (i > start) {
      const token = tokenLocation(text, start, i);
      const pos = token ? original(apply(slice, text, [start, token.nameEnd]), token.line, token.column) : null;
      if (token && pos) {
        out += `${apply(slice, text, [copied, token.nameEnd]) as string}:${pos.line}:${pos.column}`;
        copied = i;
      }
    }
    start = i + 1;
  }
  return copied === 0 ? text : out + (apply(slice, text, [copied, length]) as string);
}

/** `name:line:column` ending exactly at `end` (a comma after it is allowed): where the name ends, line, column. */
function tokenLocation(text: string, start: number, end: number): { nameEnd: number; line: number; column: number } | null {
  let at = end;
  if (apply(charCodeAt, text, [at - 1]) === 44) at--; // `…:2:7,` in an eval origin
  const column = digitsBefore(text, start, at);
  if (!column || apply(charCodeAt, text, [column.from - 1]) !== 58) return null;
  const line = digitsBefore(text, start, column.from - 1);
  if (!line || apply(charCodeAt, text, [line.from - 1]) !== 58 || line.from - 1 <= start) return null;
  return { nameEnd: line.from - 1, line: line.value, column: column.value };
}

function digitsBefore(text: string, start: number, end: number): { from: number; value: number } | null {
  let from = end;
  while (from > start) {
    const c = apply(charCodeAt, text, [from - 1]) as number;
    if (c < 48 || c > 57) break;
    from--;
  }
  if (from === end || end - from > 9) return null;
  let value = 0;
  for (let i = from; i < end; i++) value = value * 10 + ((apply(charCodeAt, text, [i]) as number) - 48);
  return { from, value };
}

/** The prototype V8 gives CallSite objects in this realm (taken from one stack, then `prepareStackTrace` is gone). */
function callSitePrototype(): CallSite | null {
  const hadOwn = Object.prototype.hasOwnProperty.call(Error, 'prepareStackTrace');
  const saved = (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
  let sites: unknown;
  try {
    (Error as { prepareStackTrace?: unknown }).prepareStackTrace = (_e: unknown, trace: unknown) => trace;
    sites = new Error().stack;
  } finally {
    if (hadOwn) (Error as { prepareStackTrace?: unknown }).prepareStackTrace = saved;
    else delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
  }
  const first = Array.isArray(sites) ? (sites[0] as object | undefined) : undefined;
  return first ? (Object.getPrototypeOf(first) as CallSite) : null;
}
