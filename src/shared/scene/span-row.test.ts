import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BlockList, SpanRow, queryRow } from './span-row.ts';

/** A row from gaps and widths (µs); times[step] is the time of each span boundary. */
function makeRow(parts: readonly { gap: number; width: number }[]): { row: SpanRow; times: Float64Array; spans: [number, number][] } {
  const times: number[] = [];
  const row = new SpanRow();
  const spans: [number, number][] = [];
  let t = 0;
  for (const p of parts) {
    t += p.gap;
    const s = times.push(t) - 1;
    t += p.width;
    const e = times.push(t) - 1;
    row.open(s, spans.length);
    row.close(row.lastIndex(), e);
    spans.push([times[s]!, times[e]!]);
  }
  return { row, times: Float64Array.from(times), spans };
}

const partsArb = fc.array(fc.record({ gap: fc.double({ min: 0, max: 500, noNaN: true }), width: fc.double({ min: 0, max: 500, noNaN: true }) }), { minLength: 1, maxLength: 300 });
const viewArb = fc.record({ from: fc.double({ min: -100, max: 60_000, noNaN: true }), span: fc.double({ min: 1, max: 200_000, noNaN: true }), widthPx: fc.integer({ min: 10, max: 2000 }) });

describe('queryRow (level of detail)', () => {
  it('never drops a visible span and never draws where there is none', () => {
    fc.assert(
      fc.property(partsArb, viewArb, (parts, view) => {
        const { row, times, spans } = makeRow(parts);
        const t0 = view.from;
        const t1 = view.from + view.span;
        const usPerPx = view.span / view.widthPx;
        const out = new BlockList();
        queryRow(row, times, t0, t1, usPerPx, 0, out);
        // every visible span lies inside a block
        spans.forEach(([s, e], i) => {
          if (e < t0 || s > t1) return;
          let covered = false;
          for (let b = 0; b < out.length; b++) {
            if (out.first[b]! <= i && i < out.first[b]! + out.spans[b]!) covered = out.startUs[b]! <= s && out.endUs[b]! >= e;
          }
          expect(covered).toBe(true);
        });
        // blocks are in order, do not overlap, and each starts and ends on a span edge of what it stands for
        for (let b = 0; b < out.length; b++) {
          const first = out.first[b]!;
          const last = first + out.spans[b]! - 1;
          expect(out.startUs[b]).toBe(spans[first]![0]);
          expect(out.endUs[b]).toBeGreaterThanOrEqual(spans[last]![1] - 1e-9);
          if (b > 0) expect(out.first[b]).toBe(out.first[b - 1]! + out.spans[b - 1]!);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('returns at most about two blocks per pixel however many spans the view holds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 20_000 }), fc.integer({ min: 50, max: 800 }), (n, widthPx) => {
        const { row, times } = makeRow(Array.from({ length: n }, (_, i) => ({ gap: (i * 7919) % 13, width: (i * 104729) % 5 })));
        const out = new BlockList();
        const end = times[times.length - 1]!;
        queryRow(row, times, 0, end, end / widthPx, 0, out);
        expect(out.length).toBeLessThanOrEqual(2 * widthPx + 2);
      }),
      { numRuns: 20 },
    );
  });

  it('returns each wide span on its own', () => {
    const { row, times } = makeRow([{ gap: 0, width: 100 }, { gap: 10, width: 100 }, { gap: 10, width: 100 }]);
    const out = new BlockList();
    queryRow(row, times, 0, 400, 1, 0, out);
    expect(Array.from(out.spans.subarray(0, out.length))).toEqual([1, 1, 1]);
  });

  it('draws an open span up to the live end', () => {
    const row = new SpanRow();
    const times = Float64Array.from([5, 50]);
    row.open(0, 0);
    const out = new BlockList();
    queryRow(row, times, 0, 100, 0.1, 80, out);
    expect([out.startUs[0], out.endUs[0]]).toEqual([5, 80]);
  });

  it('finds the span under a time and near it', () => {
    const { row, times } = makeRow([{ gap: 10, width: 10 }, { gap: 10, width: 0.01 }]);
    expect(row.spanAt(15, times, 0)).toBe(0);
    expect(row.spanAt(25, times, 0)).toBe(-1);
    expect(row.spanNear(29.5, 1, times, 0)).toBe(1);
    expect(row.spanAtStep(1)).toBe(0);
    expect(row.spanAtStep(2)).toBe(1);
  });
});
