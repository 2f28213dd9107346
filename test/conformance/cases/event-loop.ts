/** Event-loop ordering: sync code, nextTick, microtasks, timers, immediates, I/O, intervals, EventEmitter, exit. */
import { EndReason, Phase, TaskKind } from '../../../src/shared/trace/schema.ts';
import { lines } from '../case.ts';
import type { OracleCase } from '../case.ts';

const js = String.raw;

export const eventLoopCases: readonly OracleCase[] = [
  {
    name: 'synchronous code runs before any timer',
    entry: 'main.js',
    code: js`console.log('start');
setTimeout(() => console.log('timeout'), 0);
console.log('end');
`,
    expect: lines('start', 'end', 'timeout'),
    tasks: [
      { line: 'start', kind: TaskKind.Script, phase: Phase.Main },
      { line: 'timeout', kind: TaskKind.Timeout, phase: Phase.Timers },
    ],
  },
  {
    name: 'CommonJS: process.nextTick runs before promise reactions',
    entry: 'main.cjs',
    code: js`Promise.resolve().then(() => console.log('promise'));
process.nextTick(() => console.log('nextTick'));
console.log('sync');
`,
    expect: lines('sync', 'nextTick', 'promise'),
    tasks: [
      { line: 'sync', kind: TaskKind.Script, phase: Phase.Main },
      { line: 'nextTick', kind: TaskKind.NextTick, phase: Phase.Main },
      { line: 'promise', kind: TaskKind.PromiseReaction, phase: Phase.Main },
    ],
  },
  {
    name: 'ES module: top-level code runs in a microtask job, so promise jobs run before process.nextTick',
    entry: 'main.mjs',
    code: js`Promise.resolve().then(() => console.log('promise'));
process.nextTick(() => console.log('nextTick'));
console.log('sync');
`,
    expect: lines('sync', 'promise', 'nextTick'),
    tasks: [
      { line: 'nextTick', kind: TaskKind.NextTick, phase: Phase.Main },
      { line: 'promise', kind: TaskKind.PromiseReaction, phase: Phase.Main },
    ],
  },
  {
    name: 'CommonJS: nextTick and promises nested both ways',
    entry: 'main.js',
    code: js`process.nextTick(() => {
  console.log('tick 1');
  Promise.resolve().then(() => console.log('promise inside tick 1'));
  process.nextTick(() => console.log('tick inside tick 1'));
});
Promise.resolve().then(() => {
  console.log('promise 1');
  process.nextTick(() => console.log('tick inside promise 1'));
  Promise.resolve().then(() => console.log('promise inside promise 1'));
});
console.log('sync');
`,
    expect: lines('sync', 'tick 1', 'tick inside tick 1', 'promise 1', 'promise inside tick 1', 'promise inside promise 1', 'tick inside promise 1'),
    tasks: [
      { line: 'tick inside tick 1', kind: TaskKind.NextTick, phase: Phase.Main },
      { line: 'promise inside tick 1', kind: TaskKind.PromiseReaction, phase: Phase.Main },
      { line: 'tick inside promise 1', kind: TaskKind.NextTick, phase: Phase.Main },
    ],
  },
  {
    name: 'ES module detected from `export` in a .ts file: the same nesting in module order',
    entry: 'main.ts',
    code: js`export {};
const say = (text: string): void => console.log(text);
process.nextTick(() => {
  say('tick 1');
  Promise.resolve().then(() => say('promise inside tick 1'));
  process.nextTick(() => say('tick inside tick 1'));
});
Promise.resolve().then(() => {
  say('promise 1');
  process.nextTick(() => say('tick inside promise 1'));
  Promise.resolve().then(() => say('promise inside promise 1'));
});
say('sync');
`,
    expect: lines('sync', 'promise 1', 'promise inside promise 1', 'tick 1', 'tick inside promise 1', 'tick inside tick 1', 'promise inside tick 1'),
    tasks: [
      { line: 'promise inside promise 1', kind: TaskKind.PromiseReaction, phase: Phase.Main },
      { line: 'tick inside tick 1', kind: TaskKind.NextTick, phase: Phase.Main },
    ],
  },
  {
    name: 'queueMicrotask inside nextTick and nextTick inside queueMicrotask',
    entry: 'main.js',
    code: js`process.nextTick(() => {
  console.log('tick A');
  queueMicrotask(() => console.log('microtask from tick A'));
  process.nextTick(() => console.log('tick from tick A'));
});
queueMicrotask(() => {
  console.log('microtask B');
  process.nextTick(() => console.log('tick from microtask B'));
  queueMicrotask(() => console.log('microtask from microtask B'));
});
console.log('sync');
`,
    expect: lines('sync', 'tick A', 'tick from tick A', 'microtask B', 'microtask from tick A', 'microtask from microtask B', 'tick from microtask B'),
    tasks: [
      { line: 'tick A', kind: TaskKind.NextTick, phase: Phase.Main },
      { line: 'microtask B', kind: TaskKind.Microtask, phase: Phase.Main },
      { line: 'microtask from tick A', kind: TaskKind.Microtask, phase: Phase.Main },
      { line: 'tick from microtask B', kind: TaskKind.NextTick, phase: Phase.Main },
    ],
  },
  {
    name: 'microtasks and ticks drain after each timer callback, before the next timer',
    entry: 'main.js',
    code: js`setTimeout(() => {
  console.log('timer 1');
  Promise.resolve().then(() => console.log('promise from timer 1'));
  process.nextTick(() => console.log('tick from timer 1'));
}, 0);
setTimeout(() => {
  console.log('timer 2');
  Promise.resolve().then(() => console.log('promise from timer 2'));
}, 0);
`,
    expect: lines('timer 1', 'tick from timer 1', 'promise from timer 1', 'timer 2', 'promise from timer 2'),
    tasks: [
      { line: 'timer 1', kind: TaskKind.Timeout, phase: Phase.Timers },
      { line: 'tick from timer 1', kind: TaskKind.NextTick, phase: Phase.Timers },
      { line: 'promise from timer 1', kind: TaskKind.PromiseReaction, phase: Phase.Timers },
      { line: 'timer 2', kind: TaskKind.Timeout, phase: Phase.Timers },
    ],
  },
  {
    name: 'microtasks and ticks drain after each immediate, before the next immediate',
    entry: 'main.js',
    code: js`setImmediate(() => {
  console.log('immediate 1');
  Promise.resolve().then(() => console.log('promise from immediate 1'));
  process.nextTick(() => console.log('tick from immediate 1'));
});
setImmediate(() => {
  console.log('immediate 2');
  queueMicrotask(() => console.log('microtask from immediate 2'));
});
`,
    expect: lines('immediate 1', 'tick from immediate 1', 'promise from immediate 1', 'immediate 2', 'microtask from immediate 2'),
    tasks: [
      { line: 'immediate 1', kind: TaskKind.Immediate, phase: Phase.Check },
      { line: 'promise from immediate 1', kind: TaskKind.PromiseReaction, phase: Phase.Check },
      { line: 'microtask from immediate 2', kind: TaskKind.Microtask, phase: Phase.Check },
    ],
  },
  {
    name: 'setImmediate scheduled from an immediate runs on the next loop iteration',
    entry: 'main.js',
    code: js`setImmediate(() => {
  console.log('immediate 1');
  setImmediate(() => console.log('immediate 3 (next iteration)'));
  process.nextTick(() => console.log('tick after immediate 1'));
});
setImmediate(() => console.log('immediate 2'));
`,
    expect: lines('immediate 1', 'tick after immediate 1', 'immediate 2', 'immediate 3 (next iteration)'),
    tasks: [{ line: 'immediate 3 (next iteration)', kind: TaskKind.Immediate, phase: Phase.Check }],
  },
  {
    name: 'top level: setTimeout(0) versus setImmediate is an honest race',
    entry: 'main.js',
    code: js`setTimeout(() => console.log('timeout'), 0);
setImmediate(() => console.log('immediate'));
`,
    allowed: [lines('timeout', 'immediate'), lines('immediate', 'timeout')],
    tasks: [
      { line: 'timeout', kind: TaskKind.Timeout, phase: Phase.Timers },
      { line: 'immediate', kind: TaskKind.Immediate, phase: Phase.Check },
    ],
  },
  {
    name: 'inside a timer callback, setImmediate runs before setTimeout(0)',
    entry: 'main.js',
    code: js`setTimeout(() => {
  console.log('outer timer');
  setTimeout(() => console.log('timeout'), 0);
  setImmediate(() => console.log('immediate'));
}, 0);
`,
    expect: lines('outer timer', 'immediate', 'timeout'),
    tasks: [
      { line: 'immediate', kind: TaskKind.Immediate, phase: Phase.Check },
      { line: 'timeout', kind: TaskKind.Timeout, phase: Phase.Timers },
    ],
  },
  {
    name: 'inside an I/O callback, setImmediate runs before setTimeout(0) (ES module)',
    entry: 'main.mjs',
    code: js`import { readLessonFile } from '@loopscope/kit';
readLessonFile('main.mjs', (error, text) => {
  console.log('read done: ' + (error ? error.message : typeof text));
  setTimeout(() => console.log('timeout'), 0);
  setImmediate(() => console.log('immediate'));
  process.nextTick(() => console.log('tick after I/O'));
});
console.log('reading');
`,
    expect: lines('reading', 'read done: string', 'tick after I/O', 'immediate', 'timeout'),
    tasks: [
      { line: 'read done: string', kind: TaskKind.Io, phase: Phase.Poll },
      { line: 'tick after I/O', kind: TaskKind.NextTick, phase: Phase.Poll },
      { line: 'immediate', kind: TaskKind.Immediate, phase: Phase.Check },
      { line: 'timeout', kind: TaskKind.Timeout, phase: Phase.Timers },
    ],
  },
  {
    name: 'inside an I/O callback, setImmediate runs before setTimeout(0) (CommonJS)',
    entry: 'main.cjs',
    code: js`const { readLessonFile } = require('@loopscope/kit');
readLessonFile('main.cjs', () => {
  setTimeout(() => console.log('timeout'), 0);
  setImmediate(() => {
    console.log('immediate');
    Promise.resolve().then(() => console.log('promise after immediate'));
  });
});
`,
    expect: lines('immediate', 'promise after immediate', 'timeout'),
    tasks: [
      { line: 'promise after immediate', kind: TaskKind.PromiseReaction, phase: Phase.Check },
      { line: 'timeout', kind: TaskKind.Timeout, phase: Phase.Timers },
    ],
  },
  {
    name: 'awaiting a file read resumes in the poll phase',
    entry: 'main.mjs',
    code: js`import { readLessonFile } from '@loopscope/kit';
const text = await readLessonFile('main.mjs');
console.log('read ' + text.split('\n')[1]);
setImmediate(() => console.log('immediate after read'));
setTimeout(() => console.log('timeout after read'), 0);
`,
    expect: lines("read const text = await readLessonFile('main.mjs');", 'immediate after read', 'timeout after read'),
    tasks: [
      { line: "read const text = await readLessonFile('main.mjs');", kind: TaskKind.AwaitContinuation, phase: Phase.Poll },
      { line: 'immediate after read', kind: TaskKind.Immediate, phase: Phase.Check },
    ],
  },
  {
    name: 'setInterval repeats until clearInterval',
    entry: 'main.js',
    code: js`let n = 0;
const id = setInterval(() => {
  n++;
  console.log('interval ' + n);
  if (n === 3) {
    clearInterval(id);
    setTimeout(() => console.log('after clearInterval, n = ' + n), 10);
  }
}, 2);
`,
    expect: lines('interval 1', 'interval 2', 'interval 3', 'after clearInterval, n = 3'),
    tasks: [
      { line: 'interval 2', kind: TaskKind.Interval, phase: Phase.Timers },
      { line: 'after clearInterval, n = 3', kind: TaskKind.Timeout, phase: Phase.Timers },
    ],
  },
  {
    name: 'timer and immediate callbacks get their Timeout / Immediate as this (clearInterval(this) works)',
    entry: 'main.js',
    code: js`const im = setImmediate(function () {
  console.log('immediate this is its Immediate: ' + (this === im));
  const t = setTimeout(function () {
    console.log('timeout this is its Timeout: ' + (this === t));
    let n = 0;
    setInterval(function () {
      n++;
      console.log('interval ' + n);
      if (n === 2) clearInterval(this);
    }, 1);
  }, 0);
});
`,
    expect: lines('immediate this is its Immediate: true', 'timeout this is its Timeout: true', 'interval 1', 'interval 2'),
    tasks: [{ line: 'interval 2', kind: TaskKind.Interval, phase: Phase.Timers }],
  },
  {
    name: 'timers with equal delays run in the order they were set; 0 means 1',
    entry: 'main.js',
    code: js`setTimeout(() => console.log('a (5ms)'), 5);
setTimeout(() => console.log('b (5ms)'), 5);
setTimeout(() => console.log('c (5ms)'), 5);
setTimeout(() => console.log('zero'), 0);
setTimeout(() => console.log('one'), 1);
`,
    expect: lines('zero', 'one', 'a (5ms)', 'b (5ms)', 'c (5ms)'),
    tasks: [{ line: 'b (5ms)', kind: TaskKind.Timeout, phase: Phase.Timers }],
  },
  {
    name: 'timers with different delays run by expiry, not by the order they were set',
    entry: 'main.js',
    code: js`setTimeout(() => console.log('60ms'), 60);
setTimeout(() => console.log('10ms'), 10);
setTimeout(() => console.log('35ms'), 35);
`,
    expect: lines('10ms', '35ms', '60ms'),
    tasks: [{ line: '35ms', kind: TaskKind.Timeout, phase: Phase.Timers }],
  },
  {
    name: 'clearTimeout cancels a timer, also one cleared from another timer',
    entry: 'main.js',
    code: js`const a = setTimeout(() => console.log('a (never)'), 0);
clearTimeout(a);
clearTimeout(undefined);
const c = setTimeout(() => console.log('c (never)'), 30);
setTimeout(() => {
  console.log('b clears c');
  clearTimeout(c);
}, 5);
setTimeout(() => console.log('d'), 50);
const im = setImmediate(() => console.log('immediate (never)'));
clearImmediate(im);
`,
    expect: lines('b clears c', 'd'),
    tasks: [{ line: 'd', kind: TaskKind.Timeout, phase: Phase.Timers }],
  },
  {
    name: 'node:timers/promises resolve from the timers and check phases',
    entry: 'main.mjs',
    code: js`import { setTimeout as sleep, setImmediate as immediate } from 'node:timers/promises';
console.log('start');
sleep(5).then(() => console.log('sleep(5) resolved'));
setTimeout(() => console.log('setTimeout 5'), 5);
const value = await sleep(20, 'slept 20');
console.log(value);
console.log(await immediate('immediate value'));
`,
    expect: lines('start', 'sleep(5) resolved', 'setTimeout 5', 'slept 20', 'immediate value'),
    tasks: [
      { line: 'sleep(5) resolved', kind: TaskKind.PromiseReaction, phase: Phase.Timers },
      { line: 'slept 20', kind: TaskKind.AwaitContinuation, phase: Phase.Timers },
      { line: 'immediate value', kind: TaskKind.AwaitContinuation, phase: Phase.Check },
    ],
  },
  {
    name: 'EventEmitter emit is synchronous; once() listeners fire once; events.once is a promise',
    entry: 'main.js',
    code: js`const EventEmitter = require('node:events');
const { once } = require('node:events');
const emitter = new EventEmitter();
emitter.on('greet', (name) => console.log('hello ' + name));
emitter.once('greet', () => console.log('once listener'));
console.log('before emit');
emitter.emit('greet', 'ada');
emitter.emit('greet', 'bob');
console.log('after emit, listeners: ' + emitter.listenerCount('greet'));
once(emitter, 'done').then(([value]) => console.log('once() resolved with ' + value));
setTimeout(() => {
  console.log('timer emits done');
  emitter.emit('done', 42);
  console.log('emit returned');
}, 0);
`,
    expect: lines('before emit', 'hello ada', 'once listener', 'hello bob', 'after emit, listeners: 1', 'timer emits done', 'emit returned', 'once() resolved with 42'),
    tasks: [
      { line: 'hello ada', kind: TaskKind.Script, phase: Phase.Main },
      { line: 'emit returned', kind: TaskKind.Timeout, phase: Phase.Timers },
      { line: 'once() resolved with 42', kind: TaskKind.PromiseReaction, phase: Phase.Timers },
    ],
  },
  {
    name: 'process.exit inside a timer: output before it, the exit event, nothing after',
    entry: 'main.js',
    code: js`setTimeout(() => console.log('never: a later timer'), 50);
setTimeout(() => {
  console.log('exiting with 3');
  Promise.resolve().then(() => console.log('never: a promise after exit'));
  process.exit(3);
  console.log('never: after process.exit');
}, 5);
process.on('exit', (code) => console.log('exit event ' + code));
console.log('sync');
`,
    expect: lines('sync', 'exiting with 3', 'exit event 3'),
    end: { reason: EndReason.ProcessExit, exitCode: 3 },
    tasks: [{ line: 'exiting with 3', kind: TaskKind.Timeout, phase: Phase.Timers }],
  },
];
