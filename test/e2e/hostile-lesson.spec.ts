/**
 * Lesson content is untrusted (issue 11), proven end to end in browser mode: a hostile lesson folder — a narrative
 * full of raw-HTML tricks, a title with a right-to-left override, code that prints terminal escape sequences — is
 * opened. Its narrative renders inert and nothing navigates; the trust prompt cannot be answered by a synthetic
 * click or restyled by injected CSS; Cancel runs nothing and trusts nothing (the data folder is byte-for-byte
 * unchanged); a compromised page that forges `settings.set` of trusted folders, or asks the server to run the lesson
 * directly, is refused by the server. Only a real Run runs it, and its escape sequences show as text.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { openApp, SCREENSHOTS, waitForRunEnd, watchedPage } from './support.ts';

const e2eDir = process.env['LOOPSCOPE_E2E_DIR']!;
const dataDir = join(e2eDir, 'data');
const hostileRoot = join(e2eDir, 'hostile-folder');
const TITLE = 'E2E hostile \u202Egnp.ts';

const README = [
  '# A perfectly normal lesson',
  '',
  'Try <code>x <img src=x onerror="document.title=\'pwned-img\'"// y',
  '',
  'Press <kbd>K <meta http-equiv=refresh content="0;url=https://evil.example/" ',
  '',
  'Then <pre> <div popover=manual id=p onfocus="document.title=\'pwned-popover\'" autofocus ',
  '',
  '<style>dialog{opacity:0!important;transform:scale(30)} [data-testid=trust-run]{position:fixed;inset:0}</style>',
  '',
  'x <code>a</code><svg onload="document.title=\'pwned-svg\'"><a xlink:href="javascript:alert(1)"><text>t</text></a></svg>',
  '',
  '[run me](javascript:document.title=\'pwned-link\') [token](#token=forged) [docs](https://nodejs.org/api/)',
  '',
  'x <code>a</code><form action="https://evil.example"><button>Run</button></form><iframe srcdoc="<p>frame"></iframe>',
  '',
].join('\n');

const MAIN = [
  String.raw`console.log('\x1b[2J\x1b[H\x1b]0;pwned-title\x07\x1b]52;c;cm0gLXJmIH4=\x07after clear');`,
  String.raw`console.log('\x1b[31mred\x1b[0m');`,
  "console.log('done');",
  '',
].join('\n');

function writeHostileLesson(): string {
  const dir = join(hostileRoot, 'hostile-lesson');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'README.md'), README);
  writeFileSync(join(dir, 'main.ts'), MAIN);
  writeFileSync(
    join(dir, 'lesson.json'),
    JSON.stringify({
      id: 'hostile-lesson',
      title: TITLE,
      summary: 'Looks harmless.',
      level: 'beginner',
      topic: 'event-loop',
      rows: [1],
      entry: 'main.ts',
      files: ['main.ts'],
      expected: { stdout: ['done'] },
      checkpoints: [{ name: 'Done <b>now</b>', consoleLine: 'done', explain: 'It ends. <img src=x onerror="document.title=\'pwned-explain\'">' }],
      quiz: { prompt: 'Type the <img src=x onerror="document.title=\'pwned-quiz\'"> output.', kind: 'type' },
    }),
  );
  return hostileRoot;
}

/** Every file under the data folder with a hash of its bytes. */
function dataSnapshot(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string): void => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full, `${rel}${name}/`);
      else out[`${rel}${name}`] = createHash('sha256').update(readFileSync(full)).digest('hex');
    }
  };
  walk(dataDir, '');
  return out;
}

/** What a compromised page could do: open its own WebSocket with the page's token and send any call. */
function forge(page: Page, call: Record<string, unknown>): Promise<{ ok: boolean; error?: string; value?: unknown }> {
  return page.evaluate(async (c) => {
    const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
    const url = new URL('/ws', location.href);
    url.protocol = 'ws:';
    url.hash = '';
    url.searchParams.set('token', token);
    const ws = new WebSocket(url);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    });
    const answer = new Promise<{ ok: boolean; error?: string; value?: unknown }>((resolve) => {
      ws.onmessage = (e: MessageEvent) => {
        if (typeof e.data !== 'string') return;
        const m = JSON.parse(e.data) as { type: string; id: number; answer: { ok: boolean; error?: string; value?: unknown } };
        if (m.type === 'answer' && m.id === 1) resolve(m.answer);
      };
    });
    ws.send(JSON.stringify({ type: 'call', id: 1, call: c }));
    const a = await answer;
    ws.close();
    return a;
  }, call);
}

