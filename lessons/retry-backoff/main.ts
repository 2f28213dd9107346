import { setTimeout as sleep } from 'node:timers/promises';

interface RetryOptions {
  attempts: number; // total tries, including the first
  baseDelayMs: number; // the longest wait before the 2nd try; doubles each time
}

async function retry<T>(task: () => Promise<T>, { attempts, baseDelayMs }: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await task();
    } catch (error) {
      if (attempt >= attempts) throw new Error(`gave up after ${attempt} attempts: ${(error as Error).message}`);
      const ceilingMs = baseDelayMs * 2 ** (attempt - 1); // 10, 20, 40, ...
      // "Full jitter": a random wait up to the ceiling, so clients that failed together retry apart.
      const delayMs = Math.random() * ceilingMs;
      console.log(`attempt ${attempt} failed (${(error as Error).message}); retrying in 0–${ceilingMs} ms`);
      // @checkpoint backoff
      await sleep(delayMs);
    }
  }
}

// A timeout wrapper, so that a hanging call counts as a failed attempt.
function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

// 1. A flaky service: fails twice, then succeeds.
let calls = 0;
async function flakyFetch(): Promise<string> {
  calls++;
  await sleep(5);
  if (calls < 3) throw new Error('503 from upstream');
  return 'payload';
}
console.log(`result: ${await retry(flakyFetch, { attempts: 5, baseDelayMs: 10 })}`);

// 2. A service that hangs (200 ms): every attempt times out, and the retries run out.
try {
  await retry(() => withTimeout(sleep(200, 'too late'), 30), { attempts: 3, baseDelayMs: 10 });
} catch (error) {
  console.log((error as Error).message);
}
