import type { BaseWindow, Dialog, SaveDialogOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { MAX_SNAPSHOT_BYTES } from '../shared/ipc/contract.ts';
import { snapshotSaver } from './snapshot-save.ts';

const WINDOW = { id: 1 } as unknown as BaseWindow;
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);

function setup(answer: { canceled: boolean; filePath?: string }, write: (path: string, bytes: Uint8Array) => Promise<void> = async () => {}) {
  const shown: { window: unknown; options: SaveDialogOptions }[] = [];
  const written: { path: string; bytes: Uint8Array }[] = [];
  const dialog = {
    showSaveDialog: async (window: BaseWindow, options: SaveDialogOptions) => {
      shown.push({ window, options });
      return { canceled: answer.canceled, filePath: answer.filePath ?? '' };
    },
  } as unknown as Pick<Dialog, 'showSaveDialog'>;
  let window: BaseWindow | null = WINDOW;
  const save = snapshotSaver({
    dialog,
    window: () => window,
    documentsDir: () => '/home/ada/Documents',
    write: async (path, bytes) => {
      await write(path, bytes);
      written.push({ path, bytes });
    },
  });
  return { save, shown, written, closeWindow: () => (window = null) };
}

describe('snapshotSaver (main: save a stage snapshot)', () => {
  it('asks in a dialog modal to the app window, starting in Documents with the suggested name, and writes the bytes there', async () => {
    const { save, shown, written } = setup({ canceled: false, filePath: '/home/ada/slides/step 12.png' });
    await expect(save('png', 'ordering-step-12.png', PNG)).resolves.toBe('/home/ada/slides/step 12.png');
    expect(shown).toEqual([{ window: WINDOW, options: { title: 'Save a snapshot of the stage', defaultPath: '/home/ada/Documents/ordering-step-12.png', filters: [{ name: 'PNG image', extensions: ['png'] }] } }]);
    expect(written).toEqual([{ path: '/home/ada/slides/step 12.png', bytes: PNG }]);
  });

  it('adds the extension when the name typed in the dialog has none', async () => {
    const { save, written } = setup({ canceled: false, filePath: '/home/ada/slide' });
    await expect(save('svg', 'x.svg', new Uint8Array([60]))).resolves.toBe('/home/ada/slide.svg');
    expect(written[0]!.path).toBe('/home/ada/slide.svg');
  });

  it('cancel saves nothing and answers null', async () => {
    const { save, written } = setup({ canceled: true });
    await expect(save('svg', 'x.svg', new Uint8Array([60]))).resolves.toBeNull();
    expect(written).toEqual([]);
  });

  it('no window (closed meanwhile): no dialog, nothing saved', async () => {
    const { save, shown, closeWindow } = setup({ canceled: false, filePath: '/tmp/x.svg' });
    closeWindow();
    await expect(save('svg', 'x.svg', new Uint8Array([60]))).resolves.toBeNull();
    expect(shown).toEqual([]);
  });

  it('a failed write is a plain message naming the file and the reason', async () => {
    const denied = Object.assign(new Error('EACCES: permission denied, open'), { code: 'EACCES' });
    const { save } = setup({ canceled: false, filePath: '/root/x.png' }, async () => Promise.reject(denied));
    await expect(save('png', 'x.png', PNG)).rejects.toThrow('The snapshot could not be saved to /root/x.png: permission denied.');
    const full = Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' });
    const { save: save2 } = setup({ canceled: false, filePath: '/mnt/x.png' }, async () => Promise.reject(full));
    await expect(save2('png', 'x.png', PNG)).rejects.toThrow('The snapshot could not be saved to /mnt/x.png: the disk is full.');
  });

  it('refuses bytes over the cap before any dialog', async () => {
    const { save, shown } = setup({ canceled: false, filePath: '/tmp/x.png' });
    await expect(save('png', 'x.png', new Uint8Array(MAX_SNAPSHOT_BYTES + 1))).rejects.toThrow(/too large to save/);
    expect(shown).toEqual([]);
  });
});
