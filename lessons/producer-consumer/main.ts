import { setTimeout as sleep } from 'node:timers/promises';

// A bounded async queue: put() waits while it is full, take() waits while it is empty.
class BoundedQueue<T> {
  readonly #items: T[] = [];
  readonly #capacity: number;
  readonly #waitingToPut: (() => void)[] = [];
  readonly #waitingToTake: ((item: T) => void)[] = [];
  peak = 0; // the most items ever buffered

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  async put(item: T): Promise<void> {
    while (this.#items.length >= this.#capacity) {
      console.log(`queue full (${this.#items.length} items): producer waits`);
      // @checkpoint producer-blocked
      await new Promise<void>((resolve) => this.#waitingToPut.push(resolve));
    }
    const taker = this.#waitingToTake.shift();
    if (taker) taker(item); // a consumer is already waiting: hand it over directly
    else this.#items.push(item);
    this.peak = Math.max(this.peak, this.#items.length);
  }

  take(): Promise<T> {
    const item = this.#items.shift();
    if (item === undefined) {
      console.log('queue empty: consumer waits');
      // @checkpoint consumer-blocked
      return new Promise<T>((resolve) => this.#waitingToTake.push(resolve));
    }
    this.#waitingToPut.shift()?.(); // room again: wake one producer
    return Promise.resolve(item);
  }
}

const queue = new BoundedQueue<number>(2);

async function producer(count: number): Promise<void> {
  for (let i = 1; i <= count; i++) {
    console.log(`produce ${i}`);
    await queue.put(i);
  }
}

async function consumer(count: number): Promise<void> {
  for (let i = 1; i <= count; i++) {
    const item = await queue.take();
    console.log(`consume ${item}`);
    await sleep(20); // slow work per item
  }
}

await Promise.all([consumer(5), producer(5)]);
console.log(`all 5 items consumed; the queue never held more than ${queue.peak}`);
