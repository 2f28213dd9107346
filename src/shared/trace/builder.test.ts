import { describe, expect, it } from 'vitest';
import { arg, arityOf, str, TraceBuilder } from './builder.ts';
import { EventKind as K, hostFrameId, packStack } from './schema.ts';
import { batch, COMPLETED, encode, kindNames, testHeader } from './test-support.ts';

const LOG = hostFrameId('console.log');

describe('TraceBuilder: time', () => {
  it('spreads stack events linearly between two clock readings; other events take the latest reading', () => {
    const b = new TraceBuilder(testHeader());
    b.append(batch(0, [
      [K.Time, 100], [K.Console, 0, 'a'],
      [K.Enter, 200, 1], [K.Enter, 201, 2], [K.Exit, 2],
      [K.Time, 200], [K.Console, 0, 'b'],
    ]));
    const t = b.trace;
    expect(kindNames(t)).toEqual(['Console', 'Enter', 'Enter', 'Exit', 'Console']);
    expect(Array.from(t.timeUs.subarray(0, t.count))).toEqual([100, 125, 150, 175, 200]);
  });

  it('moves trailing stack events forward when the next batch brings the reading, and tells listeners', () => {
    const b = new TraceBuilder(testHeader());
    const seen: [number, number][] = [];
    b.onAppend((from, to) => seen.push([from, to]));
    b.append(batch(0, [[K.Time, 1000], [K.Enter, 200, 1], [K.Exit, 1]]));
    expect(Array.from(b.trace.timeUs.subarray(0, 2))).toEqual([1000, 1000]); // provisional: the last reading
    b.append(batch(0, [[K.Time, 1300], [K.Console, 0, 'x']]));
    expect(Array.from(b.trace.timeUs.subarray(0, 3))).toEqual([1100, 1200, 1300]);
    expect(seen).toEqual([[0, 2], [2, 3]]);
  });

  it('keeps each agent on its own clock', () => {
    const b = new TraceBuilder(testHeader());
    b.append(batch(0, [[K.Time, 10], [K.Enter, 200, 1]]));
    b.append(batch(1, [[K.Time, 500], [K.Console, 0, 'w'], [K.Enter, 300, 1]]));
    b.append(batch(0, [[K.Time, 30], [K.Exit, 1], [K.Time, 40], [K.Console, 0, 'm']]));
    b.append(batch(1, [[K.Time, 700], [K.Console, 0, 'w2']]));
    const t = b.trace;
    expect(Array.from(t.agent.subarray(0, t.count))).toEqual([0, 1, 1, 0, 0, 1]);
    expect(Array.from(t.timeUs.subarray(0, t.count))).toEqual([20, 500, 600, 35, 40, 700]);
  });

  it('never lets an agent go back in time, and gives events before any reading time 0', () => {
    const b = new TraceBuilder(testHeader());
    b.append(batch(0, [[K.Console, 0, 'early'], [K.Time, 50], [K.Console, 0, 'a'], [K.Time, 20], [K.Console, 0, 'b']]));
    expect(Array.from(b.trace.timeUs.subarray(0, 3))).toEqual([0, 50, 50]);
  });
});

