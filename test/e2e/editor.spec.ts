/**
 * The editor follows the program (browser mode, fixture lessons): the line at the cursor is highlighted in
 * whichever file it is (stepping into helper() opens helper.ts), top-level statements included; type errors show
 * in the problems strip before any run; a failed run marks its error line. Screenshots: test-results/screenshots/editor-*.png.
 */
import { expect, test, type Page } from '@playwright/test';
import { appendToEditor, openApp, replaceEditorText, SCREENSHOTS, waitForRunEnd, watchedPage } from './support.ts';

test.describe.configure({ mode: 'serial' });

let page: Page;
const problems: string[] = [];
const tab = (name: string) => page.getByRole('tab', { name, exact: true });
const stepLine = () => page.locator('.monaco-editor .loopscope-step-line');
const strip = () => page.getByTestId('problems-summary');

test.beforeAll(async ({ browser }) => {
  page = await watchedPage(browser, problems, { viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1 });
  await openApp(page);
  await page.locator('[data-lesson="bundled/ordering"]').click();
  await expect(page.getByTestId('lesson-title')).toHaveText('E2E: sync, nextTick, promise, timeout');
});

test.afterAll(async () => {
  await page.context().close();
});

test('type errors show in the problems strip before running, and go away when fixed', async () => {
  await tab('main.ts').click();
  await expect(strip()).toHaveText(/No type errors/);
  await appendToEditor(page, "\nconst wrong: number = 'text';\n");
  await expect(strip()).toContainText('1 type error', { timeout: 20_000 });
  await expect(strip()).toContainText("main.ts:11 Type 'string' is not assignable to type 'number'");
  await strip().click();
  await expect(page.getByRole('list', { name: 'Type errors' })).toContainText('main.ts:11:7');
  await page.screenshot({ path: `${SCREENSHOTS}/editor-problems.png` });
  await page.getByRole('button', { name: 'Reset to original' }).click();
  await expect(strip()).toHaveText(/No type errors/, { timeout: 20_000 });
});

test('stepping follows top-level statements and opens the tab of the file the program is in', async () => {
  await tab('main.ts').click();
  await page.keyboard.press('ControlOrMeta+Enter');
  await waitForRunEnd(page);
  await page.getByTestId('stage').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Home');
  // the script's first top-level statement gets the step line in main.ts (function mode, no function entered yet)
  for (let i = 0; i < 20 && (await stepLine().count()) === 0; i++) {
    await page.keyboard.press('ArrowRight');
    await page.evaluate(() => window.__loopscopeIdle!());
  }
  await expect(tab('main.ts')).toHaveAttribute('aria-selected', 'true');
  await expect(stepLine()).toHaveCount(1);
  // stepping on, helper() is entered: helper.ts opens with its line marked
  for (let i = 0; i < 60 && (await tab('helper.ts').getAttribute('aria-selected')) !== 'true'; i++) await page.keyboard.press('ArrowRight');
  await expect(tab('helper.ts')).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('.monaco-editor .view-lines')).toContainText("console.log('helper ran')");
  await expect(stepLine()).toHaveCount(1);
  await page.screenshot({ path: `${SCREENSHOTS}/editor-follows-helper.png` });
  // stepping on leaves helper() and the main file's tab comes back
  for (let i = 0; i < 20 && (await tab('main.ts').getAttribute('aria-selected')) !== 'true'; i++) await page.keyboard.press('ArrowRight');
  await expect(tab('main.ts')).toHaveAttribute('aria-selected', 'true');
  await expect(stepLine()).toHaveCount(1);
});

test('a failed run marks its error line with the message', async () => {
  await tab('main.ts').click();
  await replaceEditorText(page, "console.log('before');\nconst boom = (): void => { throw new Error('boom'); };\nboom();\n");
  await page.keyboard.press('ControlOrMeta+Enter');
  await waitForRunEnd(page);
  await expect(page.getByTestId('console-text')).toContainText('before');
  await expect(strip()).toHaveText(/No type errors/); // the run's marker below is not a type error
  await expect(page.locator('.monaco-editor .squiggly-error')).toHaveCount(1);
  await page.locator('.monaco-editor .squiggly-error').hover({ force: true });
  await expect(page.locator('.monaco-hover:not(.hidden)')).toContainText(/The run failed here: (Error: )?boom/, { timeout: 10_000 });
  await page.screenshot({ path: `${SCREENSHOTS}/editor-run-error.png` });
  await page.getByRole('button', { name: 'Reset to original' }).click();
});

test('Reset to original can be undone', async () => {
  await tab('main.ts').click();
  await appendToEditor(page, '\n// my note\n');
  await expect(page.getByTestId('edited-badge')).toBeVisible();
  await page.getByRole('button', { name: 'Reset to original' }).click();
  await expect(page.getByTestId('edited-badge')).toHaveCount(0);
  await expect(page.locator('.monaco-editor .view-lines')).not.toContainText('// my note');
  await page.getByTestId('undo-reset').click();
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('// my note');
  await expect(page.getByTestId('edited-badge')).toBeVisible();
  await expect(page.getByTestId('save-state')).toHaveText('Saved');
  await page.getByRole('button', { name: 'Reset to original' }).click();
  await expect(page.getByTestId('edited-badge')).toHaveCount(0);
});

test('no page errors', () => {
  expect(problems).toEqual([]);
});
