/** The lesson's files as tabs of numbered lines; the line of the current step is marked (colour, ▶ and bold). */
import { fill, h } from './dom.ts';

export interface LessonFileText {
  readonly path: string;
  readonly text: string;
}

export class CodeView {
  readonly el: HTMLElement;
  readonly #tabs: HTMLElement;
  readonly #body: HTMLElement;
  readonly #files: readonly LessonFileText[];
  #shown = -1;
  #lines: HTMLElement[] = [];
  #current: HTMLElement | null = null;

  constructor(files: readonly LessonFileText[], entry: string) {
    this.#files = files;
    this.#tabs = h('div', { class: 'tabs', attrs: { role: 'tablist', 'aria-label': 'Files' } });
    this.#body = h('div', { class: 'body', attrs: { 'data-testid': 'code', tabindex: '0', role: 'region', 'aria-label': 'Source code' } });
    this.el = h('section', { class: 'panel code-panel', attrs: { 'aria-label': 'Code' } }, [h('h2', { text: 'Code' }), this.#tabs, this.#body]);
    files.forEach((f, i) => {
      const tab = h('button', { text: f.path, attrs: { role: 'tab', type: 'button', 'aria-selected': 'false', 'data-path': f.path } });
      tab.addEventListener('click', () => this.#show(i));
      this.#tabs.append(tab);
    });
    if (files.length === 0) this.#body.append(h('p', { class: 'empty', text: 'The trace holds no source files.' }));
    else this.#show(Math.max(0, files.findIndex((f) => f.path === entry)));
  }

  /** Marks `line` of `path` (switching to its tab), or clears the mark. */
  highlight(at: { path: string; line: number } | null): void {
    this.#current?.classList.remove('current');
    this.#current?.removeAttribute('aria-current');
    this.#current = null;
    if (!at) return;
    const i = this.#files.findIndex((f) => f.path === at.path);
    if (i < 0) return;
    if (i !== this.#shown) this.#show(i);
    const line = this.#lines[at.line - 1];
    if (!line) return;
    line.classList.add('current');
    line.setAttribute('aria-current', 'step');
    this.#current = line;
    line.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }

  #show(i: number): void {
    const file = this.#files[i];
    if (!file) return;
    this.#shown = i;
    this.#current = null;
    for (const tab of this.#tabs.children) tab.setAttribute('aria-selected', String(tab.getAttribute('data-path') === file.path));
    this.#lines = file.text.replace(/\r\n?/g, '\n').split('\n').map((text, n) => h('span', { class: 'ln', text: text || ' ', attrs: { 'data-n': String(n + 1) } }));
    fill(this.#body, [h('pre', { class: 'code', attrs: { 'data-path': file.path } }, this.#lines)]);
  }
}
