import { Worker } from 'node:worker_threads';

interface Task { id: number; n: number }
interface Reply { id: number; result: number; worker: number }
interface Job { task: Task; resolve: (reply: Reply) => void; reject: (error: Error) => void }

class WorkerPool {
  readonly #idle: Worker[] = [];
  readonly #queue: Job[] = [];
  readonly #running = new Map<Worker, Job>(); // what each busy worker is doing
  readonly #dying: Promise<void>[] = []; // workers that threw: their 'exit' (and replacement) is still to come
  #closing = false;
  created = 0;
  peakQueueDepth = 0;

  constructor(size: number) {
    for (let i = 0; i < size; i++) this.#add();
  }

  #add(): void {
    const worker = new Worker(new URL('./worker.ts', import.meta.url));
    this.created++;
    worker.on('message', (reply: Reply) => {
      this.#running.get(worker)!.resolve(reply);
      this.#running.delete(worker);
      this.#idle.push(worker);
      this.#dispatch();
    });
    // Without an 'error' listener, one throwing task would crash the whole process.
    worker.on('error', (error) => {
      this.#running.get(worker)?.reject(error);
      this.#dying.push(new Promise((resolve) => worker.once('exit', () => resolve())));
    });
    // A worker that dies (after 'error', or by exiting) fails its task and is replaced.
    worker.on('exit', (code) => {
      const job = this.#running.get(worker);
      this.#running.delete(worker);
      job?.reject(new Error(`worker exited with code ${code}`)); // no-op if 'error' already rejected it
      if (this.#closing) return;
      // @checkpoint replace
      this.#add();
      this.#dispatch();
    });
    this.#idle.push(worker);
  }

  run(task: Task): Promise<Reply> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ task, resolve, reject });
      this.peakQueueDepth = Math.max(this.peakQueueDepth, this.#queue.length);
      this.#dispatch();
    });
  }

  // Give queued tasks to idle workers; a worker becomes idle again when it replies.
  #dispatch(): void {
    while (this.#idle.length > 0 && this.#queue.length > 0) {
      const worker = this.#idle.pop()!;
      const job = this.#queue.shift()!;
      this.#running.set(worker, job);
      // @checkpoint dispatch
      worker.postMessage(job.task);
    }
  }

  async close(): Promise<number[]> {
    // A crashed worker's 'exit' can arrive after the last task settled: let it be replaced first, as always.
    await Promise.all(this.#dying);
    this.#closing = true;
    return Promise.all(this.#idle.map((worker) => worker.terminate()));
  }
}

const TASKS = 1000;
const pool = new WorkerPool(3);
// Submit everything at once: the queue absorbs what the 3 workers cannot take yet. Task 500 is bad input.
const tasks = Array.from({ length: TASKS }, (_, id) => ({ id, n: id === 500 ? -1 : 100 + (id % 50) }));
const outcomes = await Promise.allSettled(tasks.map((task) => pool.run(task)));
await pool.close();

const replies = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
const failures = outcomes.flatMap((o, id) => (o.status === 'rejected' ? [`task ${id}: ${(o.reason as Error).message}`] : []));
console.log(`tasks done: ${replies.length}`);
console.log(`tasks failed: ${failures.length} (${failures.join('; ')})`);
console.log(`workers created: ${pool.created} (3 at the start, 1 replacing the one that crashed)`);
console.log(`peak queue depth: ${pool.peakQueueDepth}`);
console.log(`replies in submission order: ${replies.every((reply, i) => i === 0 || replies[i - 1]!.id < reply.id)}`);
