/**
 * The probe every sandbox-escape payload starts with. It is lesson code (JavaScript, CommonJS or ES module) that
 * takes any value it can get hold of, walks its constructor and prototype chains looking for a Function
 * constructor from another realm, and, if `F('return process')()` yields Node's real `process`, prints the
 * marker with what it could reach (the environment, a canary file outside the app).
 *
 * The marker is assembled at run time so the payload source (carried in the trace header) never contains it.
 * Every payload ends by calling `__done()`, so a payload that silently failed to run is not mistaken for a
 * payload that was stopped.
 */
import { randomBytes } from 'node:crypto';

export const ESCAPE_MARKER = 'ESCAPED:';
/** Printed by __done(): proof the payload ran to its end. */
export const PROBE_COMPLETE = 'probe complete:';
/** Canary file contents start with this; the rest is random per test run and never appears in any payload. */
export const CANARY_PREFIX = 'loopscope-canary-';

export function canarySecret(): string {
  return CANARY_PREFIX + randomBytes(12).toString('hex');
}

/**
 * The prelude, with the canary file's absolute path filled in.
 *
 * Lesson code runs in its own Node process, so reaching a `process` is by design, not an escape: the marker means
 * the layers around the process failed — the canary outside the run folder was read, the environment was not
 * empty, or a child process started.
 */
export function probePrelude(canaryPath: string): string {
  return PRELUDE.replace('__CANARY_PATH__', JSON.stringify(canaryPath).slice(1, -1));
}

const PRELUDE = String.raw`
const __MARK = ['ESC', 'APED'].join('') + ':';
const __CANARY = '__CANARY_PATH__';
let __probes = 0;
function __isHostProcess(p) {
  try {
    if (p === null || (typeof p !== 'object' && typeof p !== 'function')) return false;
    return typeof p.binding === 'function' || typeof p.dlopen === 'function' || typeof p.getBuiltinModule === 'function' ||
      typeof p.reallyExit === 'function' || typeof p._linkedBinding === 'function' ||
      (typeof p.versions === 'object' && p.versions !== null && typeof p.versions.v8 === 'string');
  } catch (e) { return false; }
}
const __reported = new Set();
function __report(how, p) {
  let detail = '';
  let breached = false;
  try { detail += ' pid=' + p.pid; } catch (e) {}
  try { const keys = Object.keys(p.env); detail += ' env=' + keys.join(','); if (keys.length) breached = true; } catch (e) {}
  try { detail += ' canary=' + p.getBuiltinModule('fs').readFileSync(__CANARY, 'utf8'); breached = true; } catch (e) { detail += ' canary-read-failed'; }
  if (!__reported.has(p)) {
    __reported.add(p);
    try { p.getBuiltinModule('child_process').execFileSync('/bin/true'); detail += ' spawned-a-process'; breached = true; } catch (e) { detail += ' spawn-denied'; }
  }
  if (breached) console.log(__MARK + ' ' + how + detail);
}
function __check(how, r) {
  try {
    if (__isHostProcess(r)) __report(how, r);
    else if (r !== null && (typeof r === 'object' || typeof r === 'function') && __isHostProcess(r.process)) __report(how + ' .process', r.process);
  } catch (e) {}
}
/** F is a candidate Function / AsyncFunction constructor: try to compile code that returns process. */
function __tryFunctionCtor(how, F) {
  if (typeof F !== 'function') return;
  let name = '';
  try { name = String(F.name); } catch (e) { return; }
  if (name !== 'Function' && name !== 'AsyncFunction') return;
  __probes++;
  for (const body of ['return process', 'return globalThis', 'return this']) {
    try {
      const r = F(body)();
      if (r && typeof r.then === 'function') r.then((v) => __check(how + ' ' + body, v), () => {});
      else __check(how + ' ' + body, r);
    } catch (e) {}
  }
}
/** Probes x: is it process; does any constructor on its prototype chain lead to a foreign Function? */
let __probing = false;
function __probe(how, x) {
  if (x === null || x === undefined) return;
  if (typeof x !== 'object' && typeof x !== 'function') return;
  // Payloads hook traps, getters and prototypes that probing itself touches: do not recurse into them.
  if (__probing) return;
  __probing = true;
  try { __probeOnce(how, x); } finally { __probing = false; }
}
function __probeOnce(how, x) {
  __probes++;
  __check(how, x);
  const seen = new Set();
  let o = x;
  for (let depth = 0; depth < 10 && o !== null && o !== undefined; depth++) {
    let c;
    try { c = o.constructor; } catch (e) { c = undefined; }
    if (typeof c === 'function' && !seen.has(c)) {
      seen.add(c);
      __tryFunctionCtor(how + '.constructor', c);
      let cc;
      try { cc = c.constructor; } catch (e) { cc = undefined; }
      __tryFunctionCtor(how + '.constructor.constructor', cc);
    }
    try { o = Object.getPrototypeOf(o); } catch (e) { break; }
  }
  if (typeof x === 'function') {
    try { __tryFunctionCtor(how + ' (a function).constructor', x.constructor); } catch (e) {}
    try { __tryFunctionCtor(how + ' (a function) itself', x); } catch (e) {}
  }
}
/** Probes x and every own property value (getters included) one level down. */
function __probeDeep(how, x) {
  __probe(how, x);
  if (x === null || (typeof x !== 'object' && typeof x !== 'function')) return;
  let keys = [];
  try { keys = Reflect.ownKeys(x); } catch (e) { return; }
  for (const k of keys) {
    let v;
    try { v = Reflect.get(x, k); } catch (e) { __probe(how + '[' + String(k) + '] getter error', e); continue; }
    __probe(how + '.' + String(k), v);
  }
}
function __done() {
  console.log('probe complete: ' + __probes + ' probes');
}
`;
