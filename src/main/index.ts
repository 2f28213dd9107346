/**
 * The Electron main process: thin glue. It starts the runtime host, the lesson store and the app service, opens
 * one hardened window serving the renderer from `loopscope://app/`, and connects the window to the service
 * (ipc/ipc-main.ts). The main process never runs snippet code; the runtime host (a supervised child process
 * under Node's permission model) does.
 *
 * Electron-only paths here are covered by type checks, by unit tests of the modules this file wires together
 * (window options and guards, IPC handlers, menu, app protocol, lifecycle) and by the main-process smoke test
 * (test/main-smoke), which runs the built out/main under Node with an Electron stand-in that enforces Electron's
 * ordering rules. The Electron binary itself is not available in CI.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, MessageChannelMain, nativeTheme, protocol, session, shell, type WebContents } from 'electron';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as HostClient from '../runtime/host-client.ts';
import type { AppCommand, ExportFormat } from '../shared/ipc/contract.ts';
import { registerIpc, trustedSenderCheck } from './ipc/ipc-main.ts';
import { loadPage, quitAfterPendingWork, startOrFail } from './lifecycle.ts';
import { menuTemplate } from './menu.ts';
import { isSafeExternalUrl } from './security/external-links.ts';
import { AppService } from '../services/app/app-service.ts';
import { SettingsFile } from '../services/settings/settings-file.ts';
import { TrustStore } from '../services/settings/trust-store.ts';
import { askTrustNatively } from './trust-dialog.ts';
import { snapshotSaver } from './snapshot-save.ts';
import { flushWrites, writeFileAtomic } from '../services/store/atomic-write.ts';
import { LessonStore } from '../services/store/lesson-store.ts';
import { loadLibrary } from '../services/store/library.ts';
import { APP_SCHEME, APP_URL, appProtocolHandler } from './window/app-protocol.ts';
import { pageUrlCheck } from './window/page-urls.ts';
import { guardContents, guardSession, mainWindowOptions } from './window/window-options.ts';
import { audienceWindowOpener } from './window/audience-window.ts';
import { trackWindowBounds } from './window/window-bounds.ts';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const devServerUrl = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL'];
const isPageUrl = pageUrlCheck(devServerUrl);
/** How long quitting may wait for pending saves and the runtime host before it quits anyway. */
const QUIT_WAIT_MS = 3000;

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // A throw anywhere in start() (an unreadable data dir, a missing build) shows a dialog and exits non-zero.
  void startOrFail(app.whenReady(), start, { showError: (title, message) => dialog.showErrorBox(title, message), exit: (code) => app.exit(code) });
}

