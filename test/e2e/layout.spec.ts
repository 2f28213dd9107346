/**
 * The Learn layout (issue 13 item 1), in browser mode: the stage is the main area; with the worker-pool lesson
 * (the main thread, three workers and the one replacing a crashed worker, messages in flight) every lane and the messages panel are on screen without
 * horizontal scrolling at 1440×900 and at 1280×720, at the end and at a worker's step; the editor and the console
 * sit beside it; the toolbar stays one row with every control's text on one line; the Code layout is still there; the
 * sizes are remembered across a reload.
 * Screenshots: test-results/screenshots/layout-*.png.
 */
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { consoleText, openApp, SCREENSHOTS, waitForRunEnd, watchedPage } from './support.ts';

test.describe.configure({ mode: 'serial' });
const problems: string[] = [];
const LESSONS = join(process.cwd(), 'lessons');

/** Opens the repository's lessons folder (once per data dir: it is remembered) and runs worker-pool. */
async function runWorkerPool(page: Page): Promise<void> {
  if ((await page.getByTestId('lesson-worker-pool').count()) === 0) {
    await page.getByRole('button', { name: 'Open folder…' }).click();
    await page.getByLabel('Folder path').fill(LESSONS);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
  }
  await page.getByTestId('lesson-worker-pool').click();
  await expect(page.getByTestId('lesson-title')).toHaveText('A worker pool with a task queue');
  await page.getByTestId('run').click();
  const prompt = page.getByTestId('trust-prompt');
  // The folder's first run asks for trust (remembered afterwards).
  await expect.poll(async () => (await prompt.isVisible()) || (await page.getByTestId('run-status').getAttribute('data-status')) !== 'idle').toBe(true);
  if (await prompt.isVisible()) await prompt.getByTestId('trust-run').click();
  await waitForRunEnd(page);
  await expect(consoleText(page)).toContainText('replies in submission order: true');
}

/** Horizontal fit of the stage: no sideways scrolling, every lane and panel inside the stage's box. */
async function stageFit(page: Page): Promise<{ overflowPx: number; lanes: number; outside: string[] }> {
  await page.evaluate(() => window.__loopscopeIdle?.());
  return page.getByTestId('stage').evaluate((stage) => {
    const box = stage.getBoundingClientRect();
    const outside: string[] = [];
    const parts = [...stage.querySelectorAll<HTMLElement>('[data-testid="stage-lane"], [data-testid="stage-messages"], [data-testid="stage-locks"], [data-testid="stage-memory"]')];
    for (const el of parts) {
      const r = el.getBoundingClientRect();
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5) outside.push(`${el.dataset.testid}${el.dataset.agent ?? ''} ${Math.round(r.left)}–${Math.round(r.right)} not in ${Math.round(box.left)}–${Math.round(box.right)}`);
      if (el.scrollWidth > el.clientWidth + 1) outside.push(`${el.dataset.testid}${el.dataset.agent ?? ''} scrolls inside (${el.scrollWidth} > ${el.clientWidth})`);
    }
    return { overflowPx: stage.scrollWidth - stage.clientWidth, lanes: stage.querySelectorAll('[data-testid="stage-lane"]').length, outside };
  });
}

/** Toolbar controls whose text broke onto more than one line, and how far the toolbar overflows sideways. */
async function toolbarFit(page: Page): Promise<{ wrapped: string[]; overflowPx: number }> {
  return page.locator('header.toolbar').evaluate((bar) => {
    const wrapped: string[] = [];
    for (const el of bar.querySelectorAll<HTMLElement>('button, [role="status"]')) {
      if (!el.getClientRects().length) continue;
      // The boxes of its text: text on a second line starts below the bottom of text on the first.
      const boxes: DOMRect[] = [];
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(node);
        boxes.push(...[...range.getClientRects()].filter((r) => r.width > 0));
      }
      if (boxes.some((a) => boxes.some((b) => b.top >= a.bottom - 1))) wrapped.push(el.textContent!.trim());
    }
    return { wrapped, overflowPx: bar.scrollWidth - bar.clientWidth };
  });
}

