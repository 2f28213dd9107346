// The standalone HTML player's script is inlined into every exported file: it stays small. Measured (minified):
// 80,283 bytes before the handout's phase ring and timeline strip, 86,371 after; 100,058 once shared memory, lock
// callers and channel messages were drawn, 99,135 with its stylesheet compacted, 100,981 once a shared buffer was
// drawn per view type (a row for each element type the program used) with exact 64-bit Atomics, 103,536 once
// anonymous callbacks were shown by their source, a direct release() and the channel cap explained and
// BroadcastChannel messages told apart, 104,016 once a spawned worker that has not started yet got its card (372
// bytes). The budget leaves room for features, not for a library pulled in by accident:
// it moves with a feature that needs it, by what that feature measured, never to let a dependency in.
import { describe, expect, it } from 'vitest';
import { compactCss, playerBundle } from './player-bundle.ts';

const PLAYER_BUDGET_BYTES = 104_500;

describe('the HTML player bundle', () => {
  it(`is under ${PLAYER_BUDGET_BYTES.toLocaleString('en-US')} bytes and carries the ring and the strip`, async () => {
    const js = await playerBundle();
    expect(Buffer.byteLength(js)).toBeLessThan(PLAYER_BUDGET_BYTES);
    expect(js).toContain('phase-ring');
    expect(js).toContain('timeline-strip');
    expect(js).toContain(':root{color-scheme:light dark;'); // the stylesheet travels compacted
  });

  it('compacts the stylesheet without touching quoted text', () => {
    const css = '.a > .b ,\n  .c::before {\n  content: "▶ " attr(data-n);\n  font: 14px/1.4 var(--font);\n}\n@media (prefers-color-scheme: dark) { :root { --bg: #111; } }\n';
    expect(compactCss(css)).toBe('.a>.b,.c::before{content:"▶ " attr(data-n);font:14px/1.4 var(--font)}@media (prefers-color-scheme:dark){:root{--bg:#111}}');
  });
});
