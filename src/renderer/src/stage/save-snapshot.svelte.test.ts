// Desktop stage snapshots from the renderer's side: the stage as drawn becomes an SVG (text) or PNG (base64 bytes)
// sent to main in one `snapshot.save` call; cancel says nothing, main's refusal reaches the banner, and a picture
// over the cap is not sent at all.
import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { MAX_SNAPSHOT_BYTES, type Call, type LoopscopeApi } from '../../../shared/ipc/contract.ts';
import { eventLoopExample } from '../../../shared/scene/scripted-trace.ts';
import { TraceModel } from '../../../shared/trace/model.ts';
import { MemoryApi } from '../app/memory-api.test-support.ts';
import { saveStageSnapshot, type Pictures } from './save-snapshot.ts';
import { stageSvg } from './stage-snapshot.ts';
import Stage from './Stage.svelte';

const trace = eventLoopExample();
const model = new TraceModel(trace);
const PNG_BYTES = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);

function desktop(answer: (call: Call) => unknown): { api: LoopscopeApi; calls: Call[] } {
  const memory = new MemoryApi();
  memory.answer = answer;
  return { api: { kind: 'desktop', call: (c) => memory.call(c), on: (t, l) => memory.on(t, l) }, calls: memory.calls };
}
function stage(): HTMLElement {
  render(Stage, { props: { state: model.stateAt(23), previous: model.stateAt(22), header: trace.header, reducedMotion: true } });
  return screen.getByTestId('stage');
}
// jsdom has no canvas: the PNG is a fixed small image; the SVG is the real one drawn from the rendered stage.
const pictures: Pictures = { svg: (s) => stageSvg(s).svg, png: async () => new Blob([PNG_BYTES], { type: 'image/png' }) };

describe('saveStageSnapshot on the desktop', () => {
  it('sends the stage as drawn, as SVG text, and says where main saved it', async () => {
    const { api, calls } = desktop(() => ({ savedTo: '/home/ada/ordering-step-23.svg' }));
    await expect(saveStageSnapshot(api, stage(), 'svg', 'ordering-step-23', pictures)).resolves.toBe('Snapshot saved to /home/ada/ordering-step-23.svg');
    expect(calls).toHaveLength(1);
    const call = calls[0] as Call<'snapshot.save'>;
    expect(call).toMatchObject({ type: 'snapshot.save', format: 'svg', fileName: 'ordering-step-23.svg' });
    expect(call.content).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(call.content).toContain('setTimeout 1 ms'); // the pending timer the stage shows at this step
  });

  it('sends a PNG as its bytes in base64', async () => {
    const { api, calls } = desktop(() => ({ savedTo: '/tmp/x.png' }));
    await saveStageSnapshot(api, stage(), 'png', 'ordering step 23', pictures);
    const call = calls[0] as Call<'snapshot.save'>;
    expect(call.fileName).toBe('ordering_step_23.png');
    expect([...atob(call.content)].map((c) => c.charCodeAt(0))).toEqual([...PNG_BYTES]);
  });

  it('a cancelled dialog says nothing; a refusal from main is thrown for the banner', async () => {
    const cancelled = desktop(() => ({ savedTo: null }));
    const shown = stage();
    await expect(saveStageSnapshot(cancelled.api, shown, 'svg', 's', pictures)).resolves.toBeNull();
    const failing = desktop(() => {
      throw new Error('The snapshot could not be saved to /root/s.svg: permission denied.');
    });
    await expect(saveStageSnapshot(failing.api, shown, 'svg', 's', pictures)).rejects.toThrow('permission denied');
  });

  it('does not send a picture over the cap', async () => {
    const { api, calls } = desktop(() => ({ savedTo: '/tmp/x.png' }));
    const huge: Pictures = { ...pictures, png: async () => new Blob([new Uint8Array(MAX_SNAPSHOT_BYTES + 1)]) };
    await expect(saveStageSnapshot(api, stage(), 'png', 's', huge)).rejects.toThrow(/over the 16 MB a snapshot may be/);
    expect(calls).toEqual([]);
  });
});
