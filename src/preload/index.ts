/**
 * The preload: the only bridge between the sandboxed page and Electron. It exposes `window.loopscope`, a narrow
 * API shaped by the shared contract — `call(call)` for the contract's calls and `on(type, listener)` for its
 * events — and nothing else: never ipcRenderer, never a raw channel name.
 *
 * Invariants: unknown call and event types are refused here, before anything reaches main; every subscription
 * returns its unsubscribe; events arrive on the MessagePort main hands over after our hello (a new one after
 * each reload).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { isCallType, isEventType, type AppEvent, type CallAnswer, type EventType } from '../shared/ipc/contract.ts';
import { CALL_CHANNEL, HELLO_CHANNEL, PORT_CHANNEL, type PreloadBridge } from '../shared/ipc/desktop-bridge.ts';

const listeners = new Map<EventType, Set<(event: AppEvent) => void>>();

ipcRenderer.on(PORT_CHANNEL, (event) => {
  const port = event.ports[0];
  if (!port) return;
  port.onmessage = (message: MessageEvent) => {
    const data = message.data as AppEvent | null;
    if (!data || !isEventType(data.type)) return;
    for (const l of listeners.get(data.type) ?? []) {
      try {
        l(data);
      } catch (e) {
        console.error(`a ${data.type} listener threw`, e);
      }
    }
  };
  port.start();
});
ipcRenderer.send(HELLO_CHANNEL);

// What the page sees as `window.loopscope`; the renderer wraps it (src/renderer/src/app) and validates answers and events.
const bridge: PreloadBridge = {
  call(call) {
    if (typeof call !== 'object' || call === null || !isCallType(call.type)) {
      return Promise.resolve({ ok: false, error: `unknown call ${JSON.stringify((call as { type?: unknown } | null)?.type)}` });
    }
    return ipcRenderer.invoke(CALL_CHANNEL, call) as Promise<CallAnswer>;
  },
  on(type, listener) {
    if (!isEventType(type) || typeof listener !== 'function') throw new Error(`unknown event ${JSON.stringify(type)}`);
    let set = listeners.get(type);
    if (!set) listeners.set(type, (set = new Set()));
    set.add(listener);
    return () => void set.delete(listener);
  },
};

contextBridge.exposeInMainWorld('loopscope', bridge);
