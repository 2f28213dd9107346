/**
 * The main process's start and stop, as plain functions over injected effects so they are unit-tested without
 * Electron (src/main/index.ts passes Electron's app and dialog).
 *
 * Invariants: a failure anywhere in start-up (before or inside `start`) shows one dialog and exits non-zero, never
 * leaving a process without a window; quitting waits for pending work (saves, the runtime host) but never longer
 * than a bound, so a stuck disk cannot keep the app from quitting.
 */

export interface StartEffects {
  showError(title: string, message: string): void;
  exit(code: number): void;
}

/** Runs `start` once `ready` resolves; any rejection or throw (from either) shows a dialog and exits with code 1. */
export async function startOrFail(ready: Promise<unknown>, start: () => Promise<void>, effects: StartEffects): Promise<void> {
  try {
    await ready;
    await start();
  } catch (e) {
    effects.showError('Loopscope could not start', describeError(e));
    effects.exit(1);
  }
}

function describeError(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Waits for every task to settle, or `timeoutMs`, whichever comes first. Returns whether all settled in time. */
export async function settleWithin(tasks: readonly Promise<unknown>[], timeoutMs: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([Promise.allSettled(tasks).then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface QuitEffects {
  /** Stops accepting new work (IPC, connections). */
  stopIntake(): void;
  /** Pending writes and shutdowns to wait for: saves in flight, the atomic-write queue, the runtime host. */
  pending(): Promise<unknown>[];
  quit(): void;
}

/**
 * A `will-quit` listener: the first quit is postponed until pending work settles (at most `timeoutMs`), then the
 * app quits for real; the second `will-quit` passes through.
 */
export function quitAfterPendingWork(effects: QuitEffects, timeoutMs: number): (event: { preventDefault(): void }) => void {
  let draining = false;
  return (event) => {
    if (draining) return;
    event.preventDefault();
    draining = true;
    effects.stopIntake();
    void settleWithin(effects.pending(), timeoutMs).finally(() => effects.quit());
  };
}

export interface PageLoadTarget {
  loadURL(url: string): Promise<void>;
  webContents: {
    on(event: 'did-fail-load', listener: (event: unknown, errorCode: number, errorDescription: string, validatedURL: string, isMainFrame: boolean) => void): unknown;
  };
}

/** Chromium's net::ERR_ABORTED: a load replaced by another navigation (a reload, a redirect), not a failure. */
const ERR_ABORTED = -3;

/**
 * Loads the app page and reports a main-frame load failure once (Electron both rejects `loadURL` and emits
 * `did-fail-load` for the same failure), so a missing build or a stopped dev server is a message, not a blank window.
 */
export function loadPage(win: PageLoadTarget, url: string, onFailure: (message: string) => void): void {
  let reported = false;
  const report = (message: string): void => {
    if (reported) return;
    reported = true;
    onFailure(message);
  };
  win.webContents.on('did-fail-load', (_event, errorCode, errorDescription, validatedURL, isMainFrame) => {
    if (isMainFrame && errorCode !== ERR_ABORTED) report(`${errorDescription} (${errorCode}) loading ${validatedURL}`);
  });
  win.loadURL(url).catch((e: unknown) => {
    const code = (e as { errno?: unknown }).errno;
    if (code === ERR_ABORTED) return;
    report(describeError(e));
  });
}
