import { describe, expect, it } from 'vitest';
import type { Call } from './contract.ts';
import { createInMemoryPair, RpcClient, serveEndpoint, type CallHandler } from './protocol.ts';

function setup(handle: CallHandler['handle']) {
  const [clientSide, serverSide] = createInMemoryPair();
  const seen: Call[] = [];
  const bad: string[] = [];
  const emit = serveEndpoint(serverSide, { handle: async (c) => { seen.push(c); return handle(c); } }, (why) => bad.push(why));
  const client = new RpcClient(clientSide);
  return { client, emit, seen, bad, serverSide, clientSide };
}

describe('calls and events over the in-memory pair', () => {
  it('answers a call with the handler result', async () => {
    const { client } = setup(async () => ({ edited: true }));
    await expect(client.call({ type: 'lessons.save', key: 'bundled/a', files: [] })).resolves.toEqual({ edited: true });
  });

  it('answers a malformed call with an error and never reaches the handler', async () => {
    const { client, seen } = setup(async () => ({ edited: true }));
    await expect(client.call({ type: 'lessons.open', key: '/etc/passwd' } as Call<'lessons.open'>)).rejects.toThrow(/lessons.open.key/);
    expect(seen).toEqual([]);
  });

  it('turns a handler failure into a rejected call, and the connection keeps working', async () => {
    let n = 0;
    const { client } = setup(async () => {
      if (n++ === 0) throw new Error('no such lesson: bundled/x');
      return { stopped: true };
    });
    await expect(client.call({ type: 'lessons.open', key: 'bundled/x' })).rejects.toThrow('no such lesson: bundled/x');
    await expect(client.call({ type: 'runs.stop', runId: 'r1' })).resolves.toEqual({ stopped: true });
  });

  it('rejects a result that does not match the contract', async () => {
    const { client } = setup(async () => ({ edited: 'yes' }));
    await expect(client.call({ type: 'lessons.save', key: 'bundled/a', files: [] })).rejects.toThrow(/result\(lessons.save\).edited: must be true or false/);
  });

  it('delivers events to subscribers of that type until they unsubscribe', async () => {
    const { client, emit } = setup(async () => null);
    const got: string[] = [];
    const off = client.on('host.crashed', (e) => got.push(e.why));
    client.on('lessons.changed', () => got.push('changed'));
    emit({ type: 'host.crashed', why: 'killed' });
    emit({ type: 'lessons.changed' });
    await new Promise((r) => setTimeout(r, 0));
    off();
    emit({ type: 'host.crashed', why: 'again' });
    await new Promise((r) => setTimeout(r, 0));
    expect(got).toEqual(['killed', 'changed']);
  });

  it('drops bad events and messages without throwing', async () => {
    const { client, serverSide, clientSide, bad } = setup(async () => null);
    const reports: string[] = [];
    client.onBadMessage = (why) => reports.push(why);
    serverSide.send({ type: 'event', event: { type: 'run.batch', runId: 'r', batch: { agent: 0, ints: [1] } } } as never);
    clientSide.send({ type: 'nonsense' } as never);
    await new Promise((r) => setTimeout(r, 0));
    expect(reports.join()).toMatch(/Int32Array|strings/);
    expect(bad).toEqual(['a message that is not a call was dropped']);
  });

  it('rejects unknown call types on the client before sending', async () => {
    const { client, seen } = setup(async () => null);
    await expect(client.call({ type: 'fs.read' } as never)).rejects.toThrow(/unknown call/);
    expect(seen).toEqual([]);
  });
});
