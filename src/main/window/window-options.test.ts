import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { Session, WebContents } from 'electron';
import { guardContents, guardSession, mainWindowOptions } from './window-options.ts';
import { isAppUrl } from './app-protocol.ts';
import { isSafeExternalUrl } from '../security/external-links.ts';
import { contentSecurityPolicy } from '../../services/security/csp.ts';
import { FakeEmitter, FakeWebContents, fakeEvent } from '../electron-fakes.test-support.ts';
import { assetResponse } from '../../services/app-protocol/asset-files.ts';

describe('the main window', () => {
  it('is sandboxed, context-isolated, without Node and with web security on', () => {
    const options = mainWindowOptions({ preloadPath: '/app/out/preload/index.cjs', bounds: null, dark: false });
    expect(options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('opens where it was left', () => {
    const options = mainWindowOptions({ preloadPath: 'p', bounds: { x: 40, y: 50, width: 1000, height: 700, maximized: false }, dark: true });
    expect(options).toMatchObject({ x: 40, y: 50, width: 1000, height: 700, backgroundColor: '#1e1e1e' });
  });
});

describe('guards on the web contents', () => {
  function setup() {
    const contents = new FakeWebContents();
    const opened: string[] = [];
    guardContents(contents as unknown as WebContents, {
      isAppUrl: (url) => url.startsWith('loopscope://app/'),
      openExternal: async (url) => void opened.push(url),
    });
    return { contents, opened };
  }

  it('blocks navigation away from the app and sends http(s) links to the OS browser', () => {
    const { contents, opened } = setup();
    const away = fakeEvent();
    contents.emit('will-navigate', away, 'https://example.com/docs');
    const sneaky = fakeEvent();
    contents.emit('will-navigate', sneaky, 'file:///etc/passwd');
    const reload = fakeEvent();
    contents.emit('will-navigate', reload, 'loopscope://app/index.html');
    expect(away.defaultPrevented).toBe(true);
    expect(sneaky.defaultPrevented).toBe(true);
    expect(reload.defaultPrevented).toBe(false);
    expect(opened).toEqual(['https://example.com/docs']);
  });

  it('denies every new window, opening only vetted links externally', () => {
    const { contents, opened } = setup();
    expect(contents.windowOpenHandler?.({ url: 'https://nodejs.org/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'ms-settings:' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://nodejs.org/']);
  });

  it('blocks webviews and redirects away from the app', () => {
    const { contents } = setup();
    const webview = fakeEvent();
    contents.emit('will-attach-webview', webview);
    const redirect = fakeEvent();
    contents.emit('will-redirect', redirect, 'https://evil.example/');
    expect(webview.defaultPrevented).toBe(true);
    expect(redirect.defaultPrevented).toBe(true);
  });
});

describe('the session', () => {
  it('refuses every permission request and check, and downloads', () => {
    const calls: Record<string, unknown> = {};
    const ses = Object.assign(new FakeEmitter(), {
      setPermissionRequestHandler: (h: unknown) => (calls.request = h),
      setPermissionCheckHandler: (h: unknown) => (calls.check = h),
      setDevicePermissionHandler: (h: unknown) => (calls.device = h),
      setDisplayMediaRequestHandler: (h: unknown) => (calls.display = h),
    });
    guardSession(ses as unknown as Session, { isAppUrl });
    const granted = vi.fn();
    (calls.request as RequestHandler)(appContents, 'media', granted, { requestingUrl: APP_PAGE });
    expect(granted).toHaveBeenCalledWith(false);
    expect((calls.check as CheckHandler)(appContents, 'notifications', 'loopscope://app')).toBe(false);
    expect((calls.device as () => boolean)()).toBe(false);
    const download = fakeEvent();
    ses.emit('will-download', download);
    expect(download.defaultPrevented).toBe(true);
  });

  it("lets the app's own page read and write the clipboard (Monaco's context-menu Paste), and no other page", () => {
    const calls: Record<string, unknown> = {};
    const ses = Object.assign(new FakeEmitter(), {
      setPermissionRequestHandler: (h: unknown) => (calls.request = h),
      setPermissionCheckHandler: (h: unknown) => (calls.check = h),
      setDevicePermissionHandler: () => {},
      setDisplayMediaRequestHandler: () => {},
    });
    guardSession(ses as unknown as Session, { isAppUrl });
    const request = (contents: unknown, permission: string, requestingUrl: string): boolean => {
      const callback = vi.fn();
      (calls.request as RequestHandler)(contents, permission, callback, { requestingUrl });
      return callback.mock.calls[0]?.[0] as boolean;
    };
    const check = calls.check as CheckHandler;
    expect(request(appContents, 'clipboard-read', APP_PAGE)).toBe(true);
    expect(request(appContents, 'clipboard-sanitized-write', APP_PAGE)).toBe(true);
    expect(check(appContents, 'clipboard-read', 'loopscope://app')).toBe(true);
    // Another origin asking, or the app's origin inside a page that is not the app's, is refused.
    expect(request(appContents, 'clipboard-read', 'https://evil.example/')).toBe(false);
    expect(request(foreignContents, 'clipboard-read', APP_PAGE)).toBe(false);
    expect(request(null, 'clipboard-read', APP_PAGE)).toBe(false);
    expect(check(appContents, 'clipboard-read', 'https://evil.example')).toBe(false);
    expect(check(null, 'clipboard-read', 'loopscope://app')).toBe(false);
  });
});

type RequestHandler = (contents: unknown, permission: string, callback: (ok: boolean) => void, details: { requestingUrl: string }) => void;
type CheckHandler = (contents: unknown, permission: string, requestingOrigin: string) => boolean;
const APP_PAGE = 'loopscope://app/index.html';
const appContents = { getURL: () => APP_PAGE };
const foreignContents = { getURL: () => 'https://evil.example/' };

describe('external links and CSP', () => {
  it.each([
    ['https://nodejs.org/en/learn', true],
    ['http://localhost:3000/', true],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['https://user:pw@example.com/', false],
    ['smb://server/share', false],
    ['not a url', false],
  ])('%s is safe to open externally: %s', (url, safe) => {
    expect(isSafeExternalUrl(url)).toBe(safe);
  });

  it('allows no eval, no inline script and no remote code', () => {
    const csp = contentSecurityPolicy({ connectSrc: ['ws://127.0.0.1:4000'] });
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toMatch(/script-src 'self';/);
    expect(csp).toContain("worker-src 'self';");
    expect(csp).not.toMatch(/worker-src[^;]*blob:/);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self' ws://127.0.0.1:4000");
  });

  it('refuses style elements that lack the per-response nonce (content cannot restyle the app)', async () => {
    const csp = contentSecurityPolicy();
    expect(csp).toMatch(/style-src-elem 'self' 'nonce-__LOOPSCOPE_CSP_NONCE__';/);
    expect(csp).not.toMatch(/style-src(?:-elem)? [^;]*unsafe-inline/);
    const dir = mkdtempSync(join(tmpdir(), 'loopscope-csp-'));
    writeFileSync(join(dir, 'index.html'), '<meta property="csp-nonce" nonce="__LOOPSCOPE_CSP_NONCE__"><link rel="stylesheet" nonce="__LOOPSCOPE_CSP_NONCE__" href="a.css">');
    const a = await assetResponse(dir, '/', csp);
    const b = await assetResponse(dir, '/', csp);
    const nonceOf = (header: string | undefined): string => /'nonce-([^']+)'/.exec(header ?? '')?.[1] ?? '';
    const nonceA = nonceOf(a.headers['Content-Security-Policy']);
    expect(nonceA).toMatch(/^[A-Za-z0-9+/]{24}$/);
    expect(nonceOf(b.headers['Content-Security-Policy'])).not.toBe(nonceA); // fresh per response: content cannot know it
    expect(String(a.body)).toBe(`<meta property="csp-nonce" nonce="${nonceA}"><link rel="stylesheet" nonce="${nonceA}" href="a.css">`);
  });
});
