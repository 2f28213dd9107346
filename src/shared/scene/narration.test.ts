import { describe, expect, it } from 'vitest';
import { AtomicsOp, EventKind, TYPED_ARRAY_TYPES } from '../trace/schema.ts';
import { buildTrace, type EventRow, withClock } from '../trace/test-support.ts';
import { Narrator } from './narration.ts';
import { eventLoopExample } from './scripted-trace.ts';
import { TimelineIndex } from './timeline-index.ts';

function setup(): { trace: ReturnType<typeof eventLoopExample>; narrator: Narrator } {
  const trace = eventLoopExample();
  const index = new TimelineIndex();
  index.update(trace, true);
  return { trace, narrator: new Narrator(trace, index) };
}

const stepOf = (trace: ReturnType<typeof eventLoopExample>, kind: number, nth = 0): number => {
  let seen = 0;
  for (let i = 0; i < trace.count; i++) if (trace.kind[i] === kind && seen++ === nth) return i;
  throw new Error('no such event');
};

describe('Narrator', () => {
  it('says why a timer callback enters the timers queue', () => {
    const { trace, narrator } = setup();
    expect(narrator.narrate(stepOf(trace, EventKind.TaskRunnable, 3))).toBe("The timer's callback enters the timers queue: its 1 ms delay has expired.");
  });

  it('names the phase and queue when the loop picks a task', () => {
    const { trace, narrator } = setup();
    expect(narrator.narrate(stepOf(trace, EventKind.TaskStart, 3))).toBe('In the timers phase, the event loop takes the setTimeout callback from the timers queue and runs it.');
  });

  it('describes await as leaving the stack and resuming', () => {
    const { trace, narrator } = setup();
    expect(narrator.narrate(stepOf(trace, EventKind.Suspend))).toMatch(/^`f` reaches `await` and leaves the call stack/);
    expect(narrator.narrate(stepOf(trace, EventKind.Resume))).toMatch(/^`f` resumes after `await`/);
  });

  it('names the function an Exit pops', () => {
    const { trace, narrator } = setup();
    expect(narrator.narrate(stepOf(trace, EventKind.Exit, 0))).toBe('`console.log` returns and is popped off the call stack.');
  });

  it('quotes console output and has a sentence for every step', () => {
    const { trace, narrator } = setup();
    expect(narrator.narrate(stepOf(trace, EventKind.Console))).toBe('console.log prints “start”.');
    for (let i = 0; i < trace.count; i++) expect(narrator.narrate(i)).not.toBe('Something happens.');
  });
});

describe('Narrator: Atomics', () => {
  const BIGINT64 = TYPED_ARRAY_TYPES.findIndex((t) => t.name === 'BigInt64Array');
  const INT32 = TYPED_ARRAY_TYPES.findIndex((t) => t.name === 'Int32Array');
  const narrate = (rows: EventRow[]): string[] => {
    const trace = buildTrace(withClock(rows));
    const index = new TimelineIndex();
    index.update(trace, true);
    const n = new Narrator(trace, index);
    return Array.from({ length: trace.count }, (_, i) => i).filter((i) => trace.kind[i] === EventKind.Atomics).map((i) => n.narrate(i));
  };

  it('tells a BigInt64Array’s values exactly (its AtomicsElement’s high words), an older trace’s as int32s', () => {
    // Atomics.add(bigs, 0, 2n ** 40n) on 2n ** 53n + 1n; then compareExchange(bigs, 0, 1n, 5n): 1n is not expected
    const [lo53, hi53] = [1, 0x200000];
    expect(narrate([
      [EventKind.SharedBuffer, 1, 8, 8], [EventKind.SharedView, 1, 'bigs', BIGINT64, 0, 1],
      [EventKind.AtomicsElement, BIGINT64, 0, 0x100, hi53, 0], [EventKind.Atomics, AtomicsOp.Add, 1, 0, 0, lo53, 0],
      [EventKind.AtomicsElement, BIGINT64, 0, 0, hi53 + 0x100, 0], [EventKind.Atomics, AtomicsOp.CompareExchange, 1, 0, 5, lo53, 1],
    ])).toEqual([
      '`Atomics.add` on cell [0] (atomic: no other thread can interleave): 9007199254740993n → 9008298766368769n.',
      '`Atomics.compareExchange` on cell [0]: it held 9008298766368769n, not the expected value, so nothing changes.',
    ]);
    expect(narrate([[EventKind.SharedBuffer, 1, 4, 4], [EventKind.SharedView, 1, 'v', INT32, 0, 1], [EventKind.Atomics, AtomicsOp.Add, 1, 0, 2, 5, 0]]))
      .toEqual(['`Atomics.add` on cell [0] (atomic: no other thread can interleave): 5 → 7.']);
  });
});
