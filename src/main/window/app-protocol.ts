/**
 * `loopscope://app/…`: how the desktop app serves its renderer files. A privileged standard scheme (instead of
 * file://) gives the renderer a real origin, so module workers (Monaco's) load and 'self' in the CSP means
 * exactly the app's files.
 *
 * Invariants: only files under the renderer build directory are served (src/services/app-protocol/asset-files.ts
 * resolves and reads them, shared with browser mode); every response carries the CSP and the security headers;
 * anything else is a 404.
 */
import { assetResponse } from '../../services/app-protocol/asset-files.ts';
import { contentSecurityPolicy } from '../../services/security/csp.ts';

export const APP_SCHEME = 'loopscope';
export const APP_HOST = 'app';
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

export function isAppUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
  } catch {
    return false;
  }
}

/** The handler for `protocol.handle(APP_SCHEME, …)`. */
export function appProtocolHandler(rootDir: string): (request: Request) => Promise<Response> {
  const csp = contentSecurityPolicy();
  return async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST || request.method !== 'GET') return new Response('not found', { status: 404 });
    const r = await assetResponse(rootDir, url.pathname, csp);
    return new Response(r.body as ConstructorParameters<typeof Response>[0], { status: r.status, headers: r.headers });
  };
}
