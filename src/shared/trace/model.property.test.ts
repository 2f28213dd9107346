import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TraceBuilder } from './builder.ts';
import { replayFromStart, TraceModel } from './model.ts';
import type { RuntimeState } from './runtime-state.ts';
import { EventKind as K } from './schema.ts';
import { COMPLETED, type EventRow, testHeader, userFrame } from './test-support.ts';

// Small id spaces so events collide the way real ones do (the same task scheduled, queued, started, ended).
const id = fc.integer({ min: 1, max: 6 });
const small = fc.integer({ min: -1, max: 4 });
const text = fc.constantFrom('a', 'b', 'hello', '');

const row: fc.Arbitrary<EventRow> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constant(K.Enter), fc.integer({ min: 0, max: 30 }), id) },
  { weight: 6, arbitrary: fc.tuple(fc.constant(K.Exit), id) },
  { weight: 2, arbitrary: fc.tuple(fc.constant(K.Suspend), id, small, small, fc.integer({ min: 0, max: 1 })) },
  { weight: 2, arbitrary: fc.tuple(fc.constant(K.Resume), id, small, fc.integer({ min: 0, max: 1 })) },
  { weight: 1, arbitrary: fc.tuple(fc.constant(K.Statement), small) },
  { weight: 4, arbitrary: fc.tuple(fc.constant(K.TaskSchedule), id, fc.integer({ min: -1, max: 13 }), fc.integer({ min: -5, max: 3000 }), small, fc.integer({ min: 0, max: 1 })) },
  { weight: 4, arbitrary: fc.tuple(fc.constant(K.TaskRunnable), id) },
  { weight: 4, arbitrary: fc.tuple(fc.constant(K.TaskStart), id, fc.integer({ min: -1, max: 6 })) },
  { weight: 4, arbitrary: fc.tuple(fc.constant(K.TaskEnd), id, fc.integer({ min: 0, max: 1 })) },
  { weight: 1, arbitrary: fc.tuple(fc.constant(K.TaskCancel), id) },
  { weight: 1, arbitrary: fc.tuple(fc.constant(K.TaskLabel), id, text) },
  { weight: 1, arbitrary: fc.tuple(fc.constant(K.MicrotaskCheckpoint), small) },
  { weight: 2, arbitrary: fc.tuple(fc.constant(K.PromiseCreate), id, small) },
  { weight: 2, arbitrary: fc.tuple(fc.constant(K.PromiseSettle), id, fc.integer({ min: 0, max: 3 })) },
  { weight: 2, arbitrary: fc.tuple(fc.constant(K.Console), fc.integer({ min: 0, max: 3 }), text) },
  { weight: 1, arbitrary: fc.tuple(fc.constant(K.AgentStart), fc.integer({ min: 0, max: 2 }), small, text, text) },
  { weight: 1, arbitrary: fc.tuple(fc.constant(K.AgentEnd), fc.integer({ min: -1, max: 2 }), small) },
  { weight: 1, arbitrary: fc.tuple(fc.constant(K.WorkerSpawn), fc.integer({ min: 1, max: 2 }), text) },
  { weight: 1, arbitrary: fc.tuple(fc.constant(K.WorkerExit), fc.integer({ min: 1, max: 3 }), small) },
  { weight: 1, arbitrary: fc.tuple(fc.constant(K.MessagePost), id, small) },
  { weight: 1, arbitrary: fc.tuple(fc.constant(K.MessageReceive), id, id) },
  { weight: 3, arbitrary: fc.tuple(fc.constant(K.Atomics), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: -1, max: 5 }), small, small, small) },
  { weight: 1, arbitrary: fc.tuple(fc.constant(K.SharedBuffer), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 0, max: 32 }), fc.constantFrom(0, 1, 4)) },
  // shared memory through views of several types: rows per type, exact 64-bit Atomics, plain stores
  { weight: 1, arbitrary: fc.tuple(fc.constant(K.SharedView), fc.integer({ min: 1, max: 2 }), text, fc.integer({ min: -1, max: 12 }), small, small) },
  { weight: 2, arbitrary: fc.tuple(fc.constant(K.AtomicsElement), fc.integer({ min: -1, max: 12 }), fc.integer({ min: -1, max: 9 }), small, small, small) },
  { weight: 2, arbitrary: fc.tuple(fc.constant(K.SharedStore), fc.integer({ min: 1, max: 2 }), fc.integer({ min: -1, max: 12 }), fc.integer({ min: -1, max: 9 }), fc.integer(), fc.integer()) },
  { weight: 1, arbitrary: fc.tuple(fc.constant(K.LockDefine), fc.integer({ min: 1, max: 2 }), text, small) },
  { weight: 2, arbitrary: fc.tuple(fc.constant(K.Lock), fc.integer({ min: 1, max: 2 }), fc.integer({ min: -1, max: 3 }), small, small) },
  { weight: 1, arbitrary: fc.tuple(fc.constant(K.Error), fc.integer({ min: 0, max: 2 }), text, text) },
  { weight: 1, arbitrary: fc.tuple(fc.constant(K.Truncated), fc.integer({ min: -1, max: 3 })) },
  { weight: 1, arbitrary: fc.tuple(fc.constant(K.Signal), text) },
  { weight: 1, arbitrary: fc.tuple(fc.constant(K.RunEnd), fc.integer({ min: 0, max: 12 }), text) },
  { weight: 3, arbitrary: fc.tuple(fc.constant(K.Time), fc.integer({ min: 0, max: 100_000 })) },
);

