/**
 * Loads the runtime under test (src/runtime/headless.ts and host-client.ts) and shares one runtime host per
 * test file.
 *
 * The modules are imported dynamically so a suite still collects (and its plain-node checks still run) while
 * the runtime is being written; every traced test then fails with a message saying which file is missing.
 * The signatures below are the ones the runtime promises (see src/runtime/api.ts).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { HeadlessResult, Runtime } from '../../src/runtime/api.ts';
import type { LessonFile, RunLimits, RunRequest } from '../../src/shared/run/contract.ts';

export type RunHeadless = (request: RunRequest, options?: { runtime?: Runtime }) => Promise<HeadlessResult>;
export type StartRuntimeHost = (options?: object) => Runtime;
/** `runsDir`: the per-host directory of lesson files (readable and writable by the host). */
export type HostSpawnArgs = (appRoot: string, runsDir: string) => { execArgv: string[]; env: NodeJS.ProcessEnv };

/** The app root the host is allowed to read (`--allow-fs-read=<appRoot>`): the repository checkout. */
export const APP_ROOT = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');

const HEADLESS = new URL('../../src/runtime/headless.ts', import.meta.url);
const HOST_CLIENT = new URL('../../src/runtime/host-client.ts', import.meta.url);

async function importRuntimeFile(url: URL): Promise<Record<string, unknown>> {
  if (!existsSync(url)) throw new Error(`the runtime has not landed yet: ${fileURLToPath(url)} does not exist`);
  return (await import(url.href)) as Record<string, unknown>;
}

function exported<T>(mod: Record<string, unknown>, name: string, file: URL): T {
  const value = mod[name];
  if (typeof value !== 'function') throw new Error(`${fileURLToPath(file)} does not export a function ${name}`);
  return value as T;
}

export async function loadRunHeadless(): Promise<RunHeadless> {
  return exported<RunHeadless>(await importRuntimeFile(HEADLESS), 'runHeadless', HEADLESS);
}
export async function loadStartRuntimeHost(): Promise<StartRuntimeHost> {
  return exported<StartRuntimeHost>(await importRuntimeFile(HOST_CLIENT), 'startRuntimeHost', HOST_CLIENT);
}
export async function loadHostSpawnArgs(): Promise<HostSpawnArgs> {
  return exported<HostSpawnArgs>(await importRuntimeFile(HOST_CLIENT), 'hostSpawnArgs', HOST_CLIENT);
}

export interface TracedRunner {
  /** Runs files through runHeadless on this file's shared runtime host. */
  run(files: readonly LessonFile[], entry: string, options?: { traced?: boolean; mode?: 'function' | 'statement'; limits?: Partial<RunLimits> }): Promise<HeadlessResult>;
  /** Why the host process died, each time it did during this suite (the host must survive every run). */
  readonly crashes: readonly string[];
  dispose(): Promise<void>;
}

/** One runtime host for a whole test file (runs are serialized per runtime, so tests in a file run in order). */
export function tracedRunner(): TracedRunner {
  let runtime: Runtime | undefined;
  let runHeadless: RunHeadless | undefined;
  const crashes: string[] = [];
  return {
    crashes,
    async run(files, entry, options = {}) {
      if (!runHeadless) runHeadless = await loadRunHeadless();
      if (!runtime) {
        runtime = (await loadStartRuntimeHost())({});
        runtime.onCrash((why) => crashes.push(why));
      }
      const request: RunRequest = {
        files,
        entry,
        mode: options.mode ?? 'function',
        traced: options.traced ?? true,
        ...(options.limits ? { limits: options.limits } : {}),
      };
      return runHeadless(request, { runtime });
    },
    async dispose() {
      await runtime?.dispose();
      runtime = undefined;
    },
  };
}
