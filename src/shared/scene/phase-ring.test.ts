import { describe, expect, it } from 'vitest';
import { Phase } from '../trace/schema.ts';
import { RING_PHASES } from './palette.ts';
import { RING_C, ringLabelPos, ringNameAnchor, ringState } from './phase-ring.ts';

describe('phase ring geometry (the stage and the HTML player draw the same ring)', () => {
  it('lights the current phase and turns the pointer to the middle of its arc, clockwise from 12 o’clock in loop order', () => {
    expect(ringState(Phase.Timers, false)).toEqual({ index: 0, angleDeg: 36, centre: 'timers', centreGlyph: '▲' });
    const check = ringState(Phase.Check, false);
    expect(check).toMatchObject({ index: RING_PHASES.indexOf(Phase.Check), centre: 'check' });
    expect(check.angleDeg).toBeCloseTo(252);
  });

  it('names the main script and the microtask drain in the middle, with no arc lit by the script', () => {
    expect(ringState(Phase.Main, false)).toMatchObject({ index: -1, centre: 'main script' });
    expect(ringState(Phase.Poll, true)).toMatchObject({ centre: 'microtasks', centreGlyph: '●' });
  });

  it('puts names outside the ring on the side of their arc', () => {
    const timers = RING_PHASES.indexOf(Phase.Timers);
    const check = RING_PHASES.indexOf(Phase.Check);
    expect(ringLabelPos(timers).x).toBeGreaterThan(RING_C);
    expect(ringNameAnchor(timers)).toBe('start');
    expect(ringNameAnchor(check)).toBe('end');
  });
});
