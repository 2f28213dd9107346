/**
 * Platform conformance: stack positions and the uncaught-error header on lines the tracer instruments (runtime v2
 * maps V8's frames back to the learner's columns and rewrites Node's header line; plain node needs neither).
 * Each program puts a throw or a call after instrumented code on the same line. Compared with plain node.
 */
import type { PlatformCase } from '../platform-cases.ts';

const js = String.raw;

export const STACK_POSITION_CASES: readonly PlatformCase[] = [
  { name: 'stack: uncaught throw in a one-line arrow, tab-indented (header line and caret)', entry: 'main.js', code: js`function outer() {
	const f = () => { if (true) { throw new RangeError('deep'); } };
	f();
}
outer();
` },
  { name: 'stack: call sites turned into text by a custom prepareStackTrace', entry: 'main.js', code: js`Error.prepareStackTrace = (err, sites) => sites.filter((s) => String(s).includes('main.js')).map((s) => ${'`'}${'$'}{s}${'`'}).join('\n');
function a() { return new Error('x').stack; } function b() { return a(); }
console.log(b());
` },
  { name: 'stack: an eval frame and its origin inside an instrumented function', entry: 'main.js', code: js`function run(code) { return eval(code); }
try { run('let z = 1;\nthrow new Error("in eval")'); } catch (e) { console.log(e.stack.split('\n').slice(0, 3).join('\n')); }
` },
  { name: 'stack: uncaught TypeError inside a loop body in a .mts file', entry: 'main.mts', code: js`const items: number[] = [1, 2]; for (const i of items) { if (i > 1) { const o: { x: number } | null = null; console.log(o!.x); } }
` },
  { name: 'stack: frames of a worker file on instrumented lines', entry: 'main.js', code: js`const { Worker } = require('node:worker_threads');
new Worker('./w.js').on('message', (m) => console.log(m));
`, files: [{ path: 'w.js', text: "const { parentPort } = require('node:worker_threads');\nfunction f() { return g(); } function g() { return new Error('in worker').stack.split('\\n').slice(0, 3).join('\\n'); }\nparentPort.postMessage(f());\n" }] },
];
