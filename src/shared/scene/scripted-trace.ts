/**
 * Hand-written traces for tests and demos: write events the way an agent would (kinds and int args, strings by
 * text), then build a columnar trace with the real `TraceBuilder`. Keeps scene tests independent of the runtime.
 */
import type { RunEnd } from '../run/contract.ts';
import { TraceBuilder, type Trace } from '../trace/builder.ts';
import { EVENT_SPECS, EventKind, HOST_FRAMES, TRACE_FORMAT_VERSION, type Frame, type TraceBatch, type TraceHeader } from '../trace/schema.ts';

export class AgentScript {
  readonly agent: number;
  private ints: number[] = [];
  private strings: string[] = [];
  readonly batches: TraceBatch[] = [];

  constructor(agent: number) {
    this.agent = agent;
  }

  /** A clock reading (µs since run start). */
  time(us: number): this {
    this.ints.push(EventKind.Time, us);
    return this;
  }

  /** Any event; string args may be given as text. */
  ev(kind: number, ...args: (number | string)[]): this {
    const spec = EVENT_SPECS[kind]!;
    if (args.length !== spec.args.length) throw new Error(`${spec.name} takes ${spec.args.length} args`);
    this.ints.push(kind);
    for (const a of args) {
      if (typeof a === 'string') {
        this.strings.push(a);
        this.ints.push(this.strings.length - 1);
      } else this.ints.push(a);
    }
    return this;
  }

  /** Ends the current batch (the next events go into a new one). */
  flush(): this {
    if (this.ints.length === 0) return this;
    this.batches.push({ agent: this.agent, ints: Int32Array.from(this.ints), strings: this.strings });
    this.ints = [];
    this.strings = [];
    return this;
  }
}

export function scriptHeader(frames: readonly Omit<Frame, 'id'>[] = [], text = ''): TraceHeader {
  const host: Frame[] = HOST_FRAMES.map((name, id) => ({ id, kind: 'host', name, file: '', line: 0, column: 0, endLine: 0, endColumn: 0 }));
  const user: Frame[] = frames.map((f, i) => ({ ...f, id: HOST_FRAMES.length + i }));
  return { version: TRACE_FORMAT_VERSION, runId: 'test', mode: 'function', startedAtMs: 0, frames: [...host, ...user], files: [{ path: 'main.ts', text }], entry: 'main.ts' };
}

/** Frame id of the n-th user frame given to `scriptHeader`. */
export const userFrame = (n: number): number => HOST_FRAMES.length + n;

/** Builds a trace from agent scripts; batches are appended in the order given (interleave by listing them). */
export function buildScripted(header: TraceHeader, batches: readonly TraceBatch[], end: Partial<RunEnd> | null = {}): Trace {
  const b = new TraceBuilder(header);
  for (const batch of batches) b.append(batch);
  if (end === null) return b.trace;
  return b.finish({ reason: 0, message: '', exitCode: 0, events: b.trace.count, durationMs: 1, ...end });
}

/**
 * A small, realistic main-thread trace (what the runtime writes for the snippet below), used by tests:
 *
 *     console.log('start');                              // main.ts:1
 *     setTimeout(() => console.log('timeout'), 0);       // main.ts:2
 *     Promise.resolve().then(() => console.log('then')); // main.ts:3
 *     async function f() { await null; console.log('f2'); }  // main.ts:4
 *     f();                                               // main.ts:5
 */
const EVENT_LOOP_SNIPPET = `console.log('start');
setTimeout(() => console.log('timeout'), 0);
Promise.resolve().then(() => console.log('then'));
async function f() { await null; console.log('f2'); }
f();
`;
export function eventLoopExample(): Trace {
  const K = EventKind;
  const header = scriptHeader([
    { kind: 'script', name: 'main.ts', file: 'main.ts', line: 1, column: 1, endLine: 5, endColumn: 5 },
    { kind: 'function', name: '(anonymous)', file: 'main.ts', line: 2, column: 12, endLine: 2, endColumn: 40, flavor: 'sync' },
    { kind: 'function', name: '(anonymous)', file: 'main.ts', line: 3, column: 24, endLine: 3, endColumn: 49, flavor: 'sync' },
    { kind: 'function', name: 'f', file: 'main.ts', line: 4, column: 1, endLine: 4, endColumn: 55, flavor: 'async' },
  ], EVENT_LOOP_SNIPPET);
  const log = HOST_FRAMES.indexOf('console.log');
  const setTimeoutId = HOST_FRAMES.indexOf('setTimeout');
  const m = new AgentScript(0);
  m.time(0).ev(K.RunStart, 0)
    .time(5).ev(K.AgentStart, 0, -1, 'main', 'main.ts')
    .time(10).ev(K.TaskSchedule, 1, 0, 0, -1, 0)
    .time(10).ev(K.TaskRunnable, 1)
    .time(11).ev(K.TaskStart, 1, 0)
    .ev(K.Enter, userFrame(0), 1)
    .ev(K.Enter, log, 2).time(20).ev(K.Console, 0, 'start').ev(K.Exit, 2)
    .ev(K.Enter, setTimeoutId, 3).time(30).ev(K.TaskSchedule, 2, 1, 1000, 1, 0).ev(K.Exit, 3)
    .time(40).ev(K.PromiseCreate, 1, -1)
    .time(41).ev(K.PromiseSettle, 1, 0)
    .time(42).ev(K.PromiseCreate, 2, 1)
    .time(43).ev(K.TaskSchedule, 3, 6, 0, 1, 0)
    .time(43).ev(K.TaskRunnable, 3)
    .ev(K.Enter, userFrame(3), 4)
    .time(50).ev(K.PromiseCreate, 3, -1)
    .time(51).ev(K.Suspend, 4, userFrame(3), -1, 0)
    .time(52).ev(K.PromiseCreate, 4, 3)
    .time(52).ev(K.TaskSchedule, 4, 7, 0, 1, 0)
    .time(53).ev(K.TaskRunnable, 4)
    .ev(K.Exit, 1)
    .time(60).ev(K.TaskEnd, 1, 0)
    .time(61).ev(K.MicrotaskCheckpoint, 0)
    .time(62).ev(K.TaskStart, 3, 0)
    .ev(K.Enter, userFrame(2), 5).ev(K.Enter, log, 6).time(70).ev(K.Console, 0, 'then').ev(K.Exit, 6).ev(K.Exit, 5)
    .time(72).ev(K.TaskEnd, 3, 0)
    .time(73).ev(K.TaskStart, 4, 0)
    .time(74).ev(K.Resume, 4, userFrame(3), 0)
    .ev(K.Enter, log, 7).time(80).ev(K.Console, 0, 'f2').ev(K.Exit, 7).ev(K.Exit, 4)
    .time(82).ev(K.TaskEnd, 4, 0)
    .flush()
    .time(1200).ev(K.TaskRunnable, 2)
    .time(1201).ev(K.TaskStart, 2, 1)
    .ev(K.Enter, userFrame(1), 8).ev(K.Enter, log, 9).time(1210).ev(K.Console, 0, 'timeout').ev(K.Exit, 9).ev(K.Exit, 8)
    .time(1220).ev(K.TaskEnd, 2, 0)
    .time(1300).ev(K.AgentEnd, 0, 0)
    .time(1301).ev(K.RunEnd, 0, '')
    .flush();
  return buildScripted(header, m.batches);
}
