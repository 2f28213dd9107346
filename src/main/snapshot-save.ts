/**
 * Desktop stage snapshots: main asks where to save in a native dialog (modal to the app window) and writes the
 * bytes there. The bytes were checked by src/services/export/snapshot.ts before they got here (a PNG is a PNG, an
 * SVG an <svg>, both capped); this re-checks the cap, since it is the last thing before the disk. Electron-only but
 * imports only types from 'electron', so it is unit-tested with a fake dialog and a fake writer.
 */
import type { BaseWindow, Dialog, FileFilter } from 'electron';
import { join } from 'node:path';
import { MAX_SNAPSHOT_BYTES, type SnapshotFormat } from '../shared/ipc/contract.ts';

export interface SnapshotSaveDeps {
  readonly dialog: Pick<Dialog, 'showSaveDialog'>;
  /** The app window the dialog belongs to; null when it is closed (then nothing is saved). */
  window(): BaseWindow | null;
  /** Where the dialog starts (the user's documents folder). */
  documentsDir(): string;
  write(path: string, bytes: Uint8Array): Promise<void>;
}

const FILTERS: Record<SnapshotFormat, FileFilter[]> = {
  svg: [{ name: 'SVG image', extensions: ['svg'] }],
  png: [{ name: 'PNG image', extensions: ['png'] }],
};

/** AppService's `saveSnapshot`: the path written, null when the user cancelled; a failed write throws a plain message. */
export function snapshotSaver(deps: SnapshotSaveDeps) {
  return async (format: SnapshotFormat, fileName: string, bytes: Uint8Array): Promise<string | null> => {
    if (bytes.length > MAX_SNAPSHOT_BYTES) throw new Error(`The snapshot is too large to save (${bytes.length} bytes; the limit is ${MAX_SNAPSHOT_BYTES}).`);
    const window = deps.window();
    if (!window) return null;
    const r = await deps.dialog.showSaveDialog(window, { title: 'Save a snapshot of the stage', defaultPath: join(deps.documentsDir(), fileName), filters: FILTERS[format] });
    if (r.canceled || !r.filePath) return null;
    // Linux dialogs do not add the filter's extension: a name typed without one still gets it.
    const path = new RegExp(`\\.${format}$`, 'i').test(r.filePath) ? r.filePath : `${r.filePath}.${format}`;
    try {
      await deps.write(path, bytes);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOSPC' ? 'the disk is full' : code === 'ENOENT' ? 'the folder does not exist' : (e as Error).message;
      throw new Error(`The snapshot could not be saved to ${path}: ${why}.`, { cause: e });
    }
    return path;
  };
}
