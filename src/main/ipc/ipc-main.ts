/**
 * Electron's side of the contract: calls arrive on one invoke channel, events leave through a MessagePort per
 * window.
 *
 * Invariants:
 * - Every message is checked for its sender first: it must come from the top frame of a window we created, showing
 *   the app's own page. Anything else is answered with an error (invoke) or ignored (send) — never handled.
 * - Payloads are validated by the contract before a handler sees them; handler failures become error answers.
 *   Nothing a renderer sends can throw inside main.
 * - Events go through a MessagePort (MessageChannelMain) so trace batches are not funnelled through main's
 *   ipc message loop as individual messages; main only forwards each batch from the runtime host once.
 *   (MessagePortMain can transfer ports but not ArrayBuffers, so a batch's ints are copied once, by Chromium.)
 */
import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent, MessagePortMain, WebContents, WebFrameMain } from 'electron';
import type { AppEvent, CallAnswer } from '../../shared/ipc/contract.ts';
import { answerCall, type CallHandler } from '../../shared/ipc/protocol.ts';

import { CALL_CHANNEL, HELLO_CHANNEL, PORT_CHANNEL } from '../../shared/ipc/desktop-bridge.ts';

export { CALL_CHANNEL, HELLO_CHANNEL, PORT_CHANNEL };

export interface Connection extends CallHandler {
  close(): void;
}

export interface IpcDeps {
  readonly ipcMain: Pick<IpcMain, 'handle' | 'on' | 'removeHandler' | 'removeListener'>;
  /** True for the top frame of one of our windows showing the app. */
  isTrustedSender(frame: WebFrameMain | null, contents: WebContents): boolean;
  /** A new connection to the app service whose events go to `emit`. */
  connect(emit: (event: AppEvent) => void): Connection;
  createChannel(): { port1: MessagePortMain; port2: MessagePortMain };
  /** Reported rejections (logged by the caller; never shown as a crash). */
  onRejected?(why: string): void;
}

interface Attached {
  readonly port: MessagePortMain;
  readonly connection: Connection;
}

/** Registers the handlers. Returns a function that removes them and closes every connection. */
export function registerIpc(deps: IpcDeps): () => void {
  const attached = new Map<WebContents, Attached>();
  const reject = (why: string): void => deps.onRejected?.(why);

  const detach = (contents: WebContents): void => {
    const a = attached.get(contents);
    if (!a) return;
    attached.delete(contents);
    a.connection.close();
    a.port.close();
  };

  const onHello = (event: IpcMainEvent): void => {
    const contents = event.sender;
    if (!deps.isTrustedSender(event.senderFrame, contents)) return reject(`${HELLO_CHANNEL} from an untrusted frame`);
    const first = !attached.has(contents);
    detach(contents); // a reload: the old page's runs stop, its port closes
    const { port1, port2 } = deps.createChannel();
    const connection = deps.connect((e) => port1.postMessage(e));
    attached.set(contents, { port: port1, connection });
    port1.start();
    contents.postMessage(PORT_CHANNEL, null, [port2]);
    if (first) contents.once('destroyed', () => detach(contents));
  };

  const onCall = async (event: IpcMainInvokeEvent, raw: unknown): Promise<CallAnswer> => {
    if (!deps.isTrustedSender(event.senderFrame, event.sender)) {
      reject(`${CALL_CHANNEL} from an untrusted frame`);
      return { ok: false, error: 'calls are only accepted from the Loopscope window' };
    }
    const a = attached.get(event.sender);
    if (!a) return { ok: false, error: 'not connected yet: the page has not said hello' };
    return answerCall(raw, a.connection);
  };

  deps.ipcMain.on(HELLO_CHANNEL, onHello);
  deps.ipcMain.handle(CALL_CHANNEL, onCall);
  return () => {
    deps.ipcMain.removeListener(HELLO_CHANNEL, onHello);
    deps.ipcMain.removeHandler(CALL_CHANNEL);
    for (const contents of [...attached.keys()]) detach(contents);
  };
}

/** The sender check used by the app: top frame, our window, app URL. */
export function trustedSenderCheck(isOurWindow: (contents: WebContents) => boolean, isAppUrl: (url: string) => boolean) {
  return (frame: WebFrameMain | null, contents: WebContents): boolean => {
    if (!frame || !isOurWindow(contents)) return false;
    if (frame.parent !== null) return false; // no iframes, ever
    const main = contents.mainFrame;
    if (frame.processId !== main.processId || frame.routingId !== main.routingId) return false;
    return isAppUrl(frame.url);
  };
}
