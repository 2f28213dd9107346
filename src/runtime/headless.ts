/**
 * Runs one request to completion and collects everything: used by the CLI, `loopscope check`, tests and
 * benchmarks. Pass a `runtime` to reuse a warm host; otherwise one is started and disposed.
 */
import type { RunEnd, RunRequest } from '../shared/run/contract.ts';
import { EventKind, TruncatedWhat, walkWireEvents, type TraceBatch, type TraceHeader } from '../shared/trace/schema.ts';
import type { HeadlessResult, Runtime } from './api.ts';
import { startRuntimeHost } from './host-client.ts';

export interface HeadlessOptions {
  readonly runtime?: Runtime;
  /** Called with each console write as it arrives (live CLI output). */
  readonly onConsole?: (stream: number, text: string) => void;
}

export async function runHeadless(request: RunRequest, options: HeadlessOptions = {}): Promise<HeadlessResult> {
  const runtime = options.runtime ?? startRuntimeHost();
  let header: TraceHeader | null = null;
  const batches: TraceBatch[] = [];
  const out: string[] = [];
  const err: string[] = [];
  try {
    const handle = runtime.run(request, {
      onHeader(h) { header = h; },
      onBatch(b) {
        batches.push(b);
        forEachConsole(b, (stream, text) => {
          const line = stream === 0 || stream === 1 ? `${text}\n` : text;
          (stream === 1 || stream === 3 ? err : out).push(line);
          options.onConsole?.(stream, line);
        });
      },
      onEnd() {},
    });
    const end: RunEnd = await handle.done;
    if (!header) throw new Error(`the run ended before it started: ${end.message}`);
    return { header, batches, end, stdout: out.join(''), stderr: err.join('') };
  } finally {
    if (!options.runtime) await runtime.dispose();
  }
}

/** Calls `fn` for every Console event of a batch, in order. */
export function forEachConsole(batch: TraceBatch, fn: (stream: number, text: string) => void): void {
  const ints = batch.ints;
  walkWireEvents(ints, (kind, at) => {
    if (kind === EventKind.Console) fn(ints[at + 1]!, batch.strings[ints[at + 2]!] ?? '');
  }, { packed: false });
}

/** Whether the run's console limit cut its output (the runtime drops later lines and records it once). */
export function consoleWasTruncated(batches: readonly TraceBatch[]): boolean {
  let cut = false;
  for (const b of batches) {
    walkWireEvents(b.ints, (kind, at) => {
      if (kind === EventKind.Truncated && b.ints[at + 1] === TruncatedWhat.Console) cut = true;
    }, { packed: false });
  }
  return cut;
}
