/**
 * Links leaving the app. Only http(s) URLs with a host, no credentials, are handed to the OS browser; anything
 * else (file:, javascript:, custom schemes that could launch local programs) is refused.
 */
export function isSafeExternalUrl(raw: string): boolean {
  if (raw.length > 2048) return false;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
  if (!url.hostname || url.username || url.password) return false;
  return true;
}

/** Opens `url` with `openExternal` when it is safe; returns whether it did. */
export function openExternalSafely(url: string, openExternal: (url: string) => Promise<void>): boolean {
  if (!isSafeExternalUrl(url)) return false;
  void openExternal(url).catch(() => {});
  return true;
}
