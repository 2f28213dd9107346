// The standalone HTML player's script is inlined into every exported file: it stays small. Measured (minified):
// 80,283 bytes before the handout's phase ring and timeline strip, 86,371 after; the budget leaves room for
// features, not for a library pulled in by accident.
import { describe, expect, it } from 'vitest';
import { playerBundle } from './player-bundle.ts';

const PLAYER_BUDGET_BYTES = 100_000;

describe('the HTML player bundle', () => {
  it(`is under ${PLAYER_BUDGET_BYTES.toLocaleString('en-US')} bytes and carries the ring and the strip`, async () => {
    const js = await playerBundle();
    expect(Buffer.byteLength(js)).toBeLessThan(PLAYER_BUDGET_BYTES);
    expect(js).toContain('phase-ring');
    expect(js).toContain('timeline-strip');
  });
});
