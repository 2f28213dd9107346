import os from 'node:os';
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

// A worker wrapped in a promise: its one message fulfils it; an error or a bad exit rejects it.
function runWorker<T>(data: unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: data });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`worker stopped with exit code ${code}`));
    });
  });
}

if (!isMainThread) {
  const { from, to } = workerData as { from: number; to: number };
  parentPort!.postMessage(countPrimes(from, to));
} else {
  const LIMIT = 60_000;
  const threads = os.availableParallelism(); // one chunk per core
  const size = Math.ceil(LIMIT / threads);
  const chunks = Array.from({ length: threads }, (_, i) => ({ from: i * size, to: Math.min(LIMIT, (i + 1) * size) }));

  const counts = await Promise.all(chunks.map((chunk) => runWorker<number>(chunk)));
  const total = counts.reduce((sum, n) => sum + n, 0);

  console.log(`one chunk per core: ${chunks.length === threads}`);
  console.log(`primes below ${LIMIT}: ${total}`);
  console.log(`same as counting on one thread: ${total === countPrimes(0, LIMIT)}`);
  console.log(`results in chunk order: ${counts.every((n, i) => n === countPrimes(chunks[i]!.from, chunks[i]!.to))}`);
}
