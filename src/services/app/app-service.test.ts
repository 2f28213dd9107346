import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppService, type AppServiceDeps } from './app-service.ts';
import { SettingsFile } from '../settings/settings-file.ts';
import { LessonStore } from '../store/lesson-store.ts';
import type { AppEvent } from '../../shared/ipc/contract.ts';
import { createInMemoryPair, RpcClient, serveEndpoint } from '../../shared/ipc/protocol.ts';
import { EndReason } from '../../shared/trace/schema.ts';
import { FakeRuntime } from '../../runtime/fake-runtime.test-support.ts';
import { loadLibrary } from '../store/library.ts';
import { TRUST_FILE, TrustStore } from '../settings/trust-store.ts';
import { MAIN_TS, writeLesson } from '../lessons/fixtures.test-support.ts';

const request = { files: [{ path: 'main.ts', text: 'console.log(1)' }], entry: 'main.ts', mode: 'function' as const };
const lesson = 'bundled/one';

async function setup(options: { askTrust?: (r: { folder: string; title: string }) => Promise<boolean>; saveSnapshot?: AppServiceDeps['saveSnapshot'] } = {}) {
  const work = mkdtempSync(join(tmpdir(), 'loopscope-service-'));
  const dataDir = join(work, 'data');
  writeLesson(join(work, 'bundled'), 'one');
  const runtime = new FakeRuntime();
  const settings = await SettingsFile.open(dataDir);
  const trust = await TrustStore.open(dataDir);
  const store = new LessonStore({ bundledRoot: join(work, 'bundled'), dataDir, load: loadLibrary, isTrusted: (f) => trust.isTrusted(f) });
  const exported: string[] = [];
  const service = new AppService({
    store,
    settings,
    trust,
    runtime,
    ...(options.askTrust ? { askTrust: options.askTrust } : {}),
    ...(options.saveSnapshot ? { saveSnapshot: options.saveSnapshot } : {}),
    pickFolder: async (p) => p ?? null,
    saveExport: async (_f, name, content) => {
      exported.push(`${name}:${content}`);
      return `/exports/${name}`;
    },
  });
  /** A client connected over the in-memory pair, exactly as a WebSocket client would be. */
  const client = () => {
    const [a, b] = createInMemoryPair();
    const connection = service.connect((e) => emit(e));
    const emit = serveEndpoint(b, connection);
    const events: AppEvent[] = [];
    const rpc = new RpcClient(a);
    for (const type of ['run.header', 'run.batch', 'run.end', 'host.crashed', 'lessons.changed'] as const) rpc.on(type, (e) => events.push(e));
    return { rpc, events, connection };
  };
  return { runtime, service, client, exported, settings, trust, work, dataDir };
}

const settle = () => new Promise((r) => setTimeout(r, 5));

