/**
 * Test support: runs one file instrumented by `instrumentNative` the way a run process does — as a real CommonJS or
 * ES module that Node itself loads, in its own `node` — but with a recording tracer on the tracer global instead of
 * the run process's agent. Returns what the program printed through a global `log` and the tracer calls it made.
 *
 * The recording tracer returns every value it is handed unchanged (as the agent does), numbers function instances
 * from 1 and gives the script frame instance 0, the instance top-level `await` suspends.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRACER_GLOBAL, instrumentNative, type InstrumentOptions, type InstrumentResult } from './index.ts';

export type TraceEvent =
  | readonly ['enter', number, number]
  | readonly ['exit', number]
  | readonly ['suspend', number, number]
  | readonly ['resume', number, number]
  | readonly ['stmt', number];

export interface NativeRun {
  readonly output: string[];
  readonly events: TraceEvent[];
  readonly result: InstrumentResult;
}

/** Preloaded with --require: the recording tracer, `log`, and the report written when the process exits. */
const RECORDER = `'use strict';
const output = [], events = [];
let instances = 0;
const format = (v) => {
  if (typeof v === 'string') return v;
  if (typeof v === 'function') return '[function ' + v.name + ']';
  if (typeof v === 'symbol' || typeof v === 'bigint' || v === undefined) return String(v);
  if (v instanceof Error) return v.name + ': ' + v.message;
  try { return JSON.stringify(v) ?? String(v); } catch { return String(v); }
};
globalThis.log = (...args) => { output.push(args.map(format).join(' ')); };
const same = (_s, v) => v;
globalThis[Symbol.for(${JSON.stringify(TRACER_GLOBAL)})] = {
  m: (id) => { events.push(['enter', id, 0]); return 0; },
  e: (id) => { const s = ++instances; events.push(['enter', id, s]); return s; },
  x: (s) => { events.push(['exit', s]); },
  u: (s, v, how) => { events.push(['suspend', s, how]); return v; },
  r: (s, v, how) => { events.push(['resume', s, how]); return v; },
  t: (id) => { events.push(['stmt', id]); },
  v: (_name, value) => value,
  p: (_name, result) => result,
  n: (_name, value) => value,
  w: (o, k, v) => (o[k] = v),
  W: (o, k, v) => (o[k] = v),
  c: () => { throw new Error('native-run: compound shared writes are not recorded here'); },
  C: () => { throw new Error('native-run: compound shared writes are not recorded here'); },
};
process.on('uncaughtException', (err) => { output.push('uncaught ' + format(err)); });
process.on('exit', () => { require('node:fs').writeSync(1, JSON.stringify({ output, events })); });
`;

/** Instruments `text` (as `path`) and runs it in a fresh `node`; fails when the process does not report. */
export async function runNative(text: string, options: Partial<InstrumentOptions> & { path?: string } = {}): Promise<NativeRun> {
  const path = options.path ?? 'main.ts';
  const result = instrumentNative({ path, text }, { mode: options.mode ?? 'function', frameIdBase: options.frameIdBase ?? 100, traced: options.traced ?? true, ...(options.asModule === undefined ? {} : { asModule: options.asModule }) });
  const dir = mkdtempSync(join(tmpdir(), 'loopscope-native-run-'));
  try {
    // The extension says what instrumentNative decided, as the run process's load hook tells Node the format.
    const file = join(dir, `main${result.isModule ? '.mjs' : '.cjs'}`);
    writeFileSync(file, result.code);
    writeFileSync(join(dir, 'recorder.cjs'), RECORDER);
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--require', join(dir, 'recorder.cjs'), file], { cwd: dir, env: {}, timeout: 20_000 }, (err, out, errOut) => {
        if (err && !out) reject(new Error(`native-run: node failed: ${errOut || err.message}`));
        else resolve(out);
      });
    });
    const report = JSON.parse(stdout) as { output: string[]; events: TraceEvent[] };
    return { ...report, result };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Checks that enter/exit events nest properly; returns a description of the first problem, or ''. */
export function stackProblem(events: readonly TraceEvent[]): string {
  const stack: number[] = [];
  for (const [i, e] of events.entries()) {
    if (e[0] === 'enter') stack.push(e[2]);
    else if (e[0] === 'exit') {
      const top = stack.pop();
      if (top !== e[1]) return `event ${i}: exit ${e[1]} but the top of the stack is ${top}`;
    }
  }
  return stack.length ? `unbalanced: ${stack.length} frames left` : '';
}
