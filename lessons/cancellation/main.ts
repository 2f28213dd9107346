import { setTimeout as sleep } from 'node:timers/promises';

// 1. timers/promises takes a { signal }: aborting it cancels the timer and rejects the await.
const user = new AbortController();
setTimeout(() => user.abort(new Error('the user pressed cancel')), 30);
const started = performance.now();
try {
  // @checkpoint abortable-sleep
  await sleep(1000, 'done', { signal: user.signal });
} catch {
  console.log(`1: the 1 s sleep stopped early: ${performance.now() - started < 500}; why: ${user.signal.reason.message}`);
}

// 2. A cancellable API of your own: check the signal before starting, pass it down, clean up listeners.
function wait(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer); // cancel the work itself, not just the promise
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort); // a finished wait must not keep its listener
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const parts: string[] = [];
async function buildReport(signal?: AbortSignal): Promise<string> {
  signal?.throwIfAborted(); // already cancelled: do not even start
  for (let part = 1; part <= 3; part++) {
    await wait(100, signal);
    parts.push(`part ${part}`); // the timeline shows each part's timer
  }
  return parts.join(' + ');
}

// A deadline and a cancel button at once: AbortSignal.any aborts when the first of them does.
const cancelButton = new AbortController();
const deadline = AbortSignal.timeout(250); // 3 parts need 300 ms
try {
  console.log(await buildReport(AbortSignal.any([cancelButton.signal, deadline])));
} catch {
  // @checkpoint deadline
  console.log(`2: report stopped before part 3: ${!parts.includes('part 3')}; why: ${deadline.reason.name}`);
}

// 3. An already-aborted signal: the API refuses to start.
try {
  await buildReport(AbortSignal.abort());
} catch (error) {
  console.log(`3: not started; why: ${(error as Error).name}`);
}
