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
    // A failed job is handled right here: an in-flight promise never sits without a handler until shutdown.
    const running = handle(job)
      .catch((error: Error) => console.log(`${job}: failed: ${error.message}`))
      .finally(() => inFlight.delete(running));
    inFlight.add(running);
  }, 50);

  let shuttingDown = false;
  async function shutdown(signal: string): Promise<void> {
    if (shuttingDown) {
      console.log(`${signal}: already shutting down`); // a second Ctrl+C must not start a second shutdown
      return;
    }
    shuttingDown = true;
    // 1. Stop taking work.
    // @checkpoint stop-intake
    clearInterval(intake);
    console.log(`${signal}: no new jobs; ${inFlight.size} still in flight`);
    // 2. Let in-flight work finish, but not forever.
    const drained = Promise.all(inFlight).then(() => true);
    const stopDeadline = new AbortController();
    const deadline = sleep(1000, false, { signal: stopDeadline.signal }).catch(() => false);
    const drainedInTime = await Promise.race([drained, deadline]);
    stopDeadline.abort(); // a pending deadline timer would keep the process alive for the rest of its second
    if (!drainedInTime) {
      console.log('deadline hit: giving up on the rest');
      process.exit(1); // the jobs still running would keep the process alive: now exit() is the right tool
    }
    console.log('all in-flight jobs finished');
    // 3. Stop the workers. Then let the process end by itself, with the exit code set.
    console.log(`worker terminated (exit code ${await worker.terminate()})`);
    process.exitCode = 0;
  }
  // Ctrl+C sends SIGINT; `kill`, systemd and Kubernetes send SIGTERM. Handle both, the same way.
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);

  // In production the signals come from outside; here the kit sends them: SIGTERM at 200 ms, and an impatient
  // Ctrl+C (SIGINT) 50 ms into the shutdown. (Sent from here so it cannot overtake SIGTERM: two signals pending
  // at once are delivered lowest number first, SIGINT before SIGTERM.)
  sendSignal('SIGTERM', 200);
  process.once('SIGTERM', () => sendSignal('SIGINT', 50));
}
