/**
 * Which URLs are the app's own pages: `loopscope://app/…` always, and in development (`npm run dev`) the renderer's
 * dev server. The dev server is matched by exact origin: a prefix test on "http://localhost:5173" would also accept
 * "http://localhost:51730/" or "http://localhost:5173.evil.example/".
 */
import { isAppUrl } from './app-protocol.ts';

export function pageUrlCheck(devServerUrl: string | undefined): (url: string) => boolean {
  const devOrigin = devServerUrl === undefined ? null : originOf(devServerUrl);
  return (url) => isAppUrl(url) || (devOrigin !== null && originOf(url) === devOrigin);
}

function originOf(raw: string): string | null {
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}
