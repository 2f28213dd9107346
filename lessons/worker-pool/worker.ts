import { parentPort, threadId } from 'node:worker_threads';

// A pool worker: lives as long as the pool, handles one task per message.
parentPort!.on('message', (task: { id: number; n: number }) => {
  // @checkpoint worker-task
  if (task.n < 0) throw new Error(`n must not be negative, got ${task.n}`); // uncaught: this worker dies
  let sum = 0;
  for (let i = 1; i <= task.n; i++) sum += i * i; // a little CPU work
  parentPort!.postMessage({ id: task.id, result: sum, worker: threadId });
});
