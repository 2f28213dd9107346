/**
 * Links leaving the app. Only http(s) URLs with a host, no credentials, are handed to the OS browser (desktop:
 * shell.openExternal from main; browser mode: a new tab); anything else (file:, javascript:, data:, custom schemes
 * that could launch local programs) is refused. Pure: used by the main process and by the renderer, which checks
 * before it asks.
 */
// src/shared compiles without DOM or Node types; WHATWG URL exists in both, this names the part used here.
declare const URL: new (input: string) => { readonly protocol: string; readonly hostname: string; readonly username: string; readonly password: string };

export function isSafeExternalUrl(raw: string): boolean {
  if (raw.length > 2048) return false;
  let url: InstanceType<typeof URL>;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
  if (!url.hostname || url.username || url.password) return false;
  return true;
}
