/**
 * Keyboard, accessibility and zoom (issue 13 items 6 and 8), in browser mode: the stable test hooks exist; Space and
 * Enter press the focused control instead of toggling playback; tab lists follow the WAI-ARIA pattern; Esc closes
 * the Export menu; Tab leaves the editor (Esc then Tab once, Ctrl+M for good) and the console; axe-core finds no
 * serious or critical problem when idle, after a run, on an order quiz and in the dark theme; at 150 % and 200 %
 * zoom nothing overflows sideways and a lesson still runs.
 */
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { axeSerious, consoleText, editorText, openApp, SCREENSHOTS, stepCounter, waitForRunEnd, watchedPage } from './support.ts';

test.describe.configure({ mode: 'serial' });

let page: Page;
const problems: string[] = [];

test.beforeAll(async ({ browser }) => {
  page = await watchedPage(browser, problems);
});
test.afterAll(async () => {
  await page.context().close();
});

const inEditor = (): Promise<boolean> => page.evaluate(() => document.activeElement?.closest('.monaco-editor') != null);
const focusedTestId = (): Promise<string | null> => page.evaluate(() => document.activeElement?.closest('[data-testid]')?.getAttribute('data-testid') ?? null);

test('stable test hooks: run, lesson-<id>, stage', async () => {
  await openApp(page);
  await expect(page.getByTestId('run')).toBeVisible();
  await expect(page.getByTestId('lesson-ordering')).toBeVisible();
  await expect(page.getByTestId('lesson-second-lesson')).toBeVisible();
  await page.getByTestId('lesson-ordering').click();
  await page.getByTestId('run').click();
  await waitForRunEnd(page);
  await expect(page.getByTestId('stage')).toBeVisible();
});

test('Run pressed while a lesson is still opening runs that lesson, and the runtime state stays in view', async ({ browser }) => {
  const slow = await watchedPage(browser, problems);
  // The server answers "open this lesson" 600 ms late, as a slow disk would.
  await slow.routeWebSocket(/\/ws/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((m) => {
      if (typeof m === 'string' && m.includes('"lessons.open"')) setTimeout(() => server.send(m), 600);
      else server.send(m);
    });
    server.onMessage((m) => ws.send(m));
  });
  await openApp(slow);
  await slow.getByTestId('lesson-ordering').click();
  await expect(slow.getByTestId('lesson-title')).toHaveText('E2E: sync, nextTick, promise, timeout');
  await slow.getByTestId('lesson-second-lesson').click();
  await slow.getByTestId('run').click();
  await waitForRunEnd(slow);
  await expect(slow.getByTestId('lesson-title')).toHaveText('E2E: a second lesson');
  await expect(consoleText(slow)).toContainText('second');
  await expect(consoleText(slow)).not.toContainText('sync 1');
  await expect(slow.getByTestId('stage')).toBeVisible();
  await slow.context().close();
});

test('Space on a focused lesson opens it (it does not toggle playback); Enter on Run runs', async () => {
  await page.getByTestId('lesson-second-lesson').focus();
  await page.keyboard.press(' ');
  await expect(page.getByTestId('lesson-title')).toHaveText('E2E: a second lesson');
  await page.getByTestId('lesson-ordering').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('lesson-title')).toHaveText('E2E: sync, nextTick, promise, timeout');
  await page.getByTestId('run').focus();
  await page.keyboard.press('Enter');
  await waitForRunEnd(page);
  await expect(consoleText(page)).toContainText('timeout');
  // Space on the focused "Step back" button steps back once (its own action), and playback does not start.
  await page.getByTestId('tab-state').click();
  const before = await stepCounter(page);
  await page.getByRole('button', { name: 'Step back' }).focus();
  await page.keyboard.press(' ');
  expect((await stepCounter(page)).cursor).toBe(before.cursor - 1);
  await expect(page.getByTestId('play')).toHaveAttribute('aria-label', 'Play');
  // Away from a control Space plays.
  await page.getByTestId('stage').focus();
  await page.keyboard.press('Home');
  await page.keyboard.press(' ');
  await expect(page.getByTestId('play')).toHaveAttribute('aria-label', 'Pause');
  await page.keyboard.press(' ');
  await expect(page.getByTestId('play')).toHaveAttribute('aria-label', 'Play');
});

test('side tabs: arrow keys move the selection and focus, only the selected tab is in the Tab order', async () => {
  await page.getByTestId('tab-state').focus();
  const cursor = (await stepCounter(page)).cursor;
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('tab-lesson')).toHaveAttribute('aria-selected', 'true');
  expect(await focusedTestId()).toBe('tab-lesson');
  await expect(page.getByRole('tabpanel')).toContainText('Sync, nextTick, promise, timeout');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('tab-quiz')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowRight'); // wraps
  await expect(page.getByTestId('tab-state')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('End');
  await expect(page.getByTestId('tab-quiz')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('tab-lesson')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('tab-state')).toHaveAttribute('tabindex', '-1');
  await expect(page.getByTestId('tab-lesson')).toHaveAttribute('tabindex', '0');
  // The arrows went to the tabs, not to the player.
  await page.getByTestId('tab-state').click();
  expect((await stepCounter(page)).cursor).toBe(cursor);
});

test('the Export menu opens from the keyboard, moves with arrows and closes with Esc', async () => {
  const button = page.getByTestId('export');
  await button.focus();
  await page.keyboard.press('Enter');
  const menu = page.getByRole('menu', { name: 'Export the trace' });
  await expect(menu).toBeVisible();
  await expect(menu.getByRole('menuitem').first()).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(menu.getByRole('menuitem').nth(1)).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await expect(button).toBeFocused();
  await expect(button).toHaveAttribute('aria-expanded', 'false');
  await button.click();
  await expect(menu).toBeVisible();
  await page.getByTestId('stage').click({ position: { x: 5, y: 5 } });
  await expect(menu).toBeHidden();
});

