// The `snapshot.save` call's payload checks (the desktop app's stage snapshots; contract.ts).
import { describe, expect, it } from 'vitest';
import { MAX_SNAPSHOT_BYTES, validateCall } from './contract.ts';

describe('snapshot.save', () => {
  it('accepts an SVG or a base64 PNG under a plain .svg/.png name', () => {
    const svg = { type: 'snapshot.save', format: 'svg', fileName: 'ordering-step-12.svg', content: '<svg/>' };
    expect(validateCall(svg)).toEqual(svg);
    expect(validateCall({ ...svg, format: 'png', fileName: 'ordering-step-12.png', content: 'iVBORw0KGgo=' }).type).toBe('snapshot.save');
  });

  it.each([
    [{ format: 'gif', fileName: 'x.gif', content: 'x' }, /snapshot\.save\.format/],
    [{ format: 'svg', fileName: '../x.svg', content: '<svg/>' }, /fileName/],
    [{ format: 'svg', fileName: 'x.svg.exe', content: '<svg/>' }, /fileName/],
    [{ format: 'svg', fileName: 'x.svg', content: '' }, /content/],
    [{ format: 'png', fileName: 'x.png', content: 'A'.repeat(Math.ceil(MAX_SNAPSHOT_BYTES / 3) * 4 + 8) }, /content/],
    [{ format: 'svg', fileName: 'x.svg', content: '<svg/>', path: '/etc/passwd' }, /(unexpected|unknown) field.*path|path.*(unexpected|unknown) field/],
  ])('refuses %# with a precise message', (fields, message) => {
    expect(() => validateCall({ type: 'snapshot.save', ...fields })).toThrow(message);
  });
});
