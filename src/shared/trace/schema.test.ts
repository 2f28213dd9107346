import { describe, expect, it } from 'vitest';
import { EventKind as K, PACKED_PAYLOAD_LIMIT, eventInts, packStack, packedKind, packedPayload, walkWireEvents, wireArg } from './schema.ts';

describe('packed stack words', () => {
  it('round-trip every stack kind at the edges of the payload range, always as a negative int', () => {
    for (const kind of [K.Enter, K.Exit, K.Statement] as const) {
      for (const payload of [0, 1, 12_345, PACKED_PAYLOAD_LIMIT - 1]) {
        const word = packStack(kind, payload);
        expect(word).toBeLessThan(0);
        expect(packedKind(word)).toBe(kind);
        expect(packedPayload(word)).toBe(payload);
      }
    }
  });

  it('tell how many ints an event takes: one when packed, 1 + arity otherwise, 0 when unknown', () => {
    const ints = Int32Array.from([packStack(K.Exit, 9), K.Enter, 4, 1, K.Console, 0, 0, ~3, 99]);
    expect(eventInts(ints, 0)).toBe(1);
    expect(eventInts(ints, 1)).toBe(3);
    expect(eventInts(ints, 4)).toBe(3);
    expect(eventInts(ints, 7)).toBe(0); // tag 3 is not a stack kind
    expect(eventInts(ints, 8)).toBe(0); // no kind 99
  });

  it('walk a batch event by event with their args, stopping where asked or at an unknown kind', () => {
    const ints = Int32Array.from([K.Time, 7, packStack(K.Enter, 40), K.Console, 1, 0, packStack(K.Statement, 9), 99, 1]);
    const seen: [number, number][] = [];
    expect(walkWireEvents(ints, (kind, at) => { seen.push([kind, wireArg(ints, at, 0)]); })).toBe(4);
    expect(seen).toEqual([[K.Time, 7], [K.Enter, 40], [K.Console, 1], [K.Statement, 9]]);
    expect(walkWireEvents(ints, (kind) => kind === K.Console)).toBe(3);
    expect(walkWireEvents(ints)).toBe(4);
    const unpacked: number[] = [];
    expect(walkWireEvents(ints, (kind) => { unpacked.push(kind); }, { packed: false })).toBe(4);
    expect(unpacked).toEqual([K.Time, K.Console]);
  });
});
