/**
 * Stacks in a run process show what plain node shows (runtime v2): the learner's positions on instrumented lines, and
 * none of the runtime's own frames — both where V8 and Node format a stack and where a lesson's own
 * `Error.prepareStackTrace` reads the CallSites.
 *
 * Why not `--enable-source-maps`: Node's source-mapped formatter rebuilds every frame from the CallSite API and does
 * not print what V8 prints (`Account.get broken` for `get broken`, `<anonymous> (…)` for a bare location, `file://`
 * dropped for ES modules and TypeScript). Plain node on the same file has no source map at all (its type stripping
 * keeps positions), so V8 formats its frames.
 *
 * Positions: Node's default stack formatter joins the CallSite objects into text, and turning a CallSite into a
 * string asks for its `Symbol.toPrimitive` before V8's own `toString`. V8's CallSite methods are read-only and not
 * configurable, but the prototype is extensible: it gets a `Symbol.toPrimitive` (non-enumerable) that calls V8's
 * `toString` and puts the original line and column in place of the instrumented code's, for lesson files only.
 * Frame names, `async`, `new`, `[as …]`, `file://`, native and Node-internal frames stay V8's.
 *
 * Node's formatter takes the function to format with from `Error.prepareStackTrace` (at first Node's own
 * `ErrorPrepareStackTrace`), so that property becomes an accessor (non-enumerable and configurable, like Node's data
 * property). What it gives Node's formatter (node:internal/errors) first takes the runtime's frames out of the
 * CallSite array — the tracer runs around some lesson callbacks (a worker's 'exit', 'error' and 'online' listeners
 * run inside the Message task the tracer opens; 'message' listeners no longer do: deliveries.ts), and plain node has
 * no such frames — then calls the function assigned: Node's own (every reader
 * gets that wrapper, under Node's name: nothing else holds Node's function), or a lesson's, which the lesson reads
 * back unchanged while Node's formatter gets it with each CallSite replaced by a stand-in. A stand-in
 * answers every CallSite method by asking V8's CallSite, with the learner's positions in `getLineNumber`,
 * `getColumnNumber`, `getEnclosingLineNumber`, `getEnclosingColumnNumber`, `getEvalOrigin`, `toString` and string
 * conversion.
 * Differences from plain node that remain: `Object.getOwnPropertyDescriptor(Error, 'prepareStackTrace')` shows a
 * getter and a setter, not a value, and the default function's source text is the wrapper's; V8 captures `Error.stackTraceLimit` frames before the runtime's are taken out, so
 * a stack deeper than that limit through a runtime frame shows fewer frames; a stand-in's prototype is not V8's
 * CallSite prototype (it inherits from it); `getPosition()` is the offset in the instrumented code; a lesson that
 * deletes or redefines the property gets V8's CallSites and frames again.
 *
 * `util.getCallSites()` answers with plain objects, not CallSites: the lesson gets a stand-in for it (`getCallSites`
 * below) that asks Node's for one frame more (its own), takes that and the runtime's frames out and puts the learner's
 * line and column in. Its `toString` is Node's text (preload.ts `shownAs`).
 *
 * Boundary: everything here runs while lesson code runs (formatting a stack, a lesson calling a CallSite method).
 * It calls no built-in a lesson can replace: the functions it needs are captured when the preload loads, strings are
 * scanned by index, and arrays are only written at indices they already have (and shortened through `length`).
 */
import { pathToFileURL } from 'node:url';
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
const isInteger = Number.isInteger;
const WeakMapCtor = WeakMap;
const weakGet = WeakMap.prototype.get;
const weakSet = WeakMap.prototype.set;
const charCodeAt = String.prototype.charCodeAt;
const slice = String.prototype.slice;
const startsWith = String.prototype.startsWith;
const callSites = getCallSites;

/** Where Node's stack formatter reads `Error.prepareStackTrace` (prepareStackTraceCallback). */
const NODE_FORMATTER = 'node:internal/errors';

const ErrorCtor = Error as unknown as { prepareStackTrace?: unknown; stackTraceLimit: number };
const captureStackTrace = Error.captureStackTrace;
/** True once `Error.prepareStackTrace` is the accessor; then, while `rawCapture` is set, Node's formatter gets RAW. */
let installed = false;
let rawCapture = false;
const RAW = (_error: unknown, sites: unknown): unknown => sites;

