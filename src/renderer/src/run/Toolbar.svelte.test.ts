import { fireEvent, render, screen } from '@testing-library/svelte';
import { tick } from 'svelte';
import { describe, expect, it } from 'vitest';
import type { ThemeChoice } from '../../../shared/ipc/contract.ts';
import { EndReason, EventKind } from '../../../shared/trace/schema.ts';
import { batch, testHeader } from '../../../shared/trace/test-support.ts';
import { MemoryApi } from '../app/memory-api.test-support.ts';
import { RunStore } from './run-store.svelte.ts';
import Toolbar from './Toolbar.svelte';

function setup(options: { canRun?: boolean; isMac?: boolean } = {}) {
  const api = new MemoryApi();
  const run = new RunStore(api);
  const seen = { runs: 0, stops: 0, themes: [] as ThemeChoice[], exports: [] as string[], layouts: [] as string[], presents: 0 };
  render(Toolbar, {
    props: {
      run, title: 'Timers vs. microtasks', canRun: options.canRun ?? true, theme: 'system', isMac: options.isMac ?? false,
      onRun: () => seen.runs++, onStop: () => seen.stops++, onTheme: (t: ThemeChoice) => seen.themes.push(t), onExport: (f: string) => seen.exports.push(f),
      layout: 'learn', onLayout: (l: string) => seen.layouts.push(l), lessonsOpen: true, onToggleLessons: () => {}, onPresent: () => seen.presents++,
    },
  });
  return { api, run, seen };
}

const runButton = () => screen.getByRole('button', { name: /Run/ });
const status = () => screen.getByTestId('run-status').textContent?.trim();
const printed = batch(0, [[EventKind.Console, 0, 'hello']]);

describe('Toolbar', () => {
  it('shows the lesson, Ready, and a Run button with its shortcut', () => {
    setup();
    expect(screen.getByTestId('lesson-title').textContent).toBe('Timers vs. microtasks');
    expect(status()).toBe('Ready');
    expect(runButton().textContent).toContain('Ctrl+Enter');
    expect(screen.queryByRole('button', { name: /Stop/ })).toBeNull();
  });

  it('calls onRun, names the Mac shortcut, and cannot run what cannot run', async () => {
    const { seen } = setup({ isMac: true });
    expect(runButton().textContent).toContain('⌘↵');
    await fireEvent.click(runButton());
    expect(seen.runs).toBe(1);
  });

  it('disables Run when the lesson cannot run', () => {
    setup({ canRun: false });
    expect((runButton() as HTMLButtonElement).disabled).toBe(true);
  });

  it('while a run is active offers Stop; after it ends says how long it took', async () => {
    const { api, run, seen } = setup();
    void run.start('bundled/sync-vs-timeout', { files: [{ path: 'main.ts', text: "console.log('hello')" }], entry: 'main.ts', mode: 'function' });
    await tick();
    expect(status()).toBe('Starting…');
    expect(screen.queryByRole('button', { name: /Run/ })).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: /Stop/ }));
    expect(seen.stops).toBe(1);
    api.play(run.runId!, testHeader(), [printed], { durationMs: 12.4 });
    await tick();
    expect(status()).toBe('Completed in 12 ms');
    expect(runButton()).toBeTruthy();
  });

  it('after a run, shows which isolation layers it had (nothing before)', async () => {
    const { api, run } = setup();
    expect(screen.queryByTestId('sandbox-layers')).toBeNull();
    void run.start('bundled/sync-vs-timeout', { files: [{ path: 'main.ts', text: "console.log('hello')" }], entry: 'main.ts', mode: 'function' });
    api.play(run.runId!, testHeader(), [printed], { layers: ['os-sandbox: unavailable (bwrap not found)', 'node permission model', 'limits', 'empty environment'] });
    await tick();
    expect(screen.getByRole('button', { name: 'Sandbox: no OS sandbox · permission model · limits · empty environment' }).textContent).toContain('not OS-sandboxed');
  });

  it('names how a failed run ended', async () => {
    const { api, run } = setup();
    void run.start('bundled/sync-vs-timeout', { files: [{ path: 'main.ts', text: 'for (;;);' }], entry: 'main.ts', mode: 'function' });
    api.play(run.runId!, testHeader(), [], { reason: EndReason.Timeout, exitCode: 1, message: 'Stopped after 5000 ms' });
    await tick();
    expect(status()).toBe('Time limit');
  });

  it('exports only a finished run, in the format picked', async () => {
    const { api, run, seen } = setup();
    const item = (name: RegExp) => screen.getByRole('menuitem', { name, hidden: true }) as HTMLButtonElement;
    await fireEvent.click(screen.getByTestId('export')); // a menu button: the items exist while it is open
    expect(item(/Chrome trace/).disabled).toBe(true);
    void run.start('bundled/sync-vs-timeout', { files: [{ path: 'main.ts', text: "console.log('hello')" }], entry: 'main.ts', mode: 'function' });
    api.play(run.runId!, testHeader(), [printed]);
    await tick();
    expect(item(/Chrome trace/).disabled).toBe(false);
    await fireEvent.click(item(/Standalone HTML/));
    expect(seen.exports).toEqual(['html']);
    expect(screen.queryByRole('menu', { hidden: true })).toBeNull(); // choosing closes the menu
  });

  it('switches the layout and starts presenting', async () => {
    const { seen } = setup();
    await fireEvent.change(screen.getByTestId('layout'), { target: { value: 'code' } });
    expect(seen.layouts).toEqual(['code']);
    await fireEvent.click(screen.getByTestId('present'));
    expect(seen.presents).toBe(1);
  });

  it('switches the theme', async () => {
    const { seen } = setup();
    await fireEvent.change(screen.getByLabelText('Theme'), { target: { value: 'dark' } });
    expect(seen.themes).toEqual(['dark']);
  });
});
