import { render, screen } from '@testing-library/svelte';
import { tick } from 'svelte';
import { describe, expect, it } from 'vitest';
import { EndReason, EventKind } from '../../../shared/trace/schema.ts';
import { batch, testHeader } from '../../../shared/trace/test-support.ts';
import { MemoryApi } from '../app/memory-api.test-support.ts';
import { RunStore } from '../run/run-store.svelte.ts';
import ConsolePane from './ConsolePane.svelte';

function setup() {
  const api = new MemoryApi();
  const run = new RunStore(api);
  render(ConsolePane, { props: { run, dark: false, fontSizePx: 13 } });
  const play = async (events: [number, ...(number | string)[]][], end: Parameters<MemoryApi['play']>[3] = {}) => {
    void run.start('bundled/sync-vs-timeout', { files: [{ path: 'main.ts', text: '' }], entry: 'main.ts', mode: 'function' });
    await tick();
    api.play(run.runId!, testHeader(), [batch(0, events)], end);
    await tick();
  };
  return { run, play };
}
const text = () => screen.getByTestId('console-text').textContent;

describe('ConsolePane', () => {
  it('prints what the run printed, stdout and stderr, then how it ended', async () => {
    const { play } = setup();
    await play([[EventKind.Console, 0, 'hello'], [EventKind.Console, 1, 'oops'], [EventKind.Console, 2, 'raw ']], { events: 3, durationMs: 7 });
    expect(text()).toBe('▶ Running…\nhello\noops\nraw \n■ Completed (3 events, 7 ms)\n');
  });

  it('says why a run failed', async () => {
    const { play } = setup();
    await play([], { reason: EndReason.Timeout, exitCode: 1, message: 'Stopped after 5000 ms' });
    expect(text()).toContain('■ Time limit: Stopped after 5000 ms');
  });

  it('shows only the output up to the cursor while scrubbing back, and all of it again at the end', async () => {
    const { run, play } = setup();
    await play([[EventKind.Console, 0, 'one'], [EventKind.Console, 0, 'two'], [EventKind.Console, 0, 'three']], { events: 3, durationMs: 1 });
    run.seek(2);
    await tick();
    expect(text()).toBe('one\ntwo\n▌ output up to the cursor (press End for all of it)\n');
    run.seek(3);
    await tick();
    expect(text()).toBe('one\ntwo\nthree\n■ Completed (3 events, 1 ms)\n');
  });

  it('starts each run with a clean console', async () => {
    const { play } = setup();
    await play([[EventKind.Console, 0, 'first run']]);
    await play([[EventKind.Console, 0, 'second run']]);
    expect(text()).not.toContain('first run');
    expect(text()).toContain('second run');
  });
});
