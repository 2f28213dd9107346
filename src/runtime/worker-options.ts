/**
 * The option bag for every `new Worker(...)` the runtime itself makes (the warm main agent in host.ts, each lesson
 * Worker's agent in agent-worker.ts).
 *
 * Why its own file: Node starts a Worker that is given any `execArgv` — even `[]` — WITHOUT the permission model
 * (measured on Node 24.21 and 26.12), and `new Worker` reads its options with ordinary property lookups. A bag
 * with the usual Object.prototype would inherit an `execArgv` (or `env`, `eval`, `argv`, …) that anything managed
 * to plant on the prototype. So every bag, and every object inside it that Node reads options from, has a null
 * prototype, and `execArgv` is never set: the worker inherits the process's own flags, permission model included.
 */
import type { WorkerOptions } from 'node:worker_threads';

export function agentWorkerOptions(heapMb: number, workerData: unknown, transferList: readonly unknown[]): WorkerOptions {
  const resourceLimits = Object.assign(Object.create(null) as Record<string, number>, {
    maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 4,
  });
  const options = Object.assign(Object.create(null) as Record<string, unknown>, {
    workerData,
    transferList: [...transferList],
    resourceLimits,
    env: Object.create(null) as Record<string, string>,
    stdout: true,
    stderr: true,
  });
  return options as WorkerOptions;
}
