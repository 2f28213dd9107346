/**
 * The label of a compressed idle gap on the time axis, in the room its band leaves: never a bare duration, which
 * reads as one of the axis's own times.
 */
import { describe, expect, it } from 'vitest';
import { breakLabelText } from './timeline-axis.ts';

describe('a break label on the axis', () => {
  it('says how long the gap was, as much as fits, and never a bare time', () => {
    expect(breakLabelText('24.3 ms idle', 20)).toBe('⋯ 24.3 ms idle');
    expect(breakLabelText('24.3 ms idle', 12)).toBe('24.3 ms idle');
    expect(breakLabelText('24.3 ms idle', 9)).toBe('+24.3 ms');
    expect(breakLabelText('24.3 ms idle', 3)).toBe('⋯');
    expect(breakLabelText('24.3 ms idle', 0)).toBe('');
  });
});
