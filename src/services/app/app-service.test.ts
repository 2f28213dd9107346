import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppService } from './app-service.ts';
import { SettingsFile } from '../settings/settings-file.ts';
import { LessonStore } from '../store/lesson-store.ts';
import type { AppEvent } from '../../shared/ipc/contract.ts';
import { createInMemoryPair, RpcClient, serveEndpoint } from '../../shared/ipc/protocol.ts';
import { EndReason } from '../../shared/trace/schema.ts';
import { FakeRuntime } from '../../../test/support/fakes.ts';

const request = { files: [{ path: 'main.ts', text: 'console.log(1)' }], entry: 'main.ts', mode: 'function' as const };

async function setup() {
  const dataDir = mkdtempSync(join(tmpdir(), 'loopscope-service-'));
  const runtime = new FakeRuntime();
  const settings = await SettingsFile.open(dataDir);
  const store = new LessonStore({ bundledRoot: '/b', dataDir, load: async () => ({ lessons: [], problems: [] }) });
  const exported: string[] = [];
  const service = new AppService({
    store,
    settings,
    runtime,
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
  return { runtime, service, client, exported, settings };
}

const settle = () => new Promise((r) => setTimeout(r, 5));

describe('app service over the in-memory transport', () => {
  it('streams a run to the client that started it, tagged with its run id', async () => {
    const { runtime, client } = await setup();
    const a = client();
    const b = client();
    await expect(a.rpc.call({ type: 'runs.start', runId: 'run-a', request })).resolves.toEqual({ runId: 'run-a' });
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
    await a.rpc.call({ type: 'runs.start', runId: 'r1', request });
    await expect(a.rpc.call({ type: 'runs.stop', runId: 'r1' })).resolves.toEqual({ stopped: true });
    expect(runtime.runs[0]!.stopped).toBe(true);
    await expect(a.rpc.call({ type: 'runs.stop', runId: 'r1' })).resolves.toEqual({ stopped: false });
    await a.rpc.call({ type: 'runs.start', runId: 'r2', request });
    a.connection.close();
    expect(runtime.runs[1]!.stopped).toBe(true);
  });

  it('a new run from another client ends the previous one as Stopped', async () => {
    const { client } = await setup();
    const a = client();
    const b = client();
    await a.rpc.call({ type: 'runs.start', runId: 'ra', request });
    await b.rpc.call({ type: 'runs.start', runId: 'rb', request });
    await settle();
    const end = a.events.find((e) => e.type === 'run.end') as Extract<AppEvent, { type: 'run.end' }>;
    expect(end.end.reason).toBe(EndReason.Stopped);
  });

  it('refuses invalid run requests before they reach the runtime', async () => {
    const { runtime, client } = await setup();
    const a = client();
    await expect(a.rpc.call({ type: 'runs.start', runId: 'r', request: { ...request, files: [{ path: '/abs.ts', text: '' }], entry: '/abs.ts' } })).rejects.toThrow(/bad file path/);
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
});
