// The desktop trust prompt (src/main/trust-dialog.ts): a native message box from main, with an injected fake dialog.
import type { BaseWindow, Dialog, MessageBoxOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { askTrustNatively, trustMessageBox } from './trust-dialog.ts';

function fakeDialog(response: number) {
  const shown: { window: unknown; options: MessageBoxOptions }[] = [];
  const dialog = {
    async showMessageBox(a: unknown, b?: MessageBoxOptions) {
      const [window, options] = b === undefined ? [null, a as MessageBoxOptions] : [a, b];
      shown.push({ window, options });
      return { response, checkboxChecked: false };
    },
  } as unknown as Pick<Dialog, 'showMessageBox'>;
  return { dialog, shown };
}

const request = { folder: '/home/me/Downloads/pack', title: 'Timers \u202Egnp.ts' };
const window = { id: 1 } as unknown as BaseWindow;

describe('the native trust prompt', () => {
  it('is modal to the window, names the folder, and defaults to Cancel (Enter, Escape and closing cancel)', async () => {
    const { dialog, shown } = fakeDialog(0);
    await expect(askTrustNatively(dialog, window, request)).resolves.toBe(false);
    expect(shown).toHaveLength(1);
    const { options } = shown[0]!;
    expect(shown[0]!.window).toBe(window);
    expect(options.buttons).toEqual(['Cancel', 'Run']);
    expect(options.defaultId).toBe(0);
    expect(options.cancelId).toBe(0);
    expect(options.detail).toContain('/home/me/Downloads/pack');
    expect(options.detail).toMatch(/does not block network access/);
  });

  it('trusts only when the user chose Run', async () => {
    await expect(askTrustNatively(fakeDialog(1).dialog, window, request)).resolves.toBe(true);
    await expect(askTrustNatively(fakeDialog(2).dialog, null, request)).resolves.toBe(false);
  });

  it('shows a right-to-left override in the title as a visible marker', () => {
    const options = trustMessageBox(request);
    expect(options.message).toBe('Run “Timers ⟨U+202E⟩gnp.ts”?');
    expect(options.message).not.toContain('\u202E');
  });
});
