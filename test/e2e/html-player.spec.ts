/**
 * The exported standalone HTML player, opened straight from disk (file://) in Chromium as anyone would after
 * `loopscope run … --format html -o FILE`: it shows the run's output at the end, scrubs back to the start, steps by
 * event and by task with the keyboard (stack, queues, narration and code line follow), plays with Space, and never
 * touches the network; the phase ring follows the loop phase step by step, the timeline strip marks the current step
 * and goes to the step clicked; axe-core finds nothing serious. Screenshot: test-results/screenshots/html-player.png.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { axeSerious, SCREENSHOTS } from './support.ts';

test.describe.configure({ mode: 'serial' });

let page: Page;
let fileUrl = '';
let printed = '';
const problems: string[] = [];

const step = () => page.getByTestId('step');
const narration = () => page.getByTestId('narration');
const consoleOut = () => page.getByTestId('console');
const stackNames = () => page.locator('[data-testid="agent"][data-agent="0"] [data-testid="call-stack"] li').allInnerTexts();
const queue = (name: string) => page.locator(`[data-testid="agent"][data-agent="0"] [data-testid="queue"][data-queue="${name}"]`);

/** Presses `key` until the narration matches `re` (at most `max` times). */
async function stepUntil(key: string, re: RegExp, max = 100): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (re.test(await narration().innerText())) return;
    await page.keyboard.press(key);
  }
  await expect(narration()).toHaveText(re);
}

test.beforeAll(async ({ browser }) => {
  const out = join(mkdtempSync(join(tmpdir(), 'loopscope-html-e2e-')), 'order.html');
  const r = spawnSync(process.execPath, ['bin/loopscope.mjs', 'run', 'test/support/fixtures/cli/order.ts', '--format', 'html', '-o', out], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`export failed (${r.status}): ${r.stderr}`);
  printed = r.stdout;
  fileUrl = pathToFileURL(out).href;
  const context = await browser.newContext({ viewport: { width: 1400, height: 860 }, deviceScaleFactor: 1 });
  page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('request', (req) => {
    if (!req.url().startsWith('file:')) problems.push(`network request: ${req.url()}`);
  });
});

test.afterAll(async () => {
  await page.context().close();
});

test('opens offline at the last step with the run’s whole console output', async () => {
  await page.goto(fileUrl);
  await expect(page).toHaveTitle('order.ts — Loopscope');
  await expect(step()).toHaveText(/^Step (\d+) \/ \1 · /);
  expect(printed).toContain('timer slow\n');
  expect(await consoleOut().textContent()).toBe(printed);
  await expect(page.getByTestId('run-end')).toContainText('completed');
  await expect(narration()).toContainText('The run completed');
  await expect(page.getByRole('tab', { name: 'order.ts' })).toHaveAttribute('aria-selected', 'true');
});

test('Home goes back to before anything ran: no output, empty stack and queues', async () => {
  await page.keyboard.press('Home');
  await expect(step()).toHaveText(/^Step 0 \/ \d+/);
  expect(await consoleOut().textContent()).toBe('');
  await expect(narration()).toHaveText(/Press →/);
  expect(await stackNames()).toEqual([]);
});

