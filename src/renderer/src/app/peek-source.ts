/**
 * "Peek" a source line from anywhere in the app (a stage card's callback) without threading props through every
 * component between the stage and the editor: one tiny typed channel on the window. The editor marks the line
 * while it is peeked (if its file is the one shown); null ends the peek.
 */
export interface PeekTarget {
  readonly file: string;
  readonly line: number;
}

const EVENT = 'loopscope:peek-source';

export function peekSource(target: PeekTarget | null): void {
  window.dispatchEvent(new CustomEvent<PeekTarget | null>(EVENT, { detail: target }));
}

export function onPeekSource(handler: (target: PeekTarget | null) => void): () => void {
  const listener = (e: Event): void => handler((e as CustomEvent<PeekTarget | null>).detail);
  window.addEventListener(EVENT, listener);
  return () => window.removeEventListener(EVENT, listener);
}
