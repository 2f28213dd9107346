/**
 * The desktop transport: wraps the preload's `window.loopscope` bridge. Answers and events are validated here
 * against the contract, like every other transport, so the app code never trusts a shape it did not check.
 */
import { validateEvent, validateResult, type AppEvent, type Call, type CallResult, type CallType, type EventOf, type EventType, type LoopscopeApi } from '../../../shared/ipc/contract.ts';
import type { PreloadBridge } from '../../../shared/ipc/desktop-bridge.ts';

export function desktopBridge(): PreloadBridge | null {
  const bridge = (window as unknown as { loopscope?: PreloadBridge }).loopscope;
  return bridge && typeof bridge.call === 'function' ? bridge : null;
}

export function createDesktopApi(bridge: PreloadBridge): LoopscopeApi {
  return {
    kind: 'desktop',
    async call<T extends CallType>(call: Call<T>): Promise<CallResult<T>> {
      const answer = await bridge.call(call);
      if (!answer.ok) throw new Error(answer.error);
      return validateResult(call.type as T, answer.value);
    },
    on<T extends EventType>(type: T, listener: (event: EventOf<T>) => void): () => void {
      return bridge.on(type, (raw) => {
        let event: AppEvent;
        try {
          event = validateEvent(raw);
        } catch (e) {
          console.warn('dropped a malformed event', e);
          return;
        }
        listener(event as EventOf<T>);
      });
    },
  };
}