test('stepping forward: the stack grows, queues fill and drain, the code line and narration follow', async () => {
  await stepUntil('ArrowRight', /The script `?order\.ts`? starts running/);
  expect(await stackNames()).toEqual(['(main) order.ts']);
  // each top-level statement is a step of its own (the code line moves to it), then console.log is called
  await page.keyboard.press('ArrowRight');
  await expect(narration()).toHaveText(/Line 2 of `?order\.ts`? runs/);
  await page.keyboard.press('ArrowRight');
  await expect(narration()).toHaveText(/Line 3 of `?order\.ts`? runs/);
  await expect(page.locator('.code .ln.current')).toHaveAttribute('data-n', '3');
  await page.keyboard.press('ArrowRight');
  expect(await stackNames()).toEqual(['console.log (Node API)', '(main) order.ts']);
  await page.keyboard.press('ArrowRight');
  await expect(consoleOut()).toHaveText('sync start\n');

  await stepUntil('ArrowRight', /The callback enters the nextTick queue/);
  await expect(queue('nextTick')).toHaveAttribute('data-count', '1');
  await expect(queue('nextTick')).toContainText('nextTick');
  await expect(queue('microtasks')).toHaveAttribute('data-count', '1');
  await expect(queue('check')).toContainText('setImmediate');
  await expect(page.locator('[data-testid="agent"][data-agent="0"] [data-testid="timers"] li')).toHaveCount(2);

  // Shift+→: to the next task, the nextTick callback, which leaves its queue
  await page.keyboard.press('Shift+ArrowRight');
  await expect(narration()).toHaveText(/The nextTick queue is drained first/);
  await expect(queue('nextTick')).toHaveAttribute('data-count', '0');
  await expect(page.getByTestId('current-task')).toContainText('nextTick');
  await expect(consoleOut()).toHaveText('sync start\nraw write without newline|sync end\n');

  await page.keyboard.press('ArrowRight');
  expect(await stackNames()).toEqual(['(anonymous)']);
  await expect(page.locator('.code .ln.current')).toHaveAttribute('data-n', '7');
  await expect(page.locator('.code .ln.current')).toContainText("process.nextTick(() => console.log('tick'));");
  await stepUntil('ArrowRight', /console\.log`? prints “tick”/);
  await expect(consoleOut()).toHaveText(/sync end\ntick\n$/);
  await page.screenshot({ path: `${SCREENSHOTS}/html-player.png` });

  // ← steps back one event: the line printed by that event disappears again
  await page.keyboard.press('ArrowLeft');
  await expect(consoleOut()).toHaveText(/sync end\n$/);
  // Shift+← goes back to the start of the nextTick task
  await page.keyboard.press('Shift+ArrowLeft');
  await expect(narration()).toHaveText(/The nextTick queue is drained first/);
});

test('Space plays to the end and stops; End jumps there too', async () => {
  await page.getByTestId('speed').selectOption('8');
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Space');
  await expect(page.getByTestId('play')).toHaveText(/Pause/);
  await expect(step()).toHaveText(/^Step (\d+) \/ \1 · /, { timeout: 30_000 });
  await expect(page.getByTestId('play')).toHaveText(/Play/);
  expect(await consoleOut().textContent()).toBe(printed);
  await page.keyboard.press('Home');
  await page.keyboard.press('End');
  await expect(step()).toHaveText(/^Step (\d+) \/ \1 · /);
  expect(problems).toEqual([]);
});

const ring = () => page.locator('[data-testid="agent"][data-agent="0"] [data-testid="phase-ring"]');
const stepNumber = async (): Promise<{ at: number; of: number }> => {
  const [, at, of] = /^Step ([\d,]+) \/ ([\d,]+)/.exec((await step().textContent()) ?? '')!;
  return { at: Number(at!.replace(/,/g, '')), of: Number(of!.replace(/,/g, '')) };
};

test('the phase ring follows the loop: main script, then the microtask drain, timers and check as the run steps', async () => {
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowRight');
  await expect(ring()).toHaveAttribute('data-phase', 'main script');
  await expect(ring()).toHaveAttribute('aria-label', 'Event loop phase: main script');
  const seen: string[] = [];
  for (let i = 0; i < 60; i++) {
    const phase = (await ring().getAttribute('data-phase')) ?? '';
    if (seen.at(-1) !== phase) seen.push(phase);
    // the lit arc is the phase named in the middle (never colour alone: its name is marked too)
    if (phase === 'timers' || phase === 'check') await expect(ring().locator('[data-testid="ring-phase"][data-on="true"]')).toHaveText(new RegExp(`^${phase}`)); // (its tooltip follows)
    if ((await stepNumber()).at === (await stepNumber()).of) break;
    await page.keyboard.press('Shift+ArrowRight');
  }
  // nextTick and promise jobs drain after the script; the loop then reaches check (setImmediate) and timers
  expect(seen[0]).toBe('main script');
  expect(seen).toContain('microtasks');
  expect(seen).toContain('check');
  expect(seen).toContain('timers');
  expect(seen.indexOf('check')).toBeLessThan(seen.lastIndexOf('timers')); // the 100 ms timers fire after the immediate
});

test('the timeline strip marks the current step and goes to the step clicked (and dragged to)', async () => {
  const strip = page.getByTestId('timeline-strip');
  await expect(strip).toBeVisible();
  await page.keyboard.press('End');
  const { of } = await stepNumber();
  await expect(strip).toHaveAttribute('aria-valuenow', String(of));
  const plot = strip.locator('.strip-plot');
  const box = (await plot.boundingBox())!;
  expect(box.height).toBeGreaterThan(10);
  for (const fraction of [0.5, 0.1, 0.9]) {
    await plot.click({ position: { x: box.width * fraction, y: box.height / 2 } });
    const { at } = await stepNumber();
    expect(Math.abs(at - fraction * of)).toBeLessThanOrEqual(Math.max(1, of / box.width)); // the step under the pointer
    await expect(strip).toHaveAttribute('aria-valuenow', String(at));
    const marker = (await page.getByTestId('strip-cursor').boundingBox())!;
    expect(Math.abs(marker.x + marker.width / 2 - (box.x + (box.width * at) / of))).toBeLessThanOrEqual(2); // marks that step
  }
  // what the page shows follows the strip: at its very start nothing has printed yet
  await plot.click({ position: { x: 0, y: box.height / 2 } });
  await expect(step()).toHaveText(/^Step 0 \//);
  expect(await consoleOut().textContent()).toBe('');
  // drag: press near the start, release at the end
  await page.mouse.move(box.x + 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.7, box.y + box.height / 2, { steps: 5 });
  await page.mouse.move(box.x + box.width - 1, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  expect((await stepNumber()).at).toBeGreaterThanOrEqual(of - Math.ceil(of / box.width));
  // focused, it is a slider the player's keys move
  await strip.focus();
  await page.keyboard.press('Home');
  await expect(strip).toHaveAttribute('aria-valuenow', '0');
  await page.keyboard.press('ArrowRight');
  await expect(strip).not.toHaveAttribute('aria-valuenow', '0');
  await expect(strip).toHaveAttribute('aria-valuenow', String((await stepNumber()).at));
  await page.screenshot({ path: `${SCREENSHOTS}/html-player-strip.png` });
});

test('axe-core: nothing serious in the player, in light and dark', async () => {
  expect(await axeSerious(page), 'light').toEqual([]);
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await axeSerious(page), 'dark').toEqual([]);
  await page.emulateMedia({ colorScheme: null });
  expect(problems).toEqual([]);
});