describe('app service over the in-memory transport', () => {
  it('streams a run to the client that started it, tagged with its run id', async () => {
    const { runtime, client } = await setup();
    const a = client();
    const b = client();
    await expect(a.rpc.call({ type: 'runs.start', runId: 'run-a', lesson, request })).resolves.toEqual({ runId: 'run-a' });
    const run = runtime.runs[0]!;
    run.sink.onHeader({ version: 1, runId: 'host', mode: 'function', startedAtMs: 0, frames: [], files: request.files, entry: 'main.ts' });
    run.sink.onBatch({ agent: 0, ints: new Int32Array([18, 0, 0]), strings: ['1'] });
    run.end();
    await settle();
    expect(a.events.map((e) => [e.type, 'runId' in e ? e.runId : ''])).toEqual([['run.header', 'run-a'], ['run.batch', 'run-a'], ['run.end', 'run-a']]);
    const batch = a.events[1] as Extract<AppEvent, { type: 'run.batch' }>;
    expect(Array.from(batch.batch.ints)).toEqual([18, 0, 0]);
    expect(b.events).toEqual([]);
  });

  it('stops a run on request and when its client goes away', async () => {
    const { runtime, client } = await setup();
    const a = client();
    await a.rpc.call({ type: 'runs.start', runId: 'r1', lesson, request });
    await expect(a.rpc.call({ type: 'runs.stop', runId: 'r1' })).resolves.toEqual({ stopped: true });
    expect(runtime.runs[0]!.stopped).toBe(true);
    await expect(a.rpc.call({ type: 'runs.stop', runId: 'r1' })).resolves.toEqual({ stopped: false });
    await a.rpc.call({ type: 'runs.start', runId: 'r2', lesson, request });
    a.connection.close();
    expect(runtime.runs[1]!.stopped).toBe(true);
  });

  it('a new run from another client ends the previous one as Stopped', async () => {
    const { client } = await setup();
    const a = client();
    const b = client();
    await a.rpc.call({ type: 'runs.start', runId: 'ra', lesson, request });
    await b.rpc.call({ type: 'runs.start', runId: 'rb', lesson, request });
    await settle();
    const end = a.events.find((e) => e.type === 'run.end') as Extract<AppEvent, { type: 'run.end' }>;
    expect(end.end.reason).toBe(EndReason.Stopped);
  });

  it('refuses invalid run requests before they reach the runtime', async () => {
    const { runtime, client } = await setup();
    const a = client();
    await expect(a.rpc.call({ type: 'runs.start', runId: 'r', lesson, request: { ...request, files: [{ path: '/abs.ts', text: '' }], entry: '/abs.ts' } })).rejects.toThrow(/bad file path/);
    expect(runtime.runs).toEqual([]);
  });

  it('tells every client when the runtime host crashed', async () => {
    const { runtime, client } = await setup();
    const a = client();
    const b = client();
    runtime.crash('the runtime host exited unexpectedly (SIGKILL)');
    await settle();
    expect(a.events).toEqual([{ type: 'host.crashed', why: 'the runtime host exited unexpectedly (SIGKILL)' }]);
    expect(b.events).toHaveLength(1);
  });

  it('reads and writes settings, and saves exports', async () => {
    const { client, exported, settings } = await setup();
    const a = client();
    await expect(a.rpc.call({ type: 'settings.set', patch: { theme: 'light' } })).resolves.toMatchObject({ theme: 'light' });
    expect(settings.settings.theme).toBe('light');
    await expect(a.rpc.call({ type: 'settings.get' })).resolves.toMatchObject({ theme: 'light' });
    await expect(a.rpc.call({ type: 'export', format: 'chrome', fileName: 'x.chrome-trace.json', content: '{}' })).resolves.toEqual({ savedTo: '/exports/x.chrome-trace.json' });
    expect(exported).toEqual(['x.chrome-trace.json:{}']);
    // browser mode: the file comes back for the browser to download, nothing is written
    await expect(a.rpc.call({ type: 'export', format: 'chrome', fileName: 'y.chrome-trace.json', content: '{"a":1}', deliver: 'return' })).resolves.toEqual({ savedTo: null, content: '{"a":1}' });
    expect(exported).toEqual(['x.chrome-trace.json:{}']);
  });

  it('saves stage snapshots through the desktop saver, only after checking them; browser mode has none', async () => {
    const saved: { format: string; name: string; bytes: Uint8Array }[] = [];
    const { client } = await setup({ saveSnapshot: async (format, name, bytes) => (saved.push({ format, name, bytes }), `/pictures/${name}`) });
    const a = client();
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><text>step 3</text></svg>';
    await expect(a.rpc.call({ type: 'snapshot.save', format: 'svg', fileName: 'ordering-step-3.svg', content: svg })).resolves.toEqual({ savedTo: '/pictures/ordering-step-3.svg' });
    expect(new TextDecoder().decode(saved[0]!.bytes)).toBe(svg);
    // what the page says is a PNG must be one; a name must be a plain .svg/.png name
    await expect(a.rpc.call({ type: 'snapshot.save', format: 'png', fileName: 'x.png', content: Buffer.from(svg).toString('base64') })).rejects.toThrow('the PNG snapshot is not a complete PNG image');
    await expect(a.rpc.call({ type: 'snapshot.save', format: 'svg', fileName: '../../.bashrc', content: svg })).rejects.toThrow(/fileName/);
    await expect(a.rpc.call({ type: 'snapshot.save', format: 'svg', fileName: 'x.exe', content: svg })).rejects.toThrow(/fileName/);
    expect(saved).toHaveLength(1);
    const browser = (await setup()).client();
    await expect(browser.rpc.call({ type: 'snapshot.save', format: 'svg', fileName: 'x.svg', content: svg })).rejects.toThrow(/download in the browser/);
  });
});

