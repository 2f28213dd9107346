import { Semaphore } from 'async-mutex';
import { setTimeout as sleep } from 'node:timers/promises';

const DURATIONS_MS = [300, 60, 60, 60, 180, 60]; // six jobs; job 0 is slow
let inFlight = 0;
let peak = 0;

async function job(i: number): Promise<number> {
  inFlight++;
  peak = Math.max(peak, inFlight);
  await sleep(DURATIONS_MS[i]);
  inFlight--;
  return i * 10;
}

// 1. Batches of 3: start three, wait for ALL of them, then the next three.
//    Memory and connections stay bounded, but one slow job holds up its whole batch.
async function inBatches(size: number): Promise<number[]> {
  const results: number[] = [];
  for (let start = 0; start < DURATIONS_MS.length; start += size) {
    const batch = DURATIONS_MS.slice(start, start + size).map((_, k) => job(start + k));
    results.push(...(await Promise.all(batch)));
    console.log(`batch ${start / size + 1} done: ${results.length} of ${DURATIONS_MS.length} jobs`);
  }
  return results;
}

// 2. A limit of 3: a semaphore with 3 permits. A new job starts as soon as ANY job finishes.
async function withLimit(limit: number): Promise<number[]> {
  const semaphore = new Semaphore(limit);
  return Promise.all(
    DURATIONS_MS.map((_, i) =>
      semaphore.runExclusive(async () => {
        // @checkpoint permit
        const result = await job(i);
        console.log(`limit: job ${i} done`);
        return result;
      }),
    ),
  );
}

console.log(`batches: results ${(await inBatches(3)).join(', ')}; peak in flight ${peak}`);
peak = 0;
console.log(`limit: results ${(await withLimit(3)).join(', ')}; peak in flight ${peak}`);
