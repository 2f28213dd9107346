// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { playerAction } from './shortcuts.ts';

function press(key: string, target: Element, init: KeyboardEventInit = {}): ReturnType<typeof playerAction> {
  const e = new KeyboardEvent('keydown', { key, bubbles: true, ...init });
  Object.defineProperty(e, 'target', { value: target });
  return playerAction(e);
}

function el(html: string, pick: string): Element {
  document.body.innerHTML = html;
  return document.body.querySelector(pick)!;
}

describe('player keys and focused controls', () => {
  it('Space plays / pauses when focus is on the page or the stage', () => {
    expect(press(' ', document.body)).toEqual({ type: 'toggle' });
    expect(press(' ', el('<section tabindex="0" data-testid="stage"><p>x</p></section>', 'p'))).toEqual({ type: 'toggle' });
  });

  it('Space and Enter on a focused button, lesson, tab, summary or menu item are left to the control', () => {
    for (const html of ['<button>Step back</button>', '<ul><li><button data-lesson="x"><span>t</span></button></li></ul>', '<div role="tablist"><button role="tab">A</button></div>', '<details><summary>More</summary></details>', '<div role="menu"><button role="menuitem">Export</button></div>']) {
      const target = el(html, 'button, summary');
      expect(press(' ', target), html).toBeNull();
      expect(press('Enter', target), html).toBeNull();
    }
  });

  it('arrows, Home and End stay with a tab list, list box or dialog; elsewhere they step', () => {
    expect(press('ArrowRight', el('<div role="tablist"><button role="tab">A</button></div>', 'button'))).toBeNull();
    expect(press('Home', el('<ol role="listbox"><li role="option" tabindex="0">a</li></ol>', 'li'))).toBeNull();
    expect(press('ArrowLeft', el('<dialog open><button>Close</button></dialog>', 'button'))).toBeNull();
    expect(press('ArrowRight', el('<button>Play</button>', 'button'))).toEqual({ type: 'step', unit: 'event', direction: 1 });
    expect(press('PageDown', document.body)).toEqual({ type: 'step', unit: 'checkpoint', direction: 1 });
  });

  it('nothing in text fields or the editor, nothing with Ctrl/Alt/Meta', () => {
    expect(press(' ', el('<input type="text">', 'input'))).toBeNull();
    expect(press('ArrowRight', el('<div class="monaco-editor"><div tabindex="0">x</div></div>', 'div div'))).toBeNull();
    expect(press('ArrowRight', document.body, { ctrlKey: true })).toBeNull();
  });
});
