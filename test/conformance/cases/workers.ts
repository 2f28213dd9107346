/** Worker threads: message order, worker errors, Atomics wait/notify across workers, parallel workers. */
import { expect } from 'vitest';
import { AtomicsOp, EventKind, Phase, TaskKind } from '../../../src/shared/trace/schema.ts';
import { lines } from '../case.ts';
import type { OracleCase } from '../case.ts';
import type { DecodedEvent } from '../../support/trace-events.ts';

const js = String.raw;

function agentsStarted(events: readonly DecodedEvent[]): Set<number> {
  return new Set(events.filter((e) => e.kind === EventKind.AgentStart).map((e) => e.args[0] as number));
}

export const workerCases: readonly OracleCase[] = [
  {
    name: 'worker ping-pong in the same file: messages arrive in order',
    entry: 'main.mjs',
    code: js`import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
if (isMainThread) {
  const worker = new Worker(new URL(import.meta.url), { workerData: { greeting: 'hi' } });
  worker.on('message', (msg) => {
    console.log('main got ' + msg);
    if (msg.startsWith('pong 3')) worker.postMessage('stop');
    else worker.postMessage('ping');
  });
  worker.on('exit', (code) => console.log('worker exited with ' + code));
  worker.postMessage('ping');
  console.log('main posted the first ping');
} else {
  let n = 0;
  parentPort.on('message', (msg) => {
    if (msg === 'stop') {
      parentPort.close();
      return;
    }
    n++;
    parentPort.postMessage('pong ' + n + ' (' + workerData.greeting + ')');
  });
}
`,
    expect: lines('main posted the first ping', 'main got pong 1 (hi)', 'main got pong 2 (hi)', 'main got pong 3 (hi)', 'worker exited with 0'),
    tasks: [
      { line: 'main got pong 2 (hi)', kind: TaskKind.Message, phase: Phase.Poll },
      { line: 'worker exited with 0', kind: TaskKind.Message, phase: Phase.Poll },
    ],
    check(events) {
      const posts = events.filter((e) => e.kind === EventKind.MessagePost);
      const receives = events.filter((e) => e.kind === EventKind.MessageReceive);
      // 4 messages each way (3 pings + stop, 3 pongs) at least; every receive names a post (post→receive arrows).
      expect(posts.length, 'MessagePost events').toBeGreaterThanOrEqual(7);
      const posted = new Set(posts.map((e) => e.args[0]));
      const linked = receives.filter((e) => posted.has(e.args[0]));
      expect(linked.length, 'MessageReceive events linked to a MessagePost').toBeGreaterThanOrEqual(7);
      expect(agentsStarted(events).size, 'agents (main + 1 worker)').toBe(2);
    },
  },
  {
    name: "a worker's uncaught error reaches the parent as an 'error' event, then 'exit' with code 1",
    entry: 'main.mjs',
    code: js`import { Worker, isMainThread } from 'node:worker_threads';
if (isMainThread) {
  const worker = new Worker(new URL(import.meta.url));
  worker.on('error', (e) => console.log('worker error: ' + e.message));
  worker.on('exit', (code) => console.log('worker exit code ' + code));
} else {
  throw new Error('worker failed');
}
`,
    expect: lines('worker error: worker failed', 'worker exit code 1'),
    tasks: [{ line: 'worker error: worker failed', kind: TaskKind.Message, phase: Phase.Poll }],
  },
  {
    name: 'Atomics.wait in one worker, Atomics.notify from another',
    entry: 'main.mjs',
    code: js`import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
if (isMainThread) {
  const shared = new Int32Array(new SharedArrayBuffer(8));
  let exits = 0;
  const onExit = () => {
    if (++exits === 2) console.log('both workers done, cell = ' + Atomics.load(shared, 0));
  };
  const waiter = new Worker(new URL(import.meta.url), { workerData: { role: 'waiter', shared } });
  waiter.on('message', (msg) => {
    console.log('main got: ' + msg);
    if (msg === 'waiter: about to wait') {
      const notifier = new Worker(new URL(import.meta.url), { workerData: { role: 'notifier', shared } });
      notifier.on('message', (m) => console.log('main got: ' + m));
      notifier.on('exit', onExit);
    }
  });
  waiter.on('exit', onExit);
} else if (workerData.role === 'waiter') {
  parentPort.postMessage('waiter: about to wait');
  Atomics.wait(workerData.shared, 0, 0); // "ok" when woken, "not-equal" if the store came first
  parentPort.postMessage('waiter: awake, cell = ' + Atomics.load(workerData.shared, 0));
} else {
  Atomics.store(workerData.shared, 0, 7);
  Atomics.notify(workerData.shared, 0);
  parentPort.postMessage('notifier: notified');
}
`,
    allowed: [
      lines('main got: waiter: about to wait', 'main got: waiter: awake, cell = 7', 'main got: notifier: notified', 'both workers done, cell = 7'),
      lines('main got: waiter: about to wait', 'main got: notifier: notified', 'main got: waiter: awake, cell = 7', 'both workers done, cell = 7'),
    ],
    tasks: [{ line: 'main got: waiter: about to wait', kind: TaskKind.Message, phase: Phase.Poll }],
    check(events) {
      const atomics = events.filter((e) => e.kind === EventKind.Atomics);
      const wait = atomics.find((e) => e.args[0] === AtomicsOp.Wait);
      const waitDone = atomics.find((e) => e.args[0] === AtomicsOp.WaitDone);
      const notify = atomics.find((e) => e.args[0] === AtomicsOp.Notify);
      const store = atomics.find((e) => e.args[0] === AtomicsOp.Store);
      expect(wait, 'an Atomics wait event').toBeDefined();
      expect(waitDone, 'an Atomics "wait returned" event').toBeDefined();
      expect(notify, 'an Atomics notify event').toBeDefined();
      expect(store, 'an Atomics store event').toBeDefined();
      expect(wait!.agent, 'wait and notify happen in different workers').not.toBe(notify!.agent);
      expect(wait!.agent, 'the wait happens in a worker').not.toBe(0);
      expect(waitDone!.agent).toBe(wait!.agent);
      // The stage draws one buffer's cells: both workers must name the same buffer and cell.
      expect(notify!.args[1], 'wait and notify refer to the same SharedArrayBuffer id').toBe(wait!.args[1]);
      expect(notify!.args[2], 'same cell index').toBe(0);
      expect(store!.args[3], 'the stored value').toBe(7);
    },
  },
  {
    name: 'parallel workers: results collected with Promise.all in input order',
    entry: 'main.mjs',
    code: js`import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
if (isMainThread) {
  const jobs = [3, 1, 2].map((size, i) => new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { i, size } });
    worker.once('message', resolve);
    worker.once('error', reject);
  }));
  console.log('started ' + jobs.length + ' workers');
  const results = await Promise.all(jobs);
  console.log(results.join(' | '));
} else {
  let sum = 0;
  for (let k = 0; k < 100000 * workerData.size; k++) sum += k % 7;
  parentPort.postMessage('worker ' + workerData.i + ': ' + sum);
}
`,
    expect: lines('started 3 workers', 'worker 0: 899997 | worker 1: 299995 | worker 2: 599994'),
    tasks: [{ line: 'worker 0: 899997 | worker 1: 299995 | worker 2: 599994', kind: TaskKind.AwaitContinuation, phase: Phase.Poll }],
    check(events) {
      expect(events.filter((e) => e.kind === EventKind.WorkerSpawn && e.agent === 0).length, 'WorkerSpawn events in main').toBe(3);
      expect(agentsStarted(events).size, 'agents (main + 3 workers)').toBe(4);
    },
  },
  {
    name: 'a port message is one Message task across both listeners; what they queue runs after it, as its own task',
    entry: 'main.js',
    code: js`const { MessageChannel } = require('node:worker_threads');
const { port1, port2 } = new MessageChannel();
port2.onmessage = (e) => {
  console.log('first ' + e.data);
  process.nextTick(() => console.log('tick ' + e.data));
  queueMicrotask(() => console.log('micro ' + e.data));
};
port2.addEventListener('message', (e) => { console.log('second ' + e.data); if (e.data === 2) port2.close(); });
port1.postMessage(1);
port1.postMessage(2);
`,
    expect: lines('first 1', 'second 1', 'tick 1', 'micro 1', 'first 2', 'second 2', 'tick 2', 'micro 2'),
    tasks: [
      { line: 'first 1', kind: TaskKind.Message, phase: Phase.Poll },
      { line: 'second 1', kind: TaskKind.Message, phase: Phase.Poll },
      { line: 'tick 1', kind: TaskKind.NextTick, phase: Phase.Poll },
      { line: 'micro 1', kind: TaskKind.Microtask, phase: Phase.Poll },
      { line: 'second 2', kind: TaskKind.Message, phase: Phase.Poll },
    ],
    check(events) {
      // One receipt per message, each in its own task, and that task is over before the tick it queued starts.
      const receives = events.filter((e) => e.kind === EventKind.MessageReceive);
      expect(receives.map((e) => e.args[1]), 'tasks of the receipts').toHaveLength(2);
      expect(new Set(receives.map((e) => e.args[1])).size).toBe(2);
      for (const r of receives) {
        const end = events.find((e) => e.kind === EventKind.TaskEnd && e.args[0] === r.args[1]);
        const tick = events.find((e) => e.index > r.index && e.kind === EventKind.Console && typeof e.args[1] === 'string' && e.args[1].startsWith('tick'));
        expect(end && tick && end.index < tick.index, 'the Message task ends before its tick prints').toBe(true);
      }
    },
  },
  {
    name: "a worker's message: its listeners run in one Message task, a timer they set runs later as its own",
    entry: 'main.mjs',
    code: js`import { Worker } from 'node:worker_threads';
const w = new Worker(new URL('./w.mjs', import.meta.url));
w.on('message', (m) => { console.log('one ' + m); setTimeout(() => { console.log('timer'); w.terminate(); }, 5); });
w.once('message', (m) => console.log('two ' + m));
`,
    files: [{ path: 'w.mjs', text: "import { parentPort } from 'node:worker_threads';\nparentPort.postMessage('hi');\nsetTimeout(() => {}, 30_000);\n" }],
    expect: lines('one hi', 'two hi', 'timer'),
    tasks: [
      { line: 'one hi', kind: TaskKind.Message, phase: Phase.Poll },
      { line: 'two hi', kind: TaskKind.Message, phase: Phase.Poll },
      { line: 'timer', kind: TaskKind.Timeout, phase: Phase.Timers },
    ],
  },
];
