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

// A worker wrapped in a promise: its one message fulfils it; an error rejects it, and so does ANY exit
// before a reply — code 0 included (a worker that ends without replying must not leave us waiting forever).
function runWorker<T>(data: unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: data });
    worker.once('message', resolve);
    worker.once('error', reject);
    // After a reply this reject is a no-op: a promise settles once.
    worker.once('exit', (code) => reject(new Error(`worker exited with code ${code} before replying`)));
  });
}

if (!isMainThread) {
  const { from, to } = workerData as { from: number; to: number };
  if (from < to) parentPort!.postMessage(countPrimes(from, to)); // an empty chunk: returns without a reply
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

  // A worker that ends without replying: without the 'exit' listener this await would never settle.
  await runWorker({ from: 0, to: 0 }).catch((error: Error) => console.log(`empty chunk: ${error.message}`));
}
