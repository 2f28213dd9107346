import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ClassSession } from './class-session.ts';

const rendererDir = mkdtempSync(join(tmpdir(), 'loopscope-class-'));
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Loopscope</title>');
const sessions: ClassSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
});

async function open(maxViewers?: number): Promise<ClassSession> {
  const s = await ClassSession.open({ host: '127.0.0.1', rendererDir, ...(maxViewers ? { maxViewers } : {}) });
  sessions.push(s);
  return s;
}

/** Connects a viewer; resolves with its socket and the messages it got, or rejects with the HTTP status. */
function viewer(s: ClassSession, options: { token?: string | null; origin?: string } = {}): Promise<{ ws: WebSocket; got: string[] }> {
  const token = options.token === undefined ? s.token : options.token;
  const url = `ws://127.0.0.1:${s.port}/follow${token === null ? '' : `?join=${token}`}`;
  const ws = new WebSocket(url, { origin: options.origin ?? `http://127.0.0.1:${s.port}` });
  const got: string[] = [];
  ws.on('message', (d) => got.push(String(d)));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, got }));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}
const until = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
};

describe('a follow-along class session', () => {
  it('refuses a viewer without the join token, with a wrong one, or from another origin', async () => {
    const s = await open();
    await expect(viewer(s, { token: null })).rejects.toThrow('HTTP 401');
    await expect(viewer(s, { token: 'x'.repeat(s.token.length) })).rejects.toThrow('HTTP 401');
    await expect(viewer(s, { origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
    expect(s.refused).toBe(3);
    expect(s.viewers).toBe(0);
  });

  it('a viewer with the token gets the trace and the view, live and on joining late', async () => {
    const s = await open();
    const a = await viewer(s);
    s.publishTrace('{"type":"trace","traceId":"r1","text":"{}"}');
    s.publishView('{"type":"view","cursor":3}');
    await until(() => a.got.length === 2);
    const late = await viewer(s);
    await until(() => late.got.length === 2);
    expect(late.got).toEqual(a.got);
    expect(s.viewers).toBe(2);
  });

  it('every message but hello closes the viewer: no app calls, no runs', async () => {
    const s = await open();
    for (const bad of [JSON.stringify({ type: 'call', call: { type: 'runs.start', runId: 'r', request: {} } }), JSON.stringify({ type: 'lessons.open', key: 'bundled/x' }), JSON.stringify({ type: 'hello', extra: 1 }), 'not json', Buffer.from([1, 2, 3])]) {
      const v = await viewer(s);
      const closed = new Promise<number>((resolve) => v.ws.once('close', (code) => resolve(code)));
      v.ws.send(bad);
      expect(await closed).toBe(1008);
    }
    const ok = await viewer(s);
    s.publishView('{"type":"view","cursor":1}');
    await until(() => ok.got.length === 1);
    ok.ws.send(JSON.stringify({ type: 'hello' }));
    await until(() => ok.got.length === 2); // hello resends the state
  });

  it('serves only the renderer files: no app API, no health, no other host', async () => {
    const s = await open();
    const base = `http://127.0.0.1:${s.port}`;
    expect((await fetch(`${base}/`)).status).toBe(200);
    expect((await fetch(`${base}/health`)).status).toBe(404);
    expect((await fetch(`${base}/../../etc/passwd`)).status).toBe(404);
    expect((await fetch(`${base}/`, { method: 'POST', body: '{}' })).status).toBe(405);
    const ws = new WebSocket(`ws://127.0.0.1:${s.port}/ws?token=${s.token}`, { origin: base });
    await expect(new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('unexpected-response', (_q, r) => reject(new Error(`HTTP ${r.statusCode}`))); })).rejects.toThrow('HTTP 404');
  });

  it('a flood of viewers is bounded: beyond the limit they are refused, the session stays up', async () => {
    const s = await open(20);
    const results = await Promise.allSettled(Array.from({ length: 60 }, () => viewer(s)));
    const ok = results.filter((r) => r.status === 'fulfilled');
    expect(ok).toHaveLength(20);
    expect(results.filter((r) => r.status === 'rejected' && String(r.reason).includes('HTTP 503'))).toHaveLength(40);
    expect(s.viewers).toBe(20);
    s.publishView('{"type":"view","cursor":9}');
    for (const r of ok) if (r.status === 'fulfilled') await until(() => r.value.got.length === 1);
    // one leaves, one more gets in
    if (ok[0]?.status === 'fulfilled') ok[0].value.ws.close();
    await until(() => s.viewers === 19);
    await viewer(s);
    expect(s.viewers).toBe(20);
  });

  it('only listens on an interface of this machine', async () => {
    await expect(ClassSession.open({ host: '203.0.113.7', rendererDir })).rejects.toThrow('is not an interface');
  });

  it('closing tells the viewers and ends their sockets', async () => {
    const s = await ClassSession.open({ host: '127.0.0.1', rendererDir });
    const v = await viewer(s);
    const closed = new Promise<number>((resolve) => v.ws.once('close', (code) => resolve(code)));
    await s.close();
    expect(await closed).toBe(1001);
    expect(v.got).toContain('{"type":"closed"}');
  });
});
