/**
 * A Runtime (src/runtime/api.ts) whose runs the test drives by hand: for the app service, browser mode and export
 * tests, which need runs without starting sandboxed processes.
 */
import type { RunEnd, RunRequest, RunSink } from '../shared/run/contract.ts';
import type { Runtime, RunHandle } from './api.ts';
import { EndReason } from '../shared/trace/schema.ts';

/** A runtime whose runs the test drives by hand. */
export class FakeRuntime implements Runtime {
  readonly runs: { request: RunRequest; sink: RunSink; stopped: boolean; end(end?: Partial<RunEnd>): void }[] = [];
  readonly crashListeners = new Set<(why: string) => void>();
  disposed = false;

  run(request: RunRequest, sink: RunSink): RunHandle {
    const ended = FakeRuntime.ended;
    const previous = this.runs.at(-1);
    if (previous && !ended.has(previous)) previous.end({ reason: EndReason.Stopped, message: 'Stopped: a new run started.' });
    let resolve!: (e: RunEnd) => void;
    const done = new Promise<RunEnd>((r) => (resolve = r));
    const entry = {
      request,
      sink,
      stopped: false,
      end: (end: Partial<RunEnd> = {}) => {
        if (ended.has(entry)) return;
        ended.add(entry);
        const e: RunEnd = { reason: EndReason.Completed, message: 'done', exitCode: 0, events: 0, durationMs: 1, ...end };
        sink.onEnd(e);
        resolve(e);
      },
    };
    this.runs.push(entry);
    return {
      runId: `host-${this.runs.length}`,
      done,
      stop: () => {
        entry.stopped = true;
        entry.end({ reason: EndReason.Stopped, message: 'Stopped by the user.' });
      },
    };
  }
  static readonly ended = new WeakSet<object>();
  onCrash(listener: (why: string) => void): () => void {
    this.crashListeners.add(listener);
    return () => this.crashListeners.delete(listener);
  }
  crash(why: string): void {
    for (const l of this.crashListeners) l(why);
  }
  async dispose(): Promise<void> {
    this.disposed = true;
  }
}
