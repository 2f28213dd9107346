/** Promise and async/await ordering: tick counts, thenables, combinators, async generators, interleaving. */
import { Phase, TaskKind } from '../../../src/shared/trace/schema.ts';
import { lines } from '../case.ts';
import type { OracleCase } from '../case.ts';

const js = String.raw;

/** A chain of promise reactions that prints "tick 1".."tick n": a clock to count microtask ticks against. */
const TICKS = js`const log = (text) => console.log(text);
Promise.resolve().then(() => log('tick 1')).then(() => log('tick 2')).then(() => log('tick 3')).then(() => log('tick 4')).then(() => log('tick 5'));
`;

export const promiseCases: readonly OracleCase[] = [
  {
    name: 'await of a non-promise value takes one tick',
    entry: 'main.js',
    code: TICKS + js`async function f() {
  await 42;
  log('after await 42');
}
f();
`,
    expect: lines('tick 1', 'after await 42', 'tick 2', 'tick 3', 'tick 4', 'tick 5'),
    tasks: [
      { line: 'after await 42', kind: TaskKind.AwaitContinuation, phase: Phase.Main },
      { line: 'tick 2', kind: TaskKind.PromiseReaction, phase: Phase.Main },
    ],
  },
  {
    name: 'await of an already-resolved native promise takes one tick',
    entry: 'main.js',
    code: TICKS + js`const resolved = Promise.resolve('value');
async function f() {
  const v = await resolved;
  log('after await resolved promise: ' + v);
}
f();
`,
    expect: lines('tick 1', 'after await resolved promise: value', 'tick 2', 'tick 3', 'tick 4', 'tick 5'),
    tasks: [{ line: 'after await resolved promise: value', kind: TaskKind.AwaitContinuation, phase: Phase.Main }],
  },
  {
    name: 'await of a thenable takes two ticks (its then is called in a job)',
    entry: 'main.js',
    code: TICKS + js`const thenable = { then(resolve) { log('thenable.then called'); resolve('thenable value'); } };
async function f() {
  const v = await thenable;
  log('after await thenable: ' + v);
}
f();
log('sync');
`,
    expect: lines('sync', 'tick 1', 'thenable.then called', 'tick 2', 'after await thenable: thenable value', 'tick 3', 'tick 4', 'tick 5'),
    tasks: [{ line: 'after await thenable: thenable value', kind: TaskKind.AwaitContinuation, phase: Phase.Main }],
  },
  {
    name: 'an async function that returns a promise settles two ticks later than one returning a value',
    entry: 'main.js',
    code: TICKS + js`async function returnsValue() { return 1; }
async function returnsPromise() { return Promise.resolve(2); }
returnsPromise().then(() => log('returnsPromise settled'));
returnsValue().then(() => log('returnsValue settled'));
`,
    expect: lines('tick 1', 'returnsValue settled', 'tick 2', 'tick 3', 'returnsPromise settled', 'tick 4', 'tick 5'),
    tasks: [{ line: 'returnsPromise settled', kind: TaskKind.PromiseReaction, phase: Phase.Main }],
  },
  {
    name: 'resolving a promise with a promise or a thenable adds ticks',
    entry: 'main.js',
    code: TICKS + js`new Promise((resolve) => resolve(Promise.resolve('inner'))).then((v) => log('resolved with a promise: ' + v));
Promise.resolve('direct').then((v) => log('resolved directly: ' + v));
new Promise((resolve) => resolve({ then(r) { log('thenable.then called'); r('thenable value'); } })).then((v) => log('resolved with a thenable: ' + v));
log('sync');
`,
    expect: lines('sync', 'tick 1', 'resolved directly: direct', 'thenable.then called', 'tick 2', 'resolved with a thenable: thenable value', 'tick 3', 'resolved with a promise: inner', 'tick 4', 'tick 5'),
    tasks: [
      { line: 'thenable.then called', kind: TaskKind.ThenableJob, phase: Phase.Main },
      { line: 'resolved with a promise: inner', kind: TaskKind.PromiseReaction, phase: Phase.Main },
    ],
  },
  {
    name: 'then / catch / finally chains interleave tick by tick',
    entry: 'main.js',
    code: TICKS + js`Promise.reject(new Error('nope'))
  .then(() => log('never'))
  .catch((e) => log('caught ' + e.message))
  .finally(() => log('finally'))
  .then((v) => log('after finally: ' + v));
`,
    expect: lines('tick 1', 'tick 2', 'caught nope', 'tick 3', 'finally', 'tick 4', 'tick 5', 'after finally: undefined'),
    tasks: [{ line: 'finally', kind: TaskKind.PromiseReaction, phase: Phase.Main }],
  },
  {
    name: 'two async loops interleave one await at a time',
    entry: 'main.js',
    code: js`async function loop(name, n) {
  for (let i = 0; i < n; i++) {
    console.log(name + ' ' + i);
    await null;
  }
  console.log(name + ' done');
}
loop('A', 3);
loop('B', 2);
console.log('both started');
`,
    expect: lines('A 0', 'B 0', 'both started', 'A 1', 'B 1', 'A 2', 'B done', 'A done'),
    tasks: [
      { line: 'A 0', kind: TaskKind.Script, phase: Phase.Main },
      { line: 'A 1', kind: TaskKind.AwaitContinuation, phase: Phase.Main },
      { line: 'B done', kind: TaskKind.AwaitContinuation, phase: Phase.Main },
    ],
  },
  {
    name: 'top-level await of a timer resumes in the timers phase',
    entry: 'main.mjs',
    code: js`console.log('before');
process.nextTick(() => console.log('tick during the wait'));
await new Promise((resolve) => setTimeout(resolve, 5));
console.log('after await of a timer');
`,
    expect: lines('before', 'tick during the wait', 'after await of a timer'),
    tasks: [
      { line: 'before', kind: TaskKind.Script, phase: Phase.Main },
      { line: 'after await of a timer', kind: TaskKind.AwaitContinuation, phase: Phase.Timers },
    ],
  },
  {
    name: 'async try / catch / finally across awaits',
    entry: 'main.js',
    code: js`async function risky() {
  await null;
  throw new Error('async boom');
}
async function main() {
  try {
    await risky();
    console.log('never');
  } catch (e) {
    console.log('caught ' + e.message);
  } finally {
    console.log('finally');
  }
  return 'main done';
}
main().then((v) => console.log(v));
console.log('sync');
`,
    expect: lines('sync', 'caught async boom', 'finally', 'main done'),
    tasks: [{ line: 'caught async boom', kind: TaskKind.AwaitContinuation, phase: Phase.Main }],
  },
  {
    name: 'Promise.all: fulfils in input order, rejects on the first rejection, [] fulfils at once',
    entry: 'main.js',
    code: js`const later = (value, ms) => new Promise((resolve) => setTimeout(() => resolve(value), ms));
Promise.all([later('a', 20), later('b', 5), 'c']).then((values) => console.log('all: ' + values.join(',')));
Promise.all([later('x', 5), Promise.reject(new Error('boom')), later('y', 10)]).then(
  () => console.log('never'),
  (e) => console.log('all rejected: ' + e.message),
);
Promise.all([]).then((v) => console.log('all of empty: ' + JSON.stringify(v)));
console.log('sync');
`,
    expect: lines('sync', 'all of empty: []', 'all rejected: boom', 'all: a,b,c'),
    tasks: [
      { line: 'all rejected: boom', kind: TaskKind.PromiseReaction, phase: Phase.Main },
      { line: 'all: a,b,c', kind: TaskKind.PromiseReaction, phase: Phase.Timers },
    ],
  },
  {
    name: 'Promise.allSettled reports every outcome',
    entry: 'main.js',
    code: js`Promise.allSettled([
  Promise.resolve(1),
  Promise.reject(new Error('bad')),
  new Promise((resolve) => setTimeout(resolve, 5, 3)),
]).then((results) => {
  for (const r of results) console.log(r.status + ' ' + (r.status === 'fulfilled' ? r.value : r.reason.message));
});
`,
    expect: lines('fulfilled 1', 'rejected bad', 'fulfilled 3'),
    tasks: [{ line: 'rejected bad', kind: TaskKind.PromiseReaction, phase: Phase.Timers }],
  },
  {
    name: 'Promise.race settles with the first to settle, fulfilled or rejected',
    entry: 'main.js',
    code: js`const later = (value, ms) => new Promise((resolve) => setTimeout(() => resolve(value), ms));
Promise.race([later('slow', 30), later('fast', 5)]).then((v) => console.log('race: ' + v));
Promise.race([
  later('slow', 30),
  new Promise((_, reject) => setTimeout(() => reject(new Error('fast failure')), 5)),
]).catch((e) => console.log('race rejected: ' + e.message));
Promise.race([1, later('timer', 1)]).then((v) => console.log('race with a plain value: ' + v));
`,
    expect: lines('race with a plain value: 1', 'race: fast', 'race rejected: fast failure'),
    tasks: [
      { line: 'race with a plain value: 1', kind: TaskKind.PromiseReaction, phase: Phase.Main },
      { line: 'race: fast', kind: TaskKind.PromiseReaction, phase: Phase.Timers },
    ],
  },
  {
    name: 'Promise.any: first fulfilment wins; all rejected gives an AggregateError',
    entry: 'main.js',
    code: js`const later = (value, ms) => new Promise((resolve) => setTimeout(() => resolve(value), ms));
Promise.any([Promise.reject(new Error('e0')), later('ok', 5)]).then((v) => console.log('any: ' + v));
Promise.any([Promise.reject(new Error('e1')), Promise.reject(new Error('e2'))]).catch((e) => {
  console.log(e.constructor.name + ': ' + e.message);
  console.log('instanceof AggregateError: ' + (e instanceof AggregateError));
  console.log('errors: ' + e.errors.map((x) => x.message).join(','));
});
Promise.any([]).catch((e) => console.log('any of empty: ' + e.errors.length + ' errors'));
`,
    expect: lines('any of empty: 0 errors', 'AggregateError: All promises were rejected', 'instanceof AggregateError: true', 'errors: e1,e2', 'any: ok'),
    tasks: [
      { line: 'AggregateError: All promises were rejected', kind: TaskKind.PromiseReaction, phase: Phase.Main },
      { line: 'any: ok', kind: TaskKind.PromiseReaction, phase: Phase.Timers },
    ],
  },
  {
    name: 'async generator consumed with for await; break runs the generator finally',
    entry: 'main.mjs',
    code: js`async function* count(n) {
  for (let i = 1; i <= n; i++) {
    await new Promise((resolve) => setTimeout(resolve, 2));
    yield i;
  }
}
async function* letters() {
  try {
    yield 'a';
    yield 'b';
  } finally {
    console.log('letters cleanup');
  }
}
Promise.resolve().then(() => console.log('microtask meanwhile'));
console.log('sync');
for await (const v of count(3)) console.log('got ' + v);
for await (const l of letters()) {
  console.log('letter ' + l);
  break;
}
console.log('loops done');
`,
    expect: lines('sync', 'microtask meanwhile', 'got 1', 'got 2', 'got 3', 'letter a', 'letters cleanup', 'loops done'),
    tasks: [
      { line: 'got 1', kind: TaskKind.AwaitContinuation, phase: Phase.Timers },
      // \`break\` calls the generator's return(): V8 resumes it (and runs its finally) from the job of the await
      // hidden inside return(), a promise reaction the lesson did not write — not a continuation of its own await.
      { line: 'letters cleanup', kind: TaskKind.PromiseReaction, phase: Phase.Timers },
    ],
  },
  {
    name: 'TypeScript with top-level await is an ES module (promise before nextTick)',
    entry: 'main.ts',
    code: js`interface Job { id: number; name: string }
type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };
async function run<T>(job: Job, fn: (j: Job) => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await fn(job) };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}
process.nextTick(() => console.log('nextTick'));
Promise.resolve().then(() => console.log('promise'));
const jobs: Job[] = [{ id: 1, name: 'alpha' }, { id: 2, name: 'beta' }];
for (const job of jobs) {
  const r = await run<string>(job, async (j) => {
    if (j.id === 2) throw new Error('bad ' + j.name);
    return j.name.toUpperCase();
  });
  console.log(r.ok ? 'ok ' + r.value : 'error ' + r.error);
}
const config = { retries: 3 } as const satisfies { retries: number };
console.log('retries ' + config.retries!);
`,
    expect: lines('promise', 'ok ALPHA', 'error bad beta', 'retries 3', 'nextTick'),
    tasks: [
      { line: 'promise', kind: TaskKind.PromiseReaction, phase: Phase.Main },
      { line: 'ok ALPHA', kind: TaskKind.AwaitContinuation, phase: Phase.Main },
      { line: 'nextTick', kind: TaskKind.NextTick, phase: Phase.Main },
    ],
  },
];
