/**
 * The renderer's one way to open a link: only http(s) URLs (src/shared/content/safe-url.ts), in a new browsing
 * context with no opener. In the desktop app `window.open` reaches main's window-open handler, which checks the URL
 * again and hands it to the OS browser (src/main/window/window-options.ts); in browser mode it is a new tab. The
 * app page itself never navigates.
 */
import { isSafeExternalUrl } from '../../../shared/content/safe-url.ts';

/** Opens `url` outside the app when it is safe; returns whether it did. */
export function openExternal(url: string, open: (url: string, target: string, features: string) => unknown = (u, t, f) => window.open(u, t, f)): boolean {
  if (!isSafeExternalUrl(url)) return false;
  open(url, '_blank', 'noopener,noreferrer');
  return true;
}
