import { describe, expect, it } from 'vitest';
import type { IpcMain, MessagePortMain, WebContents, WebFrameMain } from 'electron';
import { CALL_CHANNEL, HELLO_CHANNEL, PORT_CHANNEL, registerIpc, trustedSenderCheck } from './ipc-main.ts';
import { isAppUrl } from '../window/app-protocol.ts';
import type { AppEvent, Call } from '../../shared/ipc/contract.ts';
import { FakeIpcMain, FakePort, FakeWebContents, type FakeFrame } from '../electron-fakes.test-support.ts';

function setup() {
  const ipcMain = new FakeIpcMain();
  const window = new FakeWebContents();
  const ports: FakePort[] = [];
  const connections: { emit: (e: AppEvent) => void; calls: Call[]; closed: boolean }[] = [];
  const rejected: string[] = [];
  const unregister = registerIpc({
    ipcMain: ipcMain as unknown as IpcMain,
    isTrustedSender: trustedSenderCheck((c) => c === (window as unknown as WebContents), isAppUrl) as (f: WebFrameMain | null, c: WebContents) => boolean,
    connect: (emit) => {
      const c = { emit, calls: [] as Call[], closed: false };
      connections.push(c);
      return {
        handle: async (call) => {
          c.calls.push(call);
          if (call.type === 'lessons.open') throw new Error(`No lesson ${call.key}`);
          return { stopped: true };
        },
        close: () => void (c.closed = true),
      };
    },
    createChannel: () => {
      const pair = { port1: new FakePort(), port2: new FakePort() };
      ports.push(pair.port1, pair.port2);
      return pair as unknown as { port1: MessagePortMain; port2: MessagePortMain };
    },
    onRejected: (why) => rejected.push(why),
  });
  const hello = (contents = window, frame: FakeFrame | null = contents.mainFrame) => ipcMain.send(HELLO_CHANNEL, contents, frame);
  return { ipcMain, window, ports, connections, rejected, unregister, hello };
}

describe('IPC handlers in main', () => {
  it('hands the page a MessagePort on hello and sends events through it', () => {
    const { window, connections, hello, ports } = setup();
    hello();
    expect(window.posted).toHaveLength(1);
    expect(window.posted[0]!.channel).toBe(PORT_CHANNEL);
    expect(window.posted[0]!.ports[0]).toBe(ports[1]);
    expect(ports[0]!.started).toBe(true);
    connections[0]!.emit({ type: 'lessons.changed' });
    expect(ports[0]!.sent).toEqual([{ type: 'lessons.changed' }]);
  });

  it('answers a valid call from the app window', async () => {
    const { ipcMain, window, hello, connections } = setup();
    hello();
    await expect(ipcMain.invoke(window, window.mainFrame, { type: 'runs.stop', runId: 'r1' })).resolves.toEqual({ ok: true, value: { stopped: true } });
    expect(connections[0]!.calls).toEqual([{ type: 'runs.stop', runId: 'r1' }]);
  });

  it('answers malformed payloads with an error and never calls the handler', async () => {
    const { ipcMain, window, hello, connections } = setup();
    hello();
    for (const payload of [undefined, 42, 'lessons.list', { type: 'fs.readFile', path: '/etc/passwd' }, { type: 'lessons.open', key: '../../x' }, { type: 'runs.start', runId: 'r', request: { files: [] } }]) {
      const answer = (await ipcMain.invoke(window, window.mainFrame, payload)) as { ok: boolean; error?: string };
      expect(answer.ok).toBe(false);
      expect(answer.error).toBeTruthy();
    }
    expect(connections[0]!.calls).toEqual([]);
  });

  it('turns a handler failure into an error answer', async () => {
    const { ipcMain, window, hello } = setup();
    hello();
    await expect(ipcMain.invoke(window, window.mainFrame, { type: 'lessons.open', key: 'bundled/nope' })).resolves.toEqual({ ok: false, error: 'No lesson bundled/nope' });
  });

  it('refuses calls from other windows, iframes and foreign pages', async () => {
    const { ipcMain, window, hello, connections, rejected } = setup();
    hello();
    const other = new FakeWebContents();
    const iframe: FakeFrame = { url: 'loopscope://app/index.html', parent: window.mainFrame, processId: 7, routingId: 2 };
    const navigatedAway = new FakeWebContents('https://evil.example/');
    const cases: [FakeWebContents, FakeFrame | null][] = [
      [other, other.mainFrame],
      [window, iframe],
      [window, null],
      [navigatedAway, navigatedAway.mainFrame],
    ];
    for (const [contents, frame] of cases) {
      const answer = (await ipcMain.invoke(contents, frame, { type: 'settings.get' })) as { ok: boolean };
      expect(answer.ok).toBe(false);
    }
    expect(connections[0]!.calls).toEqual([]);
    expect(rejected).toHaveLength(4);
  });

  it('ignores hello from an untrusted frame', () => {
    const { window, hello, connections } = setup();
    hello(window, { url: 'https://evil.example/', parent: null, processId: 7, routingId: 1 });
    expect(window.posted).toEqual([]);
    expect(connections).toEqual([]);
  });

  it('on reload closes the old connection (stopping its run) and its port', () => {
    const { hello, connections, ports } = setup();
    hello();
    hello();
    expect(connections).toHaveLength(2);
    expect(connections[0]!.closed).toBe(true);
    expect(ports[0]!.closed).toBe(true);
    expect(connections[1]!.closed).toBe(false);
  });

  it('closes the connection when the window is destroyed, and unregisters cleanly', () => {
    const { window, hello, connections, unregister, ipcMain } = setup();
    hello();
    window.emit('destroyed');
    expect(connections[0]!.closed).toBe(true);
    unregister();
    expect(ipcMain.handlers.has(CALL_CHANNEL)).toBe(false);
  });

  it('answers calls before hello with an error', async () => {
    const { ipcMain, window } = setup();
    const answer = (await ipcMain.invoke(window, window.mainFrame, { type: 'settings.get' })) as { ok: boolean; error: string };
    expect(answer).toEqual({ ok: false, error: expect.stringMatching(/not connected/) });
  });
});
