/**
 * Every keyboard shortcut of the stage, timeline and player, for the `?` list and for matching key events.
 * Player keys apply anywhere except in text fields and the code editor; Space and Enter press a focused control
 * instead, and arrows, Home and End stay with a focused tab list, list box, menu or dialog. Timeline keys apply
 * when the timeline has focus.
 */

export interface Shortcut {
  readonly keys: string;
  readonly what: string;
  readonly where: 'player' | 'timeline' | 'app';
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: 'Space', what: 'Play / pause', where: 'player' },
  { keys: '→ / ←', what: 'Step forward / back one event', where: 'player' },
  { keys: 'Shift+→ / Shift+←', what: 'Step to the next / previous task', where: 'player' },
  { keys: 'PageDown / PageUp', what: 'Next / previous lesson checkpoint', where: 'player' },
  { keys: 'Home / End', what: 'First / last step', where: 'player' },
  { keys: '+ / −', what: 'Play faster / slower (0.25× … 8×)', where: 'player' },
  { keys: 'P', what: 'Pacing: whole lesson in ~40 s → uniform steps → task by task → real time', where: 'player' },
  { keys: '?', what: 'Show / hide this list', where: 'player' },
  { keys: 'W / S', what: 'Zoom in / out (hold for smooth zoom)', where: 'timeline' },
  { keys: 'A / D', what: 'Pan left / right', where: 'timeline' },
  { keys: 'Ctrl/Cmd + wheel', what: 'Zoom at the pointer', where: 'timeline' },
  { keys: 'Drag · wheel', what: 'Pan · scroll the tracks', where: 'timeline' },
  { keys: 'Click', what: 'Select a slice and move the cursor to it', where: 'timeline' },
  { keys: 'F', what: 'Fit the selection (or the stretch with activity)', where: 'timeline' },
  { keys: '0', what: 'Show the whole run, idle start and end included', where: 'timeline' },
  { keys: 'G', what: 'Compress long idle gaps into a marked break, or show them at full length', where: 'timeline' },
  { keys: '[ / ]', what: 'Follow a flow: jump to the cause / to what it caused', where: 'timeline' },
  { keys: '↑ / ↓', what: 'Scroll the tracks', where: 'timeline' },
  { keys: 'Esc', what: 'Clear the selection', where: 'timeline' },
  { keys: 'Ctrl/Cmd+Enter', what: 'Run the lesson', where: 'app' },
];

export type PlayerKeyAction =
  | { type: 'toggle' }
  | { type: 'step'; unit: 'event' | 'task' | 'checkpoint'; direction: 1 | -1 }
  | { type: 'first' }
  | { type: 'last' }
  | { type: 'faster' }
  | { type: 'slower' }
  | { type: 'pacing' }
  | { type: 'help' };

export function isTextTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLInputElement && target.type !== 'range' && target.type !== 'checkbox' && target.type !== 'radio') return true;
  return target.closest('textarea, select, .monaco-editor, .xterm, [role="separator"]') !== null;
}

const CONTROL = 'button, a[href], summary, select, input, [role="button"], [role="tab"], [role="menuitem"], [role="option"], [role="checkbox"], [role="switch"], [role="link"]';
const COMPOSITE = '[role="tablist"], [role="listbox"], [role="menu"], [role="menubar"], [role="radiogroup"], [role="grid"], [role="tree"], dialog';

/** Space and Enter press a focused control (a button, a lesson, a tab) rather than toggling playback. */
export function isControlTarget(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest(CONTROL) !== null;
}

/** Arrow keys, Home and End belong to a focused composite widget (tabs, lists, menus, dialogs). */
export function isCompositeTarget(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest(COMPOSITE) !== null;
}

const NAVIGATION_KEYS = new Set(['ArrowRight', 'ArrowLeft', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown']);

/** The player action for a key event, or null. */
export function playerAction(e: KeyboardEvent): PlayerKeyAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  if (isTextTarget(e.target)) return null;
  if ((e.key === ' ' || e.key === 'Enter') && isControlTarget(e.target)) return null;
  if (NAVIGATION_KEYS.has(e.key) && isCompositeTarget(e.target)) return null;
  switch (e.key) {
    case ' ':
      return { type: 'toggle' };
    case 'ArrowRight':
      return { type: 'step', unit: e.shiftKey ? 'task' : 'event', direction: 1 };
    case 'ArrowLeft':
      return { type: 'step', unit: e.shiftKey ? 'task' : 'event', direction: -1 };
    case 'PageDown':
      return { type: 'step', unit: 'checkpoint', direction: 1 };
    case 'PageUp':
      return { type: 'step', unit: 'checkpoint', direction: -1 };
    case 'Home':
      return { type: 'first' };
    case 'End':
      return { type: 'last' };
    case '+':
    case '=':
      return { type: 'faster' };
    case '-':
    case '_':
      return { type: 'slower' };
    case 'p':
    case 'P':
      return { type: 'pacing' };
    case '?':
      return { type: 'help' };
    default:
      return null;
  }
}
