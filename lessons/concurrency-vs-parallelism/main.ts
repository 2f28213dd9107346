import { defineService, request } from '@loopscope/kit';
import { once } from 'node:events';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

function countPrimes(from: number, to: number): number {
  let count = 0;
  for (let n = Math.max(2, from); n < to; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) {
      if (n % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime) count++;
  }
  return count;
}

if (isMainThread) {
  // Concurrency: three I/O calls in flight at once, on ONE thread. Waiting on the network costs it no CPU.
  defineService('users', { latencyMs: 150 });
  defineService('orders', { latencyMs: 50 });
  defineService('stock', { latencyMs: 100 });
  await Promise.all(['users', 'orders', 'stock'].map(async (service) => {
    console.log(`start ${service}`);
    // @checkpoint io-await
    await request(service);
    console.log(`done ${service}`);
  }));

  // Parallelism: three workers computing at the same time, each on its own thread (and core).
  const ranges = [[0, 5_000], [5_000, 10_000], [10_000, 15_000]];
  const workers = ranges.map(([from, to]) => new Worker(new URL(import.meta.url), { workerData: { from, to } }));
  const counts = await Promise.all(workers.map(async (worker) => (await once(worker, 'message'))[0] as number));
  console.log(`primes per range, computed in parallel: ${counts.join(', ')}`);
} else {
  const { from, to } = workerData as { from: number; to: number };
  // @checkpoint cpu-work
  parentPort!.postMessage(countPrimes(from, to));
}
