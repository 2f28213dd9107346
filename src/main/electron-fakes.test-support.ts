/**
 * Fakes for Electron objects, shaped like the real ones as far as the main process's code uses them. They are
 * cast to Electron's types at the call site: the production code is type-checked against electron.d.ts, these
 * fakes prove its behaviour.
 */

type Listener = (...args: unknown[]) => unknown;

export class FakeEmitter {
  readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Listener): this {
    const wrapped: Listener = (...args) => {
      this.removeListener(event, wrapped);
      return listener(...args);
    };
    return this.on(event, wrapped);
  }
  removeListener(event: string, listener: Listener): this {
    this.listeners.set(event, (this.listeners.get(event) ?? []).filter((l) => l !== listener));
    return this;
  }
  emit(event: string, ...args: unknown[]): unknown[] {
    return (this.listeners.get(event) ?? []).map((l) => l(...args));
  }
}

export function fakeEvent(): { defaultPrevented: boolean; preventDefault(): void } {
  return {
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

export interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
  processId: number;
  routingId: number;
}

export class FakeWebContents extends FakeEmitter {
  readonly mainFrame: FakeFrame;
  readonly posted: { channel: string; message: unknown; ports: FakePort[] }[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  constructor(url = 'loopscope://app/index.html') {
    super();
    this.mainFrame = { url, parent: null, processId: 7, routingId: 1 };
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  postMessage(channel: string, message: unknown, ports: FakePort[] = []): void {
    this.posted.push({ channel, message, ports });
  }
}

export class FakePort {
  readonly sent: unknown[] = [];
  started = false;
  closed = false;
  postMessage(message: unknown): void {
    if (this.closed) throw new Error('port closed');
    this.sent.push(message);
  }
  start(): void {
    this.started = true;
  }
  close(): void {
    this.closed = true;
  }
}

export class FakeIpcMain {
  readonly handlers = new Map<string, Listener>();
  readonly emitter = new FakeEmitter();
  handle(channel: string, handler: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  on(channel: string, listener: Listener): this {
    this.emitter.on(channel, listener);
    return this;
  }
  removeListener(channel: string, listener: Listener): this {
    this.emitter.removeListener(channel, listener);
    return this;
  }
  /** What ipcRenderer.invoke would get. */
  invoke(sender: FakeWebContents, frame: FakeFrame | null, payload: unknown): Promise<unknown> {
    const h = this.handlers.get('loopscope:call');
    if (!h) throw new Error('no call handler');
    return Promise.resolve(h({ sender, senderFrame: frame }, payload));
  }
  send(channel: string, sender: FakeWebContents, frame: FakeFrame | null): void {
    this.emitter.emit(channel, { sender, senderFrame: frame });
  }
}
