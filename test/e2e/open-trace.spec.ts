/**
 * Opening a saved trace in browser mode: the own format and an exported HTML player, by the Open trace… button
 * (an upload in the browser), by drag and drop, and a bad file that gets a clear message while the app stays up.
 * The traces are written by the CLI from the fixture lesson, as an author would.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { readTraceFile } from '../../src/shared/trace/open-trace.ts';
import { consoleText, openApp, SCREENSHOTS, stepCounter, watchedPage } from './support.ts';

test.describe.configure({ mode: 'serial' });

let page: Page;
const problems: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'loopscope-open-trace-'));
const ownFile = join(dir, 'ordering.loopscope.json');
const htmlFile = join(dir, 'ordering.html');

test.beforeAll(async ({ browser }) => {
  const cli = (out: string, ...args: string[]) => execFileSync(process.execPath, ['bin/loopscope.mjs', 'run', 'test/e2e/fixtures/lessons/ordering', '-o', out, ...args], { stdio: 'pipe' });
  cli(ownFile);
  cli(htmlFile, '--format', 'html');
  page = await watchedPage(browser, problems, { viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1 });
  await openApp(page);
});

test.afterAll(async () => {
  await page.context().close();
});

const banner = () => page.locator('.banner[role="alert"]');
/** Steps in a trace file, as the shared reader counts them (the player shows the same number). */
const events = (file: string): number => readTraceFile(file, readFileSync(file, 'utf8')).count;

test('the own format opens by upload: player, console and the code it ran', async () => {
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('open-trace').click();
  await (await chooser).setFiles(ownFile);
  await expect(banner()).toContainText('Opened ordering.loopscope.json');
  await expect(page.getByTestId('lesson-title')).toHaveText('Trace: ordering.loopscope.json');
  const at = await stepCounter(page);
  expect(at).toEqual({ cursor: 0, total: events(ownFile) });
  await expect(page.getByRole('tab', { name: 'helper.ts', exact: true })).toBeVisible();
  await expect(consoleText(page)).not.toContainText('helper ran'); // step 0: nothing printed yet
  await page.getByTestId('stage').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('End');
  await expect(consoleText(page)).toContainText('helper ran');
  await expect(consoleText(page)).toContainText('timeout');
  await expect(page.getByTestId('last-event')).toContainText(/ended|completed/i);
  await page.screenshot({ path: `${SCREENSHOTS}/open-trace-own.png` });
});

test('the trace inside an exported HTML player opens by drag and drop', async () => {
  const html = readFileSync(htmlFile, 'utf8');
  const drop = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'ordering.html', { type: 'text/html' }));
    return dt;
  }, html);
  await page.dispatchEvent('[data-testid="app"]', 'dragover', { dataTransfer: drop });
  await page.dispatchEvent('[data-testid="app"]', 'drop', { dataTransfer: drop });
  await expect(banner()).toContainText('Opened ordering.html');
  expect((await stepCounter(page)).total).toBe(events(htmlFile));
});

test('a bad file gets a clear message and the app stays usable', async () => {
  await page.getByTestId('open-trace-input').setInputFiles({ name: 'chrome.json', mimeType: 'application/json', buffer: Buffer.from('{"traceEvents":[]}') });
  await expect(banner()).toContainText('Could not open chrome.json: chrome.json is a Chrome trace');
  await page.getByTestId('open-trace-input').setInputFiles({ name: 'broken.loopscope.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"loopscope-trace","version":1}') });
  await expect(banner()).toContainText('Could not open broken.loopscope.json: broken.loopscope.json: This is not a valid Loopscope trace');
  // the trace opened before is still there
  expect((await stepCounter(page)).total).toBe(events(htmlFile));
});

test('no page errors', () => {
  expect(problems).toEqual([]);
});