/** Batches from up to three agents, each with its own string table. */
const batches = fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.array(row, { minLength: 1, maxLength: 40 })), { minLength: 1, maxLength: 10 });

function encodeRows(rows: readonly EventRow[]): { ints: Int32Array; strings: string[] } {
  const strings: string[] = [];
  const ints: number[] = [];
  for (const r of rows) for (const v of r) ints.push(typeof v === 'string' ? (strings.includes(v) ? strings.indexOf(v) : strings.push(v) - 1) : v);
  return { ints: Int32Array.from(ints), strings };
}

const FRAMES = [userFrame(20, 'work'), userFrame(21, 'load', 5, 'async')];

describe('TraceModel: any step, any order', () => {
  it('stateAt(n) equals replaying the first n events from scratch, for random traces, seek orders and snapshot spacing', () => {
    fc.assert(
      fc.property(batches, fc.integer({ min: 1, max: 9 }), fc.array(fc.nat(), { minLength: 1, maxLength: 25 }), (bs, every, seeks) => {
        const builder = new TraceBuilder(testHeader(FRAMES));
        for (const [agent, rows] of bs) builder.append({ agent, ...encodeRows(rows) });
        const trace = builder.finish(COMPLETED);
        const model = new TraceModel(trace, { snapshotEvery: every });
        for (const raw of seeks) {
          const step = raw % (trace.count + 1);
          expect(model.stateAt(step)).toEqual(replayFromStart(trace, step));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('gives the same states while the trace is still growing as after it is complete', () => {
    fc.assert(
      fc.property(batches, fc.integer({ min: 1, max: 5 }), fc.array(fc.nat(), { minLength: 1, maxLength: 5 }), (bs, every, seeks) => {
        const builder = new TraceBuilder(testHeader(FRAMES));
        const model = new TraceModel(builder.trace, { snapshotEvery: every });
        const seen = new Map<number, RuntimeState>();
        for (const [agent, rows] of bs) {
          builder.append({ agent, ...encodeRows(rows) });
          for (const raw of seeks) {
            const step = raw % (builder.trace.count + 1);
            seen.set(step, model.stateAt(step));
          }
        }
        const trace = builder.finish(COMPLETED);
        // Only the time of trailing stack events may move (their agent's next clock reading refines it).
        const untimed = (s: RuntimeState) => ({ ...s, timeUs: 0, runEnd: null });
        for (const [step, state] of seen) expect(untimed(state)).toEqual(untimed(replayFromStart(trace, step)));
      }),
      { numRuns: 100 },
    );
  });
});