describe('trust is decided and enforced by the side that runs code', () => {
  /** Opens a folder holding one lesson `hostile` and returns its key and folder. */
  async function openFolder(ctx: Awaited<ReturnType<typeof setup>>, a: ReturnType<Awaited<ReturnType<typeof setup>>['client']>) {
    const folder = join(ctx.work, 'elsewhere');
    writeLesson(folder, 'hostile');
    await a.rpc.call({ type: 'lessons.openFolder', path: folder });
    const list = await a.rpc.call({ type: 'lessons.list' });
    const summary = list.lessons.find((l) => l.id === 'hostile')!;
    return { key: summary.key, folder, summary };
  }
  const hostileRequest = { files: [{ path: 'main.ts', text: MAIN_TS }], entry: 'main.ts', mode: 'function' as const };

  it('refuses to run a lesson from an untrusted folder, whatever the page sends', async () => {
    const ctx = await setup();
    const a = ctx.client();
    const { key, summary } = await openFolder(ctx, a);
    expect(summary.trusted).toBe(false);
    await expect(a.rpc.call({ type: 'runs.start', runId: 'r', lesson: key, request: hostileRequest })).rejects.toThrow(/have not been trusted/);
    expect(ctx.runtime.runs).toEqual([]);
  });

  it('a forged settings.set of trusted folders is refused and trusts nothing', async () => {
    const ctx = await setup();
    const a = ctx.client();
    const { key, folder } = await openFolder(ctx, a);
    await expect(a.rpc.call({ type: 'settings.set', patch: { trustedFolders: [folder] } } as never)).rejects.toThrow(/trustedFolders/);
    await expect(a.rpc.call({ type: 'runs.start', runId: 'r', lesson: key, request: hostileRequest })).rejects.toThrow(/have not been trusted/);
    expect(ctx.trust.folders).toEqual([]);
    expect(ctx.runtime.runs).toEqual([]);
  });

  it('a run claiming a bundled lesson must carry only that lesson\'s files and entry', async () => {
    const ctx = await setup();
    const a = ctx.client();
    const smuggled = { files: [{ path: 'evil.ts', text: '1' }], entry: 'evil.ts', mode: 'function' as const };
    await expect(a.rpc.call({ type: 'runs.start', runId: 'r', lesson, request: smuggled })).rejects.toThrow(/has no file "evil.ts"/);
    await expect(a.rpc.call({ type: 'runs.start', runId: 'r', lesson: 'bundled/nope', request })).rejects.toThrow(/No lesson/);
    expect(ctx.runtime.runs).toEqual([]);
  });

  it('desktop: only the native dialog from main grants trust; Cancel trusts nothing and runs nothing', async () => {
    const asked: { folder: string; title: string }[] = [];
    let answer = false;
    const ctx = await setup({ askTrust: async (r) => (asked.push(r), answer) });
    const a = ctx.client();
    const { key, folder } = await openFolder(ctx, a);
    await expect(a.rpc.call({ type: 'lessons.trust', key })).resolves.toEqual({ trusted: false });
    expect(asked).toEqual([{ folder, title: 'Lesson hostile' }]);
    expect(ctx.trust.folders).toEqual([]);
    expect(existsSync(join(ctx.dataDir, TRUST_FILE))).toBe(false);
    await expect(a.rpc.call({ type: 'runs.start', runId: 'r', lesson: key, request: hostileRequest })).rejects.toThrow(/have not been trusted/);
    answer = true;
    await expect(a.rpc.call({ type: 'lessons.trust', key })).resolves.toEqual({ trusted: true });
    await expect(a.rpc.call({ type: 'runs.start', runId: 'r', lesson: key, request: hostileRequest })).resolves.toEqual({ runId: 'r' });
    expect(ctx.runtime.runs).toHaveLength(1);
    // remembered by the Node side, across restarts
    expect((await TrustStore.open(ctx.dataDir)).isTrusted(folder)).toBe(true);
    expect((await a.rpc.call({ type: 'lessons.list' })).lessons.find((l) => l.key === key)?.trusted).toBe(true);
  });

  it('browser mode: lessons.trust records the page prompt\'s Run; bundled lessons never ask', async () => {
    const ctx = await setup();
    const a = ctx.client();
    const { key, folder } = await openFolder(ctx, a);
    await expect(a.rpc.call({ type: 'lessons.trust', key: lesson })).resolves.toEqual({ trusted: true });
    expect(ctx.trust.folders).toEqual([]);
    await expect(a.rpc.call({ type: 'lessons.trust', key })).resolves.toEqual({ trusted: true });
    expect(ctx.trust.folders).toEqual([folder]);
    await expect(a.rpc.call({ type: 'runs.start', runId: 'r', lesson: key, request: hostileRequest })).resolves.toEqual({ runId: 'r' });
  });

  it('a corrupt trust file trusts nothing', async () => {
    const ctx = await setup();
    mkdirSync(ctx.dataDir, { recursive: true });
    writeFileSync(join(ctx.dataDir, TRUST_FILE), '{"version":1,"folders":["relative/path","/ok/../../etc"]');
    expect((await TrustStore.open(ctx.dataDir)).folders).toEqual([]);
    writeFileSync(join(ctx.dataDir, TRUST_FILE), JSON.stringify({ version: 1, folders: ['relative', '/a/../b', '/fine', 7] }));
    expect((await TrustStore.open(ctx.dataDir)).folders).toEqual(['/fine']);
  });
});
