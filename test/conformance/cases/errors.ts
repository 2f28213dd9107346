/** Errors: uncaught exceptions, unhandled rejections, their handlers, and output before a crash. */
import { EndReason, Phase, TaskKind } from '../../../src/shared/trace/schema.ts';
import { lines } from '../case.ts';
import type { OracleCase } from '../case.ts';

const js = String.raw;

export const errorCases: readonly OracleCase[] = [
  {
    name: 'an error thrown in a timer ends the run; earlier output survives, later timers never run',
    entry: 'main.js',
    code: js`console.log('before');
setTimeout(() => console.log('never runs'), 50);
setTimeout(() => {
  console.log('about to throw');
  throw new Error('boom in timer');
}, 5);
`,
    expect: lines('before', 'about to throw'),
    end: { reason: EndReason.UncaughtError, exitCode: 1, stderr: ['Error: boom in timer', 'Node.js v24'] },
    tasks: [{ line: 'about to throw', kind: TaskKind.Timeout, phase: Phase.Timers }],
  },
  {
    name: 'a throw in top-level code stops before any tick or timer',
    entry: 'main.js',
    code: js`console.log('line 1');
setTimeout(() => console.log('never: timer'), 0);
process.nextTick(() => console.log('never: tick'));
throw new TypeError('top-level failure');
`,
    expect: lines('line 1'),
    end: { reason: EndReason.UncaughtError, exitCode: 1, stderr: ['TypeError: top-level failure'] },
  },
  {
    name: 'an unhandled rejection ends the run after the current ticks drain',
    entry: 'main.js',
    code: js`console.log('start');
setTimeout(() => console.log('never runs'), 50);
Promise.reject(new Error('nobody catches me'));
process.nextTick(() => console.log('tick still runs'));
`,
    expect: lines('start', 'tick still runs'),
    end: { reason: EndReason.UnhandledRejection, exitCode: 1, stderr: ['Error: nobody catches me'] },
    tasks: [{ line: 'tick still runs', kind: TaskKind.NextTick, phase: Phase.Main }],
  },
  {
    name: 'an error thrown in a promise reaction is an unhandled rejection',
    entry: 'main.js',
    code: js`Promise.resolve().then(() => {
  console.log('in reaction');
  throw new RangeError('thrown in a reaction');
});
console.log('sync');
`,
    expect: lines('sync', 'in reaction'),
    end: { reason: EndReason.UnhandledRejection, exitCode: 1, stderr: ['RangeError: thrown in a reaction'] },
    tasks: [{ line: 'in reaction', kind: TaskKind.PromiseReaction, phase: Phase.Main }],
  },
  {
    name: 'an unhandled rejection with a non-Error reason is reported with that reason',
    entry: 'main.js',
    code: js`console.log('rejecting with a string');
Promise.reject('plain string');
`,
    expect: lines('rejecting with a string'),
    end: { reason: EndReason.UnhandledRejection, exitCode: 1, stderr: ['The promise rejected with the reason "plain string"', 'ERR_UNHANDLED_REJECTION'] },
  },
  {
    name: 'a rejection handled within the same tick is not unhandled',
    entry: 'main.mjs',
    code: js`const p = Promise.reject(new Error('handled soon'));
await null;
p.catch((e) => console.log('caught ' + e.message));
setTimeout(() => console.log('still running'), 5);
`,
    expect: lines('caught handled soon', 'still running'),
    tasks: [{ line: 'caught handled soon', kind: TaskKind.PromiseReaction, phase: Phase.Main }],
  },
  {
    name: "process.on('uncaughtException') keeps the run alive",
    entry: 'main.js',
    code: js`process.on('uncaughtException', (err, origin) => console.log('handled ' + err.message + ' (' + origin + ')'));
setTimeout(() => { throw new Error('oops'); }, 0);
setTimeout(() => console.log('still running'), 10);
`,
    expect: lines('handled oops (uncaughtException)', 'still running'),
    tasks: [{ line: 'still running', kind: TaskKind.Timeout, phase: Phase.Timers }],
  },
  {
    // Both timers are due in the same timers phase: after the handler, Node runs the second one at once, and it is
    // its own setTimeout task (the handler's job ends when the handler returns).
    name: "process.on('uncaughtException'): a timer due in the same phase still runs as its own task",
    entry: 'main.js',
    code: js`process.on('uncaughtException', (err, origin) => console.log('handled ' + err.message + ' (' + origin + ')'));
setTimeout(() => { throw new Error('oops'); }, 0);
setTimeout(() => console.log('still running'), 10);
const start = Date.now();
while (Date.now() - start < 30) { /* both timers are due when the loop starts */ }
`,
    expect: lines('handled oops (uncaughtException)', 'still running'),
    tasks: [{ line: 'still running', kind: TaskKind.Timeout, phase: Phase.Timers }],
  },
  {
    name: "process.on('unhandledRejection') keeps the run alive",
    entry: 'main.js',
    code: js`process.on('unhandledRejection', (reason) => console.log('unhandled: ' + reason.message));
Promise.reject(new Error('late'));
setTimeout(() => console.log('still running'), 5);
`,
    expect: lines('unhandled: late', 'still running'),
  },
  {
    name: 'console.error and console.warn go to stderr; stdout keeps its own order',
    entry: 'main.js',
    code: js`console.log('out 1');
console.error('err 1');
console.warn('warn 1');
console.info('info 1');
process.stdout.write('raw out\n');
console.error('err %d', 2);
`,
    expect: lines('out 1', 'info 1', 'raw out'),
    expectStderr: lines('err 1', 'warn 1', 'err 2'),
  },
];
