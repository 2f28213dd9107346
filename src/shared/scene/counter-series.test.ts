import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CounterSeries, counterColumns } from './counter-series.ts';

describe('CounterSeries', () => {
  it('per-pixel columns hold the max value in force anywhere in the column', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ dt: fc.double({ min: 0, max: 50, noNaN: true }), v: fc.integer({ min: 0, max: 40 }) }), { minLength: 1, maxLength: 3000 }),
        fc.double({ min: -20, max: 500, noNaN: true }),
        fc.double({ min: 0.01, max: 40, noNaN: true }),
        fc.integer({ min: 1, max: 120 }),
        (points, t0, usPerPx, columns) => {
          const s = new CounterSeries();
          const ts: number[] = [];
          const vs: number[] = [];
          let t = 0;
          for (const p of points) {
            t += p.dt;
            s.push(t, p.v);
            if (ts.length > 0 && ts[ts.length - 1] === t) vs[vs.length - 1] = p.v;
            else {
              ts.push(t);
              vs.push(p.v);
            }
          }
          const out = new Float32Array(columns);
          counterColumns(s, t0, usPerPx, out);
          for (let c = 0; c < columns; c++) {
            const a = t0 + c * usPerPx;
            const b = a + usPerPx;
            let expected = 0;
            for (let i = 0; i < ts.length; i++) {
              const until = i + 1 < ts.length ? ts[i + 1]! : Infinity;
              if (ts[i]! <= b && until > a) expected = Math.max(expected, vs[i]!);
            }
            // A value replaced at the same instant may still count as the column's max (a real, brief spike).
            expect(out[c]).toBeGreaterThanOrEqual(expected);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('answers the value in force at a time', () => {
    const s = new CounterSeries();
    s.push(10, 1);
    s.push(20, 3);
    s.push(30, 0);
    expect([s.valueAt(5), s.valueAt(10), s.valueAt(25), s.valueAt(99)]).toEqual([0, 1, 3, 0]);
    expect(s.peak).toBe(3);
  });
});