test.describe.configure({ mode: 'serial' });

let page: Page;
const problems: string[] = [];
const navigations: string[] = [];
const dialogs: string[] = [];
let key = '';

test.beforeAll(async ({ browser }) => {
  page = await watchedPage(browser, problems);
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await openApp(page);
  page.on('framenavigated', (f) => {
    if (f === page.mainFrame()) navigations.push(f.url());
  });
  const opened = await forge(page, { type: 'lessons.openFolder', path: writeHostileLesson() });
  expect(opened).toMatchObject({ ok: true, value: { added: 1 } });
  const lesson = page.locator('[data-lesson$="/hostile-lesson"]');
  await expect(lesson).toHaveCount(1);
  key = (await lesson.getAttribute('data-lesson'))!;
  await lesson.click();
  await expect(page.getByTestId('lesson-title')).toContainText('E2E hostile');
});

test.afterAll(async () => {
  // leave the other specs' lesson open for them
  await page.locator('[data-lesson="bundled/ordering"]').click();
  await page.waitForTimeout(700); // the settings write (lastLesson) is debounced
});

test('the narrative renders inert: text survives, no element or handler from it does, nothing navigates', async () => {
  await page.getByRole('tab', { name: 'Lesson' }).click();
  const narrative = page.getByTestId('narrative');
  await expect(narrative.getByRole('heading', { name: 'A perfectly normal lesson' })).toBeVisible();
  await expect(narrative).toContainText('Try');
  await expect(narrative).toContainText('run me');
  const found = await narrative.evaluate((host) => {
    const root = host.shadowRoot!;
    return {
      dangerous: [...root.querySelectorAll('img, meta, style, svg, math, iframe, form, button, script, link, [popover], [id], [style], [onerror], [onload], [onfocus]')].map((e) => e.outerHTML),
      tags: [...new Set([...root.querySelectorAll('*')].map((e) => e.localName))].sort(),
      links: [...root.querySelectorAll('a')].map((a) => ({ href: a.getAttribute('href'), target: a.getAttribute('target') })),
    };
  });
  expect(found.dangerous).toEqual([]);
  expect(found.tags.every((t) => ['a', 'article', 'code', 'h1', 'kbd', 'p', 'pre'].includes(t))).toBe(true);
  // only http(s) links survive (the docs link, and URLs in the text that GFM autolinks); none has a target
  expect(found.links).toContainEqual({ href: 'https://nodejs.org/api/', target: null });
  for (const link of found.links) expect(link).toEqual({ href: expect.stringMatching(/^https?:\/\//) as string, target: null });
  // the dropped links are plain text: clicking them does nothing
  await narrative.getByText('token').click();
  await narrative.getByText('run me').click();
  await page.waitForTimeout(1500); // a meta refresh with 0 s would have fired by now
  expect(navigations).toEqual([]);
  expect(dialogs).toEqual([]);
  expect(await page.title()).toBe('Loopscope');
  expect(page.url()).toContain('#token=');
  await page.screenshot({ path: `${SCREENSHOTS}/hostile-01-narrative.png` });
});

test('quiz text is shown as text', async () => {
  await page.getByRole('tab', { name: 'Quiz' }).click();
  await expect(page.getByText('Type the <img src=x onerror="document.title=\'pwned-quiz\'"> output.')).toBeVisible();
  expect(await page.locator('img').count()).toBe(0);
  await page.getByRole('tab', { name: 'Lesson' }).click();
});

test('names show a right-to-left override as a visible marker', async () => {
  await expect(page.getByTestId('lesson-title')).toHaveText('E2E hostile ⟨U+202E⟩gnp.ts');
  await expect(page.locator(`[data-lesson="${key}"]`)).toContainText('⟨U+202E⟩');
});

test('the trust prompt: Cancel has the focus, synthetic clicks and injected CSS do nothing, Cancel runs and trusts nothing', async () => {
  await page.waitForTimeout(700); // let the debounced settings write (lastLesson) land before the snapshot
  const before = dataSnapshot();
  expect(Object.keys(before)).not.toContain('trusted-folders.json');

  await page.getByTestId('narrative').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('ControlOrMeta+Enter');
  const prompt = page.getByTestId('trust-prompt');
  await expect(prompt).toBeVisible();
  await expect(prompt.getByTestId('trust-cancel')).toBeFocused();
  await expect(prompt.getByTestId('trust-title')).toHaveText('E2E hostile ⟨U+202E⟩gnp.ts');
  await expect(prompt.getByTestId('trust-folder')).toHaveText(hostileRoot);
  await expect(prompt.getByTestId('trust-run')).toBeEnabled();

  // script on the page (what content would need) cannot press Run: synthetic events are not a user's
  await prompt.getByTestId('trust-run').evaluate((run) => {
    run.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, button: 0 }));
    run.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, key: 'Enter' }));
    (run as HTMLButtonElement).click();
  });
  await page.waitForTimeout(300);
  await expect(prompt).toBeVisible();

  // a <style> that slipped into the page is refused by the CSP (no nonce), so it cannot hide or stretch the prompt
  const styled = await page.evaluate(async () => {
    const violations: string[] = [];
    document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
    document.body.insertAdjacentHTML('beforeend', '<style>dialog{opacity:0 !important}[data-testid=trust-run]{position:fixed !important;inset:0 !important}</style>');
    await new Promise((r) => setTimeout(r, 100));
    const dialog = document.querySelector('dialog[open]')!;
    const cancel = document.querySelector('[data-testid=trust-cancel]')!.getBoundingClientRect();
    const atCancel = document.elementFromPoint(cancel.x + cancel.width / 2, cancel.y + cancel.height / 2);
    return { opacity: getComputedStyle(dialog).opacity, atCancel: atCancel?.getAttribute('data-testid'), violations };
  });
  expect(styled).toEqual({ opacity: '1', atCancel: 'trust-cancel', violations: ['style-src-elem'] });
  problems.splice(0, problems.length, ...problems.filter((p) => !/Content Security Policy/.test(p))); // the refusal above is logged as an error

  await page.screenshot({ path: `${SCREENSHOTS}/hostile-02-trust-prompt.png` });
  await page.keyboard.press('Enter'); // on Cancel
  await expect(prompt).toBeHidden();
  await page.waitForTimeout(700);
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'idle');
  await expect(page.getByTestId('console-text')).toHaveText('');
  expect(dataSnapshot()).toEqual(before);
});

