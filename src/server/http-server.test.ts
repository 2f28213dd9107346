import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServer, type RunningServer } from './http-server.ts';
import { AppService } from '../services/app/app-service.ts';
import { SettingsFile } from '../services/settings/settings-file.ts';
import { LessonStore } from '../services/store/lesson-store.ts';
import { decodeFrame, encodeFrame } from '../shared/ipc/binary.ts';
import type { WireMessage } from '../shared/ipc/protocol.ts';
import { FakeRuntime } from '../runtime/fake-runtime.test-support.ts';
import { TrustStore } from '../services/settings/trust-store.ts';
import { loadLibrary } from '../services/store/library.ts';
import { writeLesson } from '../services/lessons/fixtures.test-support.ts';

const TOKEN = 'test-token-0123456789';
let server: RunningServer;
let runtime: FakeRuntime;

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'loopscope-server-'));
  const rendererDir = join(dataDir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Loopscope</title>');
  runtime = new FakeRuntime();
  const service = new AppService({
    store: new LessonStore({ bundledRoot: writeLesson(join(dataDir, 'bundled'), 'one').replace(/[/\\]one$/, ''), dataDir, load: loadLibrary }),
    settings: await SettingsFile.open(dataDir),
    trust: await TrustStore.open(dataDir),
    runtime,
    pickFolder: async () => null,
    saveExport: async () => null,
  });
  server = await startServer({ port: 0, rendererDir, token: TOKEN, service });
});
afterAll(() => server.close());

function connect(options: { token?: string; origin?: string; host?: string } = {}): Promise<WebSocket> {
  const origin = options.origin ?? `http://127.0.0.1:${server.port}`;
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${encodeURIComponent(options.token ?? TOKEN)}`, {
    origin,
    headers: options.host ? { Host: options.host } : {},
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function nextMessage(ws: WebSocket): Promise<unknown> {
  return new Promise((resolve) =>
    ws.once('message', (data, isBinary) => {
      const buf = data as Buffer;
      resolve(decodeFrame(isBinary ? new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength) : buf.toString('utf8')));
    }),
  );
}

describe('browser-mode server', () => {
  it('listens on loopback only and prints a URL with the token in the fragment', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#token=${TOKEN}`);
  });

  it('serves the renderer with the CSP, and refuses other Host headers (DNS rebinding)', async () => {
    const page = await fetch(`http://127.0.0.1:${server.port}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain(`connect-src 'self' ws://127.0.0.1:${server.port}`);
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve) => {
      request({ host: '127.0.0.1', port: server.port, path: '/', headers: { Host: 'attacker.example' } }, (res) => resolve(res.statusCode ?? 0)).end();
    });
    expect(status).toBe(421);
  });

  it('refuses a WebSocket without the right token, origin or host', async () => {
    await expect(connect({ token: 'wrong' })).rejects.toThrow(/401/);
    await expect(connect({ token: '' })).rejects.toThrow(/401/);
    await expect(connect({ origin: 'https://evil.example' })).rejects.toThrow(/403/);
    await expect(connect({ host: 'evil.example' })).rejects.toThrow(/421/);
  });

  it('answers calls, rejects bad ones, and survives garbage', async () => {
    const ws = await connect();
    ws.send('not json at all');
    ws.send(Buffer.from([1, 2, 3]));
    ws.send(JSON.stringify({ type: 'call', id: 1, call: { type: 'lessons.open', key: '/etc/passwd' } }));
    const bad = (await nextMessage(ws)) as WireMessage;
    expect(bad).toMatchObject({ type: 'answer', id: 1, answer: { ok: false } });
    ws.send(JSON.stringify({ type: 'call', id: 2, call: { type: 'settings.get' } }));
    const good = (await nextMessage(ws)) as WireMessage;
    expect(good).toMatchObject({ type: 'answer', id: 2, answer: { ok: true, value: { theme: 'system' } } });
    ws.close();
  });

  it('streams run batches as binary frames', async () => {
    const ws = await connect();
    const request = { files: [{ path: 'main.ts', text: '1' }], entry: 'main.ts', mode: 'function' };
    ws.send(encodeFrame({ type: 'call', id: 1, call: { type: 'runs.start', runId: 'r1', lesson: 'bundled/one', request } as never }) as string);
    await nextMessage(ws);
    const binary = new Promise<boolean>((resolve) => ws.once('message', (_d, isBinary) => resolve(isBinary)));
    runtime.runs.at(-1)!.sink.onBatch({ agent: 0, ints: new Int32Array([18, 0, 0]), strings: ['hi'] });
    expect(await binary).toBe(true);
    ws.close();
  });
});
