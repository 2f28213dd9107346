/**
 * The WAI-ARIA tabs keyboard pattern (https://www.w3.org/WAI/ARIA/apg/patterns/tabs/), shared by every tab list
 * of the app: ←/→ move to the previous / next tab (wrapping), Home/End to the first / last, and the tab that
 * receives focus is also selected (automatic activation). Only the selected tab is in the Tab order.
 */

/** The tab id that a key moves to from `current`, or null when the key is not a tab-list key. */
export function tabNeighbour<T>(e: KeyboardEvent, ids: readonly T[], current: T): T | null {
  if (e.altKey || e.ctrlKey || e.metaKey || ids.length === 0) return null;
  const at = Math.max(0, ids.indexOf(current));
  let to: number;
  switch (e.key) {
    case 'ArrowRight': to = (at + 1) % ids.length; break;
    case 'ArrowLeft': to = (at - 1 + ids.length) % ids.length; break;
    case 'Home': to = 0; break;
    case 'End': to = ids.length - 1; break;
    default: return null;
  }
  e.preventDefault();
  e.stopPropagation();
  return ids[to] ?? null;
}

/** Focuses the `index`-th tab of the tab list that holds `from` (after the DOM has updated the selection). */
export function focusTab(from: HTMLElement, index: number): void {
  const list = from.closest('[role="tablist"]');
  queueMicrotask(() => list?.querySelectorAll<HTMLElement>('[role="tab"]')[index]?.focus());
}
