/**
 * Stack frames of instrumented lesson files show the learner's positions, formatted by V8 itself (runtime v2).
 *
 * Why not `--enable-source-maps`: Node's source-mapped formatter rebuilds every frame from the CallSite API and does
 * not print what V8 prints (`Account.get broken` for `get broken`, `<anonymous> (…)` for a bare location, `file://`
 * dropped for ES modules and TypeScript). Plain node on the same file has no source map at all (its type stripping
 * keeps positions), so V8 formats its frames.
 *
 * How: Node's default stack formatter joins the CallSite objects into text, and turning a CallSite into a string asks
 * for its `Symbol.toPrimitive` before V8's own `toString`. V8's CallSite methods are read-only, but the prototype is
 * extensible: this module gives it a `Symbol.toPrimitive` (non-enumerable) that calls V8's `toString` and puts the
 * original line and column in place of the instrumented code's, for lesson files only. Frame names, `async`, `new`,
 * `[as …]`, `file://`, native and Node-internal frames stay V8's. `Error.prepareStackTrace` stays unset, as in plain
 * node. Not covered: the CallSite getters (`getLineNumber`, `getColumnNumber`) a lesson's own `prepareStackTrace`
 * calls still give the instrumented code's columns — V8 makes them read-only.
 */
import type { PositionMap } from '../instrument/position-map.ts';

/** File names as V8 reports them (a path for CommonJS, a file URL for ES modules and TypeScript) → their map. */
export type MapLookup = (fileName: string) => PositionMap | undefined;

type CallSite = Record<string, unknown>;

const LOCATION = /([^\s()]+):(\d+):(\d+)/g;

export function installCallSiteMapping(lookup: MapLookup): void {
  const proto = callSitePrototype();
  const toString = proto?.toString;
  if (!proto || typeof toString !== 'function' || !Object.isExtensible(proto)) return;
  const toPrimitive = function (this: unknown): unknown {
    const text = Reflect.apply(toString, this, []);
    if (typeof text !== 'string') return text;
    // Every `name:line:column` of a lesson file in the frame (its own location, and an eval's origin).
    return text.replace(LOCATION, (whole: string, name: string, line: string, column: string) => {
      const pos = lookup(name)?.original(Number(line), Number(column));
      return pos ? `${name}:${pos.line}:${pos.column}` : whole;
    });
  };
  Object.defineProperty(proto, Symbol.toPrimitive, { value: toPrimitive, writable: false, enumerable: false, configurable: false });
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
