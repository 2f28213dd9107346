/** A tiny element factory for the player's DOM code: no framework, no innerHTML (all text goes in as text). */

export interface Props {
  readonly class?: string;
  readonly text?: string;
  readonly title?: string;
  /** Attributes, e.g. `data-testid`, `aria-label`. */
  readonly attrs?: Readonly<Record<string, string>>;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, children: readonly (Node | string)[] = []): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  if (props.text !== undefined) el.textContent = props.text;
  if (props.title) el.title = props.title;
  if (props.attrs) for (const [k, v] of Object.entries(props.attrs)) el.setAttribute(k, v);
  for (const c of children) el.append(c);
  return el;
}

/** Replaces all children of `el`. */
export function fill(el: Element, children: readonly (Node | string)[]): void {
  el.replaceChildren(...children);
}
