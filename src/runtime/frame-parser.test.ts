/**
 * The run process's trace pipe (launcher.ts FrameParser): frames arrive cut anywhere by the pipe; each must come out
 * whole, once, in order, whatever the chunk sizes — and a malformed header is refused.
 */
import { describe, expect, it } from 'vitest';
import { FrameParser } from './launcher.ts';
import { EventKind } from '../shared/trace/schema.ts';

function frame(type: number, agent: number, ints: number[], payload: string): Buffer {
  const text = Buffer.from(payload, 'utf8');
  const head = Buffer.alloc(16);
  head.writeInt32LE(type, 0); head.writeInt32LE(agent, 4); head.writeInt32LE(ints.length, 8); head.writeInt32LE(text.length, 12);
  return Buffer.concat([head, Buffer.from(Int32Array.from(ints).buffer), text]);
}

describe('the trace pipe parser', () => {
  // A big batch of packed stack words (Enter frame 3 / Exit), a console line with its string after a clock reading,
  // and a control message.
  const words: number[] = [];
  for (let i = 1; i <= 40_000; i++) words.push(~(3 << 2), ~(i << 2 | 1));
  const stream = Buffer.concat([
    frame(1, 0, words, '[]'),
    frame(1, 2, [EventKind.Time, 1500, EventKind.Console, 0, 0], JSON.stringify(['héllo'])),
    frame(2, 0, [], JSON.stringify({ t: 'exit', code: 3 })),
  ]);

  for (const size of [1, 7, 20, 4096, 65536, stream.length]) {
    it(`parses the same frames from ${size}-byte chunks`, () => {
      const parser = new FrameParser();
      const out = [];
      for (let at = 0; at < stream.length; at += size) out.push(...parser.push(stream.subarray(at, at + size)));
      expect(out.map((f) => f.type)).toEqual(['batch', 'batch', 'control']);
      const [big, line, control] = out as [Extract<typeof out[number], { type: 'batch' }>, Extract<typeof out[number], { type: 'batch' }>, Extract<typeof out[number], { type: 'control' }>];
      expect(Array.from(big.ints)).toEqual(words);
      // The host counts the events itself (the run's event limit holds to it): every packed word is one, a clock
      // reading is none.
      expect(big.events).toBe(80_000);
      expect(line.events).toBe(1);
      expect(line.agent).toBe(2);
      expect(line.strings).toEqual(['héllo']);
      expect(control.message).toEqual({ t: 'exit', code: 3 });
    });
  }

  it('marks where the events the host acts on begin (a worker\'s end, an error), in the pass that validates', () => {
    const ints = [~(3 << 2), EventKind.Time, 10, EventKind.WorkerExit, 2, 0, ~(1 << 2 | 1), EventKind.Console, 0, 0, EventKind.Error, 0, 1, 2, ~(4 << 2 | 2)];
    const [batch] = new FrameParser().push(frame(1, 0, ints, JSON.stringify(['out', 'boom', 'Error: boom\n    at x']))) as [Extract<ReturnType<FrameParser['push']>[number], { type: 'batch' }>];
    expect(batch.notable).toEqual([3, 10]);
    // Packed words 3, a worker exit, a console line, an error: 6 events (the clock reading is none).
    expect(batch.events).toBe(6);
  });

  // A run process is not trusted (lesson code can write the pipe): a batch that is not exactly well-formed stops the run.
  const refusals: [string, number[], RegExp][] = [
    ['a packed word of no kind (its low two bits after ~ are 3)', [~(3 << 2), ~(5 << 2 | 3)], /unknown packed word at int 1/],
    ['an event kind the host alone writes', [EventKind.RunStart, 0, 0, 0, 0], /event of kind 1 a run process may not write/],
    ['an event kind that does not exist', [~(3 << 2), 9999], /event of kind 9999/],
    ['an event cut off by the batch\'s end', [~(3 << 2), EventKind.WorkerExit, 2], /cut-off event/],
    ['a string index past the batch\'s strings', [EventKind.Console, 0, 1], /naming string 1 of 1/],
    ['a negative string index', [EventKind.Console, 0, -1], /naming string -1 of 1/],
  ];
  for (const [what, ints, error] of refusals) {
    it(`refuses ${what}`, () => {
      expect(() => new FrameParser().push(frame(1, 0, ints, JSON.stringify(['x'])))).toThrow(error);
    });
  }
  const badPayloads: [string, number, string, RegExp][] = [
    ['strings that are not JSON', 1, '["x"', /strings are not JSON/],
    ['a string list holding a number', 1, '["x", 5]', /malformed strings/],
    ['a string longer than any the tracer writes', 1, JSON.stringify(['x'.repeat(65536)]), /malformed strings/],
    ['a control frame that is a list', 2, '[]', /malformed control frame/],
    ['a control frame that is null', 2, 'null', /malformed control frame/],
  ];
  for (const [what, type, payload, error] of badPayloads) {
    it(`refuses ${what}`, () => {
      expect(() => new FrameParser().push(frame(type, 0, [], payload))).toThrow(error);
    });
  }

  it('refuses a malformed header', () => {
    const bad = frame(1, 0, [], '[]');
    bad.writeInt32LE(-5, 8);
    expect(() => new FrameParser().push(bad)).toThrow(/malformed trace frame/);
  });
});
