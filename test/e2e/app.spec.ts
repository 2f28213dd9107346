/**
 * The whole app in browser mode, as a learner uses it: open a lesson, edit, run, read the console, step
 * through the runtime state, stop an infinite loop, run again, reload and find the edit, reset it.
 */
import { expect, test, type Page } from '@playwright/test';
import { appendToEditor, consoleText, editorText, openApp, replaceEditorText, SCREENSHOTS, stepCounter, waitForRunEnd } from './support.ts';

test.describe.configure({ mode: 'serial' });

let page: Page;
const problems: string[] = [];

test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext();
  page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
  });
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (!['http:', 'ws:'].includes(url.protocol) || url.hostname !== '127.0.0.1') {
      if (url.protocol !== 'data:' && url.protocol !== 'blob:') problems.push(`network request outside the app: ${r.url()}`);
    }
  });
});

test.afterAll(async () => {
  await page.context().close();
});

test('opens with the lesson browser grouped by topic, and search filters it', async () => {
  await openApp(page);
  const nav = page.getByRole('navigation', { name: 'Lessons' });
  await expect(nav.getByRole('heading', { name: 'Event loop' })).toBeVisible();
  await expect(nav.getByRole('heading', { name: 'Promises' })).toBeVisible();
  await nav.getByRole('searchbox', { name: 'Search lessons' }).fill('second');
  await expect(nav.locator('[data-lesson]')).toHaveCount(1);
  await expect(nav.locator('[data-lesson="bundled/second-lesson"]')).toBeVisible();
  await nav.getByRole('searchbox', { name: 'Search lessons' }).fill('');
  await expect(nav.locator('[data-lesson]')).toHaveCount(2);
  await page.screenshot({ path: `${SCREENSHOTS}/01-open.png` });
});

test('opens a lesson with a tab per file and its narrative', async () => {
  await page.locator('[data-lesson="bundled/ordering"]').click();
  await expect(page.getByTestId('lesson-title')).toHaveText('E2E: sync, nextTick, promise, timeout');
  await page.getByRole('tab', { name: 'Lesson' }).click();
  await expect(page.getByRole('heading', { name: 'Sync, nextTick, promise, timeout' })).toBeVisible();
  await page.getByRole('tab', { name: 'helper.ts' }).click();
  await expect.poll(() => editorText(page)).toContain("console.log('helper ran')");
  await page.getByRole('tab', { name: 'main.ts' }).click();
  await expect.poll(() => editorText(page)).toContain("console.log('sync 1')");
});

test('edits are autosaved and the lesson is marked edited', async () => {
  await appendToEditor(page, "\nconsole.log('edited line');\n");
  await expect(page.getByTestId('edited-badge')).toBeVisible();
  await expect(page.getByTestId('save-state')).toHaveText('Saved');
  await expect(page.locator('[data-lesson="bundled/ordering"]')).toContainText('edited');
});

