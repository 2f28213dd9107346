/**
 * Platform conformance: a lesson's own `Error.prepareStackTrace` receives CallSites that report the learner's
 * positions — line, column, enclosing function's position, file name, `toString()` — on lines the tracer instruments
 * (runtime v2 maps them; plain node needs nothing). Compared with plain node at function and statement level.
 */
import type { PlatformCase } from '../platform-cases.ts';

const js = String.raw;

/** Prints every CallSite of the lesson's files as the CallSite API reports it. */
const PRINT_SITES = js`function describe(s) {
  return [s.getFunctionName(), s.getLineNumber(), s.getColumnNumber(), s.getEnclosingLineNumber(), s.getEnclosingColumnNumber(), s.getFileName()?.replace(/^.*\//, ''), s.toString().replace(/\(.*\//, '(')].join(' ');
}
`;

export const CALL_SITE_CASES: readonly PlatformCase[] = [
  { name: 'call sites: getLineNumber() of each frame in a custom prepareStackTrace', entry: 'main.js', code: js`Error.prepareStackTrace = (e, sites) => sites.map((s) => s.getLineNumber());
function inner() { if (true) { return new Error('x').stack; } }
function outer() { const v = 1; return inner(); }
console.log(outer());
` },
  { name: 'call sites: line, column, enclosing position, file name and toString() in CommonJS', entry: 'main.js', code: PRINT_SITES + js`Error.prepareStackTrace = (e, sites) => sites.filter((s) => s.getFileName()?.endsWith('main.js')).map(describe).join('\n');
class Account { withdraw(n) { if (n > 1) { const e = new Error('low'); return e.stack; } } }
const arrow = () => { let a = 1; a++; return new Account().withdraw(a); };
console.log(arrow());
` },
  { name: 'call sites: in an ES module, across an await', entry: 'main.mjs', code: PRINT_SITES + js`Error.prepareStackTrace = (e, sites) => sites.filter((s) => s.getFileName()?.endsWith('main.mjs')).map(describe).join('\n');
async function load() { await null; const x = 2; return new Error('after await').stack; }
async function main() { const r = await load(); return r; }
console.log(await main());
` },
  { name: 'call sites: in a TypeScript file', entry: 'main.ts', code: PRINT_SITES + js`Error.prepareStackTrace = (e: Error, sites: NodeJS.CallSite[]) => sites.filter((s) => s.getFileName()?.endsWith('main.ts')).map(describe).join('\n');
function typed(n: number): string { const k: number = n * 2; return new Error('ts ' + k).stack as string; }
console.log(typed(2));
` },
  { name: 'call sites: Error.captureStackTrace with a constructorOpt, prepareStackTrace saved and restored', entry: 'main.js', code: js`function callers() {
  const saved = Error.prepareStackTrace;
  Error.prepareStackTrace = (_, sites) => sites;
  const holder = {};
  Error.captureStackTrace(holder, callers);
  const sites = holder.stack;
  Error.prepareStackTrace = saved;
  return sites.filter((s) => s.getFileName()?.endsWith('main.js')).map((s) => s.getFunctionName() + ':' + s.getLineNumber() + ':' + s.getColumnNumber());
}
function where() { let i = 0; i++; return callers(); }
console.log(where(), Error.prepareStackTrace, typeof Error.prepareStackTrace);
const fn = (e, s) => s.length;
Error.prepareStackTrace = fn;
console.log(Error.prepareStackTrace === fn, typeof new Error('n').stack);
` },
  { name: 'call sites: String(site), template literals and toString() agree', entry: 'main.js', code: js`Error.prepareStackTrace = (e, sites) => { const s = sites[0]; return [String(s), ${'`'}${'$'}{s}${'`'}, s.toString(), s + ''].map((t) => t.replace(/\(.*\//, '(')).join('\n'); };
function f() { let a = 1; a++; return new Error('x').stack; }
console.log(f());
` },
  { name: 'call sites: in a worker thread', entry: 'main.js', code: js`const { Worker } = require('node:worker_threads');
new Worker('./w.js').on('message', (m) => console.log(m));
`, files: [{ path: 'w.js', text: js`const { parentPort } = require('node:worker_threads');
Error.prepareStackTrace = (e, sites) => sites.filter((s) => s.getFileName()?.endsWith('w.js')).map((s) => s.getLineNumber() + ':' + s.getColumnNumber()).join(' ');
function g() { let x = 1; x++; return new Error('w').stack; }
parentPort.postMessage(g());
` }] },
  { name: 'call sites: mapped with the built-ins a lesson replaced before formatting a stack', entry: 'main.js', code: js`String.prototype.charCodeAt = function () { return 0; };
RegExp.prototype[Symbol.replace] = function () { return 'HIJACKED'; };
Map.prototype.get = function () { return undefined; };
WeakMap.prototype.get = function () { return undefined; };
Error.prepareStackTrace = (e, sites) => sites.filter((s) => String(s.getFileName()).endsWith('main.js')).map((s) => s.getLineNumber() + ':' + s.getColumnNumber() + ' ' + s).join('\n');
function f() { let a = 1; a++; return new Error('x').stack; }
console.log(f());
` },
  { name: 'call sites: util.getCallSites() — positions, frame counts, the options form and its errors, in an ES module', entry: 'main.mjs', code: js`import { getCallSites } from 'node:util';
import * as util from 'node:util';
const show = (sites) => sites.filter((c) => c.scriptName.endsWith('main.mjs')).map((c) => c.functionName + ':' + c.lineNumber + ':' + c.column + '/' + c.columnNumber).join(' ');
function where(n) { let i = 0; i++; return getCallSites(n); }
const outer = () => { const s = where(3); return [s.length, show(s)]; };
console.log(outer(), show(util.getCallSites({ sourceMap: false })));
console.log(util.getCallSites === getCallSites, getCallSites.name, getCallSites.length, String(getCallSites).slice(0, 40));
for (const bad of ['x', 0, 2.5, 201]) { try { getCallSites(bad); } catch (e) { console.log(e.code, e.message); } }
` },
  { name: 'call sites: util.getCallSites() inside a worker message listener and a timer, in a TypeScript file', entry: 'main.ts', code: js`import { getCallSites } from 'node:util';
import { Worker } from 'node:worker_threads';
const here = (): string => getCallSites(4).filter((c) => c.scriptName.endsWith('main.ts')).map((c) => c.functionName + ':' + c.lineNumber + ':' + c.column).join(' ');
setTimeout(function tick(): void { const n: number = 1; console.log('timer', n, here()); }, 1);
const w = new Worker('require("node:worker_threads").parentPort.postMessage(1)', { eval: true });
w.on('message', function onMessage(m: number): void { console.log('message', m, here()); });
` },
];
