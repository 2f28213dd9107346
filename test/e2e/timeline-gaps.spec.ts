/**
 * The timeline on a lesson with a worker, as a learner sees it after the run: Fit frames the activity (it fills
 * the view instead of sitting in a corner of an idle tail), the worker's start-up wait is a compressed break whose
 * marker says how long nothing ran, hovering the break says so, and "Gaps" shows the wait at its real length again.
 * And after Stop on an infinite loop, the looping function is drawn up to the stop and marked stopped.
 * Starts its own browser-mode server on the bundled lessons/ (the config's server serves the fixture lessons);
 * screenshots: test-results/screenshots/timeline-gaps-*.png.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { SCREENSHOTS, replaceEditorText, stepCounter, waitForRunEnd, watchedPage } from './support.ts';

test.describe.configure({ mode: 'serial' });
test.setTimeout(120_000);

let page: Page;
let server: ChildProcess;
const problems: string[] = [];

interface TimelineHooks {
  timeScale: { startUs: number; endUs: number; widthCssPx: number };
  timeAxis: { breaks: { startUs: number; endUs: number }[]; toDisplay(t: number): number };
  breakMarkers: { xCssPx: number; widthCssPx: number; label: string }[];
  compressGaps: boolean;
  drawNow(): void;
  scene: unknown;
}

/** What the view shows now: the visible display window, the activity in display time, and the markers drawn. */
async function view(): Promise<{ start: number; end: number; actStart: number; actEnd: number; markers: { xCssPx: number; widthCssPx: number; label: string }[]; breaks: number }> {
  return page.evaluate(() => {
    const tl = (window as unknown as { __loopscopeTimeline: TimelineHooks & { activityRangeUs(): { startUs: number; endUs: number } } }).__loopscopeTimeline;
    tl.drawNow();
    const act = tl.activityRangeUs();
    return {
      start: tl.timeScale.startUs,
      end: tl.timeScale.endUs,
      actStart: tl.timeAxis.toDisplay(act.startUs),
      actEnd: tl.timeAxis.toDisplay(act.endUs),
      markers: tl.breakMarkers.map((m) => ({ ...m })),
      breaks: tl.timeAxis.breaks.length,
    };
  });
}

test.beforeAll(async ({ browser }) => {
  const dir = mkdtempSync(join(tmpdir(), 'loopscope-e2e-gaps-'));
  const urlFile = join(dir, 'url.txt');
  // --no-build: the config's web server built the renderer before any test ran
  server = spawn(process.execPath, ['src/server/serve.ts', '--port', '0', '--no-build', '--data-dir', join(dir, 'data'), '--lessons', 'lessons', '--url-file', urlFile], { stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; i < 600 && !existsSync(urlFile); i++) await new Promise((r) => setTimeout(r, 100));
  const url = readFileSync(urlFile, 'utf8').trim();
  page = await watchedPage(browser, problems, { viewport: { width: 1600, height: 1000 }, deviceScaleFactor: 1 });
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto(url);
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await page.getByTestId('layout').selectOption('code');
});

test.afterAll(async () => {
  await page.context().close();
  server.kill();
  expect(problems).toEqual([]);
});

test('after a run with a worker, Fit fills the view with the activity and the idle start-up is a labelled break', async () => {
  await page.locator('[data-lesson="bundled/worker-basics"]').click();
  // Run only once the lesson is open: Ctrl+Enter right after the click could run the lesson open before it.
  await expect(page.getByTestId('lesson-title')).toHaveText('Worker threads: new Worker, postMessage and events');
  await page.keyboard.press('ControlOrMeta+Enter');
  await waitForRunEnd(page, 90_000);
  const canvas = page.getByTestId('timeline-canvas');
  await expect(canvas).toBeVisible();
  await page.getByTestId('timeline-fit').click();

  const fitted = await view();
  // Fit frames the activity: it fills the view but for the small margin a fit leaves (2 % each side)
  const span = fitted.end - fitted.start;
  expect((fitted.actEnd - fitted.actStart) / span).toBeGreaterThan(0.9);
  expect(fitted.actStart).toBeGreaterThanOrEqual(fitted.start);
  expect(fitted.actEnd).toBeLessThanOrEqual(fitted.end);

  // the worker's start-up (nothing runs on any thread) is a break, drawn with its real duration
  expect(fitted.breaks).toBeGreaterThan(0);
  expect(fitted.markers.length).toBeGreaterThan(0);
  const marker = fitted.markers.reduce((a, b) => (b.widthCssPx > a.widthCssPx ? b : a));
  expect(marker.label).toMatch(/^\d+(\.\d+)? (ms|s|µs) idle$/);
  expect(marker.widthCssPx).toBeGreaterThan(20);
  await page.screenshot({ path: `${SCREENSHOTS}/timeline-gaps-1-fit.png` });

  // hovering the break says how long nothing ran
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + marker.xCssPx + marker.widthCssPx / 2, box.y + 32); // the main thread's header row: nothing to hit there but the break
  await expect(page.getByRole('tooltip')).toContainText(marker.label);
  await expect(page.getByRole('tooltip')).toContainText('nothing ran on any thread');
  await page.screenshot({ path: `${SCREENSHOTS}/timeline-gaps-2-hover.png` });

  // Gaps off: the same wait is drawn at its real length, no marker; on again: back
  await page.getByTestId('timeline-gaps').click();
  await expect(page.getByTestId('timeline-gaps')).toHaveAttribute('aria-pressed', 'false');
  const real = await view();
  expect(real.breaks).toBe(0);
  expect(real.markers).toEqual([]);
  await page.screenshot({ path: `${SCREENSHOTS}/timeline-gaps-3-real.png` });
  await canvas.focus();
  await page.keyboard.press('g');
  await expect(page.getByTestId('timeline-gaps')).toHaveAttribute('aria-pressed', 'true');
  expect((await view()).breaks).toBe(fitted.breaks);
});

