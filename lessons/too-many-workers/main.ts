import { once } from 'node:events';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const TASKS = 8;
const square = (n: number) => n * n; // the "work": far cheaper than starting a thread

if (!isMainThread) {
  if (workerData?.oneShot) {
    parentPort!.postMessage(square(workerData.n)); // one task, then the thread ends
  } else {
    parentPort!.on('message', (n: number) => parentPort!.postMessage(square(n)));
  }
} else {
  // 1. One worker per task: 8 threads, each with its own V8 isolate, heap and event loop.
  let spawned = 0;
  const perTask = await Promise.all(
    Array.from({ length: TASKS }, async (_, n) => {
      spawned++;
      // @checkpoint spawn-per-task
      const worker = new Worker(new URL(import.meta.url), { workerData: { oneShot: true, n } });
      const [result] = await once(worker, 'message');
      return result as number;
    }),
  );
  console.log(`one worker per task: ${spawned} workers spawned for ${TASKS} tasks`);

  // 2. A pool of 2: the same 8 tasks, two threads, each reused 4 times.
  spawned = 0;
  const pool = [0, 1].map(() => {
    spawned++;
    return new Worker(new URL(import.meta.url));
  });
  const pooled: number[] = [];
  await Promise.all(
    pool.map(async (worker, w) => {
      for (let n = w; n < TASKS; n += pool.length) {
        worker.postMessage(n);
        const [result] = await once(worker, 'message');
        pooled[n] = result as number;
      }
    }),
  );
  await Promise.all(pool.map((worker) => worker.terminate()));
  console.log(`pool: ${spawned} workers spawned for ${TASKS} tasks`);
  console.log(`same results: ${pooled.every((r, n) => r === perTask[n])}`);
}
