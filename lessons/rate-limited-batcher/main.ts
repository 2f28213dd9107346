import { setTimeout as sleep } from 'node:timers/promises';

// At most `limit` sends in any `windowMs` sliding window.
class SlidingWindowLimiter {
  readonly #sentAt: number[] = [];
  readonly #limit: number;
  readonly #windowMs: number;
  constructor(limit: number, windowMs: number) {
    this.#limit = limit;
    this.#windowMs = windowMs;
  }
  /** Resolves when a send is allowed; true if it had to wait. */
  async acquire(): Promise<boolean> {
    let waited = false;
    for (;;) {
      const now = performance.now();
      while (this.#sentAt.length > 0 && now - this.#sentAt[0]! >= this.#windowMs) this.#sentAt.shift();
      if (this.#sentAt.length < this.#limit) {
        this.#sentAt.push(now);
        return waited;
      }
      waited = true;
      // @checkpoint wait-window
      await sleep(this.#sentAt[0]! + this.#windowMs - now); // until the oldest send leaves the window
    }
  }
}

// Collects items into batches: flushed when 3 items are waiting, or 30 ms after the first one.
const MAX_BATCH = 3;
const MAX_WAIT_MS = 30;
const limiter = new SlidingWindowLimiter(2, 100); // 2 batches per 100 ms
let pending: number[] = [];
let timer: ReturnType<typeof setTimeout> | undefined;
let batches = 0;

async function flush(reason: 'size' | 'timeout'): Promise<void> {
  clearTimeout(timer);
  timer = undefined;
  const items = pending;
  pending = [];
  const n = ++batches;
  console.log(`batch ${n} [${items.join(', ')}] ready (${reason})`);
  const waited = await limiter.acquire();
  console.log(`batch ${n} sent${waited ? ' after waiting for the rate-limit window' : ''}`);
}

function add(item: number): void {
  pending.push(item);
  if (pending.length >= MAX_BATCH) void flush('size');
  else if (!timer) timer = setTimeout(() => void flush('timeout'), MAX_WAIT_MS);
}

for (let item = 1; item <= 7; item++) add(item); // a burst of 7 items
await sleep(150);
add(8); // a trickle later on
add(9);
