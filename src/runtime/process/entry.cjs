// The file a run process preloads (`--require`, in every thread): the drain thread runs drain.ts, every other
// thread the tracer (preload.ts). The pre-built copy (built/entry.cjs, runtime-bundle.ts) loads the bundles instead.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS preload: it must load before the lesson, synchronously */
const workerThreads = require('node:worker_threads');
if (!workerThreads.isMainThread && workerThreads.getEnvironmentData('loopscope.drain-boot') === true) require('./drain.ts').runDrain(workerThreads.workerData);
else {
  // The main thread starts the drain thread first, so that it boots while the tracer's larger bundle loads.
  if (workerThreads.isMainThread) require('./drain.ts').startDrainThread();
  // The instrumenter (acorn and the walker) loads only for a lesson file the host did not instrument (preload.ts
  // `instrumentHere`): the tracer takes this loader off globalThis before any lesson code runs.
  Object.defineProperty(globalThis, Symbol.for('loopscope.instrumenter'), { value: () => require('../instrument/index.ts'), configurable: true });
  // Starts Node's type stripper while a warm process waits for its lesson (preload.ts `warmUpTypeStripper`, which
  // takes this off globalThis too); the file leaves the module cache at once.
  Object.defineProperty(globalThis, Symbol.for('loopscope.warm-up'), {
    value: () => {
      require('./warm-up.cts');
      for (const key of Object.keys(require.cache)) if (key.endsWith('warm-up.cts')) delete require.cache[key];
    },
    configurable: true,
  });
  require('./preload.ts');
}
