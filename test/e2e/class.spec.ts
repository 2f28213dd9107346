/**
 * Follow-along class session (issue 13 item 4), in browser mode: off until the presenter opens it; students open
 * the join URL (a separate listener, its own token) in their own browsers and see the presenter's step live, scrub
 * their own copy and snap back; a page without the token is refused; a student's page cannot reach the app's API;
 * the viewer count shows; one click closes it and the students are told. Screenshot: class-follow.png.
 * (Refusal of every non-viewer message and the viewer limit under a flood: src/services/class/class-session.test.ts.)
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import jsQR from 'jsqr';
import { axeSerious, openApp, SCREENSHOTS, watchedPage } from './support.ts';

test.describe.configure({ mode: 'serial' });
let page: Page;
let joinUrl = '';
const students: Page[] = [];
const problems: string[] = [];

test.beforeAll(async ({ browser }) => {
  page = await watchedPage(browser, problems, { viewport: { width: 1280, height: 720 } });
});
test.afterAll(async () => {
  for (const s of students) await s.context().close();
  await page.context().close();
});

const presenterStep = async (): Promise<string> => /Step ([\d,]+)/.exec((await page.getByTestId('present-step').textContent()) ?? '')![1]!.replace(/,/g, '');
async function student(browser: Browser): Promise<Page> {
  const s = await watchedPage(browser, problems, { viewport: { width: 1000, height: 640 } });
  students.push(s);
  await s.goto(joinUrl);
  return s;
}

test('the class session is off until the presenter opens it on a chosen interface', async () => {
  await openApp(page, 'learn');
  await page.getByTestId('lesson-ordering').click();
  await page.keyboard.press('F5');
  await expect(page.getByTestId('slide-counter')).toHaveText('Slide 1 of 3');
  await page.getByTestId('present-class').click();
  await expect(page.getByTestId('class-open')).toBeVisible();
  await expect(page.getByTestId('class-url')).toHaveCount(0);
  await page.getByTestId('class-host').selectOption('127.0.0.1');
  await page.getByTestId('class-open').click();
  joinUrl = await page.getByTestId('class-url').inputValue();
  expect(joinUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#view=follow&join=[\w-]{20,}$/);
  expect(new URL(joinUrl).port).not.toBe(new URL(page.url()).port); // its own listener
  expect(joinUrl).not.toContain(new URLSearchParams(new URL(page.url()).hash.slice(1)).get('token')!); // its own token
});

test('the join URL is also a QR code, as drawn on screen: a QR reader gets exactly the URL', async () => {
  const qr = page.getByRole('img', { name: /QR code of the join URL/ });
  await expect(qr).toBeVisible();
  const box = (await qr.boundingBox())!;
  expect(box.width).toBeGreaterThanOrEqual(200); // big enough to scan off a projector
  // The pixels Chromium drew (a screenshot of the code and its white margin), decoded by the page's own PNG decoder
  // into RGBA for jsQR: what a phone camera pointed at the screen would get.
  const png = await page.getByTestId('class-panel').locator('.qr').screenshot();
  const rgba = await page.evaluate(async (base64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${base64}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    [canvas.width, canvas.height] = [img.width, img.height];
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    return { data: [...ctx.getImageData(0, 0, img.width, img.height).data], width: img.width, height: img.height };
  }, png.toString('base64'));
  expect(jsQR(Uint8ClampedArray.from(rgba.data), rgba.width, rgba.height)?.data).toBe(joinUrl);
});

test('students follow the presenter live; the count shows', async ({ browser }) => {
  const a = await student(browser);
  const b = await student(browser);
  const c = await student(browser);
  await expect(page.getByTestId('class-viewers')).toHaveText('3');
  for (const s of [a, b, c]) await expect(s.getByTestId('follow')).toHaveAttribute('data-step', await presenterStep());
  await page.getByTestId('presenter').focus();
  await page.keyboard.press('PageDown');
  await expect(page.getByTestId('slide-name')).toHaveText('Timer last');
  for (const s of [a, b, c]) {
    await expect(s.getByTestId('follow')).toHaveAttribute('data-step', await presenterStep());
    await expect(s.getByTestId('follow-slide')).toHaveText('Timer last');
  }
  expect(await a.content()).not.toContain('Ask the room'); // speaker notes stay with the presenter
});

test('a student scrubs their own copy, the presenter moves on, the student snaps back', async () => {
  const s = students[0]!;
  await s.getByTestId('follow-scrubber').fill('3');
  await expect(s.getByTestId('follow')).toHaveAttribute('data-following', 'false');
  await expect(s.getByTestId('follow')).toHaveAttribute('data-step', '3');
  await page.keyboard.press('PageDown');
  const now = await presenterStep();
  await expect(s.getByTestId('follow')).toHaveAttribute('data-presenter-step', now);
  await expect(s.getByTestId('follow')).toHaveAttribute('data-step', '3'); // still their own
  await expect(students[1]!.getByTestId('follow')).toHaveAttribute('data-step', now);
  await s.evaluate(() => window.__loopscopeIdle?.());
  await s.screenshot({ path: `${SCREENSHOTS}/class-follow-exploring.png` });
  await s.getByTestId('snap-back').click();
  await expect(s.getByTestId('follow')).toHaveAttribute('data-step', now);
  await s.screenshot({ path: `${SCREENSHOTS}/class-follow.png` });
  expect(await axeSerious(s, { experimental: true })).toEqual([]);
});

test('no token, no session: the page is refused; a student page cannot reach the app API', async ({ browser }) => {
  const bad = await watchedPage(browser, [], {});
  await bad.goto(joinUrl.replace(/join=[\w-]+/, 'join=not-the-token'));
  await expect(bad.getByTestId('follow')).toHaveAttribute('data-status', 'refused');
  const s = students[1]!;
  const probes = await s.evaluate(async () => {
    const health = (await fetch('/health')).status;
    const api = await new Promise<string>((resolve) => {
      const ws = new WebSocket(`ws://${location.host}/ws?token=x`);
      ws.onopen = () => resolve('open');
      ws.onerror = () => resolve('refused');
    });
    return { health, api };
  });
  expect(probes).toEqual({ health: 404, api: 'refused' });
  await bad.context().close();
});

test('one click closes the session; students are told', async () => {
  await page.getByTestId('class-close').click();
  await expect(page.getByTestId('class-open')).toBeVisible();
  for (const s of students) await expect(s.getByTestId('follow-status')).toHaveText('the session has ended');
  await page.screenshot({ path: `${SCREENSHOTS}/class-presenter.png` });
  await page.getByTestId('present-exit').click();
});

test('no page errors', () => {
  expect(problems.filter((p) => !/WebSocket connection to .*(failed|refused)|Failed to load resource/.test(p))).toEqual([]);
});
