/**
 * Stepping to every checkpoint of six bundled lessons in browser mode, as a learner does with PageDown, and checking
 * what the stage shows there: the checkpoint's name in the narration, the editor on the marked line (in whichever
 * file), the console up to that point, and the lesson's own facts (a pending timer, a lock's holder and waiters, a
 * worker's lane, a shared cell's value); and shared-array-buffer edited to write a Float64Array with set() and fill(),
 * whose cells show the values the program reads. This spec starts its own browser-mode server on the bundled lessons/ (the
 * config's server serves the fixture lessons); screenshots: test-results/screenshots/checkpoint-<lesson>-<n>.png.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { findCheckpointMarkers } from '../../src/shared/lesson/markers.ts';
import { consoleText, replaceEditorText, SCREENSHOTS, stepCounter, waitForRunEnd, watchedPage } from './support.ts';

test.describe.configure({ mode: 'serial' });
test.setTimeout(180_000);

let page: Page;
let server: ChildProcess;
let url = '';
const problems: string[] = [];

interface Meta {
  files: string[];
  checkpoints: { name: string; marker?: string; consoleLine?: string }[];
}
const meta = (id: string): Meta => JSON.parse(readFileSync(join('lessons', id, 'lesson.json'), 'utf8')) as Meta;

test.beforeAll(async ({ browser }) => {
  const dir = mkdtempSync(join(tmpdir(), 'loopscope-e2e-bundled-'));
  const urlFile = join(dir, 'url.txt');
  // --no-build: the config's web server built the renderer before any test ran
  server = spawn(process.execPath, ['src/server/serve.ts', '--port', '0', '--no-build', '--data-dir', join(dir, 'data'), '--lessons', 'lessons', '--url-file', urlFile], { stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; i < 600 && !existsSync(urlFile); i++) await new Promise((r) => setTimeout(r, 100));
  url = readFileSync(urlFile, 'utf8').trim();
  page = await watchedPage(browser, problems, { viewport: { width: 1600, height: 1000 }, deviceScaleFactor: 1 });
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto(url);
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  // written for the Code layout, where the runtime state is a side tab (a fresh data folder opens the Learn layout)
  await page.getByTestId('layout').selectOption('code');
  await expect(page.getByTestId('app').locator('.panes')).toHaveAttribute('data-layout', 'code');
});

test.afterAll(async () => {
  await page.context().close();
  server.kill();
});

const narration = () => page.getByTestId('last-event');
const lane = (agent: number) => page.locator(`[data-testid="stage-lane"][data-agent="${agent}"]`);
const idle = () => page.evaluate(() => window.__loopscopeIdle!());

/** Opens and runs a bundled lesson, then returns to the first step with the focus on the stage. */
async function runLesson(id: string): Promise<void> {
  await page.locator(`[data-lesson="bundled/${id}"]`).click();
  await expect(page.getByRole('tab', { name: 'Lesson', exact: true })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ControlOrMeta+Enter');
  await waitForRunEnd(page, 120_000);
  await page.getByRole('tab', { name: 'Runtime state' }).click();
  await page.getByTestId('stage').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Home');
}

/**
 * PageDown to the next checkpoint (in step order: with workers it may differ from the lesson's list order); checks
 * the narration names one of the lesson's checkpoints not seen yet and the editor marks its line. Returns its name.
 */
async function nextCheckpoint(id: string, seen: Set<string>): Promise<string> {
  const m = meta(id);
  await page.keyboard.press('PageDown');
  await expect(narration()).toContainText('⚑ ');
  const text = await narration().innerText();
  const cp = m.checkpoints.find((c) => text.startsWith(`⚑ ${c.name}:`) && !seen.has(c.name));
  expect(cp, `narration "${text}" names a checkpoint of ${id} not reached before`).toBeDefined();
  seen.add(cp!.name);
  await idle();
  if (cp!.marker) {
    const files = m.files.filter((f) => /\.ts$/.test(f)).map((path) => ({ path, text: readFileSync(join('lessons', id, path), 'utf8') }));
    const marker = findCheckpointMarkers(files).markers.find((k) => k.id === cp!.marker)!;
    // the marked file's tab is open and the step line is the line under the comment
    await expect(page.getByRole('tab', { name: marker.file, exact: true })).toHaveAttribute('aria-selected', 'true');
    const lineTop = await page.locator('.monaco-editor .loopscope-step-line').boundingBox();
    const numbers = page.locator('.monaco-editor .line-numbers');
    const at = await numbers.evaluateAll((els, top) => els.filter((e) => Math.abs(e.getBoundingClientRect().top - (top ?? -1)) < 3).map((e) => e.textContent?.trim()), lineTop?.y ?? -1);
    expect(at).toEqual([String(marker.line)]);
  } else {
    await expect(consoleText(page)).toContainText(cp!.consoleLine!);
  }
  await page.screenshot({ path: `${SCREENSHOTS}/checkpoint-${id}-${seen.size}.png` });
  return cp!.name;
}

/** Steps through every checkpoint of a lesson in step order, calling `at(name)` at each. */
async function everyCheckpoint(id: string, at: (name: string) => Promise<void> = async () => {}): Promise<void> {
  const seen = new Set<string>();
  for (let i = 0; i < meta(id).checkpoints.length; i++) await at(await nextCheckpoint(id, seen));
}

const stackNames = async (agent = 0): Promise<string[]> => (await lane(agent).locator('[data-testid="call-stack"] li.frame .name').allInnerTexts()).map((s) => s.trim());

test('sync-vs-timeout: the script runs to the end before the timer fires', async () => {
  await runLesson('sync-vs-timeout');
  const seen = new Set<string>();
  await nextCheckpoint('sync-vs-timeout', seen);
  await expect(consoleText(page)).not.toContainText('timeout callback');
  await nextCheckpoint('sync-vs-timeout', seen);
  await expect(lane(0).getByTestId('stage-apis')).toContainText('setTimeout'); // the timer waits in Node's APIs
  await expect(lane(0).getByTestId('stage-apis').getByTestId('card-callback')).toContainText(/→ .+ main\.ts:\d+/); // … naming its callback
  await expect(consoleText(page)).not.toContainText('timeout callback');
  await nextCheckpoint('sync-vs-timeout', seen);
  await expect(consoleText(page)).toContainText('script end');
  await expect(lane(0).getByTestId('stage-apis')).not.toContainText('setTimeout'); // it fired
});

test('promise-all: results in input order, fail-fast, nothing cancelled', async () => {
  await runLesson('promise-all');
  await everyCheckpoint('promise-all');
  await expect(consoleText(page)).toContainText("all fulfilled: [ 'user-1', 'user-2', 'user-3' ]");
  await expect(consoleText(page)).toContainText('all rejected: user 5 not found');
  expect(await stackNames()).toContain('fetchUser'); // the slow request still runs after the rejection
});

test('shared-array-buffer: a worker lane writes memory main reads', async () => {
  await runLesson('shared-array-buffer');
  const shared = () => page.getByTestId('stage-shared');
  const cells = () => shared().getByTestId('shared-cell').locator('.val');
  const writers = () => shared().getByTestId('shared-cell').locator('[data-testid="shared-cell-writer"]');
  await everyCheckpoint('shared-array-buffer', async (name) => {
    if (name === 'Writing from the worker') await expect(lane(1)).toBeVisible();
    // four Int32 cells (the typed view), with the worker's plain writes
    if (name === 'Reading on main') {
      await expect(cells()).toHaveText(['10', '20', '30', '40']);
      // every cell names its last writer: the worker's badge, and the whole story in its accessible name
      await expect(writers()).toHaveText(['✎ w1', '✎ w1', '✎ w1', '✎ w1']);
      await expect(shared().getByRole('listitem', { name: /^\[2\] = 30 · last written by worker 1( \(task \d+\))? at step \d+$/ })).toBeVisible();
    }
    if (name === 'Both directions') {
      await expect(cells()).toHaveText(['99', '20', '30', '40']);
      await expect(writers()).toHaveText(['✎ main', '✎ w1', '✎ w1', '✎ w1']); // main's plain write took cell [0] over
      await expect(shared().getByRole('listitem', { name: /^\[0\] = 99 · last written by main( \(task \d+\))? at step \d+$/ })).toBeVisible();
    }
  });
  await expect(consoleText(page)).toContainText('shared[0] is now 99');
});

test('shared-array-buffer, edited: Float64 cells written by set() and fill() show the values the program reads', async () => {
  // The learner's own variation on the lesson: a Float64Array, written by TypedArray methods, not element by element
  // (typed without indentation: the editor indents as it goes).
  await page.getByRole('tab', { name: 'main.ts', exact: true }).click();
  await replaceEditorText(page, [
    "import { once } from 'node:events';",
    "import { Worker, isMainThread, workerData } from 'node:worker_threads';",
    'if (isMainThread) {',
    'const prices = new Float64Array(new SharedArrayBuffer(4 * Float64Array.BYTES_PER_ELEMENT));',
    'const worker = new Worker(new URL(import.meta.url), { workerData: prices });',
    "await once(worker, 'exit');",
    'prices.fill(-0.5, 3);',
    "console.log(`prices: [${prices.join(', ')}]`);",
    '} else {',
    'const prices = workerData as Float64Array;',
    'prices.set([1.5, 2.25]);',
    'prices.fill(0.125, 2);',
    '}',
    '',
  ].join('\n'));
  await page.keyboard.press('ControlOrMeta+Enter');
  await waitForRunEnd(page, 120_000);
  await expect(consoleText(page)).toContainText('prices: [1.5, 2.25, 0.125, -0.5]');
  await page.getByTestId('stage').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('End');
  const shared = page.getByTestId('stage-shared');
  await expect(shared.locator('.title')).toContainText('prices: Float64Array(4)');
  await expect(shared.getByTestId('shared-cell').locator('.val')).toHaveText(['1.5', '2.25', '0.125', '-0.5']); // not int32s
  await expect(shared.getByTestId('shared-cell').locator('[data-testid="shared-cell-writer"]')).toHaveText(['✎ w1', '✎ w1', '✎ w1', '✎ main']);
  await shared.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENSHOTS}/shared-array-buffer-float64-methods.png` });
});

test('shared-array-buffer, edited: one buffer through an Int32Array and an Int8Array is drawn as both; BigInt64 Atomics keep all their bits', async () => {
  await page.getByRole('tab', { name: 'main.ts', exact: true }).click();
  await replaceEditorText(page, [
    'const sab = new SharedArrayBuffer(8);',
    'const words = new Int32Array(sab);',
    'const bytes = new Int8Array(sab);',
    'Atomics.store(words, 0, 0x01020304);',
    'Atomics.add(bytes, 5, 1);',
    'const bigs = new BigInt64Array(new SharedArrayBuffer(8));',
    'Atomics.add(bigs, 0, 2n ** 53n + 1n);',
    "console.log(`words: ${words.join(' ')} bigs: ${bigs[0]}`);",
    '',
  ].join('\n'));
  await page.keyboard.press('ControlOrMeta+Enter');
  await waitForRunEnd(page, 120_000);
  await expect(consoleText(page)).toContainText('words: 16909060 256 bigs: 9007199254740993');
  await page.getByTestId('stage').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('End');
  const shared = page.getByTestId('stage-shared');
  await expect(shared.locator('.title')).toHaveText([
    /^words: Int32Array\(2\) · SharedArrayBuffer #\d+ · 8 bytes$/, /^bytes: Int8Array\(8\) · same bytes as above \(SharedArrayBuffer #\d+\)$/,
    /^bigs: BigInt64Array\(1\) · SharedArrayBuffer #\d+ · 8 bytes$/,
  ]);
  const rows = shared.getByTestId('shared-buffer');
  await expect(rows.nth(0).locator('.val')).toHaveText(['16909060', '256']);
  await expect(rows.nth(1).locator('.val')).toHaveText(['4', '3', '2', '1', '·', '1', '·', '·']);
  await expect(rows.nth(2).locator('.val')).toHaveText(['9007199254740993n']);
  await shared.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENSHOTS}/shared-memory-views-by-type.png` });
});