async function start(): Promise<void> {
  const appRoot = app.getAppPath();
  const dataDir = app.getPath('userData');
  mkdirSync(dataDir, { recursive: true });
  const settings = await SettingsFile.open(dataDir);
  nativeTheme.themeSource = settings.settings.theme;
  settings.onChange((s) => {
    nativeTheme.themeSource = s.theme; // native dialogs, menus and the window background follow the choice live
  });

  // The runtime is not bundled into main: host-client.ts forks host.ts from its own folder, so it is loaded from the
  // source tree at run time (the same relative path from src/main and from out/main).
  const runtimeUrl = new URL('../../src/runtime/host-client.ts', import.meta.url).href;
  const { startRuntimeHost } = (await import(/* @vite-ignore */ runtimeUrl)) as typeof HostClient;
  // No execPath: Electron's fork picks its helper executable on macOS (no second Dock icon), the app binary elsewhere.
  const runtime = startRuntimeHost({ appRoot, runAsNode: true });
  const trust = await TrustStore.open(dataDir);
  const store = new LessonStore({ bundledRoot: join(appRoot, 'lessons'), dataDir, folders: settings.folders, load: loadLibrary, isTrusted: (f) => trust.isTrusted(f) });
  let window: BrowserWindow | null = null;
  const openAudience = audienceWindowOpener({ create: (options) => new BrowserWindow(options), pageUrl: devServerUrl ?? APP_URL, dark: () => nativeTheme.shouldUseDarkColors });

  const service = new AppService({
    openAudience,
    classRendererDir: here('../renderer'),
    store,
    settings,
    trust,
    runtime,
    askTrust: (request) => askTrustNatively(dialog, window, request),
    async pickFolder() {
      if (!window) return null;
      const r = await dialog.showOpenDialog(window, { title: 'Open a folder of lessons', properties: ['openDirectory'] });
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    async saveExport(format, fileName, content) {
      if (!window) return null;
      const r = await dialog.showSaveDialog(window, { title: 'Export trace', defaultPath: join(app.getPath('documents'), fileName), filters: exportFilters(format) });
      if (r.canceled || !r.filePath) return null;
      await writeFileAtomic(r.filePath, content);
      return r.filePath;
    },
    saveSnapshot: snapshotSaver({ dialog, window: () => window, documentsDir: () => app.getPath('documents'), write: writeFileAtomic }),
    packs: {
      packsDir: join(dataDir, 'packs'),
      async pickPack() {
        if (!window) return null;
        // Windows and Linux dialogs pick files or folders, not both: there a folder pack is opened with "Open folder…".
        const properties: ('openFile' | 'openDirectory')[] = process.platform === 'darwin' ? ['openFile', 'openDirectory'] : ['openFile'];
        const r = await dialog.showOpenDialog(window, { title: 'Import a lesson pack', properties, filters: [{ name: 'Lesson pack', extensions: ['zip'] }] });
        return r.canceled ? null : (r.filePaths[0] ?? null);
      },
      async savePack(fileName, format) {
        if (!window) return null;
        const r = await dialog.showSaveDialog(window, { title: 'Export lessons as a pack', defaultPath: join(app.getPath('documents'), fileName), ...(format === 'zip' ? { filters: [{ name: 'Lesson pack', extensions: ['zip'] }] } : {}) });
        return r.canceled || !r.filePath ? null : r.filePath;
      },
    },
  });

  guardSession(session.defaultSession, { isAppUrl: isPageUrl });
  session.defaultSession.protocol.handle(APP_SCHEME, appProtocolHandler(here('../renderer')));
  app.on('web-contents-created', (_event, contents) => guardContents(contents, { isAppUrl: isPageUrl, openExternal: (url) => shell.openExternal(url) }));

  const unregister = registerIpc({
    ipcMain,
    isTrustedSender: trustedSenderCheck((contents: WebContents) => window !== null && contents === window.webContents, isPageUrl),
    connect: (emit) => service.connect(emit),
    createChannel: () => new MessageChannelMain(),
    onRejected: (why) => console.warn(`[loopscope] rejected: ${why}`),
  });

  const sendCommand = (command: AppCommand): void => service.broadcast({ type: 'app.command', command });
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate({
        isMac: process.platform === 'darwin',
        appName: app.name,
        actions: { command: sendCommand, openExternal: (url) => void (isSafeExternalUrl(url) && shell.openExternal(url)) },
      }),
    ),
  );

  const createWindow = (): void => {
    const win = new BrowserWindow(mainWindowOptions({ preloadPath: here('../preload/index.cjs'), bounds: settings.windowBounds, dark: nativeTheme.shouldUseDarkColors }));
    window = win;
    trackWindowBounds(win, (bounds) => void settings.setWindowBounds(bounds));
    if (settings.windowBounds?.maximized) win.maximize();
    win.once('ready-to-show', () => win.show());
    win.on('closed', () => {
      if (window === win) window = null;
    });
    loadPage(win, devServerUrl ?? APP_URL, (message) => {
      const hint = devServerUrl ? ' Is the dev server (npm run dev) still running?' : ' Rebuild with `npm run build`.';
      dialog.showErrorBox('Loopscope could not load its window', `${message}.${hint}`);
      app.exit(1);
    });
  };
  createWindow();

  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });
  app.on('activate', () => {
    if (!window) createWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // Quit waits (bounded) for saves in flight (an edit flushed as the window unloads), then the runtime host.
  app.on(
    'will-quit',
    quitAfterPendingWork(
      {
        stopIntake: () => {
          unregister();
          service.dispose();
        },
        pending: () => [store.settled(), flushWrites(), runtime.dispose()],
        quit: () => app.quit(),
      },
      QUIT_WAIT_MS,
    ),
  );
}

function exportFilters(format: ExportFormat): Electron.FileFilter[] {
  if (format === 'chrome') return [{ name: 'Chrome trace (Perfetto)', extensions: ['json'] }];
  if (format === 'html') return [{ name: 'HTML player', extensions: ['html'] }];
  return [{ name: 'Loopscope trace', extensions: ['loopscope', 'json'] }];
}
