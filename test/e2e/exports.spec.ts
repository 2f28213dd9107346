/**
 * Teaching exports in browser mode (issue 13 item 7): traces download in the browser with unique names and nothing
 * is written on the server; the HTML player is a handout (lesson text, checkpoints with their explanations, each a
 * jump to its step, flagged on its timeline strip beside the phase ring; no speaker notes; axe-clean); the stage at the current step downloads as an SVG and a PNG.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { axeSerious, openApp, SCREENSHOTS, waitForRunEnd, watchedPage } from './support.ts';

test.describe.configure({ mode: 'serial' });
let page: Page;
const problems: string[] = [];
const downloads = mkdtempSync(join(tmpdir(), 'loopscope-downloads-'));
const serverExports = (): string[] => {
  const dir = join(process.env['LOOPSCOPE_E2E_DIR'] ?? '', 'data', 'exports');
  return existsSync(dir) ? readdirSync(dir) : [];
};

test.beforeAll(async ({ browser }) => {
  page = await watchedPage(browser, problems, { acceptDownloads: true });
});
test.afterAll(async () => {
  await page.context().close();
});

async function exportVia(testIdOrName: string): Promise<{ name: string; path: string }> {
  await page.getByTestId('export').click();
  const download = page.waitForEvent('download');
  const item = testIdOrName.startsWith('snapshot-') ? page.getByTestId(testIdOrName) : page.getByRole('menuitem', { name: testIdOrName });
  await item.click();
  const d = await download;
  const path = join(downloads, d.suggestedFilename()); // (with its extension: a file:// page needs .html)
  await d.saveAs(path);
  return { name: d.suggestedFilename(), path };
}

test('a trace exported twice downloads twice under two names; the server writes nothing', async () => {
  await openApp(page, 'learn');
  await page.getByTestId('lesson-ordering').click();
  await page.getByTestId('run').click();
  await waitForRunEnd(page);
  const before = serverExports();
  const a = await exportVia('Standalone HTML player (.html)');
  const b = await exportVia('Standalone HTML player (.html)');
  expect(a.name).toMatch(/^ordering-\d{8}-\d{6}(-\d+)?\.html$/);
  expect(b.name).toMatch(/^ordering-\d{8}-\d{6}(-\d+)?\.html$/);
  expect(b.name).not.toBe(a.name);
  const html = readFileSync(a.path, 'utf8');
  expect(html).toMatch(/^<!doctype html>/i);
  expect(html).toContain('sync 1');
  // It is a handout: the lesson text and the checkpoints with their explanations, each a jump to its step.
  const handout = await page.context().newPage();
  await handout.goto(pathToFileURL(a.path).href);
  await expect(handout.getByTestId('handout-lesson')).toContainText('Sync, nextTick, promise, timeout');
  const jump = handout.getByTestId('handout-jump');
  await expect(jump).toHaveText('⚑ Timer last');
  await expect(handout.getByTestId('handout-checkpoints')).toContainText('The timer callback runs after both microtask queues drained.');
  expect(html).not.toContain('Ask the room'); // speaker notes stay out of exports
  await handout.keyboard.press('Home');
  await jump.click();
  await expect(handout.getByTestId('step')).toHaveText(new RegExp(`^Step ${await jump.getAttribute('data-cursor')} /`));
  // the phase ring and the timeline strip: the strip marks the checkpoint's step, and its flag sits on that step
  await expect(handout.getByTestId('phase-ring').first()).toBeVisible();
  await expect(handout.getByTestId('timeline-strip')).toHaveAttribute('aria-valuenow', (await jump.getAttribute('data-cursor'))!);
  await expect(handout.getByTestId('strip-checkpoint')).toHaveAttribute('data-cursor', (await jump.getAttribute('data-cursor'))!);
  const flag = (await handout.getByTestId('strip-checkpoint').boundingBox())!;
  const marker = (await handout.getByTestId('strip-cursor').boundingBox())!;
  expect(Math.abs(flag.x + flag.width / 2 - (marker.x + marker.width / 2))).toBeLessThanOrEqual(2);
  expect(await axeSerious(handout), 'handout').toEqual([]);
  await handout.screenshot({ path: `${SCREENSHOTS}/export-handout.png`, fullPage: true });
  await handout.close();
  const json = await exportVia('Loopscope trace (.json)');
  expect(json.name).toMatch(/^ordering-\d{8}-\d{6}(-\d+)?\.loopscope\.json$/);
  expect(JSON.parse(readFileSync(json.path, 'utf8')).format).toBe('loopscope-trace');
  expect(serverExports()).toEqual(before);
  await expect(page.locator('.banner')).toContainText('Downloaded ordering-');
});

test('the stage at the current step downloads as an SVG and a PNG', async () => {
  await page.getByTestId('stage').focus();
  await page.keyboard.press('Home');
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  const svg = await exportVia('snapshot-svg');
  expect(svg.name).toMatch(/^ordering-step-\d+-\d{8}-\d{6}(-\d+)?\.svg$/);
  const text = readFileSync(svg.path, 'utf8');
  expect(text).toContain('<foreignObject');
  expect(text).toContain('Call stack');
  expect(text).not.toMatch(/https?:\/\/(?!www\.w3\.org)/); // self-contained
  const png = await exportVia('snapshot-png');
  expect(png.name).toMatch(/\.png$/);
  const bytes = readFileSync(png.path);
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(bytes.length).toBeGreaterThan(5000);
  // Show the PNG to the reviewer: open it in a page and screenshot it.
  const view = await page.context().newPage();
  await view.setContent(`<img src="data:image/png;base64,${bytes.toString('base64')}" style="max-width:100%">`);
  await view.screenshot({ path: `${SCREENSHOTS}/export-stage-snapshot.png` });
  await view.close();
});

test('no page errors', () => {
  expect(problems).toEqual([]);
});
