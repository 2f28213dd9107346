// Start-up and quit of the main process (src/main/lifecycle.ts) with injected effects, and which URLs count as the
// app's own pages (src/main/window/page-urls.ts).
import { describe, expect, it, vi } from 'vitest';
import { loadPage, quitAfterPendingWork, settleWithin, startOrFail, type PageLoadTarget } from './lifecycle.ts';
import { pageUrlCheck } from './window/page-urls.ts';
import { FakeEmitter, fakeEvent } from './electron-fakes.test-support.ts';

describe('start-up', () => {
  it('a throw inside start() shows "could not start" with the reason and exits with code 1', async () => {
    const effects = { showError: vi.fn(), exit: vi.fn() };
    await startOrFail(Promise.resolve(), async () => {
      throw new Error('EACCES: permission denied, mkdir /home/x/.config/Loopscope');
    }, effects);
    expect(effects.showError).toHaveBeenCalledWith('Loopscope could not start', 'EACCES: permission denied, mkdir /home/x/.config/Loopscope');
    expect(effects.exit).toHaveBeenCalledWith(1);
  });

  it('a failed ready is reported the same way and start() never runs', async () => {
    const effects = { showError: vi.fn(), exit: vi.fn() };
    const start = vi.fn(async () => {});
    await startOrFail(Promise.reject(new Error('GPU process failed')), start, effects);
    expect(start).not.toHaveBeenCalled();
    expect(effects.showError).toHaveBeenCalledWith('Loopscope could not start', 'GPU process failed');
    expect(effects.exit).toHaveBeenCalledWith(1);
  });

  it('a clean start shows nothing and does not exit', async () => {
    const effects = { showError: vi.fn(), exit: vi.fn() };
    await startOrFail(Promise.resolve(), async () => {}, effects);
    expect(effects.showError).not.toHaveBeenCalled();
    expect(effects.exit).not.toHaveBeenCalled();
  });
});

describe('quit', () => {
  it('postpones the first quit until pending saves settle, then quits once for real', async () => {
    let finishSave!: () => void;
    const save = new Promise<void>((resolve) => (finishSave = resolve));
    const quit = vi.fn();
    const stopIntake = vi.fn();
    const onWillQuit = quitAfterPendingWork({ stopIntake, pending: () => [save, Promise.reject(new Error('host already gone'))], quit }, 5000);
    const first = fakeEvent();
    onWillQuit(first);
    expect(first.defaultPrevented).toBe(true);
    expect(stopIntake).toHaveBeenCalledOnce();
    await new Promise((r) => setTimeout(r, 20));
    expect(quit).not.toHaveBeenCalled(); // the save is still being written
    finishSave();
    await vi.waitFor(() => expect(quit).toHaveBeenCalledOnce());
    const second = fakeEvent();
    onWillQuit(second); // app.quit() emits will-quit again: let it through
    expect(second.defaultPrevented).toBe(false);
  });

  it('quits anyway when a write hangs past the bound', async () => {
    const quit = vi.fn();
    const onWillQuit = quitAfterPendingWork({ stopIntake: () => {}, pending: () => [new Promise(() => {})], quit }, 30);
    onWillQuit(fakeEvent());
    await vi.waitFor(() => expect(quit).toHaveBeenCalledOnce());
  });

  it('settleWithin says whether everything settled in time', async () => {
    expect(await settleWithin([Promise.resolve(1), Promise.reject(new Error('x'))], 1000)).toBe(true);
    expect(await settleWithin([new Promise(() => {})], 10)).toBe(false);
  });
});

describe('loading the app page', () => {
  function fakeWindow(load: () => Promise<void>) {
    const webContents = new FakeEmitter();
    const win = { webContents, loadURL: vi.fn(load) };
    return win as typeof win & PageLoadTarget; // FakeEmitter's listeners are untyped
  }

  it('reports a rejected loadURL once, even though did-fail-load fires for the same failure', async () => {
    const win = fakeWindow(() => Promise.reject(Object.assign(new Error("ERR_CONNECTION_REFUSED (-102) loading 'http://localhost:5173/'"), { errno: -102 })));
    const onFailure = vi.fn();
    loadPage(win, 'http://localhost:5173/', onFailure);
    win.webContents.emit('did-fail-load', {}, -102, 'ERR_CONNECTION_REFUSED', 'http://localhost:5173/', true);
    await vi.waitFor(() => expect(onFailure).toHaveBeenCalledOnce());
    expect(onFailure.mock.calls[0]?.[0]).toBe('ERR_CONNECTION_REFUSED (-102) loading http://localhost:5173/');
  });

  it('ignores aborted loads (a reload replacing the load) and failures of subframes', async () => {
    const win = fakeWindow(() => Promise.reject(Object.assign(new Error('ERR_ABORTED (-3)'), { errno: -3 })));
    const onFailure = vi.fn();
    loadPage(win, 'loopscope://app/index.html', onFailure);
    win.webContents.emit('did-fail-load', {}, -3, 'ERR_ABORTED', 'loopscope://app/index.html', true);
    win.webContents.emit('did-fail-load', {}, -105, 'ERR_NAME_NOT_RESOLVED', 'https://x.example/', false);
    await new Promise((r) => setTimeout(r, 10));
    expect(onFailure).not.toHaveBeenCalled();
    expect(win.loadURL).toHaveBeenCalledWith('loopscope://app/index.html');
  });
});

describe("the app's own pages", () => {
  it('are loopscope://app/ always, and the dev server by exact origin only', () => {
    const packaged = pageUrlCheck(undefined);
    expect(packaged('loopscope://app/index.html')).toBe(true);
    expect(packaged('http://localhost:5173/')).toBe(false);
    const dev = pageUrlCheck('http://localhost:5173');
    expect(dev('http://localhost:5173/')).toBe(true);
    expect(dev('http://localhost:5173/src/main.ts?t=1')).toBe(true);
    expect(dev('http://localhost:51730/')).toBe(false); // a prefix match would accept this
    expect(dev('http://localhost:5173.evil.example/')).toBe(false);
    expect(dev('http://localhost:5173@evil.example/')).toBe(false);
    expect(dev('https://localhost:5173/')).toBe(false);
    expect(dev('not a url')).toBe(false);
    expect(dev('loopscope://app/')).toBe(true);
  });
});