/**
 * V8's own CallSites of the current stack below `below` (at most `limit`), for the runtime itself (which console
 * method is writing: console-frame.ts): no stand-ins, no frames taken out, and what the lesson assigned to
 * `Error.prepareStackTrace` is neither called nor reassigned.
 */
export function rawCallSites(below: (...args: never[]) => unknown, limit: number): readonly CallSite[] | null {
  const savedLimit = ErrorCtor.stackTraceLimit;
  const savedPrepare = installed ? undefined : ErrorCtor.prepareStackTrace;
  const holder: { stack?: unknown } = {};
  rawCapture = true;
  try {
    if (!installed) ErrorCtor.prepareStackTrace = RAW;
    ErrorCtor.stackTraceLimit = limit;
    captureStackTrace(holder, below);
    const sites = holder.stack;
    return isArray(sites) ? (sites as CallSite[]) : null;
  } catch {
    return null;
  } finally {
    rawCapture = false;
    ErrorCtor.stackTraceLimit = savedLimit;
    if (!installed) ErrorCtor.prepareStackTrace = savedPrepare;
  }
}

export function installCallSiteMapping(lookup: MapLookup): { getCallSites: typeof getCallSites } | null {
  const { proto, ownFile } = callSitePrototype();
  const toString = proto?.toString;
  if (!proto || typeof toString !== 'function' || !Object.isExtensible(proto)) return null;

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
  // The runtime's frames: those of the files beside this one (the bundle: built/preload.cjs and kit.cjs; from
  // source: process/*.ts), by path (CommonJS) or file URL.
  const getFileName = proto.getFileName as Method;
  const dir = typeof ownFile === 'string' ? ownFile.slice(0, Math.max(ownFile.lastIndexOf('/'), ownFile.lastIndexOf('\\')) + 1) : '';
  const dirUrl = dir ? pathToFileURL(dir).href : '';
  const { standIn, real } = standIns(proto, original, mapText);
  const isRuntimeFrame = (site: unknown): boolean => {
    if (!dir) return false;
    let file: unknown;
    try { file = apply(getFileName, real(site), []); } catch { return false; } // not a CallSite (a lesson called the formatter)
    return typeof file === 'string' && (apply(startsWith, file, [dir]) as boolean || apply(startsWith, file, [dirUrl]) as boolean);
  };
  installPrepareStackTrace(standIn, isRuntimeFrame);
  const isRuntimeFile = (file: unknown): boolean => !!dir && typeof file === 'string' && (apply(startsWith, file, [dir]) as boolean || apply(startsWith, file, [dirUrl]) as boolean);
  return { getCallSites: mappedGetCallSites(original, isRuntimeFile) };
}

/** Node's largest `frameCount` (its validation: 1 to 200). */
const MAX_CALL_SITES = 200;
type GetCallSites = typeof getCallSites;
type CallSiteObject = { scriptName?: unknown; lineNumber?: unknown; columnNumber?: unknown; column?: unknown };

/**
 * `util.getCallSites` as the lesson sees it: Node's answer without this function's frame and the runtime's, with the
 * learner's positions in lesson files. Arguments Node would refuse go to Node's unchanged, so its errors are its own.
 */
function mappedGetCallSites(original: (file: unknown, line: unknown, column: unknown) => { line: number; column: number } | null, isRuntimeFile: (file: unknown) => boolean): GetCallSites {
  // Node's signature, so `length` is 0 as Node's
  return { getCallSites(this: unknown, frameCount: unknown = 10, options?: unknown): unknown {
    let count = frameCount;
    let opts = options;
    if (opts === undefined && count !== null && typeof count === 'object') { opts = count; count = 10; }
    // One frame more for this one (Node counts from its caller), where Node allows it; else exactly as called.
    const sites = typeof count === 'number' && isInteger(count) && count >= 1 && count < MAX_CALL_SITES
      ? apply(callSites, this, [count + 1, opts])
      // eslint-disable-next-line prefer-rest-params -- passed on as called, without iterating a lesson-replaceable array
      : apply(callSites, this, arguments);
    if (!isArray(sites)) return sites;
    let kept = 0;
    for (let i = 1; i < sites.length; i++) { // [0]: this function
      const site = sites[i] as CallSiteObject;
      if (site !== null && typeof site === 'object' && isRuntimeFile(site.scriptName)) continue;
      const pos = site !== null && typeof site === 'object' ? original(site.scriptName, site.lineNumber, site.column) : null;
      if (pos) { site.lineNumber = pos.line; site.columnNumber = pos.column; site.column = pos.column; }
      sites[kept++] = site;
    }
    sites.length = kept;
    return sites;
  } }.getCallSites as GetCallSites;
}

