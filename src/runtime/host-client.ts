/**
 * Starts and supervises the runtime host process (host.ts) and exposes it as a `Runtime`.
 *
 * The host runs no lesson code: it starts each run as its own sandboxed Node process (launcher.ts), and the layers
 * are around that process. The host itself must start the OS sandbox's tools (bwrap, prlimit, ldd) and make per-run
 * cgroups, which Node's permission model would deny, so it runs without it, with an environment of only its own
 * settings. If it dies, the current run ends with HostCrashed, crash listeners are told, and a new host is started
 * for the next run.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { getCompileCacheDir } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunEnd, RunRequest, RunSink } from '../shared/run/contract.ts';
import { EndReason } from '../shared/trace/schema.ts';
import type { RunHandle, Runtime } from './api.ts';
import { APP_ROOT } from './app-root.ts';
import { FrameReader } from './frames.ts';
import type { ClientToHost, HostToClient } from './protocol.ts';

const HOST_ENTRY = fileURLToPath(new URL('./host.ts', import.meta.url));

export interface HostOptions {
  /** The app's root: the only tree the host may read (its code and node_modules). */
  readonly appRoot?: string;
  /**
   * Node binary. Leave it unset under Electron (with `runAsNode`): Electron's own `fork` then picks its helper
   * executable on macOS (no second Dock icon) and the app binary elsewhere; plain Node uses its own binary.
   */
  readonly execPath?: string;
  /**
   * Electron: the host, and every run process it starts, is the app's own binary running as Node
   * (`ELECTRON_RUN_AS_NODE=1`; README "Runtime" says why not a shipped Node binary).
   */
  readonly runAsNode?: boolean;
  /** For tests: a stand-in for child_process.fork. */
  readonly fork?: typeof fork;
}

/** The exact flags and environment the host runs under (ELECTRON_RUN_AS_NODE is added under Electron). */
export function hostSpawnArgs(appRoot: string, runsDir: string): { execArgv: string[]; env: NodeJS.ProcessEnv } {
  // The host compiles its TypeScript sources through this process's compile cache when there is one (the CLI
  // enables it, bin/loopscope.mjs): half of a host's start-up otherwise. Lesson code never runs in the host, and
  // run processes keep an empty environment (launcher.ts), so the cache folder never reaches lesson code.
  const cache = typeof getCompileCacheDir === 'function' ? getCompileCacheDir() : undefined;
  return {
    execArgv: ['--disable-warning=ExperimentalWarning', '--max-old-space-size=512'],
    env: { LOOPSCOPE_APP_ROOT: appRoot, LOOPSCOPE_RUNS_DIR: runsDir, ...(cache ? { NODE_COMPILE_CACHE: cache } : {}) },
  };
}

interface ActiveRun {
  readonly runId: string;
  readonly sink: RunSink;
  resolve(end: RunEnd): void;
  ended: boolean;
}

export function startRuntimeHost(options: HostOptions = {}): Runtime {
  const appRoot = options.appRoot ?? APP_ROOT;
  const runsDir = mkdtempSync(join(tmpdir(), 'loopscope-runs-'));
  const crashListeners = new Set<(why: string) => void>();
  let child: ChildProcess | null = null;
  let active: ActiveRun | null = null;
  let disposed = false;
  let restarts: number[] = [];

  function spawnHost(): ChildProcess {
    const { execArgv, env } = hostSpawnArgs(appRoot, runsDir);
    const proc = (options.fork ?? fork)(HOST_ENTRY, [], {
      ...(options.execPath !== undefined ? { execPath: options.execPath } : {}),
      execArgv,
      env: options.runAsNode ? { ...env, ELECTRON_RUN_AS_NODE: '1' } : env,
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc', 'pipe'], // fd 4: the host's frames (frames.ts)
    });
    // The host's own stderr is diagnostics (a crash's stack): keep the tail for the crash message.
    let errTail = '';
    proc.stderr?.on('data', (chunk: Buffer) => { errTail = (errTail + chunk.toString()).slice(-2000); });
    const reader = new FrameReader(onMessage);
    (proc.stdio[4] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => {
      try {
        reader.push(chunk);
      } catch {
        proc.kill('SIGKILL'); // a garbled stream: treat it as a crash (the exit handler restarts the host)
      }
    });
    proc.on('exit', (code, signal) => {
      if (child !== proc) return; // replaced or disposed
      child = null;
      if (disposed) return;
      const last = errTail.trim().split('\n').filter((l) => /Error|error/.test(l)).pop();
      const why = `the runtime host exited unexpectedly (${signal ?? `code ${code}`}${last ? `: ${last.trim()}` : ''})`;
      endActive({ reason: EndReason.HostCrashed, message: `Stopped: ${why}. It has been restarted.`, exitCode: 1, events: 0, durationMs: 0 });
      for (const l of crashListeners) l(why);
      const now = Date.now();
      restarts = restarts.filter((t) => now - t < 60_000);
      restarts.push(now);
      if (restarts.length <= 5) child = spawnHost();
    });
    return proc;
  }

  function onMessage(m: HostToClient): void {
    if (!active || !('runId' in m) || m.runId !== active.runId) return;
    if (m.type === 'header') active.sink.onHeader(m.header);
    else if (m.type === 'batch') active.sink.onBatch({ agent: m.agent, ints: m.ints, strings: m.strings });
    else if (m.type === 'end') endActive(m.end);
  }

  function endActive(end: RunEnd): void {
    const run = active;
    if (!run || run.ended) return;
    run.ended = true;
    active = null;
    run.sink.onEnd(end);
    run.resolve(end);
  }

  function sendToHost(message: ClientToHost): boolean {
    if (!child || !child.connected) child = disposed ? null : spawnHost();
    return child?.send(message) ?? false;
  }

  child = spawnHost();

  return {
    run(request: RunRequest, sink: RunSink): RunHandle {
      if (active) sendToHost({ type: 'stop', runId: active.runId });
      const previous = active;
      if (previous) endActive({ reason: EndReason.Stopped, message: 'Stopped: a new run started.', exitCode: 1, events: 0, durationMs: 0 });
      const runId = process.getBuiltinModule('node:crypto').randomUUID(); // fetched here: `loopscope run` loads this module (headless.ts) and never runs on a host, and node:crypto takes ~10 ms to load
      let resolve!: (end: RunEnd) => void;
      const done = new Promise<RunEnd>((r) => { resolve = r; });
      active = { runId, sink, resolve, ended: false };
      sendToHost({ type: 'run', runId, request });
      return {
        runId,
        done,
        stop() {
          if (active?.runId === runId) sendToHost({ type: 'stop', runId });
        },
      };
    },
    onCrash(listener) {
      crashListeners.add(listener);
      return () => crashListeners.delete(listener);
    },
    async dispose() {
      disposed = true;
      const proc = child;
      child = null;
      endActive({ reason: EndReason.Stopped, message: 'Stopped: the app is closing.', exitCode: 1, events: 0, durationMs: 0 });
      if (proc && proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        if (proc.connected) proc.send({ type: 'shutdown' } satisfies ClientToHost);
        const timer = setTimeout(() => proc.kill('SIGKILL'), 2000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(runsDir, { recursive: true, force: true });
    },
  };
}
