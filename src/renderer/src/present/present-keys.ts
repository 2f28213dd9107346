/**
 * Presenter-mode keys, clicker-friendly: presentation remotes send PageDown/PageUp (some send →/← or Space) and
 * B or . to blank the screen, like slide software. Keys on a focused control (a button, the scale list) are left
 * to that control; Esc un-blanks first, then leaves presenter mode.
 */
import { isControlTarget } from '../player/shortcuts.ts';

export type PresentAction =
  | { type: 'slide'; direction: 1 | -1 }
  | { type: 'step'; direction: 1 | -1 }
  | { type: 'first' }
  | { type: 'last' }
  | { type: 'blank' }
  | { type: 'draw' }
  | { type: 'scale'; deltaPct: number }
  | { type: 'exit' };

export function presentAction(e: KeyboardEvent): PresentAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  const onControl = isControlTarget(e.target);
  switch (e.key) {
    case 'PageDown':
      return { type: 'slide', direction: 1 };
    case 'PageUp':
      return { type: 'slide', direction: -1 };
    case 'ArrowRight':
    case 'ArrowLeft':
      if (onControl && e.target instanceof HTMLSelectElement) return null;
      return e.shiftKey ? { type: 'step', direction: e.key === 'ArrowRight' ? 1 : -1 } : { type: 'slide', direction: e.key === 'ArrowRight' ? 1 : -1 };
    case ' ':
    case 'Enter':
      return onControl ? null : { type: 'slide', direction: e.shiftKey ? -1 : 1 };
    case 'Home':
      return onControl ? null : { type: 'first' };
    case 'End':
      return onControl ? null : { type: 'last' };
    case 'b':
    case 'B':
    case '.':
      return { type: 'blank' };
    case 'd':
    case 'D':
      return { type: 'draw' };
    case '+':
    case '=':
      return { type: 'scale', deltaPct: 10 };
    case '-':
    case '_':
      return { type: 'scale', deltaPct: -10 };
    case 'Escape':
      return { type: 'exit' };
    default:
      return null;
  }
}

export const PRESENT_KEYS: readonly { keys: string; what: string }[] = [
  { keys: 'PageDown / → / Space', what: 'next checkpoint' },
  { keys: 'PageUp / ←', what: 'previous checkpoint' },
  { keys: 'Shift+→ / Shift+←', what: 'one step' },
  { keys: 'B or .', what: 'blank screen' },
  { keys: 'D', what: 'draw' },
  { keys: '+ / −', what: 'scale' },
  { keys: 'Esc', what: 'leave' },
];
