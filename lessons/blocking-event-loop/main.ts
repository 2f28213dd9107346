import { once } from 'node:events';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';

// CPU-bound work: keeps the thread busy for `ms` (think: parsing a huge JSON, resizing an image).
function busyWork(ms: number): void {
  const end = performance.now() + ms;
  // @checkpoint block-main
  while (performance.now() < end) {
    // spinning: pure computation, nothing else can run on this thread meanwhile
  }
}

if (!isMainThread) {
  parentPort!.once('message', (ms: number) => {
    busyWork(ms);
    parentPort!.postMessage('done');
  });
} else {
  // A heartbeat: should tick every 10 ms — if the event loop gets a chance.
  let ticks = 0;
  const heartbeat = setInterval(() => ticks++, 10);

  // 1. The work on the main thread: the event loop is stuck until it returns.
  const timerSetAt = performance.now();
  const late = new Promise<number>((resolve) => setTimeout(() => resolve(performance.now() - timerSetAt), 10));
  busyWork(300);
  console.log(`main thread busy: heartbeat ticks during 300 ms of work: ${ticks}`);
  console.log(`a 10 ms timer fired only after the work (waited at least 300 ms): ${(await late) >= 300}`);

  // 2. The same work in a worker: the main thread's loop stays free.
  ticks = 0;
  const worker = new Worker(new URL(import.meta.url));
  worker.postMessage(300);
  await once(worker, 'message');
  console.log(`worker busy: heartbeat kept ticking (at least 10 of ~30 ticks): ${ticks >= 10}`);
  clearInterval(heartbeat);
  await worker.terminate();
}
