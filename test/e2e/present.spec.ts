/**
 * Presenter mode and the audience view (issue 13 items 2 and 3), in browser mode: F5 presents the open lesson
 * (running it first), checkpoints are slides with their explanation beside the stage and the speaker notes and the
 * next checkpoint for the presenter only; clicker keys (PageDown/PageUp, →/←, B and .), the draw-over layer is
 * cleared on a step, the pointer spot, the projector scale, the clock; an audience page (the audience URL, in the
 * same browser) follows every key within a frame and never shows the notes; axe finds nothing serious in either
 * view, in the light and the dark theme. Screenshots: test-results/screenshots/present-*.png.
 */
import { expect, test, type Page } from '@playwright/test';
import { appendToEditor, axeSerious, openApp, SCREENSHOTS, watchedPage } from './support.ts';

test.describe.configure({ mode: 'serial' });
let page: Page;
let audience: Page;
const problems: string[] = [];
const NOTES = 'Ask the room which line prints last before you step on.';
const latencies: number[] = [];

test.beforeAll(async ({ browser }) => {
  page = await watchedPage(browser, problems, { viewport: { width: 1280, height: 720 } });
});
test.afterAll(async () => {
  console.log(`audience latency (Date.now() from the presenter's post to the audience's receipt), ms: ${latencies.join(', ')}`);
  await page.context().close();
});

const presenter = () => page.getByTestId('presenter');
const presenterStep = async (): Promise<number> => Number(/Step ([\d,]+)/.exec((await page.getByTestId('present-step').textContent()) ?? '')![1]!.replace(/,/g, ''));

/** The audience page shows the presenter's step (and records how long the view took to arrive). */
async function audienceFollows(): Promise<void> {
  const step = await presenterStep();
  await expect(audience.getByTestId('audience')).toHaveAttribute('data-step', String(step));
  latencies.push(Number(await audience.getByTestId('audience').getAttribute('data-latency-ms')));
}

test('F5 presents the lesson: it runs, chrome hidden, the first slide with the notes panel and a clock', async () => {
  await openApp(page, 'learn');
  await page.getByTestId('lesson-ordering').click();
  await expect(page.getByTestId('lesson-title')).toHaveText('E2E: sync, nextTick, promise, timeout');
  await page.getByTestId('stage').focus();
  await page.keyboard.press('F5');
  await expect(presenter()).toBeVisible();
  await expect(page.getByTestId('slide-counter')).toHaveText('Slide 1 of 3');
  await expect(page.getByTestId('clock')).toHaveText(/\d{1,2}:\d{2}.* · 0:\d{2}/);
  // The app's chrome is under the presenter view: what is at the Run button's place belongs to the presenter.
  const run = (await page.getByTestId('run').boundingBox())!;
  expect(await page.evaluate(([x, y]) => document.elementFromPoint(x!, y!)?.closest('[data-testid="presenter"]') !== null, [run.x + 5, run.y + 5])).toBe(true);
  await expect(page.getByTestId('next-slide')).toContainText('Timer last');
});

test('an audience page follows the presenter and never shows the speaker notes', async () => {
  audience = await page.context().newPage();
  audience.on('pageerror', (e) => problems.push(`audience pageerror: ${e.message}`));
  await audience.goto(new URL('/#view=audience', page.url()).toString());
  await audienceFollows();
  await expect(audience.getByTestId('audience-slide')).toHaveText('Before the first step');
  await expect(audience.getByTestId('stage')).toBeVisible();
});

