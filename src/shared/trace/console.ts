/**
 * The text a run printed, exactly as plain `node` would have: each console call is a line ending in "\n";
 * raw `process.stdout.write` / `process.stderr.write` text (streams 2 and 3) is printed as is.
 */
import type { Trace } from './builder.ts';
import { EventKind } from './schema.ts';

export interface ConsoleText {
  readonly stdout: string;
  readonly stderr: string;
}

/** Output of the first `step` events (default: all of them). */
export function consoleText(trace: Trace, step = trace.count): ConsoleText {
  const end = Math.min(Math.max(Math.floor(step) || 0, 0), trace.count);
  const out: string[] = [];
  const err: string[] = [];
  for (let i = 0; i < end; i++) {
    if (trace.kind[i] !== EventKind.Console) continue;
    const p = trace.argStart[i]!;
    const stream = trace.args[p]!;
    const text = trace.strings[trace.args[p + 1]!] ?? '';
    const to = stream === 1 || stream === 3 ? err : out;
    to.push(stream === 2 || stream === 3 ? text : `${text}\n`);
  }
  return { stdout: out.join(''), stderr: err.join('') };
}
