/**
 * The stage, the timeline and the player in browser mode, as a learner and an instructor use them: open a known
 * lesson, run it, step to known points (by event, by task, by checkpoint) and check what the stage shows (call
 * stack frames, queue contents, loop phase, narration); do it with the keyboard only; drive the timeline with
 * Perfetto keys; watch a worker and shared memory; honour reduced motion. Screenshots go to
 * test-results/screenshots/stage-*.png, each taken after the app's idle hook (`window.__loopscopeIdle`).
 */
import { expect, test, type Page } from '@playwright/test';
import { openApp, replaceEditorText, SCREENSHOTS, stepCounter, waitForRunEnd, watchedPage } from './support.ts';

test.describe.configure({ mode: 'serial' });

let page: Page;
const problems: string[] = [];

async function idle(): Promise<void> {
  await page.evaluate(() => window.__loopscopeIdle!());
}

async function shot(name: string): Promise<void> {
  await idle();
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png` });
}

const narration = () => page.getByTestId('last-event');
const lane = (agent: number) => page.locator(`[data-testid="stage-lane"][data-agent="${agent}"]`);
const queue = (agent: number, name: string) => lane(agent).locator(`[data-testid="stage-queue"][data-queue="${name}"]`);
/** Call-stack frame names, bottom first (the stage draws the top first). */
const stackNames = async (agent = 0): Promise<string[]> => {
  await idle(); // frames that just left are still animating out
  return (await lane(agent).locator('[data-testid="call-stack"] li.frame .name').allInnerTexts()).map((s) => s.trim()).reverse();
};

/** Presses `key` until the narration matches `re` (at most `max` times). */
async function stepUntil(key: string, re: RegExp, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (re.test(await narration().innerText())) return;
    await page.keyboard.press(key);
  }
  await expect(narration()).toHaveText(re);
}

test.beforeAll(async ({ browser }) => {
  page = await watchedPage(browser, problems, { viewport: { width: 1600, height: 1000 }, deviceScaleFactor: 1 });
});

test.afterAll(async () => {
  await page.context().close();
});

test('runs a lesson and shows the stage, the player and the timeline', async () => {
  await openApp(page);
  await page.locator('[data-lesson="bundled/ordering"]').click();
  await expect(page.getByTestId('lesson-title')).toHaveText('E2E: sync, nextTick, promise, timeout');
  // opening a lesson ends by showing its narrative: wait for that before running, or it would hide the stage
  await expect(page.getByRole('tab', { name: 'Lesson' })).toHaveAttribute('aria-selected', 'true');
  await page.locator('[data-lesson="bundled/ordering"]').focus();
  await page.keyboard.press('ControlOrMeta+Enter');
  await waitForRunEnd(page);
  // (a lesson opened while the run starts may have switched the side panel back to its narrative)
  if ((await page.getByRole('tab', { name: 'Runtime state' }).getAttribute('aria-selected')) !== 'true') {
    await page.getByRole('tab', { name: 'Runtime state' }).press('Enter');
    await page.locator('[data-lesson="bundled/ordering"]').focus();
  }
  await expect(page.getByTestId('stage')).toBeVisible();
  await expect(page.getByTestId('timeline-canvas')).toBeVisible();
  const end = await stepCounter(page);
  expect(end.cursor).toBe(end.total);
  await expect(lane(0).locator('[data-testid="lane-status"]')).toContainText('ended');
  await shot('stage-00-end');
});

test('keyboard only: Home, → to the end of the script, Shift+→ by task, PageDown to a checkpoint, ← back', async () => {
  // focus is on the lesson list (not the editor): player keys work anywhere but in text fields and the editor
  await page.keyboard.press('Home');
  expect((await stepCounter(page)).cursor).toBe(0);
  await expect(narration()).toContainText('Before the first event');

  // Step by event until the main script has finished: its callbacks wait in their queues / in Node's timers.
  await stepUntil('ArrowRight', /The main script finishes\./);
  expect(await stackNames()).toEqual([]);
  await expect(lane(0).locator('[data-testid="call-stack"]')).toContainText('(empty');
  // each card names the callback it will run (an anonymous one by its source), so two cards never look alike
  await expect(queue(0, 'nextTick').locator('.card')).toHaveText([/^◆ process\.nextTick\s*→ \(\) => console\.log\('tick'\) main\.ts:6$/]);
  await expect(queue(0, 'microtasks').locator('.card')).toHaveText([/^● promise reaction\s*→ \(\) => console\.log\('promise'\) main\.ts:5$/]);
  const timerWaiting = lane(0).locator('[data-testid="stage-apis"] .card', { hasText: 'setTimeout' });
  const timerQueued = queue(0, 'timers').locator('.card', { hasText: 'setTimeout' });
  expect((await timerWaiting.count()) + (await timerQueued.count())).toBe(1);
  await expect(lane(0).getByTestId('phase-ring')).toHaveAttribute('data-phase', 'main script');
  await shot('stage-01-script-done');

  // Shift+→: the next task runs. An ES module's top level is itself a promise job, so the promise reaction
  // beats the nextTick callback here (the lesson's expected output says so too).
  await page.keyboard.press('Shift+ArrowRight');
  await expect(narration()).toHaveText('The microtask queue is drained: the promise reaction runs.');
  expect((await stackNames())[0]).toBe('promise reaction');
  await expect(queue(0, 'microtasks').locator('.card')).toHaveCount(0);
  await expect(queue(0, 'nextTick').locator('.card')).toHaveCount(1);
  await page.keyboard.press('Shift+ArrowRight');
  await expect(narration()).toHaveText('The nextTick queue is drained first: the nextTick callback runs.');
  expect((await stackNames())[0]).toBe('nextTick callback');
  await shot('stage-02-next-task');

  // PageDown: the lesson's checkpoint "Timer last" (console line "timeout").
  await page.keyboard.press('PageDown');
  await expect(narration()).toContainText('⚑ Timer last:');
  await expect(narration()).toContainText('console.log prints “timeout”.');
  expect(await stackNames()).toEqual(['setTimeout callback', '(anonymous)', 'console.log']);
  await expect(lane(0).getByTestId('phase-ring')).toHaveAttribute('data-phase', 'timers');
  await expect(queue(0, 'timers').locator('.card')).toHaveCount(0);
  await expect(page.getByTestId('console-text')).toContainText('timeout');
  await shot('stage-03-checkpoint');

  // ← steps back one event: the console line has not been printed yet, and the console shows only what was.
  const at = (await stepCounter(page)).cursor;
  await page.keyboard.press('ArrowLeft');
  expect((await stepCounter(page)).cursor).toBe(at - 1);
  await expect(narration()).not.toContainText('Timer last');
  await expect(page.getByTestId('console-text')).not.toContainText('timeout');
  // the narration is announced to screen readers while stepping
  await expect(page.getByTestId('narration-live')).toHaveText(await narration().innerText());

  // End: back to the live end, the whole output again.
  await page.keyboard.press('End');
  await expect(page.getByTestId('console-text')).toContainText('timeout');
});

test('Space plays and pauses; + and P change speed and pacing; ? lists every shortcut', async () => {
  // Space on a focused control presses it (issue 13): play from the stage, which is not a control.
  await page.getByTestId('stage').focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('+');
  await page.keyboard.press('+');
  await page.keyboard.press('+'); // 1× → 8×
  await expect(page.getByRole('combobox', { name: 'Speed' })).toHaveValue('8');
  await page.keyboard.press('Space');
  await expect(page.getByTestId('play')).toHaveAttribute('aria-label', 'Pause');
  await expect.poll(async () => (await stepCounter(page)).cursor, { timeout: 10_000 }).toBeGreaterThan(3);
  await page.keyboard.press('Space');
  await expect(page.getByTestId('play')).toHaveAttribute('aria-label', 'Play');
  const paused = (await stepCounter(page)).cursor;
  await page.waitForTimeout(300);
  expect((await stepCounter(page)).cursor).toBe(paused);
  await expect(page.getByRole('button', { name: /Pacing: whole lesson/ })).toBeVisible(); // the default
  await page.keyboard.press('p');
  await expect(page.getByRole('button', { name: /Pacing: uniform steps/ })).toBeVisible();
  await page.keyboard.press('p');
  await expect(page.getByRole('button', { name: /Pacing: task by task/ })).toBeVisible();
  await page.keyboard.press('p');
  await expect(page.getByRole('button', { name: /Pacing: real time/ })).toBeVisible();
  await page.keyboard.press('p');
  await expect(page.getByRole('button', { name: /Pacing: whole lesson/ })).toBeVisible();

  await page.keyboard.press('?');
  const dialog = page.getByTestId('shortcuts');
  await expect(dialog).toBeVisible();
  for (const what of ['Play / pause', 'Step to the next / previous task', 'Next / previous lesson checkpoint', 'Zoom in / out (hold for smooth zoom)', 'Follow a flow: jump to the cause / to what it caused']) {
    await expect(dialog).toContainText(what);
  }
  await shot('stage-04-shortcuts');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('the timeline: W/S zoom, A/D pan, F fits, click selects and seeks, [ jumps to the cause', async () => {
  const canvas = page.getByTestId('timeline-canvas');
  await canvas.focus();
  const span = () => page.evaluate(() => (window as unknown as { __loopscopeTimeline: { timeScale: { spanUs: number; startUs: number } } }).__loopscopeTimeline.timeScale.spanUs);
  const start = () => page.evaluate(() => (window as unknown as { __loopscopeTimeline: { timeScale: { spanUs: number; startUs: number } } }).__loopscopeTimeline.timeScale.startUs);
  const full = await span();
  await page.keyboard.down('w');
  await page.waitForTimeout(400);
  await page.keyboard.up('w');
  const zoomed = await span();
  expect(zoomed).toBeLessThan(full / 2);
  const s0 = await start();
  await page.keyboard.press('d');
  expect(await start()).toBeGreaterThan(s0);
  await page.keyboard.press('a');
  await page.keyboard.press('s');
  expect(await span()).toBeGreaterThan(zoomed);
  await page.keyboard.press('f');
  expect(await span()).toBeCloseTo(full, -1);

  // Click the timer callback's task slice: the cursor moves to its start and the narration says so.
  await page.keyboard.press('End');
  await page.keyboard.press('PageUp'); // back to the checkpoint: the timer callback is running
  await expect(narration()).toContainText('⚑ Timer last:');
  const cursor = (await stepCounter(page)).cursor;
  const point = await page.evaluate((step) => {
    const tl = (window as unknown as { __loopscopeTimeline: { pointAt(a: number, d: number, s: number): { x: number; y: number } | null } }).__loopscopeTimeline;
    return tl.pointAt(0, 0, step);
  }, cursor - 1);
  expect(point).not.toBeNull();
  const box = (await canvas.boundingBox())!;
  await page.mouse.click(box.x + point!.x, box.y + point!.y);
  await expect(narration()).toHaveText('In the timers phase, the event loop takes the setTimeout callback from the timers queue and runs it.');
  await expect(canvas).toBeFocused();
  await shot('stage-05-timeline-selected');
  // [ jumps to the cause: the setTimeout call in the main script that scheduled this callback.
  await page.keyboard.press('[');
  await expect(narration()).toHaveText(/^`setTimeout` hands its callback to Node's timers/);
  await shot('stage-06-jump-to-cause');
});

test('a worker gets its own lane; Atomics operations show in the shared-memory panel', async () => {
  await page.getByRole('tab', { name: 'main.ts' }).click();
  await replaceEditorText(
    page,
    `import { Worker, isMainThread, workerData, parentPort } from 'node:worker_threads';

if (isMainThread) {
  const cells = new Int32Array(new SharedArrayBuffer(16));
  const worker = new Worker(new URL(import.meta.url), { workerData: { cells } });
  worker.on('message', (m) => {
    console.log('worker says', m);
    Atomics.store(cells, 0, 1);
    Atomics.notify(cells, 0);
  });
  worker.on('exit', () => console.log('cell 1 =', Atomics.load(cells, 1)));
} else {
  const { cells } = workerData as { cells: Int32Array };
  parentPort!.postMessage('ready');
  Atomics.wait(cells, 0, 0);
  Atomics.add(cells, 1, 42);
}
`,
  );
  await page.getByTestId('stage').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('ControlOrMeta+Enter');
  await waitForRunEnd(page);
  await expect(page.getByTestId('console-text')).toContainText('cell 1 = 42');
  await page.keyboard.press('Home');
  await stepUntil('ArrowRight', /Worker 1: `Atomics.add` on cell \[1\]/, 400);
  await expect(lane(1)).toBeVisible();
  await expect(lane(1).locator('h3')).toContainText('Worker 1');
  expect((await stackNames(1))[0]).toBe('main script');
  const cells = page.getByTestId('stage-shared').getByTestId('shared-cell');
  await expect(cells.filter({ hasText: '42' })).toHaveCount(1);
  await expect(cells.filter({ hasText: 'add · w1' })).toHaveCount(1);
  await shot('stage-07-workers');
  await page.getByRole('button', { name: 'Reset to original' }).click();
  await expect(page.getByTestId('edited-badge')).toHaveCount(0);
});

test('with reduced motion, a step cuts instead of animating', async () => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.getByTestId('stage').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('ControlOrMeta+Enter');
  await waitForRunEnd(page);
  await page.keyboard.press('Home');
  await stepUntil('ArrowRight', /The main script finishes\./);
  await page.keyboard.press('Shift+ArrowRight');
  const running = await page.evaluate(() => document.getAnimations().filter((a) => a.playState === 'running').length);
  expect(running).toBe(0);
  await page.emulateMedia({ reducedMotion: 'no-preference' });
});

test('no page errors', async () => {
  expect(problems).toEqual([]);
});