test('clicker keys: PageDown / → go to the next checkpoint, PageUp / ← back; the audience follows every key', async () => {
  await page.keyboard.press('PageDown');
  await expect(page.getByTestId('slide-name')).toHaveText('Timer last');
  await expect(page.getByTestId('slide-explain')).toHaveText('The timer callback runs after both microtask queues drained.');
  await expect(page.getByTestId('speaker-notes')).toContainText(NOTES);
  await expect(page.getByTestId('stage').locator('[data-testid="call-stack"]').first()).toBeVisible();
  await audienceFollows();
  await expect(audience.getByTestId('audience-slide')).toHaveText('Timer last');
  expect(await audience.content()).not.toContain(NOTES);
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('slide-counter')).toHaveText('Slide 3 of 3');
  await audienceFollows();
  await page.keyboard.press('PageUp');
  await expect(page.getByTestId('slide-name')).toHaveText('Timer last');
  await audienceFollows();
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('slide-counter')).toHaveText('Slide 1 of 3');
  await audienceFollows();
  await page.keyboard.press('PageDown');
  await page.keyboard.press('Shift+ArrowRight'); // one step past the checkpoint
  await audienceFollows();
  await page.screenshot({ path: `${SCREENSHOTS}/present-presenter.png` });
  await audience.screenshot({ path: `${SCREENSHOTS}/present-audience.png` });
});

test('B and . blank both screens; Esc un-blanks before it leaves', async () => {
  await page.keyboard.press('b');
  await expect(page.getByTestId('blank-screen')).toBeVisible();
  await expect(audience.getByTestId('audience-blank')).toBeVisible();
  await page.keyboard.press('.');
  await expect(page.getByTestId('blank-screen')).toBeHidden();
  await expect(audience.getByTestId('audience-blank')).toBeHidden();
  await page.keyboard.press('.');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('blank-screen')).toBeHidden();
  await expect(presenter()).toBeVisible();
});

test('draw over the stage; a step clears it; the pointer spot follows the mouse', async () => {
  const stage = (await page.getByTestId('presenter').getByTestId('stage').boundingBox())!;
  await page.mouse.move(stage.x + 100, stage.y + 100);
  await expect(page.getByTestId('pointer-spot')).toBeVisible();
  await page.keyboard.press('d');
  await expect(page.getByTestId('present-draw')).toHaveAttribute('aria-pressed', 'true');
  await page.mouse.down();
  await page.mouse.move(stage.x + 220, stage.y + 160, { steps: 5 });
  await page.mouse.up();
  await expect(page.getByTestId('annotations')).toHaveAttribute('data-strokes', '1');
  const inked = await page.getByTestId('annotations').evaluate((c: HTMLCanvasElement) => c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data.some((v, i) => i % 4 === 3 && v > 0));
  expect(inked).toBe(true);
  await page.keyboard.press('Shift+ArrowRight');
  await expect(page.getByTestId('annotations')).toHaveAttribute('data-strokes', '0');
  const clean = await page.getByTestId('annotations').evaluate((c: HTMLCanvasElement) => !c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data.some((v, i) => i % 4 === 3 && v > 0));
  expect(clean).toBe(true);
  await page.keyboard.press('d');
});

test('projector scale: + and − scale the whole presenter view (100–200 %) and the audience view', async () => {
  const before = (await page.getByTestId('slide-name').boundingBox())!.height;
  await page.getByTestId('present-scale').selectOption('100');
  await page.locator('body').press('+'); // (not on the select, whose arrows are its own)
  await page.keyboard.press('+');
  await expect(page.getByTestId('present-scale')).toHaveValue('120');
  await page.getByTestId('present-scale').selectOption('200');
  const after = (await page.getByTestId('slide-name').boundingBox())!.height;
  expect(after).toBeGreaterThan(before);
  await expect.poll(() => audience.getByTestId('audience').evaluate((el) => getComputedStyle(el).zoom)).toBe('2');
  await page.getByTestId('presenter').focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('+');
  await expect(page.getByTestId('present-scale')).toHaveValue('200'); // capped
  await page.getByTestId('present-scale').selectOption('150');
});

test('axe-core: nothing serious in the presenter and audience views', async () => {
  expect(await axeSerious(page, { experimental: true }), 'presenter').toEqual([]);
  expect(await axeSerious(audience, { experimental: true }), 'audience').toEqual([]);
});