describe('TraceBuilder: packed stack words', () => {
  const rows = (t: TraceBuilder['trace']): number[][] =>
    Array.from({ length: t.count }, (_, i) => [t.kind[i]!, ...Array.from({ length: arityOf(t.kind[i]!) }, (_, k) => arg(t, i, k))]);

  it('stores packed Enter, Exit and Statement unpacked, numbering packed Enters per agent in order', () => {
    const b = new TraceBuilder(testHeader());
    b.append({ agent: 0, ints: Int32Array.from([K.Time, 5, packStack(K.Enter, 200), packStack(K.Statement, 7), packStack(K.Enter, 201), packStack(K.Exit, 2), packStack(K.Exit, 1)]), strings: [] });
    b.append({ agent: 1, ints: Int32Array.from([K.Time, 6, packStack(K.Enter, 300), packStack(K.Exit, 1)]), strings: [] });
    b.append({ agent: 0, ints: Int32Array.from([K.Time, 9, packStack(K.Enter, 202), packStack(K.Exit, 3)]), strings: [] });
    expect(rows(b.trace)).toEqual([
      [K.Enter, 200, 1], [K.Statement, 7], [K.Enter, 201, 2], [K.Exit, 2], [K.Exit, 1],
      [K.Enter, 300, 1], [K.Exit, 1],
      [K.Enter, 202, 3], [K.Exit, 3],
    ]);
  });

  it('continues the numbering from an unpacked Enter, so both forms can be mixed', () => {
    const b = new TraceBuilder(testHeader());
    b.append(batch(0, [[K.Time, 1], [K.Enter, 200, 41], [K.Exit, 41]]));
    b.append({ agent: 0, ints: Int32Array.from([packStack(K.Enter, 201), packStack(K.Exit, 42)]), strings: [] });
    expect(rows(b.trace).slice(2)).toEqual([[K.Enter, 201, 42], [K.Exit, 42]]);
  });
});

describe('TraceBuilder: strings', () => {
  it('remaps batch-local string ids to one global, deduplicated table across agents and batches', () => {
    const b = new TraceBuilder(testHeader());
    b.append(batch(0, [[K.Time, 1], [K.Console, 0, 'hello'], [K.Time, 2], [K.Console, 1, 'oops']]));
    b.append(batch(1, [[K.Time, 3], [K.AgentStart, 1, 0, 'worker 1', 'worker.ts'], [K.Time, 4], [K.Console, 0, 'hello']]));
    b.append({ agent: 0, ints: encode([[K.Time, 5], [K.Console, 0, 1]]).ints, strings: ['unused', 'second'] });
    const t = b.trace;
    expect([0, 1, 3, 4].map((i) => str(t, i, 1))).toEqual(['hello', 'oops', 'hello', 'second']);
    expect(str(t, 2, 2)).toBe('worker 1');
    expect(str(t, 2, 3)).toBe('worker.ts');
    expect(arg(t, 0, 1)).toBe(arg(t, 3, 1)); // same text, same global id
    expect(t.strings).not.toContain('unused'); // only referenced strings are stored
  });
});

describe('TraceBuilder: untrusted batches', () => {
  const good = (): TraceBuilder => {
    const b = new TraceBuilder(testHeader());
    b.append(batch(0, [[K.Time, 1], [K.Console, 0, 'ok']]));
    return b;
  };
  const cases: [string, Parameters<TraceBuilder['append']>[0], RegExp][] = [
    ['an unknown kind', { agent: 0, ints: Int32Array.from([0, 5, 99, 1]), strings: [] }, /unknown event kind 99 at int 2/],
    ['a packed word with an unknown tag', { agent: 0, ints: Int32Array.from([~(7 << 2 | 3)]), strings: [] }, /unknown packed stack word -32 at int 0/],
    ['truncated args', { agent: 0, ints: Int32Array.from([K.Enter, 1]), strings: [] }, /Enter at int 0 is cut off/],
    ['a bad string index', { agent: 0, ints: Int32Array.from([K.Console, 0, 3]), strings: ['a'] }, /Console.text at int 0 refers to string 3, the batch has 1/],
    ['a negative string index', { agent: 0, ints: Int32Array.from([K.Console, 0, -1]), strings: ['a'] }, /refers to string -1/],
    ['a non-string in the table', { agent: 0, ints: Int32Array.from([K.Console, 0, 0]), strings: [42 as unknown as string] }, /refers to string 0/],
    ['an agent out of range', { agent: 256, ints: Int32Array.from([]), strings: [] }, /agent ids must be 0..255/],
    ['a fractional agent', { agent: 0.5, ints: Int32Array.from([]), strings: [] }, /agent ids must be/],
    ['ints that are not an Int32Array', { agent: 0, ints: [1, 2] as unknown as Int32Array, strings: [] }, /not an Int32Array/],
  ];
  for (const [what, bad, message] of cases) {
    it(`rejects ${what} with a specific error and stores nothing of that batch`, () => {
      const b = good();
      const before = { count: b.trace.count, strings: b.trace.strings.length };
      expect(() => b.append(bad)).toThrow(message);
      expect({ count: b.trace.count, strings: b.trace.strings.length }).toEqual(before);
      b.append(batch(0, [[K.Time, 10], [K.Console, 0, 'still works']]));
      expect(str(b.trace, b.trace.count - 1, 1)).toBe('still works');
    });
  }

  it('stores none of a batch whose valid events come before the bad one', () => {
    const b = good();
    const bad = encode([[K.Time, 5], [K.Console, 0, 'valid'], [K.Enter, 1, 2], [K.Console, 0, 7]], []);
    expect(() => b.append({ agent: 0, ...bad })).toThrow(/Console.text at int 8 refers to string 7/);
    expect(b.trace.count).toBe(1);
    expect(b.trace.strings).toEqual(['ok']);
  });

  it('refuses batches after finish', () => {
    const b = good();
    b.finish(COMPLETED);
    expect(() => b.append(batch(0, [[K.Time, 1]]))).toThrow(/after the run ended/);
  });
});

