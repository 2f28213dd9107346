/**
 * Remembers the main window's size and position: saved (debounced) when it moves or resizes and when it closes;
 * restored by mainWindowOptions. Maximized state is kept apart from the normal bounds.
 */
import type { BrowserWindow } from 'electron';
import type { WindowBounds } from '../../services/settings/settings-file.ts';

export type BoundsSource = Pick<BrowserWindow, 'on' | 'getNormalBounds' | 'isMaximized' | 'isDestroyed'>;

export function trackWindowBounds(win: BoundsSource, save: (bounds: WindowBounds) => void, debounceMs = 500): void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const snapshot = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (win.isDestroyed()) return;
    const b = win.getNormalBounds();
    save({ x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() });
  };
  const later = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(snapshot, debounceMs);
  };
  win.on('resize', later);
  win.on('move', later);
  win.on('maximize', snapshot);
  win.on('unmaximize', snapshot);
  win.on('close', snapshot);
}
