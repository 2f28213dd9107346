/**
 * Platform conformance: errors and process semantics — uncaught exceptions and rejections with Node's own
 * output, exit codes, process.exit/exitCode, beforeExit/exit, warnings and deprecations, signals to self are
 * left out (the sandbox may forbid them). Compared with plain node on stdout, stderr and exit code.
 */
import type { PlatformCase } from '../platform-cases.ts';

const js = String.raw;

export const ERROR_CASES: readonly PlatformCase[] = [
  { name: 'uncaught TypeError from calling undefined', entry: 'main.js', code: js`const obj = {};
console.log('before');
obj.missing();
` },
  { name: 'uncaught ReferenceError in an ES module', entry: 'main.mjs', code: js`console.log('start');
notDefined + 1;
` },
  { name: 'uncaught error thrown from a timer callback', entry: 'main.js', code: js`setTimeout(function onTimer() {
  throw new Error('timer failed');
}, 1);
` },
  { name: 'uncaught error thrown from a nested function in a .ts file', entry: 'main.ts', code: js`function parse(input: string): number {
  const n: number = Number(input);
  if (Number.isNaN(n)) throw new RangeError('not a number: ' + input);
  return n;
}
console.log(parse('4'));
console.log(parse('four'));
` },
  { name: 'unhandled rejection with an Error: exit 1 and the stack', entry: 'main.js', code: js`async function load() { throw new Error('load failed'); }
load();
setTimeout(() => console.log('never'), 10);
` },
  { name: 'unhandled rejection of a plain object reason', entry: 'main.js', code: js`Promise.reject({ code: 42, why: 'object reason' });
` },
  { name: 'unhandled rejection of undefined and null', entry: 'main.mjs', code: js`Promise.reject(null);
` },
  { name: 'a rejection handled later in the same tick is not reported', entry: 'main.js', code: js`const p = Promise.reject(new Error('late'));
process.nextTick(() => p.catch((e) => console.log('caught', e.message)));
` },
  { name: 'an unhandledRejection handler keeps the program running', entry: 'main.js', code: js`process.on('unhandledRejection', (reason, p) => console.log('unhandled:', reason.message, p instanceof Promise));
Promise.reject(new Error('first'));
setTimeout(() => console.log('still alive'), 5);
` },
  { name: 'process.exit(2) skips pending timers and prints nothing more', entry: 'main.js', code: js`setTimeout(() => console.log('never'), 0);
process.on('exit', (c) => console.log('exit event', c, process.exitCode));
console.log('about to exit');
process.exit(2);
` },
  { name: 'process.exitCode set then an uncaught error wins with 1', entry: 'main.js', code: js`process.exitCode = 9;
process.on('exit', (c) => console.log('exit code', c));
throw new Error('boom');
` },
  { name: 'beforeExit fires again when it schedules work', entry: 'main.js', code: js`let rounds = 0;
process.on('beforeExit', (code) => {
  console.log('beforeExit', code, rounds);
  if (rounds++ < 2) setTimeout(() => console.log('more work', rounds), 1);
});
process.on('exit', (code) => console.log('exit', code));
` },
  { name: 'beforeExit does not fire on process.exit or uncaught errors', entry: 'main.js', code: js`process.on('beforeExit', () => console.log('beforeExit never'));
process.on('exit', (c) => console.log('exit', c));
process.exitCode = 4;
setTimeout(() => process.exit(), 1);
` },
  { name: 'exit handler cannot schedule async work', entry: 'main.js', code: js`process.on('exit', () => {
  setTimeout(() => console.log('never runs'), 0);
  Promise.resolve().then(() => console.log('never either'));
  console.log('exit handler sync');
});
` },
  { name: 'uncaughtExceptionMonitor sees the error before Node prints it', entry: 'main.js', code: js`process.on('uncaughtExceptionMonitor', (err, origin) => console.log('monitor', err.message, origin));
throw new Error('watched');
` },
  { name: 'uncaughtException handler: origin, and the program keeps running', entry: 'main.js', code: js`process.on('uncaughtException', (err, origin) => console.log('handled', err.message, origin));
setTimeout(() => { throw new Error('from timer'); }, 1);
setTimeout(() => console.log('later timer still runs'), 5);
throw new Error('from script');
` },
  { name: 'process.emitWarning with an Error object and a DeprecationWarning', entry: 'main.js', code: js`process.emitWarning(new Error('custom warning object'));
process.emitWarning('old api', 'DeprecationWarning', 'DEP0999');
process.emitWarning('old api', 'DeprecationWarning', 'DEP0999');
process.emitWarning('detail please', { type: 'MyWarning', code: 'MY01', detail: 'more text here' });
` },
  { name: 'a runtime deprecation from Node itself', entry: 'main.js', code: js`const util = require('node:util');
const old = util.deprecate(() => 'result', 'oldFn() is deprecated', 'DEP_LESSON');
console.log(old(), old());
new Buffer(2);
` },
  { name: 'error subclass with name, message and custom properties', entry: 'main.js', code: js`class ValidationError extends Error {
  constructor(field) { super(field + ' is invalid'); this.name = 'ValidationError'; this.field = field; }
}
try { throw new ValidationError('email'); } catch (e) { console.log(e.name, e.message, e.field, e instanceof ValidationError, e instanceof Error, String(e)); }
throw new ValidationError('age');
` },
  { name: 'Error.prototype.toString, error.stack first line and message edits', entry: 'main.js', code: js`const e = new Error('original');
e.message = 'changed';
console.log(String(e), e.stack.split('\n')[0]);
const t = new TypeError();
console.log(String(t), JSON.stringify(t.message), Object.keys(t));
console.log(Error('no new') instanceof Error, Error.prototype.name, typeof Error.captureStackTrace);
` },
  { name: 'finally, rethrow and error in catch', entry: 'main.js', code: js`function f() {
  try { throw new Error('first'); }
  catch (e) { console.log('caught', e.message); throw new Error('second', { cause: e }); }
  finally { console.log('finally runs'); }
}
try { f(); } catch (e) { console.log(e.message, 'cause:', e.cause.message); }
function g() { try { return 'try'; } finally { console.log('finally before return'); } }
console.log(g());
` },
  { name: 'stack overflow is a RangeError that can be caught', entry: 'main.js', code: js`function down(n) { return down(n + 1) + 1; }
try { down(0); } catch (e) { console.log(e.name, e.message); }
` },
  { name: 'JSON.parse error messages', entry: 'main.js', code: js`for (const s of ['{bad', '', '[1,]', '{"a":1}x']) {
  try { JSON.parse(s); } catch (e) { console.log(e.name + ': ' + e.message); }
}
` },
  { name: 'system errors from fs carry code, errno and syscall', entry: 'main.js', code: js`const fs = require('node:fs');
try { fs.readFileSync('missing.txt'); } catch (e) { console.log(e.code, e.errno, e.syscall, e.message); }
fs.readFile('missing-too.txt', (err) => {
  console.log('async', err.code, err.message);
  // one after the other: two reads in Node's thread pool finish in either order (plain node too, under load)
  fs.promises.readFile('nope.txt').catch((err) => console.log('promise', err.code, err.path));
});
` },
  { name: 'uncaught fs error from a callback API', entry: 'main.js', code: js`const fs = require('node:fs');
fs.readFile('does-not-exist.json', 'utf8', (err, text) => {
  if (err) throw err;
  console.log(text);
});
` },
  { name: 'process.exit with a string code and exit code range', entry: 'main.js', code: js`process.on('exit', (c) => console.log('exiting with', c, typeof c));
process.exit('5');
` },
  { name: 'uncaughtException handler that sets process.exitCode = 0 ends with 0', entry: 'main.js', code: js`process.on('uncaughtException', (e) => { console.log('swallowed', e.message); process.exitCode = 0; });
null.x;
` },
  { name: 'ESM: import of a missing module fails with ERR_MODULE_NOT_FOUND', entry: 'main.mjs', code: js`try { await import('./missing.mjs'); } catch (e) { console.log(e.code); }
try { await import('no-such-package'); } catch (e) { console.log(e.code, e.message.split('\n')[0].includes('no-such-package')); }
import('./bad.mjs').catch((e) => console.log(e.name, e.message));
`, files: [{ path: 'bad.mjs', text: 'export const x = ;\n' }] },
  { name: 'CJS: require of a missing module is MODULE_NOT_FOUND', entry: 'main.js', code: js`try { require('./nope'); } catch (e) { console.log(e.code, e.message.split('\n')[0]); }
require('./also-missing');
` },
];