for (const [w, h] of [[1440, 900], [1280, 720]] as const) {
  test(`Learn layout at ${w}×${h}: worker-pool's four lanes and its panels fit the stage, no sideways scrolling`, async ({ browser }) => {
    const page = await watchedPage(browser, problems, { viewport: { width: w, height: h } });
    await openApp(page, 'learn');
    await runWorkerPool(page);
    // The toolbar, with the run's status and sandbox badge shown: one row, every control's text on one line.
    const bar = await toolbarFit(page);
    expect(bar.wrapped).toEqual([]);
    expect(bar.overflowPx).toBe(0);
    expect((await page.locator('header.toolbar').boundingBox())!.height).toBeLessThan(48);
    // Stage is the main area: wider than the code column beside it, editor and console visible too.
    const stageBox = (await page.getByTestId('learn-main').boundingBox())!;
    const codeBox = (await page.locator('.center').boundingBox())!;
    expect(stageBox.width).toBeGreaterThan(codeBox.width);
    await page.getByTestId('tab-code').click();
    await expect(page.getByTestId('editor')).toBeVisible();
    await expect(consoleText(page)).toBeVisible();

    // main + three workers + the one that replaces the worker the lesson crashes on purpose
    const atEnd = await stageFit(page);
    expect(atEnd.overflowPx).toBe(0);
    expect(atEnd.outside).toEqual([]);
    expect(atEnd.lanes).toBeGreaterThanOrEqual(4);
    await page.screenshot({ path: `${SCREENSHOTS}/layout-learn-${w}x${h}-end.png` });

    // A step while messages are in flight between the threads: lanes and the messages panel all fit.
    await page.getByTestId('stage').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('PageDown');
    await page.keyboard.press('PageDown');
    await page.keyboard.press('PageDown'); // every worker busy, replies in flight, the replacement started
    await expect(page.getByTestId('last-event')).toContainText('A worker dies, the pool lives');
    const atWorker = await stageFit(page);
    expect(atWorker.overflowPx).toBe(0);
    expect(atWorker.outside).toEqual([]);
    expect(atWorker.lanes).toBeGreaterThanOrEqual(4);
    for (const lane of await page.getByTestId('stage-lane').all()) await expect(lane).toBeInViewport({ ratio: 0.2 });
    if ((await page.getByTestId('stage-messages').count()) > 0) await expect(page.getByTestId('stage-messages')).toBeInViewport({ ratio: 0.2 });
    await page.screenshot({ path: `${SCREENSHOTS}/layout-learn-${w}x${h}-worker.png` });
    await page.context().close();
  });
}

test('the Code layout is still there; both layouts remember their sizes after a reload', async ({ browser }) => {
  const page = await watchedPage(browser, problems, { viewport: { width: 1440, height: 900 } });
  await openApp(page, 'learn');
  const splitter = page.getByRole('separator', { name: 'Resize the code column' });
  const before = Number(await splitter.getAttribute('aria-valuenow'));
  await splitter.focus();
  await page.keyboard.press('ArrowLeft'); // the code column is on the right: ← widens it
  await page.keyboard.press('ArrowLeft');
  const after = Number(await splitter.getAttribute('aria-valuenow'));
  expect(after).not.toBe(before);
  await page.getByTestId('lessons-toggle').click();
  await expect(page.getByRole('navigation', { name: 'Lessons' })).toBeHidden();
  await page.getByTestId('layout').selectOption('code');
  await expect(page.getByTestId('tab-state')).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Lessons' })).toBeVisible(); // the Code layout always lists lessons
  await page.getByTestId('layout').selectOption('learn');
  await page.waitForTimeout(600); // settings are saved 300 ms after the last change
  await page.reload();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('layout')).toHaveValue('learn');
  await expect(page.getByRole('separator', { name: 'Resize the code column' })).toHaveAttribute('aria-valuenow', String(after));
  await expect(page.getByRole('navigation', { name: 'Lessons' })).toBeHidden();
  await page.getByTestId('lessons-toggle').click();
  await page.waitForTimeout(600);
  await page.context().close();
});

test('no page errors', () => {
  expect(problems).toEqual([]);
});