test('All shows the whole run, idle start and end included; F goes back to the activity', async () => {
  await page.getByTestId('timeline-fit-all').click();
  const all = await view();
  const whole = await page.evaluate(() => {
    const tl = (window as unknown as { __loopscopeTimeline: TimelineHooks & { traceRangeUs(): { startUs: number; endUs: number } } }).__loopscopeTimeline;
    const r = tl.traceRangeUs();
    return { start: tl.timeAxis.toDisplay(r.startUs), end: tl.timeAxis.toDisplay(r.endUs) };
  });
  expect(all.start).toBeLessThanOrEqual(whole.start);
  expect(all.end).toBeGreaterThanOrEqual(whole.end);
  await page.getByTestId('timeline-canvas').focus();
  await page.keyboard.press('f');
  const fitted = await view();
  expect((fitted.actEnd - fitted.actStart) / (fitted.end - fitted.start)).toBeGreaterThan(0.9);
});

test('after Stop on an infinite loop, the looping function runs up to the stop and is marked stopped', async () => {
  // one line per block: Monaco would auto-close braces typed before a newline
  await replaceEditorText(page, "function spin(): void { let i = 0; while (true) { i++; if (i % 2000000 === 0) console.log('tick', i); } }\nspin();\n");
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(page.getByTestId('console-text')).toContainText('tick', { timeout: 30_000 });
  await page.getByRole('button', { name: '■ Stop' }).click();
  await waitForRunEnd(page, 30_000);
  const canvas = page.getByTestId('timeline-canvas');
  await page.getByTestId('timeline-fit').click();
  const { total } = await stepCounter(page);
  // the tooltips of every stack row at the moment of the stop (the run's last event)
  const box = (await canvas.boundingBox())!;
  const tips: string[] = [];
  for (let depth = 0; depth < 4; depth++) {
    const p = await page.evaluate(([d, step]) => (window as unknown as { __loopscopeTimeline: { pointAt(a: number, d: number, s: number): { x: number; y: number } | null } }).__loopscopeTimeline.pointAt(0, d, step), [depth, total - 1] as const);
    if (!p) break;
    await page.mouse.move(box.x + p.x - 2, box.y + p.y);
    const tip = page.getByRole('tooltip');
    tips.push((await tip.count()) > 0 ? (await tip.innerText()).replace(/\s+/g, ' ') : '');
  }
  await page.screenshot({ path: `${SCREENSHOTS}/timeline-gaps-4-stopped.png` });
  const stopped = tips.filter((t) => t.includes('still running when the run ended (stopped)'));
  expect(stopped.length, tips.join(' | ')).toBe(1);
  expect(stopped[0]).toMatch(/^spin /);
  // nothing else reaches the stop but what was below the loop on the stack (the script task, main.ts)
  expect(tips.filter((t) => t.startsWith('console.log'))).toEqual([]);
});
