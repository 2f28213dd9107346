import { setTimeout as sleep } from 'node:timers/promises';

async function call(name: string, ms: number): Promise<string> {
  await sleep(ms);
  console.log(`${name} finished after ${ms} ms`);
  return name;
}

// Promise.race settles like the FIRST promise to settle — fulfilled or rejected.
// @checkpoint race
const winner = await Promise.race([call('slow', 300), call('fast', 20)]);
console.log(`race winner: ${winner}`);

// A timeout is just a race against a timer that rejects.
function withTimeout<T>(work: Promise<T>, ms: number, label: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label} timed out after ${ms} ms`)), ms);
  });
  // Clear the timer when the work wins, or it would keep the process alive for nothing.
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

try {
  // @checkpoint timeout-race
  await withTimeout(call('report', 150), 40, 'report');
} catch (error) {
  console.log((error as Error).message);
}
console.log(`quick lookup: ${await withTimeout(call('lookup', 10), 40, 'lookup')}`);
// The losers were never stopped: 'slow' and 'report' still finish, and nobody uses their results.
