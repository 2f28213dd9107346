import { once } from 'node:events';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

if (isMainThread) {
  const shared = new Int32Array(new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT));
  const copied = new Int32Array(4); // a plain ArrayBuffer: postMessage sends a COPY
  const worker = new Worker(new URL(import.meta.url), { workerData: { shared, copied } });

  const [message] = await once(worker, 'message');
  console.log(`worker says: ${message}`);
  // @checkpoint read-shared
  console.log(`shared, read by main: [${shared.join(', ')}]`);
  console.log(`copied, read by main: [${copied.join(', ')}]`);

  // The other direction works too: main writes, the worker reads the same memory.
  shared[0] = 99;
  worker.postMessage('read it again');
  console.log(`worker says: ${(await once(worker, 'message'))[0]}`);
  await worker.terminate();
} else {
  const { shared, copied } = workerData as { shared: Int32Array; copied: Int32Array };
  for (let i = 0; i < 4; i++) {
    // @checkpoint write-shared
    shared[i] = (i + 1) * 10;
    copied[i] = (i + 1) * 10;
  }
  parentPort!.postMessage(`I wrote 10, 20, 30, 40 into both arrays (shared: ${shared.buffer instanceof SharedArrayBuffer})`);
  parentPort!.once('message', () => parentPort!.postMessage(`shared[0] is now ${shared[0]}`));
}
