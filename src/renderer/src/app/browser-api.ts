/**
 * The browser-mode transport: the contract over a WebSocket to `npm run serve`. The token comes from the page
 * URL's fragment (`#token=…`); run batches arrive as binary frames (shared/ipc/binary.ts).
 */
import { decodeFrame, encodeFrame } from '../../../shared/ipc/binary.ts';
import type { LoopscopeApi } from '../../../shared/ipc/contract.ts';
import { RpcClient, type Endpoint } from '../../../shared/ipc/protocol.ts';

export function tokenFromLocation(location: Location): string | null {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  return params.get('token');
}

/** Opens the socket; resolves once connected. `onClose` reports a lost connection (the UI says so). */
export function connectBrowserApi(options: { token: string; onClose(reason: string): void }): Promise<LoopscopeApi> {
  const url = new URL('/ws', location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  url.hash = '';
  url.searchParams.set('token', options.token);
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  const messageListeners = new Set<(m: unknown) => void>();
  const closeListeners = new Set<() => void>();
  const endpoint: Endpoint = {
    send(message) {
      if (ws.readyState === WebSocket.OPEN) ws.send(encodeFrame(message) as string | ArrayBufferView<ArrayBuffer>);
    },
    onMessage(listener) {
      messageListeners.add(listener);
      return () => messageListeners.delete(listener);
    },
    onClose(listener) {
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
  };
  ws.onmessage = (e: MessageEvent<string | ArrayBuffer>) => {
    let message: unknown;
    try {
      message = decodeFrame(typeof e.data === 'string' ? e.data : new Uint8Array(e.data));
    } catch (err) {
      console.warn('dropped an undecodable frame', err);
      return;
    }
    for (const l of messageListeners) l(message);
  };
  return new Promise((resolve, reject) => {
    let opened = false;
    ws.onopen = () => {
      opened = true;
      const client = new RpcClient(endpoint, 'browser');
      client.onBadMessage = (why) => console.warn(`Loopscope: ${why}`);
      resolve(client);
    };
    ws.onclose = (e) => {
      for (const l of closeListeners) l();
      const reason = e.code === 1006 && !opened ? 'the server refused the connection (is the token in the URL current?)' : `the connection to the server closed (${e.code})`;
      if (!opened) reject(new Error(reason));
      else options.onClose(reason);
    };
  });
}