test('mutex-race-condition: inside the lock alice’s deposit holds it and bob’s and carol’s wait, named by their calls, and balance shows each write', async () => {
  await runLesson('mutex-race-condition');
  const balance = () => page.getByTestId('stage-values').locator('[data-testid="stage-value"][data-name="balance"] [data-testid="stage-value-now"]');
  await everyCheckpoint('mutex-race-condition', async (name) => {
    // the two other deposits' timers wait, expired (in the timers queue) or not yet (in Node's APIs): timing decides
    if (name === 'A stale write') {
      await expect(lane(0).locator('[data-queue="timers"] li.card, [data-testid="stage-apis"] li.card.timer')).toHaveCount(2);
      await expect(balance()).toHaveText('0');
    }
    if (name === 'The damage') await expect(balance()).toHaveText('100');
    if (name === 'Inside the lock') {
      await expect(balance()).toHaveText('0');
      const locks = page.getByTestId('stage-locks');
      await expect(locks.locator('.lock-title')).toHaveText('mutex · Mutex');
      await expect(locks.locator('.chip.hold')).toHaveCount(1);
      await expect(locks.locator('.chip.hold')).toHaveText("depositSafe('alice', 100)");
      await expect(locks.locator('.chip.hold')).toHaveAttribute('title', /^main\.ts:\d+ · task \d+$/);
      await expect(locks.locator('.chip.wait')).toHaveText(["1. depositSafe('bob', 100)", "2. depositSafe('carol', 100)"]);
    }
    if (name === 'Nothing lost') {
      await expect(balance()).toHaveText('300');
      await expect(page.getByTestId('stage-values').locator('s')).toHaveText(['0', '100', '100', '100', '0', '100', '200']);
    }
  });
  await expect(consoleText(page)).toContainText('with a mutex: balance = 300');
});

test('worker-pool: a worker lane at work, and the replies in order', async () => {
  await runLesson('worker-pool');
  await everyCheckpoint('worker-pool', async (name) => {
    if (name === 'A worker at work') expect(await page.locator('[data-testid="stage-lane"]').count()).toBeGreaterThan(1);
  });
  await expect(consoleText(page)).toContainText('replies in submission order: true');
});

test('atomics: Atomics.add loses nothing, and the cell shows it', async () => {
  await runLesson('atomics');
  await everyCheckpoint('atomics', async (name) => {
    if (name === 'Plain ++ vs Atomics.add') {
      await expect(consoleText(page)).toContainText('Atomics.add: 200000 of 200000');
      // cell [1] is ATOMIC; cell [0] (PLAIN) now shows the plain writes too, and a lucky run may also reach 200000 there
      await expect(page.getByTestId('stage-shared').getByTestId('shared-cell').nth(1).locator('.val')).toHaveText('200000');
    }
  });
  expect((await stepCounter(page)).total).toBeGreaterThan(100_000);
});

test('no page errors', () => {
  expect(problems).toEqual([]);
});