test('runs with Ctrl/Cmd+Enter: console lines in Node order, stderr in red, the end reason shown', async () => {
  await page.keyboard.press('ControlOrMeta+Enter');
  await waitForRunEnd(page);
  await expect(page.getByTestId('run-status')).toContainText('Completed');
  const text = (await consoleText(page).textContent()) ?? '';
  // Node's order for an ES module: its body is itself a promise job, so promise reactions run before nextTick.
  const order = ['sync 1', 'helper ran', 'sync 2', 'edited line', 'promise', 'tick', 'timeout'].map((line) => text.indexOf(`${line}\n`));
  expect(order.every((at) => at >= 0)).toBe(true);
  expect([...order].sort((a, b) => a - b)).toEqual(order);
  expect(text).toContain('oops on stderr');
  expect(text).toMatch(/■ Completed \([\d,]+ events/);
  // xterm draws stderr in the theme's red (ANSI colour 1).
  await expect(page.locator('.xterm-rows span.xterm-fg-1', { hasText: 'oops on stderr' })).toHaveCount(1);
  // The run's isolation layers beside the status (which ones depends on the machine: bubblewrap here and in CI).
  const layers = page.getByTestId('sandbox-layers');
  await expect(layers.getByRole('button')).toHaveAttribute('aria-label', /^Sandbox: .*permission model · limits · empty environment$/);
  await layers.getByRole('button').click();
  await expect(layers.getByTestId('sandbox-layer').filter({ hasText: "Node's permission model" })).toHaveAttribute('data-active', 'true');
  await layers.getByRole('button').press('Escape');
  await expect(layers.getByTestId('sandbox-layer')).toHaveCount(0);
  await page.screenshot({ path: `${SCREENSHOTS}/02-run.png` });
});

test('the state view follows the step: stepping back changes the stack and queues shown', async () => {
  await expect(page.getByRole('tab', { name: 'Runtime state' })).toHaveAttribute('aria-selected', 'true');
  const end = await stepCounter(page);
  expect(end.total).toBeGreaterThan(10);
  expect(end.cursor).toBe(end.total);
  const stackAtEnd = await page.getByTestId('call-stack').first().innerText();
  await page.getByRole('button', { name: 'First step' }).click();
  expect((await stepCounter(page)).cursor).toBe(0);
  // Step forward (→ outside the editor) until the main script is on the call stack.
  await page.getByTestId('step-counter').click();
  const frames = page.getByTestId('call-stack').first().locator('li:not(.empty)');
  for (let i = 0; i < 40 && (await frames.count()) === 0; i++) await page.keyboard.press('ArrowRight');
  expect(await frames.count()).toBeGreaterThan(0);
  expect(await page.getByTestId('call-stack').first().innerText()).not.toBe(stackAtEnd);
  const forward = await stepCounter(page);
  await page.getByRole('button', { name: 'Step back' }).click();
  expect((await stepCounter(page)).cursor).toBe(forward.cursor - 1);
  await expect(page.getByTestId('last-event')).not.toHaveText('');
  // Somewhere in the run, the microtask and timers queues hold callbacks: scrub and look.
  let sawQueued = false;
  for (let step = 0; step <= end.total && !sawQueued; step += 1) {
    await page.getByRole('slider', { name: 'Step' }).fill(String(step));
    sawQueued = (await page.locator('[data-testid="queues"] li').count()) > 0;
  }
  expect(sawQueued).toBe(true);
  await page.screenshot({ path: `${SCREENSHOTS}/03-stepped.png` });
  await page.getByRole('button', { name: 'Last step' }).click();
  expect((await stepCounter(page)).cursor).toBe(end.total);
});

test('an infinite loop can be stopped, and the next run works', async () => {
  await page.getByRole('tab', { name: 'main.ts' }).click();
  await replaceEditorText(page, "console.log('looping');\nlet n = 0;\nwhile (true) { n++; }\n");
  await page.getByRole('button', { name: /Run/ }).click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'running');
  await page.waitForTimeout(500); // well inside the loop
  await page.getByRole('button', { name: /Stop/ }).click();
  await waitForRunEnd(page);
  await expect(page.getByTestId('run-status')).toContainText('Stopped');
  await expect(consoleText(page)).toContainText('■ Stopped');
  // Written before the loop started (it may only reach the page once the stuck agent is stopped).
  await expect(consoleText(page)).toContainText('looping');
  await page.screenshot({ path: `${SCREENSHOTS}/04-stopped.png` });

  await replaceEditorText(page, "console.log('second run');\n");
  await page.keyboard.press('ControlOrMeta+Enter');
  await waitForRunEnd(page);
  await expect(page.getByTestId('run-status')).toContainText('Completed');
  await expect(consoleText(page)).toContainText('second run');
  await expect(consoleText(page)).not.toContainText('looping');
});

test('after a reload the edit is still there; Reset to original restores the lesson', async () => {
  await expect(page.getByTestId('save-state')).toHaveText('Saved');
  await page.reload();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('lesson-title')).toHaveText('E2E: sync, nextTick, promise, timeout');
  await expect.poll(() => editorText(page)).toContain("console.log('second run')");
  await expect(page.getByTestId('edited-badge')).toBeVisible();

  await page.getByRole('button', { name: 'Reset to original' }).click();
  await expect(page.getByTestId('edited-badge')).toHaveCount(0);
  await expect.poll(() => editorText(page)).toContain("console.log('sync 1')");
  await expect(page.locator('[data-lesson="bundled/ordering"]')).not.toContainText('edited');
  await page.reload();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await expect.poll(() => editorText(page)).toContain("console.log('sync 1')");
  await expect(page.getByTestId('edited-badge')).toHaveCount(0);
});

test('the editor type-checks against the sandbox typings', async () => {
  await page.getByRole('tab', { name: 'main.ts' }).click();
  await appendToEditor(page, "\nconst wrong: number = 'text';\nsetImmediate(() => {}).unref();\n");
  await expect(page.locator('.squiggly-error')).toHaveCount(1, { timeout: 20_000 });
  await page.getByRole('button', { name: 'Reset to original' }).click();
  await expect(page.getByTestId('edited-badge')).toHaveCount(0);
  // After a reset the cross-file import still resolves: no stale "cannot find module" error.
  await expect(page.locator('.squiggly-error')).toHaveCount(0, { timeout: 20_000 });
});

test('Alt+PageDown opens the next lesson; the theme follows the switch', async () => {
  await page.getByTestId('lesson-title').click(); // focus out of the editor
  await page.keyboard.press('Alt+PageDown');
  await expect(page.getByTestId('lesson-title')).toHaveText('E2E: a second lesson');
  await page.keyboard.press('Alt+PageUp');
  await expect(page.getByTestId('lesson-title')).toHaveText('E2E: sync, nextTick, promise, timeout');
  await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.keyboard.press('ControlOrMeta+Enter');
  await waitForRunEnd(page);
  await page.screenshot({ path: `${SCREENSHOTS}/app-dark.png` });
  await page.getByRole('combobox', { name: 'Theme' }).selectOption('light');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.getByRole('tab', { name: 'Runtime state' }).click();
  await page.screenshot({ path: `${SCREENSHOTS}/app.png` });
});

test('nothing was fetched from the network and no errors or CSP violations happened', async () => {
  expect(problems).toEqual([]);
});
