/**
 * Desktop smoke test with Playwright's Electron support. Runs only where an Electron binary is installed (the npm
 * package downloads it on first use, which these CI machines cannot do); elsewhere it skips and says why.
 * What it proves beyond test/main-smoke (the built main under an Electron stand-in): Chromium with the real
 * preload, the audience window following the presenter over a BroadcastChannel between two renderer processes,
 * and a stage snapshot drawn by Chromium and written by main (the native save dialog answered by a stub in main).
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';

function electronBinary(): { path: string | null; why: string } {
  const require = createRequire(import.meta.url);
  let pkgDir: string;
  try {
    pkgDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { path: null, why: 'the electron package is not installed' };
  }
  const pathFile = join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) return { path: null, why: `no Electron binary: ${pathFile} is missing (the binary download never ran or is blocked on this machine)` };
  const binary = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(binary)) return { path: null, why: `no Electron binary at ${binary}` };
  if (!existsSync('out/main/index.js')) return { path: null, why: 'the desktop app is not built (run `npm run build` first)' };
  return { path: binary, why: '' };
}

/** Skips (saying why) without a binary; otherwise runs `body` with the app started and its window ready, then quits. */
async function withApp(name: string, body: (app: ElectronApplication, window: Page) => Promise<void>): Promise<void> {
  const { path, why } = electronBinary();
  if (!path) console.log(`[${name}] skipped: ${why}`);
  test.skip(!path, why);
  const app = await electron.launch({ executablePath: path!, args: ['.'], env: { ...process.env, ELECTRON_ENABLE_LOGGING: '1' } });
  try {
    const window = await app.firstWindow();
    await expect(window.getByTestId('app')).toHaveAttribute('data-ready', 'true');
    await body(app, window);
  } finally {
    await app.close();
  }
}

test('desktop app: opens a hardened window and runs a lesson', async () => {
  await withApp('electron smoke test', async (app, window) => {
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      const w = BrowserWindow.getAllWindows()[0]!;
      const p = w.webContents.getLastWebPreferences()!;
      return { sandbox: p.sandbox, contextIsolation: p.contextIsolation, nodeIntegration: p.nodeIntegration, url: w.webContents.getURL() };
    });
    expect(prefs).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(prefs.url).toMatch(/^loopscope:\/\/app\//);
    expect(await window.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
    await window.keyboard.press('ControlOrMeta+Enter');
    await expect(window.getByTestId('run-status')).toHaveAttribute('data-status', 'ended', { timeout: 30_000 });
    await window.screenshot({ path: 'test-results/screenshots/electron.png' });
  });
});

test('desktop app: the audience window follows the presenter; a stage snapshot is saved through main', async () => {
  await withApp('electron classroom test', async (app, window) => {
    await window.keyboard.press('ControlOrMeta+Enter');
    await expect(window.getByTestId('run-status')).toHaveAttribute('data-status', 'ended', { timeout: 30_000 });

    // Snapshot: Chromium draws the stage, main writes it where the (stubbed) save dialog says.
    const target = join(mkdtempSync(join(tmpdir(), 'loopscope-electron-')), 'stage.svg');
    await app.evaluate(({ dialog }, filePath) => {
      dialog.showSaveDialog = (async () => ({ canceled: false, filePath })) as unknown as typeof dialog.showSaveDialog;
    }, target);
    await window.getByTestId('export').click();
    await window.getByTestId('snapshot-svg').click();
    await expect.poll(() => existsSync(target), { timeout: 15_000 }).toBe(true);
    expect(readFileSync(target, 'utf8')).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);

    // Audience: a second window, no bridge, following every key of the presenter.
    await window.keyboard.press('F5');
    await expect(window.getByTestId('presenter')).toBeVisible();
    const [audience] = await Promise.all([app.waitForEvent('window'), window.getByTestId('open-audience').click()]);
    const presenterStep = async (): Promise<string> => /Step ([\d,]+)/.exec((await window.getByTestId('present-step').textContent()) ?? '')![1]!.replace(/,/g, '');
    await expect(audience.getByTestId('audience')).toHaveAttribute('data-step', await presenterStep());
    expect(await audience.evaluate(() => 'loopscope' in window)).toBe(false);
    const before = await presenterStep();
    await window.getByTestId('presenter').focus();
    await window.keyboard.press(before === '0' ? 'Shift+ArrowRight' : 'Shift+ArrowLeft'); // one step, whichever way there is room
    await expect.poll(presenterStep).not.toBe(before);
    await expect(audience.getByTestId('audience')).toHaveAttribute('data-step', await presenterStep());
    await audience.screenshot({ path: 'test-results/screenshots/electron-audience.png' });
  });
});
