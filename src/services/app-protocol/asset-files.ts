/**
 * The renderer's files as HTTP-style responses, for the desktop app's `loopscope://app/` protocol
 * (src/main/window/app-protocol.ts) and for browser mode (src/server/http-server.ts). No Electron here.
 *
 * Invariants: only files under `rootDir` are served (the URL path is decoded and resolved, and must stay inside
 * it); every response carries the given CSP and the security headers; anything else is a 404.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { CSP_NONCE_PLACEHOLDER, SECURITY_HEADERS } from '../security/csp.ts';

export const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** The file a request path maps to inside `rootDir`, or null when it would leave it. `/` is index.html. */
export function resolveAssetPath(rootDir: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const relativePath = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const root = resolve(rootDir);
  const full = resolve(root, relativePath);
  if (full !== root && !full.startsWith(root + sep)) return null;
  return full;
}

/**
 * Reads a renderer asset and builds its response with the security headers (shared with browser mode). Each
 * response gets a fresh style nonce in place of CSP_NONCE_PLACEHOLDER, in the policy and (for a page) in the HTML.
 */
export async function assetResponse(rootDir: string, urlPath: string, csp: string): Promise<{ status: number; headers: Record<string, string>; body: Uint8Array | string }> {
  const path = resolveAssetPath(rootDir, urlPath);
  const nonce = randomBytes(18).toString('base64');
  const headers: Record<string, string> = { ...SECURITY_HEADERS, 'Content-Security-Policy': csp.replaceAll(CSP_NONCE_PLACEHOLDER, nonce), 'Cache-Control': 'no-cache' };
  if (!path) return { status: 404, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }, body: 'not found' };
  try {
    const bytes = await readFile(path);
    const type = extname(path);
    const body = type === '.html' ? bytes.toString('utf8').replaceAll(CSP_NONCE_PLACEHOLDER, nonce) : bytes;
    return { status: 200, headers: { ...headers, 'Content-Type': MIME_TYPES[type] ?? 'application/octet-stream' }, body };
  } catch {
    return { status: 404, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }, body: 'not found' };
  }
}
