import { once } from 'node:events';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

if (isMainThread) {
  // 1. A worker runs this same file on its own thread, with its own stack and event loop.
  // @checkpoint spawn
  const worker = new Worker(new URL(import.meta.url), { workerData: { job: 'square' } });
  worker.on('message', (reply) => console.log(`main: message from worker: ${JSON.stringify(reply)}`));
  worker.on('exit', (code) => console.log(`main: worker exited with code ${code}`));

  worker.postMessage(7);
  worker.postMessage(12);
  worker.postMessage('stop');
  console.log('main: three messages posted; the main thread is free meanwhile');
  await once(worker, 'exit');

  // 2. A worker that throws: the error crosses over as an 'error' event, then it exits with code 1.
  //    Without this 'error' listener, the error would crash the main thread too.
  const broken = new Worker(new URL(import.meta.url), { workerData: { job: 'explode' } });
  broken.on('error', (error) => console.log(`main: worker error event: ${error.message}`));
  broken.on('exit', (code) => console.log(`main: broken worker exited with code ${code}`));
} else if (workerData.job === 'square') {
  parentPort!.on('message', (value: number | 'stop') => {
    // @checkpoint worker-receives
    if (value === 'stop') {
      parentPort!.close(); // nothing left to wait for: the worker's loop ends and it exits
      return;
    }
    parentPort!.postMessage({ input: value, square: value * value });
  });
} else {
  throw new Error('this worker was asked to explode');
}
