/**
 * Where a stage snapshot goes: browser mode downloads it (a unique name, nothing on the server); the desktop app
 * sends it to main (`snapshot.save`: SVG text, or PNG bytes as base64), which asks where in a native save dialog.
 * Answers the line the app shows in its banner (null when the user cancelled the dialog).
 */
import { MAX_SNAPSHOT_BYTES, type LoopscopeApi, type SnapshotFormat } from '../../../shared/ipc/contract.ts';
import { downloadFile, uniqueFileName } from '../app/download.ts';
import { stagePng, stageSvg } from './stage-snapshot.ts';

export interface Pictures {
  svg(stage: HTMLElement): string;
  png(stage: HTMLElement): Promise<Blob>;
}
const DRAWN: Pictures = { svg: (stage) => stageSvg(stage).svg, png: (stage) => stagePng(stage) };

export async function saveStageSnapshot(api: LoopscopeApi, stage: HTMLElement, format: SnapshotFormat, base: string, pictures: Pictures = DRAWN): Promise<string | null> {
  const picture = format === 'svg' ? pictures.svg(stage) : await pictures.png(stage);
  if (api.kind !== 'desktop') {
    const name = uniqueFileName(base, `.${format}`);
    downloadFile(name, picture, 'image/svg+xml');
    return `Downloaded ${name}`;
  }
  const size = typeof picture === 'string' ? new TextEncoder().encode(picture).length : picture.size;
  if (size > MAX_SNAPSHOT_BYTES) throw new Error(`the picture is ${(size / 1024 / 1024).toFixed(1)} MB, over the ${MAX_SNAPSHOT_BYTES / 1024 / 1024} MB a snapshot may be; try SVG or a smaller window`);
  const content = typeof picture === 'string' ? picture : base64(new Uint8Array(await picture.arrayBuffer()));
  const fileName = `${base.replace(/[^\w-]/g, '_').slice(0, 100) || 'stage'}.${format}`;
  const { savedTo } = await api.call({ type: 'snapshot.save', format, fileName, content });
  return savedTo ? `Snapshot saved to ${savedTo}` : null;
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  const CHUNK = 0x8000; // String.fromCharCode's argument list stays far below engine limits
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}
