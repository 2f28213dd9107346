import { setTimeout as sleep } from 'node:timers/promises';

const DONE = Symbol('done'); // the poison pill: "no more items"
type Item = string | typeof DONE;

// A small bounded channel between two stages (see the producer–consumer lesson).
class Channel {
  readonly #items: Item[] = [];
  readonly #capacity: number;
  readonly #takers: ((item: Item) => void)[] = [];
  readonly #putters: (() => void)[] = [];
  constructor(capacity: number) {
    this.#capacity = capacity;
  }
  async put(item: Item): Promise<void> {
    while (this.#items.length >= this.#capacity) await new Promise<void>((r) => this.#putters.push(r));
    const taker = this.#takers.shift();
    if (taker) taker(item);
    else this.#items.push(item);
  }
  take(): Promise<Item> {
    if (this.#items.length === 0) return new Promise((r) => this.#takers.push(r));
    this.#putters.shift()?.();
    return Promise.resolve(this.#items.shift()!);
  }
}

const toResize = new Channel(2);
const toUpload = new Channel(2);

// Stage 1: one producer.
async function download(names: string[]): Promise<void> {
  for (const name of names) await toResize.put(name);
  await toResize.put(DONE);
}

// Stage 2: two resizers share the work.
async function resizer(id: number): Promise<void> {
  for (;;) {
    const item = await toResize.take();
    if (item === DONE) {
      // @checkpoint pill
      await toResize.put(DONE); // pass the pill on, so the other resizer stops too
      console.log(`resizer ${id}: got the pill, stopping`);
      return;
    }
    console.log(`resizer ${id}: resizing ${item}`);
    await sleep(30);
    await toUpload.put(`${item}-small`);
  }
}

// Stage 3: one uploader.
async function uploader(): Promise<string[]> {
  const uploaded: string[] = [];
  for (;;) {
    const item = await toUpload.take();
    if (item === DONE) return uploaded;
    await sleep(5);
    uploaded.push(item);
  }
}

const uploading = uploader();
await Promise.all([download(['a', 'b', 'c', 'd', 'e']), resizer(1), resizer(2)]);
console.log('stage 2 drained: sending the pill to the uploader');
await toUpload.put(DONE);
const uploaded = await uploading;
console.log(`uploaded ${uploaded.length}: ${uploaded.join(', ')}`);