/**
 * The stand-ins' prototype: every method V8's CallSite prototype has, asking the V8 CallSite the stand-in stands
 * for (called on anything else, V8's own method answers, and throws as V8 does for a non-CallSite).
 * Returns the function that makes a stand-in for a V8 CallSite, and the one that gives the V8 CallSite of a stand-in.
 */
function standIns(
  proto: CallSite,
  original: (file: unknown, line: unknown, column: unknown) => { line: number; column: number } | null,
  mapText: (text: unknown) => unknown,
): { standIn: (site: unknown) => unknown; real: (site: unknown) => unknown } {
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
  const standIn = (site: unknown): unknown => {
    if (site === null || typeof site !== 'object') return site;
    const made = create(standInProto) as object;
    apply(weakSet, realOf, [made, site]);
    return made;
  };
  return { standIn, real };
}

/**
 * `Error.prepareStackTrace` as an accessor: every reader gets what was assigned, Node's formatter a function that
 * takes the runtime's frames out and, for a lesson's function, hands it stand-ins (see the header comment).
 */
function installPrepareStackTrace(standIn: (site: unknown) => unknown, isRuntimeFrame: (site: unknown) => boolean): void {
  const nodeDefault = (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
  let assigned = nodeDefault;
  const wrappers = new WeakMapCtor<object, Method>();
  const forNode = (fn: Method): Method => {
    let wrapper = apply(weakGet, wrappers, [fn]) as Method | undefined;
    if (!wrapper) {
      const lessons = fn !== nodeDefault; // Node's own maps positions through Symbol.toPrimitive
      wrapper = function (this: unknown, error: unknown, trace: unknown): unknown {
        if (isArray(trace)) {
          // In place, writing only what changes (the array is V8's fresh one, unless a lesson calls this itself)
          let kept = 0;
          for (let i = 0; i < trace.length; i++) {
            const site: unknown = trace[i];
            if (isRuntimeFrame(site)) continue;
            if (lessons || kept !== i) trace[kept] = lessons ? standIn(site) : site;
            kept++;
          }
          if (kept !== trace.length) trace.length = kept;
        }
        return apply(fn, this, [error, trace]);
      };
      apply(weakSet, wrappers, [fn, wrapper]);
    }
    return wrapper;
  };
  // Node's own function is never handed to the lesson: every reader gets the wrapper, under Node's name (asking who
  // reads costs a stack walk, twice per formatted stack). Nothing else holds Node's, so the lesson cannot compare.
  const defaultWrapper = typeof nodeDefault === 'function' ? forNode(nodeDefault as Method) : undefined;
  if (defaultWrapper) defineProperty(defaultWrapper, 'name', { value: (nodeDefault as Method).name });
  if (defaultWrapper) assigned = defaultWrapper;
  defineProperty(Error, 'prepareStackTrace', {
    get: function prepareStackTrace(): unknown {
      if (rawCapture) return RAW;
      const fn = assigned;
      if (typeof fn !== 'function' || fn === defaultWrapper) return fn;
      // A lesson's function: the lesson reads back its own; Node's formatter ([this getter, the reader]) the wrapper.
      const reader = callSites(2)[1];
      return reader !== undefined && reader.scriptName === NODE_FORMATTER ? forNode(fn as Method) : fn;
    },
    set: function prepareStackTrace(value: unknown): void { assigned = value; },
    enumerable: false, configurable: true,
  });
  installed = true;
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

/**
 * The prototype V8 gives CallSite objects in this realm, and the file this code runs from (taken from one stack,
 * then `prepareStackTrace` is as it was).
 */
function callSitePrototype(): { proto: CallSite | null; ownFile: unknown } {
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
  const first = Array.isArray(sites) ? (sites[0] as CallSite | undefined) : undefined;
  if (!first) return { proto: null, ownFile: undefined };
  return { proto: Object.getPrototypeOf(first) as CallSite, ownFile: (first.getFileName as Method).call(first) };
}
