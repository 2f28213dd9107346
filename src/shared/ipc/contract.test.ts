import { describe, expect, it } from 'vitest';
import { validateCall, validateEvent, validateResult, DEFAULT_SETTINGS } from './contract.ts';
import { decodeFrame, encodeFrame } from './binary.ts';

const request = { files: [{ path: 'main.ts', text: 'console.log(1)' }], entry: 'main.ts', mode: 'function' };

describe('validateCall', () => {
  it('accepts every well-formed call and returns a fresh object', () => {
    const raw = { type: 'lessons.save', key: 'bundled/event-loop-1', files: [{ path: 'main.ts', text: 'x' }] };
    const call = validateCall(raw);
    expect(call).toEqual(raw);
    expect(call).not.toBe(raw);
    expect(validateCall({ type: 'runs.start', runId: 'r1', lesson: 'bundled/x', request }).type).toBe('runs.start');
    expect(validateCall({ type: 'settings.set', patch: { theme: 'dark' } })).toEqual({ type: 'settings.set', patch: { theme: 'dark' } });
    expect(validateCall({ type: 'lessons.openFolder' })).toEqual({ type: 'lessons.openFolder' });
  });

  it.each([
    [null, /^call: must be an object, not null$/],
    [{ type: 'shell.exec', cmd: 'rm -rf /' }, /unknown call "shell.exec"/],
    [{ type: '__proto__' }, /unknown call/],
    [{ type: 'lessons.open', key: '../../etc/passwd' }, /lessons.open.key: "..\/..\/etc\/passwd" is not allowed here/],
    [{ type: 'lessons.open', key: 'bundled/a', extra: 1 }, /lessons.open.extra: unknown field \(allowed: key\)/],
    [{ type: 'lessons.save', key: 'bundled/a', files: 'x' }, /lessons.save.files: must be an array/],
    [{ type: 'runs.start', runId: 'r1', lesson: 'bundled/x', request: { ...request, entry: 'nope.ts' } }, /runs.start.request.entry: "nope.ts" must name one of the files/],
    [{ type: 'runs.start', runId: 'r 1', lesson: 'bundled/x', request }, /runId/],
    [{ type: 'settings.set', patch: { theme: 'neon' } }, /settings.set.patch.theme: must be one of "system", "light", "dark", not "neon"/],
    [{ type: 'settings.set', patch: { editorFontSizePx: 1e9 } }, /settings.set.patch.editorFontSizePx: must be a whole number from 8 to 40, not 1000000000/],
    [{ type: 'export', format: 'chrome', fileName: '../x.json', content: '' }, /fileName/],
  ])('rejects %j with a precise message', (raw, message) => {
    expect(() => validateCall(raw)).toThrow(message);
  });
});

describe('validateEvent and validateResult', () => {
  it('accepts a batch with an Int32Array and rejects plain arrays of ints', () => {
    const ok = validateEvent({ type: 'run.batch', runId: 'r1', batch: { agent: 0, ints: new Int32Array([1, 2]), strings: [] } });
    expect(ok.type).toBe('run.batch');
    expect(() => validateEvent({ type: 'run.batch', runId: 'r1', batch: { agent: 0, ints: [1, 2], strings: [] } })).toThrow(/Int32Array/);
  });
  it('rejects unknown events', () => {
    expect(() => validateEvent({ type: 'run.evil' })).toThrow(/unknown event/);
  });
  it('checks results against the call type', () => {
    expect(validateResult('settings.get', DEFAULT_SETTINGS)).toEqual(DEFAULT_SETTINGS);
    expect(() => validateResult('settings.get', { ...DEFAULT_SETTINGS, theme: 7 })).toThrow(/theme/);
  });
});

describe('WebSocket frames', () => {
  it('sends batches as binary and restores the same ints and strings', () => {
    const ints = new Int32Array([18, 0, 0, -5, 2147483647]);
    const frame = encodeFrame({ type: 'event', event: { type: 'run.batch', runId: 'r-1', batch: { agent: 3, ints, strings: ['héllo ✓', '🙂'] } } });
    expect(frame).toBeInstanceOf(Uint8Array);
    // Simulate an unaligned receive buffer (Node's ws can hand out slices of a pooled buffer).
    const bytes = frame as Uint8Array;
    const unaligned = new Uint8Array(bytes.byteLength + 1).subarray(1);
    unaligned.set(bytes);
    const decoded = decodeFrame(unaligned) as { event: unknown };
    const event = validateEvent(decoded.event);
    expect(event).toEqual({ type: 'run.batch', runId: 'r-1', batch: { agent: 3, ints, strings: ['héllo ✓', '🙂'] } });
  });
  it('sends everything else as JSON text', () => {
    expect(typeof encodeFrame({ type: 'event', event: { type: 'lessons.changed' } })).toBe('string');
  });
  it('rejects binary frames with a bad magic number', () => {
    expect(() => decodeFrame(new Uint8Array(16))).toThrow(/magic/);
  });
});
