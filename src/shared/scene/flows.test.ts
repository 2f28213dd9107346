// Notify → woken flows: a wait that returned "ok" is joined to the notify on the same cell by another agent, the cell
// known by its byte in the buffer (AtomicsElement) when the two went through views at other offsets.
import { describe, expect, it } from 'vitest';
import { AtomicsOp, EventKind as K, TYPED_ARRAY_TYPES } from '../trace/schema.ts';
import { batch, buildTrace, type EventRow, withClock } from '../trace/test-support.ts';
import { notifyFlow } from './flows.ts';
import { TimelineIndex } from './timeline-index.ts';

const INT32 = TYPED_ARRAY_TYPES.findIndex((t) => t.name === 'Int32Array');

function flowTo(worker: EventRow[], main: EventRow[]) {
  const trace = buildTrace([batch(1, withClock(worker.slice(0, 2))), batch(0, withClock(main, 100)), batch(1, withClock(worker.slice(2), 200))]);
  const index = new TimelineIndex();
  index.update(trace, true);
  const done = Array.from({ length: trace.count }, (_, i) => i).find((i) => trace.kind[i] === K.Atomics && trace.args[trace.argStart[i]!] === AtomicsOp.WaitDone)!;
  return notifyFlow(index, trace, done);
}

describe('notifyFlow', () => {
  it('joins a wait on words[1] to a notify on the same cell through a view at byteOffset 4 (its [0])', () => {
    // worker: Atomics.wait(words, 1, 0) … "ok"; main: Atomics.notify(new Int32Array(sab, 4), 0)
    const worker: EventRow[] = [
      [K.AtomicsElement, INT32, 1, 0, 0, 0], [K.Atomics, AtomicsOp.Wait, 1, 1, 0, 0, -1],
      [K.AtomicsElement, INT32, 1, 0, 0, 0], [K.Atomics, AtomicsOp.WaitDone, 1, 1, 0, 0, 0],
    ];
    const main: EventRow[] = [[K.AtomicsElement, INT32, 1, 0, 0, 0], [K.Atomics, AtomicsOp.Notify, 1, 0, 1, 0, 1]];
    expect(flowTo(worker, main)).toMatchObject({ kind: 'notified', from: { agent: 0 }, to: { agent: 1 } });
    // the notify on the view's [0] at offset 0 is another cell
    const other: EventRow[] = [[K.AtomicsElement, INT32, 0, 0, 0, 0], [K.Atomics, AtomicsOp.Notify, 1, 0, 1, 0, 1]];
    expect(flowTo(worker, other)).toBeNull();
  });

  it('matches an older trace’s wait and notify by the index the program passed', () => {
    const worker: EventRow[] = [[K.Atomics, AtomicsOp.Wait, 1, 2, 0, 0, -1], [K.Statement, 1], [K.Atomics, AtomicsOp.WaitDone, 1, 2, 0, 0, 0]];
    expect(flowTo(worker, [[K.Atomics, AtomicsOp.Notify, 1, 2, 1, 0, 1]])).toMatchObject({ kind: 'notified' });
  });
});
