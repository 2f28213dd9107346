/**
 * The main-process smoke test's classroom checks (issue 13), run by run.ts's `app` scenario against the built main
 * under the Electron stand-in: stage snapshots saved through main's dialog, the presenter's audience window, and the
 * follow-along class session as a student's browser reaches it (real HTTP and WebSocket on 127.0.0.1).
 *
 * What only a real Electron binary could prove is listed in AUDIENCE_CANNOT_PROVE (run.ts prints it).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { ipcMain, standIn } from './electron-stand-in.ts';

type Bridge = { call(call: object): Promise<{ ok: boolean; value?: unknown; error?: string }> };
type Check = (what: string, body: () => void) => void;
type WaitFor = (what: string, condition: () => boolean | undefined, timeoutMs?: number) => Promise<void>;

export const AUDIENCE_CANNOT_PROVE = [
  'the audience window following the presenter: a BroadcastChannel between two real renderer processes of the app origin (proven in browser mode by test/e2e/present.spec.ts, between two pages)',
  'the audience window on a second display, full screen, and that it really has no preload bridge inside Chromium (here: no preload path, so nothing is exposed)',
];

// The smallest complete PNG (1×1): signature, IHDR, IDAT, IEND.
const TINY_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

export async function snapshotChecks(bridge: Bridge, check: Check): Promise<void> {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>step 3 · ✓</text></svg>';
  const savedSvg = await bridge.call({ type: 'snapshot.save', format: 'svg', fileName: 'ordering-step-3.svg', content: svg });
  const savedPng = await bridge.call({ type: 'snapshot.save', format: 'png', fileName: 'ordering-step-3.png', content: TINY_PNG });
  const fakePng = await bridge.call({ type: 'snapshot.save', format: 'png', fileName: 'evil.png', content: Buffer.from('#!/bin/sh\n').toString('base64') });
  const badName = await bridge.call({ type: 'snapshot.save', format: 'svg', fileName: '../../evil.svg', content: svg });
  check('stage snapshots: main saves the SVG text and the PNG bytes where its save dialog says; a fake PNG and a path as a name are refused', () => {
    assert.equal(savedSvg.ok, true, savedSvg.error);
    assert.equal(savedPng.ok, true, savedPng.error);
    const svgPath = (savedSvg.value as { savedTo: string }).savedTo;
    const pngPath = (savedPng.value as { savedTo: string }).savedTo;
    assert.equal(svgPath, join(standIn.config.saveDir, 'ordering-step-3.svg'));
    assert.equal(readFileSync(svgPath, 'utf8'), svg);
    assert.deepEqual(readFileSync(pngPath), Buffer.from(TINY_PNG, 'base64'));
    assert.deepEqual(fakePng, { ok: false, error: 'the PNG snapshot is not a complete PNG image' });
    assert.equal(badName.ok, false);
    assert.match(badName.error ?? '', /fileName/);
  });
}

export async function audienceChecks(bridge: Bridge, check: Check, waitFor: WaitFor): Promise<void> {
  const main = standIn.windows[0]!;
  const opened = await bridge.call({ type: 'window.openAudience' });
  const audience = standIn.windows[1];
  await waitFor('the audience window is shown once ready-to-show', () => audience?.visible);
  check('window.openAudience opens a second window at #view=audience: locked down like the main window, no preload, no bridge', () => {
    assert.deepEqual(opened, { ok: true, value: { opened: true } });
    assert.equal(standIn.windows.length, 2);
    assert.ok(audience);
    assert.ok(standIn.calls.includes('loadURL(loopscope://app/index.html#view=audience)'), standIn.calls.filter((c) => c.startsWith('loadURL')).join(', '));
    assert.equal(audience.webContents.getURL(), 'loopscope://app/index.html#view=audience');
    assert.equal(audience.options['title'], 'Loopscope — audience');
    assert.equal(audience.options['show'], false);
    const prefs = audience.options['webPreferences'] as Record<string, unknown>;
    const mainPrefs = main.options['webPreferences'] as Record<string, unknown>;
    for (const key of ['sandbox', 'contextIsolation', 'nodeIntegration', 'webSecurity']) assert.equal(prefs[key], mainPrefs[key], key);
    assert.equal(prefs['preload'], undefined);
    assert.equal(audience.webContents.exposed.size, 0);
  });

  const invoke = ipcMain.handlers.get('loopscope:call')!;
  const fromAudience = (await invoke({ sender: audience!.webContents, senderFrame: audience!.webContents.mainFrame }, { type: 'lessons.list' })) as { ok: boolean; error?: string };
  const focusedBefore = audience!.focused;
  const again = await bridge.call({ type: 'window.openAudience' });
  check('the audience page cannot call the app (IPC from its window is refused); asking again brings it to the front', () => {
    assert.deepEqual(fromAudience, { ok: false, error: 'calls are only accepted from the Loopscope window' });
    assert.deepEqual(again, { ok: true, value: { opened: false } });
    assert.equal(standIn.windows.length, 2);
    assert.equal(audience!.focused, focusedBefore + 1);
  });

  audience!.close();
  const reopened = await bridge.call({ type: 'window.openAudience' });
  check('after the audience window is closed, Audience opens a new one', () => {
    assert.deepEqual(reopened, { ok: true, value: { opened: true } });
    assert.equal(standIn.windows.length, 2);
    assert.notEqual(standIn.windows[1], audience);
  });
  standIn.windows[1]!.close();
}

export async function classSessionChecks(bridge: Bridge, check: Check, waitFor: WaitFor): Promise<void> {
  const interfaces = await bridge.call({ type: 'class.interfaces' });
  const opened = await bridge.call({ type: 'class.open', host: '127.0.0.1' });
  const url = (opened.value as { url: string } | undefined)?.url ?? '';
  const join = new URLSearchParams(new URL(url).hash.slice(1)).get('join') ?? '';
  const origin = new URL(url).origin;
  const page = await fetch(`${origin}/`);
  const pageText = await page.text();
  check('class.open listens on the chosen interface with its own token; the join page is the app page with its CSP', () => {
    assert.equal(interfaces.ok, true, interfaces.error);
    assert.ok((interfaces.value as { hosts: string[] }).hosts.includes('127.0.0.1'));
    assert.equal(opened.ok, true, opened.error);
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/#view=follow&join=[\w-]{20,}$/);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy') ?? '', new RegExp(`connect-src 'self' ws://127\\.0\\.0\\.1:${new URL(url).port}`));
    assert.match(pageText, /<div id="app">|<body/);
  });

  const messages: string[] = [];
  const student = new WebSocket(`${origin.replace('http', 'ws')}/follow?join=${join}`, { origin });
  student.on('message', (data) => messages.push(String(data)));
  await new Promise<void>((resolve, reject) => {
    student.once('open', () => resolve());
    student.once('error', reject);
  });
  const intruder = new WebSocket(`${origin.replace('http', 'ws')}/follow?join=wrong-token-wrong-token`, { origin });
  const intruderStatus = await new Promise<number>((resolve) => {
    intruder.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    intruder.once('error', () => resolve(-1));
  });
  const view = JSON.stringify({ type: 'view', view: { cursor: 12, slide: 'Timer last' } });
  await bridge.call({ type: 'class.publish', view });
  await waitFor('the student receives the published view', () => messages.includes(view), 5000);
  const status = await bridge.call({ type: 'class.status' });
  check("a student's WebSocket with the token follows what main publishes; a wrong token is refused (401) and counted", () => {
    assert.equal(intruderStatus, 401);
    assert.deepEqual(status, { ok: true, value: { open: true, url, viewers: 1, refused: 1 } });
  });

  const closedCode = new Promise<number>((resolve) => student.once('close', (code) => resolve(code)));
  const closed = await bridge.call({ type: 'class.close' });
  const code = await closedCode;
  const after = await fetch(`${origin}/`).then(
    () => 'answered',
    () => 'refused',
  );
  check('class.close tells the students, closes their sockets and stops listening', () => {
    assert.deepEqual(closed, { ok: true, value: { open: false, url: null, viewers: 0, refused: 0 } });
    assert.ok(messages.includes(JSON.stringify({ type: 'closed' })));
    assert.equal(code, 1001);
    assert.equal(after, 'refused');
  });
}
