/**
 * Console output up to the cursor, printed as plain `node` would (a console call is a line; raw
 * `process.stdout.write` text is printed as is). The lines of a state are a prefix of the run's lines, so moving
 * the cursor only appends or removes the lines in between.
 */
import type { ConsoleLine, RuntimeState } from '../shared/trace/runtime-state.ts';
import { h } from './dom.ts';

export class ConsoleView {
  readonly el: HTMLElement;
  readonly #out: HTMLElement;
  readonly #end: HTMLElement;
  readonly #multiAgent: boolean;

  constructor(multiAgent: boolean) {
    this.#multiAgent = multiAgent;
    this.#out = h('pre', { class: 'console', attrs: { 'data-testid': 'console', 'aria-live': 'off' } });
    this.#end = h('div', { class: 'end', attrs: { 'data-testid': 'run-end' } });
    this.el = h('section', { class: 'panel console-panel', attrs: { 'aria-label': 'Console' } }, [h('h2', { text: 'Console' }), h('div', { class: 'body', attrs: { tabindex: '0', role: 'region', 'aria-label': 'Console output' } }, [this.#out, this.#end])]);
  }

  update(state: RuntimeState): void {
    const lines = state.console;
    const out = this.#out;
    while (out.childElementCount > lines.length) out.lastElementChild!.remove();
    for (let i = out.childElementCount; i < lines.length; i++) out.append(this.#line(lines[i]!));
    const end = state.runEnd;
    const errors = state.errors;
    const parts: string[] = [];
    for (const e of errors) parts.push(`${e.agent === 0 ? '' : `worker ${e.agent}: `}${e.stack || e.message}`);
    if (end) parts.push(end.message || 'The run ended.');
    this.#end.textContent = parts.join('\n');
    this.#end.hidden = parts.length === 0;
    this.#end.classList.toggle('failed', errors.length > 0);
  }

  #line(line: ConsoleLine): HTMLElement {
    const raw = line.stream === 2 || line.stream === 3;
    const err = line.stream === 1 || line.stream === 3;
    const prefix = this.#multiAgent && line.agent !== 0 && !raw ? `[worker ${line.agent}] ` : '';
    return h('span', { class: err ? 'err' : 'out', text: raw ? line.text : `${prefix}${line.text}\n`, attrs: { 'data-step': String(line.step) } });
  }
}
