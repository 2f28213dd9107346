/**
 * End-to-end tests of the whole app in browser mode, in Debian's Chromium (never a downloaded browser): the
 * webServer starts `node src/server/serve.ts` on a fixed port with a fresh temporary data directory and the
 * fixture lessons, and writes the page URL (with its per-start token) to a file the tests read.
 * Screenshots go to test-results/screenshots/ (kept as CI artifacts).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';

const port = Number(process.env['LOOPSCOPE_E2E_PORT'] ?? 4817);
// Evaluated by the runner and again by each worker: the runner's value is inherited through the environment.
process.env['LOOPSCOPE_E2E_DIR'] ??= mkdtempSync(join(tmpdir(), 'loopscope-e2e-'));
const e2eDir = process.env['LOOPSCOPE_E2E_DIR'];

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results/playwright',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1400, height: 860 },
    deviceScaleFactor: 1,
    launchOptions: { executablePath: process.env['LOOPSCOPE_CHROMIUM'] ?? '/usr/bin/chromium', args: CHROMIUM_ARGS },
    trace: 'off',
    screenshot: 'only-on-failure',
  },
  webServer: {
    command: `"${process.execPath}" src/server/serve.ts --port ${port} --data-dir "${join(e2eDir, 'data')}" --lessons test/e2e/fixtures/lessons --url-file "${join(e2eDir, 'url.txt')}"`,
    url: `http://127.0.0.1:${port}/health`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
