import { describe, expect, it } from 'vitest';
import { MAX_SNAPSHOT_BYTES } from '../../shared/ipc/contract.ts';
import { snapshotBytes } from './snapshot.ts';

// The smallest complete PNG: 1×1, signature, IHDR, IDAT, IEND.
const TINY_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

describe('snapshotBytes', () => {
  it('passes an SVG document through as UTF-8 and a PNG as its bytes', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2"><text>Stage · ✓</text></svg>';
    expect(new TextDecoder().decode(snapshotBytes('svg', svg))).toBe(svg);
    expect(Buffer.from(snapshotBytes('png', TINY_PNG))).toEqual(Buffer.from(TINY_PNG, 'base64'));
  });

  it('refuses what is not what its format says, each with a plain reason', () => {
    expect(() => snapshotBytes('svg', '<html><script>alert(1)</script></html>')).toThrow('the SVG snapshot is not an <svg> document');
    expect(() => snapshotBytes('svg', '<svg>unterminated')).toThrow('not an <svg> document');
    expect(() => snapshotBytes('png', 'not base64!')).toThrow('the PNG snapshot is not base64');
    expect(() => snapshotBytes('png', Buffer.from('<svg></svg>').toString('base64'))).toThrow('not a complete PNG image');
    const truncated = Buffer.from(TINY_PNG, 'base64').subarray(0, 40).toString('base64');
    expect(() => snapshotBytes('png', truncated)).toThrow('not a complete PNG image');
  });

  it('refuses a snapshot over the size limit', () => {
    const big = `<svg>${'x'.repeat(MAX_SNAPSHOT_BYTES)}</svg>`;
    expect(() => snapshotBytes('svg', big)).toThrow(/the SVG snapshot is 16\.0 MB, over the 16\.0 MB limit/);
    const png = Buffer.alloc(MAX_SNAPSHOT_BYTES + 1);
    expect(() => snapshotBytes('png', png.toString('base64'))).toThrow(/the PNG snapshot is 16\.0 MB, over the 16\.0 MB limit/);
  });
});
