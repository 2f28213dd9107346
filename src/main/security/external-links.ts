/**
 * Links leaving the app. Only http(s) URLs with a host, no credentials, are handed to the OS browser; anything
 * else (file:, javascript:, custom schemes that could launch local programs) is refused. The check itself is
 * shared with the renderer (src/shared/content/safe-url.ts).
 */
import { isSafeExternalUrl } from '../../shared/content/safe-url.ts';

export { isSafeExternalUrl };

/** Opens `url` with `openExternal` when it is safe; returns whether it did. */
export function openExternalSafely(url: string, openExternal: (url: string) => Promise<void>): boolean {
  if (!isSafeExternalUrl(url)) return false;
  void openExternal(url).catch(() => {});
  return true;
}
