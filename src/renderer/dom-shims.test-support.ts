/**
 * What jsdom lacks and the renderer's widgets touch, for the component tests (vitest's `renderer` project loads
 * this before every test file). jsdom has no layout, no media queries and no canvas: xterm measures nothing, and
 * panes that re-fit on resize simply never get a resize.
 */
globalThis.ResizeObserver ??= class {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
};
window.matchMedia ??= (query: string) => ({ matches: false, media: query, onchange: null, addListener() {}, removeListener() {}, addEventListener() {}, removeEventListener() {}, dispatchEvent: () => false });
// xterm measures text with a canvas when there is one and does without otherwise: say there is none, quietly.
HTMLCanvasElement.prototype.getContext = (() => null) as unknown as HTMLCanvasElement['getContext'];
