/**
 * An Electron-shaped stand-in for the `electron` module, used by the main-process smoke test (run.ts) to load the
 * built out/main under plain Node. It is not a fake that agrees with everything: it enforces the rules Electron 45
 * documents and throws (and records) where Electron would refuse, so a wrongly ordered main process fails here.
 *
 * Rules enforced (Electron docs, api/protocol.md, api/app.md, api/browser-window.md, api/session.md,
 * tutorial/sandbox.md, tutorial/esm.md):
 * - protocol.registerSchemesAsPrivileged: only before the app's ready event, and only once.
 * - app.enableSandbox: only before ready.
 * - every other protocol method (protocol.handle), session.defaultSession and BrowserWindow: only after ready.
 * - a sandboxed preload is a plain CommonJS script (ES module preloads are not supported in sandboxed renderers);
 *   its `require` offers only 'electron' (renderer modules), 'events', 'timers' and 'url'.
 * - contextBridge needs contextIsolation; ipcMain.handle refuses a second handler for one channel.
 * - app.quit closes the windows, then emits will-quit (window-all-closed is not emitted for an explicit quit).
 *
 * The renderer side is played by the *built* preload, run in a vm context with a stand-in ipcRenderer wired to this
 * ipcMain; MessagePorts are Node's (structured clone, like Chromium's). What this cannot prove: Chromium itself,
 * the preload in a real renderer process, native menus and dialogs, and the OS sandbox of the renderer.
 */
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import vm from 'node:vm';
import { MessageChannel, type MessagePort } from 'node:worker_threads';

// ------------------------------------------------------------------------------------------- control and rules

export interface StandInConfig {
  appPath: string;
  paths: Record<string, string>;
  singleInstanceLock: boolean;
  /** Where the save dialog "saves". */
  saveDir: string;
  /** What the folder picker picks (absent: it is cancelled). */
  openFolder?: string;
  /** The button the native message box answers with (the trust prompt: 0 Cancel, 1 Run). */
  messageBoxResponse?: number;
}

type Handler = (request: Request) => Promise<Response> | Response;

export const standIn = {
  config: { appPath: '', paths: {}, singleInstanceLock: true, saveDir: '' } as StandInConfig,
  ready: false,
  /** Every call that matters, in order: the smoke test asserts the start-up sequence from it. */
  calls: [] as string[],
  violations: [] as string[],
  errorBoxes: [] as { title: string; content: string }[],
  exitCode: null as number | null,
  quitted: false,
  privilegedSchemes: [] as { scheme: string; privileges?: Record<string, boolean> }[],
  windows: [] as BrowserWindow[],
  applicationMenu: null as unknown,
  themeHistory: [] as string[],
  /** Emits the app's ready event (Electron does this once its own start-up is done). */
  emitReady(): void {
    if (standIn.ready) return;
    standIn.ready = true;
    standIn.calls.push('ready');
    app.emit('ready', {}, {});
    resolveReady();
  },
};

function rule(ok: boolean, message: string): void {
  if (ok) return;
  standIn.violations.push(message);
  throw new Error(`[electron stand-in] ${message}`);
}

let resolveReady!: () => void;
const readyPromise = new Promise<void>((resolve) => (resolveReady = resolve));

// ----------------------------------------------------------------------------------------------------------- app

class App extends EventEmitter {
  readonly isPackaged = false;
  readonly name = 'Loopscope';
  isReady(): boolean {
    return standIn.ready;
  }
  whenReady(): Promise<void> {
    return readyPromise;
  }
  enableSandbox(): void {
    standIn.calls.push('app.enableSandbox');
    rule(!standIn.ready, 'app.enableSandbox() can only be called before app is ready');
  }
  requestSingleInstanceLock(): boolean {
    standIn.calls.push('app.requestSingleInstanceLock');
    return standIn.config.singleInstanceLock;
  }
  getAppPath(): string {
    return standIn.config.appPath;
  }
  getPath(name: string): string {
    const path = standIn.config.paths[name];
    if (!path) throw new Error(`Failed to get '${name}' path`);
    return path;
  }
  quit(): void {
    standIn.calls.push('app.quit');
    setImmediate(() => this.#quit());
  }
  exit(code = 0): void {
    standIn.calls.push(`app.exit(${code})`);
    standIn.exitCode = code;
    standIn.quitted = true;
  }
  #quit(): void {
    const beforeQuit = event();
    this.emit('before-quit', beforeQuit);
    if (beforeQuit.defaultPrevented) return;
    for (const win of [...standIn.windows]) win.close();
    if (standIn.windows.length > 0) return; // a window refused to close
    const willQuit = event();
    this.emit('will-quit', willQuit);
    if (willQuit.defaultPrevented) return;
    standIn.quitted = true;
    this.emit('quit', event(), 0);
  }
}

