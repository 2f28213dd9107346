import { setTimeout as sleep } from 'node:timers/promises';

const DONE = Symbol('done'); // the poison pill: "no more items"
type Item = string | typeof DONE;

// A small bounded channel between two stages (see the producer–consumer lesson) that can fail: once a stage
// has failed, every put and take — waiting or new — rejects with its error.
class Channel {
  readonly #items: Item[] = [];
  readonly #capacity: number;
  readonly #takers: { resolve: (item: Item) => void; reject: (error: Error) => void }[] = [];
  readonly #putters: (() => void)[] = [];
  #error: Error | undefined;
  constructor(capacity: number) {
    this.#capacity = capacity;
  }
  async put(item: Item): Promise<void> {
    while (!this.#error && this.#items.length >= this.#capacity) await new Promise<void>((r) => this.#putters.push(r));
    if (this.#error) throw this.#error;
    const taker = this.#takers.shift();
    if (taker) taker.resolve(item);
    else this.#items.push(item);
  }
  take(): Promise<Item> {
    if (this.#error) return Promise.reject(this.#error);
    if (this.#items.length === 0) return new Promise((resolve, reject) => this.#takers.push({ resolve, reject }));
    this.#putters.shift()?.();
    return Promise.resolve(this.#items.shift()!);
  }
  fail(error: Error): void {
    this.#error = error;
    for (const taker of this.#takers.splice(0)) taker.reject(error);
    for (const wake of this.#putters.splice(0)) wake(); // each woken put sees the error and throws
  }
}

async function runPipeline(names: string[], brokenUpload?: string): Promise<string[]> {
  const toResize = new Channel(2);
  const toUpload = new Channel(2);

  // Stage 1: one producer.
  async function download(): Promise<void> {
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
  async function resizeStage(): Promise<void> {
    await Promise.all([resizer(1), resizer(2)]);
    console.log('stage 2 drained: sending the pill to the uploader');
    await toUpload.put(DONE);
  }

  // Stage 3: one uploader.
  async function uploader(): Promise<string[]> {
    const uploaded: string[] = [];
    for (;;) {
      const item = await toUpload.take();
      if (item === DONE) return uploaded;
      await sleep(5);
      if (item === brokenUpload) throw new Error(`upload of ${item} failed`);
      uploaded.push(item);
    }
  }

  // A failing stage fails both channels, so the stages blocked on them stop too (as stream.pipeline does).
  const stage = <T>(work: Promise<T>): Promise<T> =>
    work.catch((error: Error) => {
      toResize.fail(error);
      toUpload.fail(error);
      throw error;
    });
  // Every stage gets its handler now, in one Promise.all: a failure anywhere rejects the pipeline at once,
  // and no stage's rejection is left unhandled while we wait for another.
  // @checkpoint all-stages
  const [, , uploaded] = await Promise.all([stage(download()), stage(resizeStage()), stage(uploader())]);
  return uploaded;
}

const uploaded = await runPipeline(['a', 'b', 'c', 'd', 'e']);
console.log(`uploaded ${uploaded.length}: ${uploaded.join(', ')}`);

// The same pipeline with an upload that fails: the error reaches the caller, and every stage stops.
try {
  await runPipeline(['x', 'y', 'z'], 'x-small');
} catch (error) {
  console.log(`pipeline failed: ${(error as Error).message}`);
}
