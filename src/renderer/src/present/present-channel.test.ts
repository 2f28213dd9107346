import { describe, expect, it } from 'vitest';
import { readPresentMessage } from './present-channel.ts';

const view = { traceId: 'r1', cursor: 12, blank: false, title: 'Ordering', slide: { name: 'Timer', explain: 'runs last', index: 1, count: 3 }, scalePct: 150, sentAtMs: 1 };

describe('presenter → audience messages', () => {
  it('keeps well-formed messages', () => {
    expect(readPresentMessage({ type: 'view', view })).toEqual({ type: 'view', view });
    expect(readPresentMessage({ type: 'hello' })).toEqual({ type: 'hello' });
    expect(readPresentMessage({ type: 'trace', traceId: 'r1', text: '{}' })).toEqual({ type: 'trace', traceId: 'r1', text: '{}' });
  });
  it('drops anything else, and extra fields (speaker notes) never pass through', () => {
    expect(readPresentMessage(null)).toBeNull();
    expect(readPresentMessage({ type: 'run', code: 'x' })).toBeNull();
    expect(readPresentMessage({ type: 'view', view: { ...view, cursor: -1 } })).toBeNull();
    expect(readPresentMessage({ type: 'view', view: { ...view, slide: { name: 3 } } })).toBeNull();
    const withNotes = readPresentMessage({ type: 'view', view: { ...view, slide: { ...view.slide, notes: 'secret' } } });
    expect(JSON.stringify(withNotes)).not.toContain('secret');
  });
  it("carries the presenter's theme when given, and only a known one", () => {
    expect(readPresentMessage({ type: 'view', view: { ...view, theme: 'dark' } })).toEqual({ type: 'view', view: { ...view, theme: 'dark' } });
    expect(readPresentMessage({ type: 'view', view: { ...view, theme: 'url(evil)' } })).toBeNull();
  });
});
