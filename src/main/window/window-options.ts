/**
 * The main window's construction options and the guards put on its web contents and session. Electron-only, but
 * imports nothing from 'electron' at run time (types only), so it is unit-tested with fakes.
 *
 * Invariants: the renderer is sandboxed and context-isolated with no Node integration and web security on; it
 * cannot navigate away from the app, open windows, attach webviews or get any permission but the clipboard (for the
 * app's own pages); links leave the app
 * only through `openExternal` of http(s) URLs.
 */
import type { BrowserWindowConstructorOptions, Session, WebContents } from 'electron';
import { openExternalSafely } from '../security/external-links.ts';
import type { WindowBounds } from '../../services/settings/settings-file.ts';

export const DEFAULT_BOUNDS = { width: 1280, height: 820 } as const;

/** Every window of the app: sandboxed, context-isolated, no Node anywhere, web security on. */
export const LOCKED_DOWN_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  experimentalFeatures: false,
  navigateOnDragDrop: false,
  spellcheck: false,
  safeDialogs: true,
} as const satisfies NonNullable<BrowserWindowConstructorOptions['webPreferences']>;

export function mainWindowOptions(options: { preloadPath: string; bounds: WindowBounds | null; dark: boolean }): BrowserWindowConstructorOptions {
  const b = options.bounds;
  return {
    width: b?.width ?? DEFAULT_BOUNDS.width,
    height: b?.height ?? DEFAULT_BOUNDS.height,
    ...(b?.x !== undefined && b.y !== undefined ? { x: b.x, y: b.y } : {}),
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Loopscope',
    backgroundColor: options.dark ? '#1e1e1e' : '#ffffff',
    webPreferences: { preload: options.preloadPath, ...LOCKED_DOWN_WEB_PREFERENCES },
  };
}

export interface ContentsGuardOptions {
  /** True for the app's own pages (the only place a frame may navigate to: reloads). */
  isAppUrl(url: string): boolean;
  openExternal(url: string): Promise<void>;
}

/** Denies navigation away from the app, new windows and webviews; http(s) links open in the OS browser. */
export function guardContents(contents: WebContents, options: ContentsGuardOptions): void {
  const stayInApp = (event: { preventDefault(): void }, url: string): void => {
    if (options.isAppUrl(url)) return;
    event.preventDefault();
    openExternalSafely(url, options.openExternal);
  };
  contents.on('will-navigate', (event, url) => stayInApp(event, url));
  contents.on('will-redirect', (event, url) => {
    if (!options.isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternalSafely(url, options.openExternal);
    return { action: 'deny' };
  });
}

/**
 * The async Clipboard API, for the app's own pages only: Monaco's context-menu Paste reads the clipboard with
 * navigator.clipboard.readText (and Copy writes with writeText), which Chromium gates behind these permissions.
 */
const APP_PAGE_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-read', 'clipboard-sanitized-write']);

/**
 * Every other permission request and check is refused: the app needs no camera, notifications, USB, … The clipboard
 * is granted only when both the asking page and the frame's top document are the app's own (`isAppUrl`).
 */
export function guardSession(ses: Session, options: { isAppUrl(url: string): boolean }): void {
  const allowed = (contents: WebContents | null, permission: string, requestingUrl: string | undefined): boolean =>
    APP_PAGE_PERMISSIONS.has(permission) && requestingUrl !== undefined && options.isAppUrl(requestingUrl) && contents !== null && options.isAppUrl(contents.getURL());
  ses.setPermissionRequestHandler((contents, permission, callback, details) => callback(allowed(contents, permission, details.requestingUrl)));
  ses.setPermissionCheckHandler((contents, permission, requestingOrigin) => allowed(contents, permission, requestingOrigin));
  ses.setDevicePermissionHandler(() => false);
  ses.setDisplayMediaRequestHandler((_request, callback) => callback({}));
  ses.on('will-download', (event) => event.preventDefault());
}
