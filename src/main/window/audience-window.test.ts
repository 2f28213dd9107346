import { describe, expect, it } from 'vitest';
import type { BrowserWindowConstructorOptions } from 'electron';
import { audienceWindowOpener, type AudienceWindowLike } from './audience-window.ts';

class FakeWindow implements AudienceWindowLike {
  loaded: string[] = [];
  focused = 0;
  shown = 0;
  destroyed = false;
  readonly handlers: Record<string, (() => void)[]> = {};
  readonly options: BrowserWindowConstructorOptions;
  constructor(options: BrowserWindowConstructorOptions) {
    this.options = options;
  }
  async loadURL(url: string): Promise<void> {
    this.loaded.push(url);
  }
  focus(): void {
    this.focused++;
  }
  show(): void {
    this.shown++;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  once(event: string, listener: () => void): void {
    (this.handlers[event] ??= []).push(listener);
  }
  on(event: string, listener: () => void): void {
    (this.handlers[event] ??= []).push(listener);
  }
  emit(event: string): void {
    for (const h of this.handlers[event] ?? []) h();
  }
}

describe('the audience window', () => {
  function setup() {
    const made: FakeWindow[] = [];
    const open = audienceWindowOpener({ create: (o) => made[made.push(new FakeWindow(o)) - 1]!, pageUrl: 'loopscope://app/index.html', dark: () => true });
    return { made, open };
  }

  it('loads the app page as the audience view, sandboxed and without a preload (no bridge to the app)', async () => {
    const { made, open } = setup();
    expect(await open()).toBe(true);
    const win = made[0]!;
    expect(win.loaded).toEqual(['loopscope://app/index.html#view=audience']);
    expect(win.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true });
    expect(win.options.webPreferences?.preload).toBeUndefined();
    expect(win.options.backgroundColor).toBe('#1e1e1e');
    win.emit('ready-to-show');
    expect(win.shown).toBe(1);
  });

  it('one at a time: asking again focuses it; after it is closed, a new one opens', async () => {
    const { made, open } = setup();
    await open();
    expect(await open()).toBe(false);
    expect(made).toHaveLength(1);
    expect(made[0]!.focused).toBe(1);
    made[0]!.destroyed = true;
    made[0]!.emit('closed');
    expect(await open()).toBe(true);
    expect(made).toHaveLength(2);
  });
});
