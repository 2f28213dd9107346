/**
 * Picks the transport at startup: the preload bridge when running in the desktop app, otherwise a WebSocket to
 * the browser-mode server. The rest of the renderer only knows `LoopscopeApi`.
 */
import type { LoopscopeApi } from '../../../shared/ipc/contract.ts';
import { connectBrowserApi, tokenFromLocation } from './browser-api.ts';
import { createDesktopApi, desktopBridge } from './desktop-api.ts';

export async function chooseApi(onDisconnect: (reason: string) => void): Promise<LoopscopeApi> {
  const bridge = desktopBridge();
  if (bridge) return createDesktopApi(bridge);
  const token = tokenFromLocation(location);
  if (!token) throw new Error('This page needs the address printed by `npm run serve` (it ends with #token=…).');
  return connectBrowserApi({ token, onClose: onDisconnect });
}