test('Tab leaves the editor: Esc then Tab once, or always after Ctrl+M; the code is not changed', async () => {
  const original = await editorText(page);
  await page.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  expect(await inEditor()).toBe(false);
  await page.keyboard.press('Shift+Tab');
  await expect.poll(inEditor).toBe(true);
  // Without Esc, Tab indents (people type code here) …
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.press('Tab');
  expect(await inEditor()).toBe(true);
  await page.keyboard.press('Backspace');
  // … and Ctrl+M makes Tab move focus until pressed again.
  await page.keyboard.press('Control+m');
  await expect(page.getByTestId('tab-mode')).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('Tab');
  expect(await inEditor()).toBe(false);
  await page.getByTestId('tab-mode').click();
  await expect(page.getByTestId('tab-mode')).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(() => editorText(page)).toBe(original);
});

test('Shift+Tab and Tab leave the console', async () => {
  await page.locator('.xterm').first().click();
  await page.keyboard.press('Shift+Tab');
  expect(await page.evaluate(() => document.activeElement?.closest('.xterm') !== null)).toBe(false);
});

async function expectNoSeriousAxe(state: string): Promise<void> {
  const findings = await axeSerious(page, { experimental: true });
  expect(findings, `axe-core, ${state}`).toEqual([]);
}

test('axe-core: no serious or critical findings idle, after a run, on a quiz, in the dark theme, with a menu open', async () => {
  await page.reload();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await expectNoSeriousAxe('idle');
  await page.getByTestId('run').hover();
  await page.getByTestId('run').click();
  await waitForRunEnd(page);
  await page.getByTestId('run').hover(); // hovered Run right after a click must still read as a button
  await expectNoSeriousAxe('after a run');
  await page.getByTestId('tab-quiz').click();
  await expectNoSeriousAxe('typed quiz');
  await page.getByTestId('export').click();
  await expectNoSeriousAxe('export menu open');
  await page.keyboard.press('Escape');
  await page.getByLabel('Theme').selectOption('dark');
  await expectNoSeriousAxe('dark, quiz');
  await page.getByTestId('tab-state').click();
  await expectNoSeriousAxe('dark, state');
  await page.getByLabel('Theme').selectOption('light');
});

test('axe-core: an order quiz (a list box of lines) has no nested interactive controls', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'loopscope-a11y-'));
  const lesson = join(dir, 'order-quiz');
  mkdirSync(lesson);
  const lines = ['a', 'c', 'b'];
  writeFileSync(join(lesson, 'lesson.json'), JSON.stringify({ id: 'order-quiz', title: 'A11y: order quiz', level: 'beginner', topic: 'event-loop', rows: [1], entry: 'main.ts', files: ['main.ts'], expected: { stdout: lines }, checkpoints: [{ name: 'Timer', consoleLine: 'b', explain: 'The timer runs last.' }], quiz: { prompt: 'Order them.', kind: 'order', lines } }));
  writeFileSync(join(lesson, 'README.md'), '# Order quiz\n');
  writeFileSync(join(lesson, 'main.ts'), "console.log('a');\nsetTimeout(() => console.log('b'));\nqueueMicrotask(() => console.log('c'));\n");
  await page.getByRole('button', { name: 'Open folder…' }).click();
  await page.getByLabel('Folder path').fill(dir);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await page.getByTestId('lesson-order-quiz').click();
  await page.getByTestId('tab-quiz').click();
  await expect(page.getByTestId('quiz-order')).toBeVisible();
  await expectNoSeriousAxe('order quiz');
  // The pointer shortcuts still move lines.
  const options = page.getByTestId('quiz-order').locator('[role="option"]');
  const third = await options.nth(2).getAttribute('data-line');
  await options.nth(2).locator('.move').first().click();
  await expect(options.nth(1)).toHaveAttribute('data-line', third ?? '');
  await page.getByLabel('Theme').selectOption('dark');
  await expectNoSeriousAxe('order quiz, dark');
  await page.getByLabel('Theme').selectOption('light');
  await page.getByTestId('lesson-ordering').click();
});

for (const zoom of [1.5, 2]) {
  test(`usable at ${zoom * 100} % zoom (1440×900 and 1280×720): nothing overflows sideways, a lesson runs by keyboard`, async ({ browser }) => {
    for (const [w, h] of [[1440, 900], [1280, 720]] as const) {
      const zoomed = await watchedPage(browser, problems, { viewport: { width: Math.round(w / zoom), height: Math.round(h / zoom) }, deviceScaleFactor: zoom });
      await openApp(zoomed);
      const overflow = await zoomed.evaluate(() => ({ doc: document.documentElement.scrollWidth - document.documentElement.clientWidth, body: document.body.scrollWidth - document.body.clientWidth }));
      expect(overflow, `${w}×${h} at ${zoom * 100} %`).toEqual({ doc: 0, body: 0 });
      await expect(zoomed.getByTestId('run')).toBeInViewport();
      await zoomed.getByTestId('run').focus();
      await zoomed.keyboard.press('Enter');
      await waitForRunEnd(zoomed);
      await expect(zoomed.getByTestId('run-status')).toContainText('Completed');
      await expect(zoomed.getByTestId('stage')).toBeInViewport({ ratio: 0.3 });
      await zoomed.evaluate(() => window.__loopscopeIdle?.());
      await zoomed.screenshot({ path: `${SCREENSHOTS}/zoom-${zoom * 100}-${w}x${h}.png` });
      await zoomed.context().close();
    }
  });
}

test('no page errors', () => {
  expect(problems).toEqual([]);
});
