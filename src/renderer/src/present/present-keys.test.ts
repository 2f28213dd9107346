// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { presentAction } from './present-keys.ts';

const press = (key: string, target: Element = document.body, init: KeyboardEventInit = {}) => {
  const e = new KeyboardEvent('keydown', { key, ...init });
  Object.defineProperty(e, 'target', { value: target });
  return presentAction(e);
};

describe('presenter keys (clickers send PageDown/PageUp, B or .)', () => {
  it('moves between slides and blanks', () => {
    expect(press('PageDown')).toEqual({ type: 'slide', direction: 1 });
    expect(press('PageUp')).toEqual({ type: 'slide', direction: -1 });
    expect(press('ArrowRight')).toEqual({ type: 'slide', direction: 1 });
    expect(press('ArrowLeft', document.body, { shiftKey: true })).toEqual({ type: 'step', direction: -1 });
    expect(press('b')).toEqual({ type: 'blank' });
    expect(press('.')).toEqual({ type: 'blank' });
    expect(press('Escape')).toEqual({ type: 'exit' });
  });
  it('Space and Enter press a focused button instead of advancing', () => {
    document.body.innerHTML = '<button>Blank</button>';
    expect(press(' ', document.querySelector('button')!)).toBeNull();
    expect(press(' ')).toEqual({ type: 'slide', direction: 1 });
  });
  it('ignores modified keys', () => {
    expect(press('PageDown', document.body, { ctrlKey: true })).toBeNull();
  });
});
