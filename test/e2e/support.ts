/** Helpers for the browser-mode end-to-end tests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Browser, type BrowserContextOptions, type Page } from '@playwright/test';

export const SCREENSHOTS = 'test-results/screenshots';

/** A page in a fresh context that records page errors and console errors into `problems`. */
export async function watchedPage(browser: Browser, problems: string[], options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
  });
  return page;
}

/** The page URL the server printed (token included). */
export function appUrl(): string {
  const dir = process.env['LOOPSCOPE_E2E_DIR'];
  if (!dir) throw new Error('LOOPSCOPE_E2E_DIR is not set (run through playwright.config.ts)');
  return readFileSync(join(dir, 'url.txt'), 'utf8').trim();
}

/**
 * Opens the app and waits for the app's own ready hook (settings read, lessons listed, a lesson open), in the
 * given layout (remembered in the settings the specs share, so it is set every time). The suites written before
 * the Learn layout existed drive the Code layout, where the runtime state is a side tab.
 */
export async function openApp(page: Page, layout: 'learn' | 'code' = 'code'): Promise<void> {
  await page.goto(appUrl());
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  if ((await page.getByTestId('layout').inputValue()) !== layout) await page.getByTestId('layout').selectOption(layout);
  await expect(page.getByTestId('app').locator('.panes')).toHaveAttribute('data-layout', layout);
}

export function consoleText(page: Page) {
  return page.getByTestId('console-text');
}

/** Replaces the whole text of the active editor tab by typing (like a learner would). */
export async function replaceEditorText(page: Page, text: string): Promise<void> {
  await page.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  // Monaco auto-closes brackets and quotes while typing; insertText types the text as is.
  await page.keyboard.insertText(text);
}

export async function appendToEditor(page: Page, text: string): Promise<void> {
  await page.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.insertText(text);
}

export async function editorText(page: Page): Promise<string> {
  // Monaco renders non-breaking spaces in view lines.
  const text = await page.locator('.monaco-editor .view-lines').first().innerText();
  return text.replace(/\u00a0/g, ' ');
}

export async function waitForRunEnd(page: Page, timeoutMs = 30_000): Promise<void> {
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'ended', { timeout: timeoutMs });
}

export async function stepCounter(page: Page): Promise<{ cursor: number; total: number }> {
  const text = (await page.getByTestId('step-counter').textContent()) ?? '';
  const m = /Step ([\d,]+) \/ ([\d,]+)/.exec(text);
  if (!m) throw new Error(`unexpected step counter ${JSON.stringify(text)}`);
  return { cursor: Number(m[1]!.replace(/,/g, '')), total: Number(m[2]!.replace(/,/g, '')) };
}

const AXE_SOURCE = readFileSync(join(process.cwd(), 'node_modules/axe-core/axe.min.js'), 'utf8');

export interface AxeFinding {
  readonly id: string;
  readonly impact: string;
  readonly help: string;
  readonly targets: readonly string[];
}

/**
 * Runs axe-core in the page (evaluated through the DevTools protocol, so the app's Content-Security-Policy, which
 * allows no inline script, stays as it is) and returns its serious and critical findings, one line each.
 * `experimental` adds the rules axe ships switched off (label/name mismatch among them).
 */
export async function axeSerious(page: Page, options: { experimental?: boolean } = {}): Promise<string[]> {
  await page.evaluate(() => window.__loopscopeIdle?.());
  const hasAxe = await page.evaluate(() => 'axe' in window);
  if (!hasAxe) await page.evaluate(AXE_SOURCE);
  const findings = await page.evaluate(async (experimental) => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const rules = experimental ? { 'label-content-name-mismatch': { enabled: true } } : {};
    const r = await axe.run(document, { resultTypes: ['violations'], rules });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact ?? '', help: v.help, targets: v.nodes.slice(0, 4).map((n) => String(n.target.join(' '))) }));
  }, options.experimental === true);
  return findings.filter((f: AxeFinding) => f.impact === 'serious' || f.impact === 'critical').map((f: AxeFinding) => `${f.impact} ${f.id}: ${f.help} — ${f.targets.join(' | ')}`);
}
