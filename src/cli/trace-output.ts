/** `loopscope run -o`: the run's trace written in the format asked for (run-command.ts loads this only then). */
import { writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { HeadlessResult } from '../runtime/api.ts';
import { TraceBuilder } from '../shared/trace/builder.ts';
import { serializeTrace } from '../shared/trace/file.ts';
import { toChromeTrace } from '../shared/export/chrome.ts';
import { END_REASON_NAMES } from '../shared/trace/schema.ts';

export async function writeTrace(result: HeadlessResult, target: string, out: string, format: 'loopscope' | 'chrome' | 'html'): Promise<void> {
  const builder = new TraceBuilder(result.header);
  for (const b of result.batches) builder.append(b);
  const trace = builder.finish(result.end);
  let content: string;
  if (format === 'chrome') content = JSON.stringify(toChromeTrace(trace));
  else if (format === 'html') {
    const { htmlPlayerPage } = await import('../services/export/player-bundle.ts');
    content = await htmlPlayerPage(serializeTrace(trace), `${basename(resolve(target))} — Loopscope`);
  } else content = serializeTrace(trace);
  writeFileSync(out, content);
  process.stderr.write(`loopscope: wrote ${trace.count.toLocaleString('en-US')} events to ${out} (${format}; ${END_REASON_NAMES[result.end.reason]})\n`);
}