describe('TraceBuilder: storage', () => {
  it('grows while streaming and stores a typical trace in at most 24 bytes per event once finished', () => {
    const b = new TraceBuilder(testHeader());
    let inst = 0;
    let now = 0;
    for (let n = 0; n < 50; n++) {
      const rows: [number, ...(number | string)[]][] = [[K.Time, (now += 10)], [K.Console, 0, `batch ${n}`]];
      for (let k = 0; k < 2000; k++) {
        // a recursive function: enters and exits, plus a clock reading every 1024 stack events
        rows.push([K.Enter, 200, ++inst], [K.Exit, inst]);
        if (k % 512 === 0) rows.push([K.Time, (now += 10)]);
      }
      b.append(batch(0, rows));
    }
    const t = b.finish(COMPLETED);
    expect(t.count).toBe(50 * 4001);
    const bytes = t.kind.byteLength + t.agent.byteLength + t.timeUs.byteLength + t.argStart.byteLength + t.args.byteLength;
    expect(bytes / t.count).toBeLessThanOrEqual(24);
    expect(t.end).toEqual(COMPLETED);
    // times never decrease within the agent
    let backwards = 0;
    for (let i = 1; i < t.count; i++) if (t.timeUs[i]! < t.timeUs[i - 1]!) backwards++;
    expect(backwards).toBe(0);
  });

  it('answers arg/str only for events and args that exist', () => {
    const b = new TraceBuilder(testHeader());
    b.append(batch(0, [[K.Time, 1], [K.Enter, LOG, 1], [K.Console, 0, 'hi']]));
    const t = b.trace;
    expect(arg(t, 0, 0)).toBe(LOG);
    expect(() => arg(t, 0, 2)).toThrow(/Enter has no arg 2/);
    expect(() => arg(t, 5, 0)).toThrow(/outside the trace/);
    expect(() => str(t, 1, 0)).toThrow(/not a string arg/);
    expect(str(t, 1, 1)).toBe('hi');
  });

  it('keeps notifying other listeners when one throws, and lets a listener unsubscribe', () => {
    const b = new TraceBuilder(testHeader());
    const calls: string[] = [];
    b.onAppend(() => {
      throw new Error('listener bug');
    });
    const off = b.onAppend(() => calls.push('second'));
    expect(() => b.append(batch(0, [[K.Time, 1], [K.Console, 0, 'a']]))).toThrow('listener bug');
    expect(calls).toEqual(['second']);
    off();
    expect(() => b.append(batch(0, [[K.Time, 2], [K.Console, 0, 'b']]))).toThrow('listener bug');
    expect(calls).toEqual(['second']);
    expect(b.trace.count).toBe(2);
  });
});