test('a forged settings.set of trusted folders, and a run asked for directly, are refused by the server', async () => {
  const before = dataSnapshot();
  const forgedTrust = await forge(page, { type: 'settings.set', patch: { trustedFolders: [hostileRoot] } });
  expect(forgedTrust.ok).toBe(false);
  expect(forgedTrust.error).toMatch(/trustedFolders/);
  const run = await forge(page, { type: 'runs.start', runId: 'forged', lesson: key, request: { files: [{ path: 'main.ts', text: MAIN }], entry: 'main.ts', mode: 'function' } });
  expect(run).toEqual({ ok: false, error: `Not run: lessons from ${hostileRoot} have not been trusted. Choose Run when Loopscope asks whether to run them.` });
  // claiming a bundled lesson does not smuggle the hostile code in under another name's files
  const smuggled = await forge(page, { type: 'runs.start', runId: 'smuggled', lesson: 'bundled/ordering', request: { files: [{ path: 'evil.ts', text: MAIN }], entry: 'evil.ts', mode: 'function' } });
  expect(smuggled.error).toMatch(/has no file "evil.ts"/);
  expect(dataSnapshot()).toEqual(before);
  // the page's own Run still asks
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(page.getByTestId('trust-prompt')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('trust-prompt')).toBeHidden();
});

test('a real Run trusts the folder on the server and runs it; its escape sequences show as text', async () => {
  await page.keyboard.press('ControlOrMeta+Enter');
  const prompt = page.getByTestId('trust-prompt');
  await expect(prompt).toBeVisible();
  await prompt.getByTestId('trust-run').click();
  await waitForRunEnd(page);
  await expect(page.getByTestId('console-text')).toContainText('done');
  const rows = page.locator('.xterm-rows');
  await expect(rows).toContainText('␛[2J␛[H␛]0;pwned-title␇␛]52;c;cm0gLXJmIH4=␇after clear');
  await expect(page.locator('.xterm-rows span.xterm-fg-1', { hasText: 'red' })).toHaveCount(1);
  expect(await page.title()).toBe('Loopscope');
  expect(await page.locator('img').count()).toBe(0); // the checkpoint's explanation, if shown, is text too
  expect(JSON.parse(readFileSync(join(dataDir, 'trusted-folders.json'), 'utf8'))).toEqual({ version: 1, folders: [hostileRoot] });
  await page.screenshot({ path: `${SCREENSHOTS}/hostile-03-ran.png` });
});

test('no page errors, dialogs or navigations', () => {
  expect(problems).toEqual([]);
  expect(dialogs).toEqual([]);
  expect(navigations).toEqual([]);
});
