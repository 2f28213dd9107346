/**
 * Runtime v2 supervised from the calling process, without a runtime host process in between: for one-shot callers
 * (the `loopscope` CLI). Same runs as the host's (process-run.ts: the lesson runs in its own sandboxed Node process,
 * every frame it sends is validated, the limits are enforced here), minus one Node start-up (~0.1 s) and the IPC hop.
 *
 * Why this is safe: under v2 no lesson code ever runs in the host either — it only starts and watches run processes,
 * which is exactly what this does. The app keeps the separate host (host-client.ts): its main process must stay
 * responsive and survive whatever a run does to its supervisor.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_LIMITS, validateRunRequest, type RunEnd, type RunRequest, type RunSink } from '../shared/run/contract.ts';
import { EndReason } from '../shared/trace/schema.ts';
import type { RunHandle, Runtime } from './api.ts';
import { APP_ROOT } from './app-root.ts';
import { runtimeBundleRebuilt } from './launcher.ts';
import { ProcessRun, WarmPool } from './process-run.ts';
import type { HostToClient } from './protocol.ts';

export interface InProcessOptions {
  readonly appRoot?: string;
  /**
   * Start the next warm process when a run ends (default true). A caller that runs once and exits says false: a
   * process started for nobody would only cost CPU.
   */
  readonly refill?: boolean;
  /**
   * Settles when the OS layer is prepared (os-sandbox `prepareOsSandbox`, whose probe runs as a child process): the
   * warm process starts then, and runs wait for it; the rest of the runtime's set-up is done meanwhile.
   */
  readonly sandboxReady?: Promise<void>;
  /** Whether run processes start a drain thread (default true; launcher.ts `drainThread` says when not to). */
  readonly drainThread?: boolean;
  /** Whether a process that waits a while for its lesson is asked to warm up (default true; launcher.ts `warmUp`). */
  readonly warmUp?: boolean;
}

/** Settles when nothing a run started is still working in this process (a rebuild of the run process's bundle). */
export function backgroundWorkDone(): Promise<void> {
  return runtimeBundleRebuilt();
}

export function startInProcessRuntime(options: InProcessOptions = {}): Runtime {
  const runsDir = mkdtempSync(join(tmpdir(), 'loopscope-runs-'));
  const pool = new WarmPool({ appRoot: options.appRoot ?? APP_ROOT, runsDir, execPath: process.execPath, drainThread: options.drainThread ?? true }, DEFAULT_LIMITS, { refill: options.refill ?? true, warmUp: options.warmUp ?? true });
  let disposed = false;
  const ready = options.sandboxReady?.then(() => { if (!disposed) pool.fill(); });
  if (!ready) pool.fill();
  else ready.catch(() => { /* a process that cannot start fails the run that waits for it (below) */ });
  let current: { run: ProcessRun; sink: RunSink; resolve: (end: RunEnd) => void; ended: boolean } | null = null;

  return {
    run(request: RunRequest, sink: RunSink): RunHandle {
      // node:crypto is fetched when a run starts, not with this module: loading it takes ~10 ms, which a CLI run
      // spends before its run process starts (runtime-bundle.ts still loads it there for its hash, for now).
      const runId = process.getBuiltinModule('node:crypto').randomUUID();
      let resolve!: (end: RunEnd) => void;
      const done = new Promise<RunEnd>((r) => { resolve = r; });
      let valid: RunRequest;
      try {
        valid = validateRunRequest(request);
      } catch (err) {
        const end: RunEnd = { reason: EndReason.InternalError, message: (err as Error).message, exitCode: 1, events: 0, durationMs: 0 };
        queueMicrotask(() => { sink.onEnd(end); resolve(end); });
        return { runId, done, stop() {} };
      }
      const previous = current;
      previous?.run.end(EndReason.Stopped, 'Stopped: a new run started.', 1);
      const entry = { run: null as unknown as ProcessRun, sink, resolve, ended: false };
      const send = (m: HostToClient): void => {
        if (entry.ended || !('runId' in m) || m.runId !== runId) return;
        if (m.type === 'header') sink.onHeader(m.header);
        else if (m.type === 'batch') sink.onBatch({ agent: m.agent, ints: m.ints, strings: m.strings });
        else if (m.type === 'end') {
          entry.ended = true;
          if (current === entry) current = null;
          sink.onEnd(m.end);
          resolve(m.end);
        }
      };
      entry.run = new ProcessRun(runId, valid, send, pool);
      current = entry;
      void Promise.all([ready, previous?.run.done]).then(
        () => entry.run.start(),
        (err: unknown) => entry.run.end(EndReason.InternalError, `Could not start the run process: ${(err as Error).message}`, 1),
      );
      return {
        runId,
        done,
        stop() { if (!entry.ended) entry.run.end(EndReason.Stopped, 'Stopped by the user.', 1); },
      };
    },
    onCrash() {
      return () => {}; // no host process that could crash
    },
    async dispose() {
      disposed = true;
      const run = current;
      run?.run.end(EndReason.Stopped, 'Stopped: the app is closing.', 1);
      pool.dispose();
      if (run) await run.run.done;
      rmSync(runsDir, { recursive: true, force: true });
    },
  };
}
