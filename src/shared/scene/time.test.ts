import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MIN_SPAN_US, TimeScale, formatDurationUs, niceTickUs } from './time.ts';

const scaleArb = fc.record({ start: fc.double({ min: -1e6, max: 1e7, noNaN: true }), span: fc.double({ min: MIN_SPAN_US, max: 1e8, noNaN: true }), width: fc.integer({ min: 1, max: 4000 }) });

describe('TimeScale', () => {
  it('converts time to pixels and back', () => {
    fc.assert(
      fc.property(scaleArb, fc.double({ min: 0, max: 1, noNaN: true }), ({ start, span, width }, f) => {
        const s = new TimeScale(start, start + span, width);
        const t = start + f * span;
        expect(s.pxToTime(s.timeToPx(t))).toBeCloseTo(t, 3);
      }),
    );
  });

  it('zooming keeps the time under the anchor pixel in place', () => {
    fc.assert(
      fc.property(scaleArb, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0.1, max: 10, noNaN: true }), ({ start, span, width }, f, factor) => {
        const s = new TimeScale(start, start + span, width);
        const anchor = f * width;
        const z = s.zoomAt(anchor, factor);
        expect(z.pxToTime(anchor)).toBeCloseTo(s.pxToTime(anchor), 2);
        expect(z.spanUs).toBeGreaterThanOrEqual(MIN_SPAN_US * 0.999);
      }),
    );
  });

  it('panning moves the window by whole pixels of time', () => {
    const s = new TimeScale(0, 1000, 100);
    const p = s.panByPx(10);
    expect([p.startUs, p.endUs]).toEqual([100, 1100]);
  });

  it('clamps the window to the trace with a margin', () => {
    const s = new TimeScale(-5000, -4000, 100).clampTo(0, 1000);
    expect(s.startUs).toBeGreaterThanOrEqual(-50);
    expect(s.spanUs).toBe(1000);
  });

  it('formats durations for people', () => {
    expect(formatDurationUs(1500)).toBe('1.5 ms');
    expect(formatDurationUs(2_400_000)).toBe('2.4 s');
    expect(formatDurationUs(830)).toBe('830 µs');
    expect(formatDurationUs(0.25)).toBe('250 ns');
  });

  it('picks 1/2/5 tick spacings', () => {
    const tick = niceTickUs(new TimeScale(0, 1000, 1000), 100);
    expect(tick).toBe(100);
    expect(niceTickUs(new TimeScale(0, 3333, 1000), 100)).toBe(500);
  });
});

describe('formatTickUs', () => {
  it('labels ticks in their spacing\'s unit, precise enough that neighbours differ', async () => {
    const { formatTickUs } = await import('./time.ts');
    expect([formatTickUs(1_105_000, 5000), formatTickUs(1_110_000, 5000)]).toEqual(['1105 ms', '1110 ms']);
    expect(formatTickUs(2_500_000, 500_000)).toBe('2.5 s');
    expect([formatTickUs(1_250, 250), formatTickUs(1_500, 250)]).toEqual(['1.25 ms', '1.5 ms']);
    expect(formatTickUs(40, 20)).toBe('40 µs');
    expect(formatTickUs(1_250, 2_000)).toBe('1 ms'); // 1.25 ms on a 2 ms grid does not happen; rounding is by the grid
    expect(formatTickUs(0.5, 0.1)).toBe('0.5 µs');
  });
});
