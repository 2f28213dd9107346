// node:cluster forks one PROCESS per CPU. The Loopscope sandbox has no child processes, so here each
// "process" is simulated by a worker thread: same roles, same messages, same restart logic.
import { once } from 'node:events';
import os from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

type ToWorker = { type: 'request'; id: number } | { type: 'shutdown' };

if (!isMainThread) {
  const { name, crashAfterMs } = workerData as { name: string; crashAfterMs: number };
  parentPort!.on('message', (msg: ToWorker) => {
    if (msg.type === 'request') parentPort!.postMessage({ id: msg.id, by: name });
    else parentPort!.close(); // finish up and exit with code 0
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
    const worker = new Worker(new URL(import.meta.url), { workerData: { name, crashAfterMs } });
    live.set(name, worker);
    worker.on('message', (reply: { id: number; by: string }) => waiting.get(reply.id)?.(reply));
    worker.on('error', (error) => console.log(`primary: ${error.message}`));
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

  // Round-robin 8 requests over the live workers.
  const workers = [...live.values()];
  const answers = await Promise.all(Array.from({ length: 8 }, (_, id) => new Promise<{ id: number; by: string }>((resolve) => {
    waiting.set(id, resolve);
    workers[id % workers.length]!.postMessage({ type: 'request', id } satisfies ToWorker);
  })));
  console.log(`primary: ${answers.length} requests answered, none by the dead worker: ${answers.every((a, id) => a.id === id && a.by !== 'worker 1')}`);

  // Graceful shutdown: ask every worker to finish, wait for them all to exit.
  shuttingDown = true;
  const exits = [...live.values()].map((worker) => once(worker, 'exit'));
  for (const worker of live.values()) worker.postMessage({ type: 'shutdown' } satisfies ToWorker);
  const codes = (await Promise.all(exits)).map(([code]) => code as number);
  console.log(`primary: shut down; every worker exited with code 0: ${codes.every((code) => code === 0)}`);
}
