import { setTimeout as sleep } from 'node:timers/promises';

async function fetchConfig(failAfterMs: number): Promise<string> {
  await sleep(failAfterMs);
  throw new Error(`config server down (after ${failAfterMs} ms)`);
}

// 1. `return p` vs `return await p` inside try.
async function loadReturn(): Promise<string> {
  try {
    return fetchConfig(10); // returns the promise as it is: this function is done, its catch never runs
  } catch {
    return 'fallback config';
  } finally {
    console.log('return p: finally ran, the fetch still pending');
  }
}
async function loadReturnAwait(): Promise<string> {
  try {
    // @checkpoint return-await
    return await fetchConfig(10); // waits here, so a rejection is thrown inside this try
  } catch {
    return 'fallback config';
  } finally {
    console.log('return await p: finally ran, the fetch settled');
  }
}
await loadReturn().catch((error: Error) => console.log(`return p: the caller got "${error.message}"`));
console.log(`return await p: ${await loadReturnAwait()}`);

// 2. A promise started now and awaited later: fine if the handler comes before the rejection...
const soon = fetchConfig(60);
await sleep(20); // the handler (the await below) is attached at 20 ms, before the rejection at 60 ms
try {
  await soon;
} catch (error) {
  console.log(`handled in time: ${(error as Error).message}`);
}

// ...fatal if the rejection comes first: at 10 ms nobody listens yet, and Node's default mode is `throw`.
// @checkpoint late-handler
const tooSoon = fetchConfig(10);
await sleep(40);
try {
  await tooSoon; // too late: the process has already crashed
} catch (error) {
  console.log(`never printed: ${(error as Error).message}`);
}
