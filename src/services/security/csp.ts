/**
 * The renderer's Content-Security-Policy, shared by the desktop app (sent as a response header by the app
 * protocol) and browser mode (sent by the server).
 *
 * - Scripts only from the app itself: no 'unsafe-eval', no inline scripts, no remote code.
 * - Workers only from the app ('self'): Monaco's editor and TypeScript workers are bundled by Vite as separate
 *   module files (`?worker` imports), so no blob: workers are needed.
 * - Style elements only from the app's CSS files or carrying the per-response nonce (style-src-elem): a <style> or
 *   <link rel=stylesheet> that lesson content smuggled into the page is refused, so content cannot restyle the app
 *   (the clickjacked trust prompt). The nonce is fresh for every page load (`assetResponse` puts it in the header
 *   and the page); the renderer stamps it on the <style> elements its own code creates (Monaco and xterm inject
 *   themes and glyph metrics at run time: src/renderer/src/style-nonce.ts). Elements the HTML parser creates —
 *   which is how content would arrive — never get it.
 * - Style attributes stay allowed (style-src-attr 'unsafe-inline'): Monaco lays out its lines with them and Svelte's
 *   style: directives write them. Content never carries one: the narrative sanitizer removes every style attribute,
 *   and the narrative lives in a shadow root, so even a leaked one could not reach the app's controls.
 * - connect-src: the app itself, plus browser mode's WebSocket. Nothing is fetched from the network.
 */
/** Stands for the per-response nonce in the policy and in index.html (Vite's `html.cspNonce`); see assetResponse. */
export const CSP_NONCE_PLACEHOLDER = '__LOOPSCOPE_CSP_NONCE__';

export function contentSecurityPolicy(options: { readonly connectSrc?: readonly string[] } = {}): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'none'"],
    'script-src': ["'self'"],
    'style-src': ["'self'", `'nonce-${CSP_NONCE_PLACEHOLDER}'`],
    'style-src-elem': ["'self'", `'nonce-${CSP_NONCE_PLACEHOLDER}'`],
    'style-src-attr': ["'unsafe-inline'"],
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
