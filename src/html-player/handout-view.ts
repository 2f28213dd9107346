/**
 * The handout part of an exported lesson: its checkpoints (name, explanation, a button that moves the player to
 * the checkpoint's step) and the lesson's text. All of it goes into the page as text (the file may carry
 * anything); the Markdown source is shown as written.
 */
import type { Handout } from '../shared/export/handout.ts';
import { h } from './dom.ts';

export function handoutView(handout: Handout, seek: (cursor: number) => void): HTMLElement {
  const list = h(
    'ol',
    { class: 'checkpoints', attrs: { 'data-testid': 'handout-checkpoints' } },
    handout.checkpoints.map((c) =>
      h('li', {}, [
        h('button', { text: `⚑ ${c.name}`, attrs: { type: 'button', 'data-testid': 'handout-jump', 'data-cursor': String(c.cursor), 'aria-label': `Show checkpoint “${c.name}” (step ${c.cursor})` } }),
        h('span', { class: 'at', text: ` step ${c.cursor.toLocaleString('en-US')}` }),
        c.explain ? h('p', { text: c.explain }) : '',
      ]),
    ),
  );
  list.addEventListener('click', (e) => {
    const b = (e.target as Element).closest('button[data-cursor]');
    if (b) seek(Number(b.getAttribute('data-cursor')));
  });
  return h('section', { class: 'handout', attrs: { 'aria-label': 'Lesson handout', 'data-testid': 'handout' } }, [
    handout.checkpoints.length > 0 ? h('div', {}, [h('h2', { text: 'Checkpoints' }), list]) : '',
    handout.lessonText ? h('details', { attrs: { open: '' } }, [h('summary', { text: 'The lesson' }), h('pre', { class: 'lesson-text', text: handout.lessonText, attrs: { 'data-testid': 'handout-lesson' } })]) : '',
  ]);
}
