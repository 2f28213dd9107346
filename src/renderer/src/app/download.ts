/**
 * Browser-mode downloads: a file the app produced is handed to the browser (a Blob and an <a download>), so it
 * lands in the user's downloads folder, not on the server. Names are unique per download — the lesson, the time
 * to the second and, within a second, a counter — so one export never overwrites another.
 */

let lastStamp = '';
let sameStamp = 0;

/** `base-YYYYMMDD-HHMMSS[-n].ext`, unique within this page. */
export function uniqueFileName(base: string, ext: string, now = new Date()): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  sameStamp = stamp === lastStamp ? sameStamp + 1 : 1;
  lastStamp = stamp;
  const safe = base.replace(/[^\w-]/g, '_').slice(0, 60) || 'loopscope';
  return `${safe}-${stamp}${sameStamp > 1 ? `-${sameStamp}` : ''}${ext}`;
}

export function downloadFile(fileName: string, content: string | Blob, type = 'application/octet-stream'): void {
  const blob = typeof content === 'string' ? new Blob([content], { type }) : content;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
