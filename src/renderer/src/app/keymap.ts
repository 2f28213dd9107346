/**
 * Keyboard shortcuts handled by the page (identical in the desktop app and browser mode). The desktop menu shows
 * the same accelerators (src/main/menu.ts). Player keys (←/→, Home/End) apply only outside text fields and the
 * editor, where those keys move the caret.
 */
import type { AppCommand } from '../../../shared/ipc/contract.ts';

const COMPOSITE = '[role="tablist"], [role="listbox"], [role="menu"], [role="radiogroup"], [role="grid"], dialog';

export type PageCommand = AppCommand | 'first-step' | 'last-step' | 'present';

function isTextTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  return target.closest('input, textarea, select, .monaco-editor') !== null;
}

export function commandForKey(e: KeyboardEvent, isMac: boolean): PageCommand | null {
  const mod = isMac ? e.metaKey : e.ctrlKey;
  if (e.key === 'Enter' && mod && !e.shiftKey && !e.altKey) return 'run';
  if (e.key === 'F5' && e.shiftKey) return 'stop';
  if (e.key === 'F5' && !mod && !e.altKey) return 'present'; // (not a reload: the page prevents it)
  if (e.key === 'F10') return e.shiftKey ? 'step-back' : 'step-forward';
  if (e.altKey && e.key === 'PageDown') return 'next-lesson';
  if (e.altKey && e.key === 'PageUp') return 'prev-lesson';
  if (mod && !e.shiftKey && e.key.toLowerCase() === 'o') return 'open-folder';
  if (mod && e.shiftKey && e.key.toLowerCase() === 'o') return 'open-trace';
  if (isTextTarget(e.target) || e.altKey || e.ctrlKey || e.metaKey) return null;
  if (e.target instanceof Element && e.target.closest(COMPOSITE)) return null; // arrows move within tabs, lists, menus
  if (e.key === 'ArrowRight') return 'step-forward';
  if (e.key === 'ArrowLeft') return 'step-back';
  if (e.key === 'Home') return 'first-step';
  if (e.key === 'End') return 'last-step';
  return null;
}
