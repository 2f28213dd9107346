// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { tabNeighbour } from './tabs.ts';

const key = (k: string, init: KeyboardEventInit = {}): KeyboardEvent => new KeyboardEvent('keydown', { key: k, cancelable: true, ...init });

describe('WAI-ARIA tabs keys', () => {
  const ids = ['state', 'lesson', 'quiz'];
  it('moves right and left with wrapping, Home and End to the ends', () => {
    expect(tabNeighbour(key('ArrowRight'), ids, 'state')).toBe('lesson');
    expect(tabNeighbour(key('ArrowRight'), ids, 'quiz')).toBe('state');
    expect(tabNeighbour(key('ArrowLeft'), ids, 'state')).toBe('quiz');
    expect(tabNeighbour(key('Home'), ids, 'quiz')).toBe('state');
    expect(tabNeighbour(key('End'), ids, 'state')).toBe('quiz');
  });
  it('takes the key (so the player does not also step) only when it moves', () => {
    const e = key('ArrowRight');
    tabNeighbour(e, ids, 'state');
    expect(e.defaultPrevented).toBe(true);
    const other = key('a');
    expect(tabNeighbour(other, ids, 'state')).toBeNull();
    expect(other.defaultPrevented).toBe(false);
    expect(tabNeighbour(key('ArrowRight', { ctrlKey: true }), ids, 'state')).toBeNull();
  });
});
