import { Worker } from 'node:worker_threads';

interface Task { id: number; n: number }
interface Reply { id: number; result: number; worker: number }

class WorkerPool {
  readonly #idle: Worker[] = [];
  readonly #queue: { task: Task; resolve: (reply: Reply) => void }[] = [];
  readonly #all: Worker[] = [];
  peakQueueDepth = 0;

  constructor(size: number) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(new URL('./worker.ts', import.meta.url));
      this.#all.push(worker);
      this.#idle.push(worker);
    }
  }

  run(task: Task): Promise<Reply> {
    return new Promise((resolve) => {
      this.#queue.push({ task, resolve });
      this.peakQueueDepth = Math.max(this.peakQueueDepth, this.#queue.length);
      this.#dispatch();
    });
  }

  // Give queued tasks to idle workers; a worker becomes idle again when it replies.
  #dispatch(): void {
    while (this.#idle.length > 0 && this.#queue.length > 0) {
      const worker = this.#idle.pop()!;
      const { task, resolve } = this.#queue.shift()!;
      worker.once('message', (reply: Reply) => {
        this.#idle.push(worker);
        resolve(reply);
        this.#dispatch();
      });
      // @checkpoint dispatch
      worker.postMessage(task);
    }
  }

  close(): Promise<number[]> {
    return Promise.all(this.#all.map((worker) => worker.terminate()));
  }
}

const TASKS = 1000;
const pool = new WorkerPool(3);
// Submit everything at once: the queue absorbs what the 3 workers cannot take yet.
const replies = await Promise.all(Array.from({ length: TASKS }, (_, id) => pool.run({ id, n: 100 + (id % 50) })));
await pool.close();

const perWorker = new Map<number, number>();
for (const reply of replies) perWorker.set(reply.worker, (perWorker.get(reply.worker) ?? 0) + 1);
console.log(`tasks done: ${replies.length}`);
console.log(`workers used: ${perWorker.size} (created once, reused for every task)`);
console.log(`peak queue depth: ${pool.peakQueueDepth}`);
console.log(`replies in submission order: ${replies.every((reply, i) => reply.id === i)}`);
