// node:cluster forks one PROCESS per CPU. The Loopscope sandbox has no child processes, so here each
// "process" is simulated by a worker thread: the same roles and restart logic, different events and isolation.
// Each worker gets its own heap limit (resourceLimits), the thread's version of a process's memory cap.
import { once } from 'node:events';
import os from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

type ToWorker = { type: 'request'; id: number } | { type: 'leak' } | { type: 'shutdown' };

if (!isMainThread) {
  const { name, crashAfterMs } = workerData as { name: string; crashAfterMs: number };
  parentPort!.on('message', (msg: ToWorker) => {
    if (msg.type === 'request') parentPort!.postMessage({ id: msg.id, by: name });
    else if (msg.type === 'leak') {
      const hoard: number[][] = []; // a bug that keeps everything: the heap grows until the limit
      for (;;) hoard.push(new Array(100_000).fill(hoard.length));
    } else parentPort!.close(); // finish up and exit with code 0
  });
  if (crashAfterMs > 0) setTimeout(() => { throw new Error(`${name} crashed`); }, crashAfterMs);
} else {
  const live = new Map<string, Worker>();
  const waiting = new Map<number, (reply: { id: number; by: string }) => void>(); // request id -> resolver
  let forked = 0;
  let shuttingDown = false;
  let onRestart: () => void = () => {};

  function fork(crashAfterMs = 0): void {
    const name = `worker ${++forked}`;
    const worker = new Worker(new URL(import.meta.url), { workerData: { name, crashAfterMs }, resourceLimits: { maxOldGenerationSizeMb: 32 } });
    live.set(name, worker);
    worker.on('message', (reply: { id: number; by: string }) => waiting.get(reply.id)?.(reply));
    worker.on('error', (error: Error & { code?: string }) => {
      // a thrown exception arrives as itself; running out of heap as ERR_WORKER_OUT_OF_MEMORY
      console.log(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `primary: ${name} ran out of heap (${error.code})` : `primary: ${error.message}`);
    });
    worker.on('exit', (code) => {
      live.delete(name);
      if (code !== 0 && !shuttingDown) {
        // @checkpoint restart
        console.log(`primary: ${name} died with exit code ${code}; forking a replacement`);
        fork();
        onRestart();
      }
    });
  }

  const cpus = Math.min(os.availableParallelism(), 4); // one per CPU (at most 4 here)
  for (let i = 0; i < cpus; i++) fork(i === 0 ? 30 : 0); // the first one will crash after 30 ms
  console.log('primary: forked one worker per CPU');
  await new Promise<void>((resolve) => (onRestart = resolve));
  console.log(`primary: back to ${live.size === cpus ? 'one worker per CPU' : 'the wrong number of workers'}`);

  // Round-robin requests over the live workers; replies are matched to requests by id.
  let nextId = 0;
  const serve = (count: number) => {
    const workers = [...live.values()];
    return Promise.all(Array.from({ length: count }, (_, i) => new Promise<{ id: number; by: string }>((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      workers[i % workers.length]!.postMessage({ type: 'request', id } satisfies ToWorker);
    })));
  };
  const answers = await serve(8);
  console.log(`primary: ${answers.length} requests answered, none by the dead worker: ${answers.every((a, i) => a.id === i && a.by !== 'worker 1')}`);

  // Worker 2 hits a leak: past its 32 MB heap limit only that thread is terminated; the primary restarts it.
  const restarted = new Promise<void>((resolve) => (onRestart = resolve));
  live.get('worker 2')!.postMessage({ type: 'leak' } satisfies ToWorker);
  await restarted;
  const more = await serve(4);
  console.log(`primary: ${more.length} more requests answered by the others: ${more.every((a, i) => a.id === 8 + i && a.by !== 'worker 2')}`);

  // Graceful shutdown: ask every worker to finish, wait for them all to exit.
  shuttingDown = true;
  const exits = [...live.values()].map((worker) => once(worker, 'exit'));
  for (const worker of live.values()) worker.postMessage({ type: 'shutdown' } satisfies ToWorker);
  const codes = (await Promise.all(exits)).map(([code]) => code as number);
  console.log(`primary: shut down; every worker exited with code 0: ${codes.every((code) => code === 0)}`);
}
