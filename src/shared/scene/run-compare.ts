/**
 * Live "what if": this run against the previous one. The console lines of each, and the first step where the two
 * runs went different ways — compared by what happened, not by ids (frame and task ids change when the code is
 * edited): the event kind, the agent, the function name for a call, the text for console output and the loop
 * phase for a task start. Clock readings are skipped.
 */
import { EventKind } from '../trace/schema.ts';
import { arg, strArg, type TraceColumns } from './trace-source.ts';

export interface RunComparison {
  readonly before: readonly string[];
  readonly after: readonly string[];
  /** The console lines are the same, in the same order. */
  readonly sameConsole: boolean;
  /** The step (cursor, 1-based) of the new run where it first differs from the previous one; null when identical. */
  readonly firstDifferentStep: number | null;
  /** The index of the first console line that differs (or the shorter length), null when the same. */
  readonly firstDifferentLine: number | null;
}

export function consoleLines(trace: TraceColumns): string[] {
  const out: string[] = [];
  for (let i = 0; i < trace.count; i++) if (trace.kind[i] === EventKind.Console) out.push(strArg(trace, i, 1).replace(/\n$/, ''));
  return out;
}

function signatures(trace: TraceColumns): { sig: string; step: number }[] {
  const out: { sig: string; step: number }[] = [];
  for (let i = 0; i < trace.count; i++) {
    const k = trace.kind[i]!;
    if (k === EventKind.Time) continue;
    let extra = '';
    if (k === EventKind.Enter) extra = trace.header.frames[arg(trace, i, 0)]?.name ?? '?';
    else if (k === EventKind.Console) extra = strArg(trace, i, 1);
    else if (k === EventKind.TaskStart) extra = String(arg(trace, i, 1));
    out.push({ sig: `${k}:${trace.agent[i]}:${extra}`, step: i + 1 });
  }
  return out;
}

export function compareRuns(previous: TraceColumns, current: TraceColumns): RunComparison {
  const before = consoleLines(previous);
  const after = consoleLines(current);
  let line: number | null = null;
  for (let i = 0; i < Math.max(before.length, after.length); i++) {
    if (before[i] !== after[i]) {
      line = i;
      break;
    }
  }
  const a = signatures(previous);
  const b = signatures(current);
  let step: number | null = null;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i]?.sig !== b[i]?.sig) {
      step = b[i]?.step ?? current.count;
      break;
    }
  }
  return { before, after, sameConsole: line === null, firstDifferentStep: step, firstDifferentLine: line };
}
