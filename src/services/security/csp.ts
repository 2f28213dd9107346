/**
 * The renderer's Content-Security-Policy, shared by the desktop app (sent as a response header by the app
 * protocol) and browser mode (sent by the server).
 *
 * - Scripts only from the app itself: no 'unsafe-eval', no inline scripts, no remote code.
 * - Workers only from the app ('self'): Monaco's editor and TypeScript workers are bundled by Vite as separate
 *   module files (`?worker` imports), so no blob: workers are needed.
 * - style-src allows 'unsafe-inline' because Monaco and xterm inject <style> elements at run time (themes, glyph
 *   metrics) and Svelte writes style attributes; styles cannot run code.
 * - connect-src: the app itself, plus browser mode's WebSocket. Nothing is fetched from the network.
 */
export function contentSecurityPolicy(options: { readonly connectSrc?: readonly string[] } = {}): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'none'"],
    'script-src': ["'self'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'", 'data:'],
    'worker-src': ["'self'"],
    'connect-src': ["'self'", ...(options.connectSrc ?? [])],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
    'frame-src': ["'none'"],
  };
  return Object.entries(directives)
    .map(([k, v]) => `${k} ${v.join(' ')}`)
    .join('; ');
}

/** Other response headers every renderer document and asset gets. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=()',
};
