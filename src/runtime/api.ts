/**
 * The runtime's public surface, used by the CLI, the Electron main process, the browser-mode server, tests and
 * benchmarks. Implemented by host-client.ts (a supervised child process running host.ts) and headless.ts.
 */
import type { RunEnd, RunRequest, RunSink } from '../shared/run/contract.ts';
import type { TraceBatch, TraceHeader } from '../shared/trace/schema.ts';

export interface RunHandle {
  readonly runId: string;
  /** Ends the run with reason Stopped (no-op when it already ended). */
  stop(): void;
  /** Resolves once, after the sink's onEnd. */
  readonly done: Promise<RunEnd>;
}

export interface Runtime {
  /** Starts a run; events stream to `sink`. Runs are serialized per runtime: starting one stops the previous. */
  run(request: RunRequest, sink: RunSink): RunHandle;
  /** The host process died unexpectedly (it is restarted; the current run ends with HostCrashed). */
  onCrash(listener: (why: string) => void): () => void;
  dispose(): Promise<void>;
}

export interface HeadlessResult {
  readonly header: TraceHeader;
  readonly batches: readonly TraceBatch[];
  readonly end: RunEnd;
  /** Console output as plain `node` would print it (lines joined with \n, trailing \n). */
  readonly stdout: string;
  readonly stderr: string;
}
