import { describe, expect, it } from 'vitest';
import { EventKind as K, PACKED_PAYLOAD_LIMIT, eventInts, packStack, packedKind, packedPayload } from './schema.ts';

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
});