function event(): { defaultPrevented: boolean; preventDefault(): void } {
  return {
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

export const app = new App();

// --------------------------------------------------------------------------------------------- protocol, session

class Protocol {
  readonly handlers = new Map<string, Handler>();
  handle(scheme: string, handler: Handler): void {
    standIn.calls.push(`protocol.handle(${scheme})`);
    rule(standIn.ready, 'protocol.handle can only be used after the ready event of the app module');
    rule(!this.handlers.has(scheme), `protocol.handle: the scheme ${scheme} is already handled`);
    this.handlers.set(scheme, handler);
  }
  unhandle(scheme: string): void {
    this.handlers.delete(scheme);
  }
  isProtocolHandled(scheme: string): boolean {
    return this.handlers.has(scheme);
  }
}

class Session extends EventEmitter {
  readonly protocol = new Protocol();
  permissionRequestHandler: unknown = null;
  permissionCheckHandler: unknown = null;
  setPermissionRequestHandler(handler: unknown): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: unknown): void {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(): void {}
  setDisplayMediaRequestHandler(): void {}
}

const defaultSession = new Session();

export const session = {
  get defaultSession(): Session {
    rule(standIn.ready, 'session.defaultSession can only be used after the ready event of the app module');
    return defaultSession;
  },
};

let schemesRegistered = false;
export const protocol = {
  registerSchemesAsPrivileged(schemes: { scheme: string; privileges?: Record<string, boolean> }[]): void {
    standIn.calls.push('protocol.registerSchemesAsPrivileged');
    rule(!standIn.ready, 'protocol.registerSchemesAsPrivileged can only be used before the ready event of the app module');
    rule(!schemesRegistered, 'protocol.registerSchemesAsPrivileged can be called only once');
    schemesRegistered = true;
    standIn.privilegedSchemes.push(...schemes);
  },
  handle(scheme: string, handler: Handler): void {
    rule(standIn.ready, 'protocol.handle can only be used after the ready event of the app module');
    defaultSession.protocol.handle(scheme, handler);
  },
};

// ------------------------------------------------------------------------------------------------------ ipcMain

type IpcHandler = (event: unknown, ...args: unknown[]) => unknown;

class IpcMain extends EventEmitter {
  readonly handlers = new Map<string, IpcHandler>();
  handle(channel: string, handler: IpcHandler): void {
    rule(!this.handlers.has(channel), `Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
}

export const ipcMain = new IpcMain();

// ---------------------------------------------------------------------------------------------- message ports

/** Main's end of a MessageChannelMain: an EventEmitter whose 'message' events carry `{ data, ports }`. */
export class MessagePortMain extends EventEmitter {
  readonly port: MessagePort;
  constructor(port: MessagePort) {
    super();
    this.port = port;
    port.on('message', (data: unknown) => this.emit('message', { data, ports: [] }));
    port.on('close', () => this.emit('close'));
  }
  postMessage(message: unknown): void {
    this.port.postMessage(message);
  }
  start(): void {
    this.port.start();
  }
  close(): void {
    this.port.close();
  }
}

export class MessageChannelMain {
  readonly port1: MessagePortMain;
  readonly port2: MessagePortMain;
  constructor() {
    const { port1, port2 } = new MessageChannel();
    this.port1 = new MessagePortMain(port1);
    this.port2 = new MessagePortMain(port2);
  }
}

// ------------------------------------------------------------------------------------- windows and web contents

let nextId = 1;

/** A frame as WebFrameMain shows it; `parent` is null for a top frame. */
export interface FrameStandIn {
  url: string;
  processId: number;
  routingId: number;
  parent: FrameStandIn | null;
}

export class WebContents extends EventEmitter {
  readonly id = nextId++;
  readonly mainFrame: FrameStandIn = { url: '', processId: 100 + this.id, routingId: 1, parent: null };
  /** What the preload exposed with contextBridge.exposeInMainWorld (the page's `window.*`). */
  readonly exposed = new Map<string, unknown>();
  readonly rendererListeners = new Map<string, ((event: unknown, ...args: unknown[]) => void)[]>();
  windowOpenHandler: unknown = null;
  destroyed = false;
  readonly webPreferences: Record<string, unknown>;
  constructor(webPreferences: Record<string, unknown>) {
    super();
    this.webPreferences = webPreferences;
  }
  getURL(): string {
    return this.mainFrame.url;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setWindowOpenHandler(handler: unknown): void {
    this.windowOpenHandler = handler;
  }
  /** main → renderer with transferred MessagePortMains (the renderer receives web MessagePorts). */
  postMessage(channel: string, message: unknown, transfer: MessagePortMain[] = []): void {
    rule(transfer.every((p) => p instanceof MessagePortMain), 'webContents.postMessage can only transfer MessagePortMain objects');
    const ports = transfer.map((p) => p.port);
    setImmediate(() => {
      for (const l of this.rendererListeners.get(channel) ?? []) l({ ports, sender: null }, structuredClone(message));
    });
  }
  send(channel: string, ...args: unknown[]): void {
    setImmediate(() => {
      for (const l of this.rendererListeners.get(channel) ?? []) l({ ports: [], sender: null }, ...structuredClone(args));
    });
  }
}

export class BrowserWindow extends EventEmitter {
  readonly id = nextId++;
  readonly options: Record<string, unknown>;
  readonly webContents: WebContents;
  visible = false;
  focused = 0;
  #maximized = false;
  #minimized = false;
  constructor(options: Record<string, unknown> = {}) {
    super();
    standIn.calls.push('new BrowserWindow');
    rule(standIn.ready, 'BrowserWindow cannot be used until the ready event of the app module is emitted');
    const prefs = (options['webPreferences'] ?? {}) as Record<string, unknown>;
    const sandboxed = prefs['sandbox'] !== false || standIn.calls.includes('app.enableSandbox');
    const preload = prefs['preload'];
    if (preload !== undefined) {
      rule(typeof preload === 'string' && isAbsolute(preload) && existsSync(preload), `the preload must be an absolute path to an existing file: ${String(preload)}`);
      rule(!(sandboxed && String(preload).endsWith('.mjs')), 'a sandboxed preload cannot be an ES module (.mjs)');
    }
    this.options = options;
    this.webContents = new WebContents(prefs);
    standIn.windows.push(this);
  }
  async loadURL(url: string): Promise<void> {
    standIn.calls.push(`loadURL(${url})`);
    const scheme = new URL(url).protocol.slice(0, -1);
    const handler = defaultSession.protocol.handlers.get(scheme);
    rule(handler !== undefined, `loadURL(${url}): no protocol handler for ${scheme}:`);
    const response = await handler!(new Request(url));
    if (!response.ok) {
      this.webContents.emit('did-fail-load', event(), -6, 'ERR_FILE_NOT_FOUND', url, true);
      throw Object.assign(new Error(`ERR_FILE_NOT_FOUND (-6) loading '${url}'`), { errno: -6, code: 'ERR_FILE_NOT_FOUND', url });
    }
    this.webContents.mainFrame.url = url;
    const preload = this.webContents.webPreferences['preload'];
    if (typeof preload === 'string') runSandboxedPreload(preload, this.webContents);
    this.webContents.emit('did-finish-load', event());
    setImmediate(() => this.emit('ready-to-show', event()));
  }
  show(): void {
    this.visible = true;
  }
  close(): void {
    const e = event();
    this.emit('close', e);
    if (e.defaultPrevented) return;
    standIn.windows.splice(standIn.windows.indexOf(this), 1);
    this.webContents.destroyed = true;
    this.webContents.emit('destroyed');
    this.emit('closed');
  }
  isDestroyed(): boolean {
    return !standIn.windows.includes(this);
  }
  getNormalBounds(): { x: number; y: number; width: number; height: number } {
    return { x: 0, y: 0, width: Number(this.options['width'] ?? 800), height: Number(this.options['height'] ?? 600) };
  }
  isMaximized(): boolean {
    return this.#maximized;
  }
  maximize(): void {
    this.#maximized = true;
  }
  isMinimized(): boolean {
    return this.#minimized;
  }
  minimize(): void {
    this.#minimized = true;
  }
  restore(): void {
    this.#minimized = false;
  }
  focus(): void {
    this.focused++;
  }
}

// ------------------------------------------------------------------------------------- the sandboxed preload

const SANDBOX_MODULES = new Set(['events', 'timers', 'url']);

/** Runs a preload as Electron runs it in a sandboxed renderer: a CommonJS script with a restricted `require`. */
function runSandboxedPreload(path: string, contents: WebContents): void {
  const source = readFileSync(path, 'utf8');
  let script: vm.Script;
  try {
    // The same wrapper shape as a CommonJS module: `import`/`export` statements do not parse inside it.
    script = new vm.Script(`(function (exports, require, module, __filename, __dirname, process) {${source}\n})`, { filename: path });
  } catch (e) {
    rule(false, `a sandboxed preload must be a CommonJS script: ${(e as Error).message}`);
    return;
  }
  const ipcRenderer = ipcRendererFor(contents);
  const contextBridge = {
    exposeInMainWorld(key: string, api: unknown): void {
      rule(contents.webPreferences['contextIsolation'] !== false, 'contextBridge API can only be used when contextIsolation is enabled');
      contents.exposed.set(key, api);
    },
  };
  const electron = { contextBridge, ipcRenderer, webFrame: {}, webUtils: {}, crashReporter: {}, nativeImage: {} };
  const require = (name: string): unknown => {
    if (name === 'electron' || name === 'electron/renderer') return electron;
    rule(SANDBOX_MODULES.has(name.replace(/^node:/, '')), `module not found: ${name} (a sandboxed preload can only require electron, events, timers and url)`);
    return {};
  };
  const context = vm.createContext({ console });
  const module = { exports: {} };
  const fn = script.runInContext(context) as (...args: unknown[]) => void;
  fn(module.exports, require, module, path, '.', { platform: process.platform, versions: process.versions, env: {} });
}

/** The renderer's ipcRenderer for one web contents, wired to ipcMain as Electron wires it. */
function ipcRendererFor(contents: WebContents) {
  const ipcEvent = () => ({ sender: contents, senderFrame: contents.mainFrame, ports: [], processId: contents.mainFrame.processId, frameId: contents.mainFrame.routingId });
  return {
    send(channel: string, ...args: unknown[]): void {
      const cloned = structuredClone(args);
      setImmediate(() => ipcMain.emit(channel, ipcEvent(), ...cloned));
    },
    async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
      const handler = ipcMain.handlers.get(channel);
      if (!handler) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
      return structuredClone(await handler(ipcEvent(), ...structuredClone(args)));
    },
    on(channel: string, listener: (event: unknown, ...args: unknown[]) => void) {
      contents.rendererListeners.set(channel, [...(contents.rendererListeners.get(channel) ?? []), listener]);
      return this;
    },
  };
}

// ------------------------------------------------------------------------------- dialogs, menus, theme, shell

export const dialog = {
  showErrorBox(title: string, content: string): void {
    // Documented as safe to call before ready.
    standIn.calls.push(`dialog.showErrorBox(${title})`);
    standIn.errorBoxes.push({ title, content });
  },
  async showOpenDialog(): Promise<{ canceled: boolean; filePaths: string[] }> {
    rule(standIn.ready, 'dialog.showOpenDialog before ready');
    const folder = standIn.config.openFolder;
    return folder ? { canceled: false, filePaths: [folder] } : { canceled: true, filePaths: [] };
  },
  async showMessageBox(...args: unknown[]): Promise<{ response: number; checkboxChecked: boolean }> {
    rule(standIn.ready, 'dialog.showMessageBox before ready');
    const options = args.at(-1) as { message?: string; buttons?: string[] };
    standIn.calls.push(`dialog.showMessageBox(${options.message ?? ''} [${(options.buttons ?? []).join('|')}])`);
    return { response: standIn.config.messageBoxResponse ?? 0, checkboxChecked: false };
  },
  async showSaveDialog(_window: unknown, options: { defaultPath?: string }): Promise<{ canceled: boolean; filePath: string }> {
    rule(standIn.ready, 'dialog.showSaveDialog before ready');
    const name = (options.defaultPath ?? 'untitled').split(/[\\/]/).pop()!;
    return { canceled: false, filePath: `${standIn.config.saveDir}/${name}` };
  },
};

export const Menu = {
  buildFromTemplate(template: unknown[]): { items: unknown[] } {
    return { items: template };
  },
  setApplicationMenu(menu: unknown): void {
    standIn.calls.push('Menu.setApplicationMenu');
    standIn.applicationMenu = menu;
  },
};

class NativeTheme extends EventEmitter {
  #source = 'system';
  get themeSource(): string {
    return this.#source;
  }
  set themeSource(value: string) {
    this.#source = value;
    standIn.themeHistory.push(value);
  }
  get shouldUseDarkColors(): boolean {
    return this.#source === 'dark';
  }
}

export const nativeTheme = new NativeTheme();

export const shell = {
  openedExternally: [] as string[],
  async openExternal(url: string): Promise<void> {
    shell.openedExternally.push(url);
  },
};
