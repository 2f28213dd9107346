/**
 * The desktop app's two sides of the preload, declared once: the Electron IPC channel names main and the preload
 * use, and the shape of `window.loopscope` the preload exposes and the renderer wraps (src/renderer/src/app/
 * desktop-api.ts). Pure data and types: the channels are only ever used by src/main and src/preload.
 */
import type { AppEvent, CallAnswer } from './contract.ts';

/** invoke: one contract call, answered with a CallAnswer. */
export const CALL_CHANNEL = 'loopscope:call';
/** send (page → main): the page is ready for its event port; main answers on PORT_CHANNEL. */
export const HELLO_CHANNEL = 'loopscope:hello';
/** postMessage (main → page): carries the MessagePort events arrive on. */
export const PORT_CHANNEL = 'loopscope:port';

/** What the page sees as `window.loopscope`. Untyped at the edge on purpose: both sides check every value. */
export interface PreloadBridge {
  call(call: { type: string }): Promise<CallAnswer>;
  on(type: string, listener: (event: AppEvent) => void): () => void;
}
