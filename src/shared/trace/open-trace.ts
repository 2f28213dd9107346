/**
 * Opening a trace someone saved: the own format (`serializeTrace`, `.loopscope.json`) or the trace inside a
 * standalone HTML player exported by Loopscope. Everything is untrusted: the size is capped before anything is
 * parsed, the HTML is searched only for the one script element the exporter writes, and the trace itself goes
 * through `parseTrace`, which validates every field. Every failure is an Error whose message says what is wrong
 * with the file in words a learner can act on.
 */
import { TRACE_ELEMENT_ID } from '../export/html.ts';
import type { Trace } from './builder.ts';
import { parseTrace } from './file.ts';

/** Bigger files are refused before reading: a 5 M-event trace (the runtime's event limit) is well below this. */
export const MAX_TRACE_FILE_BYTES = 512 * 1024 * 1024;

export class OpenTraceError extends Error {
  override name = 'OpenTraceError';
}

/** Refuses a file by its size alone, before its bytes are read. */
export function checkTraceFileSize(name: string, bytes: number): void {
  if (bytes === 0) throw new OpenTraceError(`${name} is empty: it holds no trace.`);
  if (bytes > MAX_TRACE_FILE_BYTES) {
    throw new OpenTraceError(`${name} is ${(bytes / 1024 / 1024).toFixed(0)} MB; Loopscope opens traces up to ${MAX_TRACE_FILE_BYTES / 1024 / 1024} MB.`);
  }
}

const SCRIPT_OPEN = new RegExp(`<script\\s+type="application/json"\\s+id="${TRACE_ELEMENT_ID}"\\s*>`, 'i');

/** The trace JSON inside an exported player page, or null when the page holds none. */
export function traceFromPlayerHtml(html: string): string | null {
  const open = SCRIPT_OPEN.exec(html);
  if (!open) return null;
  const from = open.index + open[0].length;
  const to = html.indexOf('</script>', from);
  // jsonForScript escaped <, > and & as \u003c … inside JSON strings: JSON.parse reads them back unchanged
  return to < 0 ? null : html.slice(from, to);
}

/** Reads a trace file's text (own format or exported HTML player) into a validated trace. */
export function readTraceFile(name: string, text: string): Trace {
  checkTraceFileSize(name, text.length);
  const head = text.slice(0, 2048).trimStart().toLowerCase();
  let json = text;
  if (head.startsWith('<!doctype html') || head.startsWith('<html')) {
    const inner = traceFromPlayerHtml(text);
    if (inner === null) throw new OpenTraceError(`${name} is an HTML page without a Loopscope trace in it (only players exported by Loopscope carry one).`);
    json = inner;
  } else if (/* head is lower-cased */ /^\{\s*"traceevents"\s*:|^\[\s*\{\s*"(?:name|ph|pid)"/.test(head)) {
    throw new OpenTraceError(`${name} is a Chrome trace (for ui.perfetto.dev or chrome://tracing). Loopscope opens its own traces (.loopscope.json) and the HTML players it exports.`);
  }
  try {
    return parseTrace(json);
  } catch (e) {
    throw new OpenTraceError(`${name}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
