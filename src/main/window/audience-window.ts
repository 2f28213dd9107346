/**
 * The audience window of presenter mode: a second window the presenter drags to the projector. It loads the app's
 * page with `#view=audience` (src/renderer/src/main.ts mounts the audience view, which opens no API connection
 * and follows the presenter over a BroadcastChannel of the app's origin). It has no preload, so it has no bridge
 * at all — and the IPC layer trusts only the main window anyway. One audience window at a time: asking again
 * brings it to the front. Electron-free at run time (the window class is injected), so it is unit-tested with fakes.
 */
import type { BrowserWindowConstructorOptions } from 'electron';
import { LOCKED_DOWN_WEB_PREFERENCES } from './window-options.ts';

export interface AudienceWindowLike {
  loadURL(url: string): Promise<void>;
  focus(): void;
  show(): void;
  isDestroyed(): boolean;
  once(event: 'ready-to-show', listener: () => void): void;
  on(event: 'closed', listener: () => void): void;
}

export function audienceWindowOptions(options: { dark: boolean }): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 720,
    show: false,
    title: 'Loopscope — audience',
    backgroundColor: options.dark ? '#1e1e1e' : '#ffffff',
    autoHideMenuBar: true,
    webPreferences: { ...LOCKED_DOWN_WEB_PREFERENCES }, // no preload: the audience view needs no API
  };
}

/** The audience page's URL from the app's page URL. */
export function audiencePageUrl(pageUrl: string): string {
  const u = new URL(pageUrl);
  u.hash = 'view=audience';
  return u.toString();
}

/** Opens the audience window, or brings the open one to the front. Returns true when a new window was made. */
export function audienceWindowOpener(deps: { create(options: BrowserWindowConstructorOptions): AudienceWindowLike; pageUrl: string; dark(): boolean }): () => Promise<boolean> {
  let current: AudienceWindowLike | null = null;
  return async () => {
    if (current && !current.isDestroyed()) {
      current.focus();
      return false;
    }
    const win = deps.create(audienceWindowOptions({ dark: deps.dark() }));
    current = win;
    win.once('ready-to-show', () => win.show());
    win.on('closed', () => {
      if (current === win) current = null;
    });
    await win.loadURL(audiencePageUrl(deps.pageUrl));
    return true;
  };
}
