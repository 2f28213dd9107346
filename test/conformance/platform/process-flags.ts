/**
 * Platform conformance: what the lesson sees of the command line (runtime v2 starts its run process with flags of
 * its own; `node main.js` has none). Compared with plain node.
 */
import type { PlatformCase } from '../platform-cases.ts';

const js = String.raw;

export const PROCESS_FLAG_CASES: readonly PlatformCase[] = [
  { name: 'process: execArgv is empty in the main thread and in workers, with or without execArgv: []', entry: 'main.js', code: js`const { Worker } = require('node:worker_threads');
console.log('main', process.execArgv, process.argv.length);
const code = "console.log('worker', JSON.stringify(process.execArgv));";
new Worker(code, { eval: true }).on('exit', () => new Worker(code, { eval: true, execArgv: process.execArgv }));
` },
];
