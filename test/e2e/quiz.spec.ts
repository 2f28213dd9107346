/**
 * Predict-the-output, lesson packs and the trust prompt in browser mode, as a learner uses them: type a prediction
 * for a bundled lesson, run it, read the right/wrong marks and the queue/phase explanations, jump the player to a
 * wrong line; import a pack through "Import pack…", see the trust prompt before its first run, order its quiz
 * lines by dragging and with Alt+↑/↓; import a malicious pack and see it refused with nothing written; watch
 * playback pause at a lesson checkpoint. Screenshots: test-results/screenshots/quiz-*.png.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { zipSync, type Zippable } from 'fflate';
import { openApp, SCREENSHOTS, stepCounter, waitForRunEnd, watchedPage } from './support.ts';

test.describe.configure({ mode: 'serial' });

let page: Page;
const problems: string[] = [];
const enc = new TextEncoder();
const dataDir = (): string => join(process.env['LOOPSCOPE_E2E_DIR'] ?? '', 'data');
/** Every path under the data dir's packs folder: "nothing written" means this does not change. */
const packsTree = (): string[] => {
  const root = join(dataDir(), 'packs');
  return existsSync(root) ? readdirSync(root, { recursive: true }).map(String).sort() : [];
};

async function shot(name: string): Promise<void> {
  await page.evaluate(() => window.__loopscopeIdle?.());
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png` });
}

const ORDER_LINES = ['sync start', 'sync end', 'promise', 'timeout'];
function quizPack(id: string): Zippable {
  return {
    [`${id}/lesson.json`]: enc.encode(
      JSON.stringify({
        id,
        title: 'E2E pack: order the lines',
        level: 'beginner',
        topic: 'event-loop',
        rows: [1],
        entry: 'main.ts',
        files: ['main.ts'],
        expected: { stdout: ORDER_LINES },
        checkpoints: [{ name: 'Timer', consoleLine: 'timeout', explain: 'The timer fires after the microtasks.' }],
        quiz: { prompt: 'Put the lines in the order Node prints them.', kind: 'order', lines: ORDER_LINES },
      }),
    ),
    [`${id}/README.md`]: enc.encode('# Order the lines\n\nA timer, a promise and two synchronous logs.\n'),
    [`${id}/main.ts`]: enc.encode("console.log('sync start');\nsetTimeout(() => console.log('timeout'), 0);\nPromise.resolve().then(() => console.log('promise'));\nconsole.log('sync end');\n"),
  };
}

async function importThroughUi(name: string, entries: Zippable): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('pack-import').click();
  await (await chooser).setFiles({ name, mimeType: 'application/zip', buffer: Buffer.from(zipSync(entries)) });
}

const quizTab = () => page.getByRole('tab', { name: 'Quiz' });
const orderedLines = async (): Promise<string[]> => page.getByTestId('quiz-order').locator('[role="option"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-line') ?? ''));

test.beforeAll(async ({ browser }) => {
  page = await watchedPage(browser, problems);
});

test.afterAll(async () => {
  await page.context().close();
});

test('a typed prediction is marked line by line, wrong lines name their queue or phase, and "Show in player" jumps there', async () => {
  await openApp(page);
  await page.locator('[data-lesson="bundled/ordering"]').click();
  await expect(page.getByTestId('lesson-title')).toHaveText('E2E: sync, nextTick, promise, timeout');
  await quizTab().click();
  await expect(page.getByTestId('quiz')).toContainText('Type the output.');
  // Node prints: sync 1, helper ran, sync 2, promise, tick, timeout. The learner expects the timer earlier.
  await page.getByTestId('quiz-typed').fill(['sync 1', 'helper ran', 'sync 2', 'timeout', 'tick', 'promise'].join('\n'));
  await page.getByTestId('quiz-run').click();
  await waitForRunEnd(page);
  await expect(page.getByTestId('quiz')).toHaveAttribute('data-status', 'scored');
  await expect(page.getByTestId('quiz-summary')).toHaveText('4 of 6 lines right.');
  const lines = page.getByTestId('quiz-line');
  await expect(lines).toHaveCount(6);
  expect(await lines.evaluateAll((els) => els.map((e) => e.getAttribute('data-ok')))).toEqual(['true', 'true', 'true', 'false', 'true', 'false']);
  const timeout = lines.nth(3);
  await expect(timeout).toContainText('✗');
  await expect(timeout).toContainText('Printed by a setTimeout callback in the timers phase, after the microtask queues drained');
  await expect(timeout).toContainText('You put it 4th; Node printed it 6th.');
  await expect(lines.nth(5)).toContainText('promise reaction');
  await expect(lines.nth(5)).toContainText('microtask queue');
  await shot('quiz-01-typed-scored');

  const cursor = Number(await timeout.getByTestId('quiz-jump').getAttribute('data-cursor'));
  await timeout.getByTestId('quiz-jump').click();
  await expect(page.getByRole('tab', { name: 'Runtime state' })).toHaveAttribute('aria-selected', 'true');
  await expect.poll(async () => (await stepCounter(page)).cursor).toBe(cursor);
  // the stage shows the timer callback printing, in the timers phase
  await expect(page.getByTestId('last-event')).toContainText('timeout');
  await shot('quiz-02-jumped');
});

test('a malicious pack is refused through "Import pack…" with a clear message, and nothing is written', async () => {
  const before = packsTree();
  const lessonCount = await page.locator('[data-lesson]').count();
  await importThroughUi('evil.zip', { ...quizPack('evil-lesson'), '../../escape.ts': enc.encode('pwned') });
  const message = page.getByTestId('pack-message');
  await expect(message).toHaveAttribute('role', 'alert');
  await expect(message).toContainText('The pack was not imported');
  await expect(message).toContainText('climbs out of the pack with ".."');
  await shot('quiz-03-refused');
  expect(packsTree()).toEqual(before);
  await expect(page.locator('[data-lesson]')).toHaveCount(lessonCount);
  await expect(page.locator('[data-lesson$="/evil-lesson"]')).toHaveCount(0);
  await message.getByRole('button', { name: 'Dismiss' }).click();
});

test('an imported pack asks before its first run (Cancel runs nothing), and its order quiz is taken by dragging and Alt+↑/↓', async () => {
  await importThroughUi('Order Pack.zip', quizPack('order-lines'));
  await expect(page.getByTestId('pack-message')).toContainText('Imported 1 lesson (order-lines)');
  await expect(page.getByTestId('lesson-title')).toHaveText('E2E pack: order the lines');

  // Plain Run first: the trust prompt names the folder; Cancel starts nothing.
  const runsBefore = await page.getByTestId('run-status').getAttribute('data-status');
  await page.keyboard.press('ControlOrMeta+Enter');
  const prompt = page.getByTestId('trust-prompt');
  await expect(prompt).toBeVisible();
  await expect(prompt.getByTestId('trust-folder')).toContainText(join('packs', 'order-pack'));
  await expect(prompt).toContainText("Its code runs in Loopscope's sandbox");
  await shot('quiz-04-trust-prompt');
  await prompt.getByTestId('trust-cancel').click();
  await expect(prompt).toBeHidden();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', runsBefore ?? 'idle');

  await quizTab().click();
  const target = ['sync start', 'sync end', 'timeout', 'promise'];
  const initial = await orderedLines();
  expect([...initial].sort()).toEqual([...ORDER_LINES].sort());
  expect(initial).not.toEqual(ORDER_LINES);
  // Drag the line that belongs first to the top …
  const options = page.getByTestId('quiz-order').locator('[role="option"]');
  const firstAt = initial.indexOf(target[0]!);
  if (firstAt !== 0) await options.nth(firstAt).dragTo(options.nth(0));
  await expect.poll(() => orderedLines().then((l) => l[0])).toBe(target[0]);
  // … and the rest with the keyboard: select a line, Alt+↑ moves it up.
  for (let t = 1; t < target.length; t++) {
    const at = (await orderedLines()).indexOf(target[t]!);
    await options.nth(at).click();
    for (let k = at; k > t; k--) await page.keyboard.press('Alt+ArrowUp');
  }
  expect(await orderedLines()).toEqual(target);
  await shot('quiz-05-ordered');

  await page.getByTestId('quiz-run').click();
  await expect(prompt).toBeVisible();
  await prompt.getByTestId('trust-run').click();
  await waitForRunEnd(page);
  await expect(page.getByTestId('quiz-summary')).toHaveText('2 of 4 lines right.');
  const lines = page.getByTestId('quiz-line');
  expect(await lines.evaluateAll((els) => els.map((e) => e.getAttribute('data-ok')))).toEqual(['true', 'true', 'false', 'false']);
  await expect(lines.nth(2)).toContainText('timers phase');
  await expect(lines.nth(2)).toContainText('You put it before "promise", which Node printed earlier, from a promise reaction');
  await shot('quiz-06-order-scored');

  // Try again, get it right.
  await page.getByTestId('quiz-retry').click();
  for (let t = 0; t < ORDER_LINES.length; t++) {
    const at = (await orderedLines()).indexOf(ORDER_LINES[t]!);
    await options.nth(at).click();
    for (let k = at; k > t; k--) await page.keyboard.press('Alt+ArrowUp');
  }
  await page.getByTestId('quiz-run').click();
  // the folder is trusted now: no prompt
  await waitForRunEnd(page);
  await expect(page.getByTestId('quiz-summary')).toContainText('All 4 lines right');
  await expect(prompt).toBeHidden();
});

test('the trust answer is remembered for the folder after a reload', async () => {
  await page.reload();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('lesson-title')).toHaveText('E2E pack: order the lines');
  await page.keyboard.press('ControlOrMeta+Enter');
  await waitForRunEnd(page);
  await expect(page.getByTestId('trust-prompt')).toBeHidden();
});

test('playback pauses at a lesson checkpoint and shows its explanation', async () => {
  await page.locator('[data-lesson="bundled/ordering"]').click();
  await expect(page.getByTestId('lesson-title')).toHaveText('E2E: sync, nextTick, promise, timeout');
  await page.keyboard.press('ControlOrMeta+Enter');
  await waitForRunEnd(page);
  await page.getByRole('tab', { name: 'Runtime state' }).click();
  await page.getByRole('button', { name: 'First step' }).click();
  await page.getByRole('combobox', { name: 'Speed' }).selectOption('8');
  await page.getByTestId('play').click();
  await expect(page.getByTestId('play')).toHaveAttribute('aria-label', 'Play', { timeout: 30_000 });
  await expect(page.getByTestId('last-event')).toContainText('⚑ Timer last');
  await expect(page.getByText('The timer callback runs after both microtask queues drained.')).toBeVisible();
  const { cursor, total } = await stepCounter(page);
  expect(cursor).toBeLessThan(total);
  await shot('quiz-07-checkpoint-pause');
});

test('no page errors', () => {
  expect(problems).toEqual([]);
});