test('Esc leaves presenter mode; the audience page says so', async () => {
  await page.getByTestId('presenter').focus();
  await page.keyboard.press('Escape');
  await expect(presenter()).toBeHidden();
  await expect(audience.getByText('The presenter left presenter mode.')).toBeVisible();
  await expect(page.getByTestId('present')).toBeVisible();
  await page.getByTestId('present').click();
  await expect(presenter()).toBeVisible();
  await page.getByTestId('present-exit').click();
  await expect(presenter()).toBeHidden();
});

test('axe-core in the dark theme: nothing serious in the presenter view (notes, class panel open) nor the audience view, which takes the theme', async () => {
  const theme = page.getByLabel('Theme');
  const before = await theme.inputValue();
  await theme.selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.keyboard.press('F5');
  await expect(presenter()).toBeVisible();
  await page.getByTestId('presenter').focus();
  // a checkpoint slide (explanation, notes and the next checkpoint showing), wherever presenting resumed
  for (const key of ['PageUp', 'PageUp', 'PageDown']) await page.keyboard.press(key);
  await expect(page.getByTestId('slide-name')).toHaveText('Timer last');
  await page.getByTestId('present-class').click(); // the class panel too: closed (interface list, hint), then open (URL, QR code)
  await expect(page.getByTestId('class-open')).toBeVisible();
  expect(await axeSerious(page, { experimental: true }), 'presenter, dark').toEqual([]);
  await page.getByTestId('class-host').selectOption('127.0.0.1');
  await page.getByTestId('class-open').click();
  await expect(page.getByRole('img', { name: /QR code of the join URL/ })).toBeVisible();
  expect(await axeSerious(page, { experimental: true }), 'presenter, dark, class session open').toEqual([]);
  await page.screenshot({ path: `${SCREENSHOTS}/present-dark.png` });
  await page.getByTestId('class-close').click();
  // The audience window takes the presenter's theme (one look on the laptop and the projector).
  await audienceFollows();
  await expect(audience.locator('html')).toHaveAttribute('data-theme', 'dark');
  await audience.screenshot({ path: `${SCREENSHOTS}/audience-dark.png` });
  expect(await axeSerious(audience, { experimental: true }), 'audience, dark').toEqual([]);
  await page.getByTestId('present-class').click();
  await page.getByTestId('present-exit').click();
  await expect(presenter()).toBeHidden();
  await theme.selectOption(before);
});

test('live what-if: edit, run again while presenting, compare the console side by side, jump to the first difference', async () => {
  await page.getByTestId('tab-code').click();
  await appendToEditor(page, "\nconsole.log('what if');\n");
  await expect(page.getByTestId('save-state')).toHaveText('Saved');
  await page.keyboard.press('F5');
  await expect(presenter()).toBeVisible();
  await page.getByTestId('present-rerun').click();
  const whatIf = page.getByTestId('what-if');
  await expect(whatIf).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('what-if-summary')).toContainText('The console order changed');
  await expect(page.getByTestId('what-if-after')).toContainText('what if');
  await expect(page.getByTestId('what-if-before')).not.toContainText('what if');
  const jump = page.getByTestId('what-if-jump');
  const step = Number(((await jump.textContent()) ?? '').replace(/\D/g, ''));
  await jump.click();
  expect(await presenterStep()).toBe(step);
  // the first thing the edited run did differently: reach the new line (a top-level statement is a step of its own),
  // whose console.log prints 'what if' next
  await expect(page.getByTestId('present-narration')).toContainText(/Line \d+ of `main\.ts` runs|console\.log/);
  await page.screenshot({ path: `${SCREENSHOTS}/present-what-if.png` });
  await page.getByTestId('present-exit').click();
  await page.getByRole('button', { name: 'Reset to original' }).click();
  await expect(page.getByTestId('edited-badge')).toBeHidden();
});

test('no page errors', () => {
  expect(problems).toEqual([]);
});
