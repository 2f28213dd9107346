import { defineService, request, sendSignal } from '@loopscope/kit';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';

if (!isMainThread) {
  // A background worker (say, a thumbnail generator) that would run forever.
  parentPort!.on('message', () => {});
} else {
  defineService('db', { latencyMs: 300 });
  const worker = new Worker(new URL(import.meta.url));
  const incoming = ['job 1', 'job 2']; // what clients have sent us so far
  const inFlight = new Set<Promise<void>>();

  async function handle(job: string): Promise<void> {
    console.log(`${job}: started`);
    await request('db', '/jobs');
    console.log(`${job}: finished`);
  }

  // Poll for new work every 50 ms.
  const intake = setInterval(() => {
    const job = incoming.shift();
    if (job === undefined) return;
    const running = handle(job).finally(() => inFlight.delete(running));
    inFlight.add(running);
  }, 50);

  process.once('SIGTERM', async () => {
    // 1. Stop taking work.
    // @checkpoint stop-intake
    clearInterval(intake);
    console.log(`SIGTERM: no new jobs; ${inFlight.size} still in flight`);
    // 2. Let in-flight work finish, but not forever.
    const drained = Promise.all(inFlight).then(() => 'all in-flight jobs finished');
    const deadline = sleep(1000).then(() => 'deadline hit: giving up on the rest');
    console.log(await Promise.race([drained, deadline]));
    // 3. Stop the workers, then exit.
    console.log(`worker terminated (exit code ${await worker.terminate()})`);
    process.exit(0);
  });

  // In production the signal comes from `kill`, Kubernetes or Ctrl+C; here the kit sends it.
  sendSignal('SIGTERM', 200);
}
