/**
 * App benchmarks, in browser mode in Debian's Chromium (the same setup as the e2e tests):
 * - first paint of the app (and, for context, time until a lesson is open and the editor ready);
 * - warm run-to-first-visible-update: from pressing Run to the first trace batch rendered, from the app's own
 *   performance marks (`loopscope:run-requested` → `loopscope:first-update`), median of 15 runs, each pressed once
 *   the host's next run process is warm (it starts one when a run ends: ~0.2 s here); and the same for 15 runs
 *   pressed back to back, each as soon as the one before ended, whose process is then still starting;
 * - renderer JS heap growth over 20 consecutive runs of a lesson (after GC, via the DevTools protocol).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, startServer } from './browser-mode.ts';
import type { Figure } from './run.ts';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;


async function runOnce(page: Page): Promise<number> {
  await page.evaluate(() => performance.clearMarks());
  await page.getByRole('button', { name: /Run/ }).click();
  await page.locator('[data-status="ended"]').waitFor({ timeout: 30_000 });
  await page.waitForFunction(() => performance.getEntriesByName('loopscope:first-update').length > 0, undefined, { timeout: 5_000 });
  return page.evaluate(() => {
    const start = performance.getEntriesByName('loopscope:run-requested').at(-1)!.startTime;
    const update = performance.getEntriesByName('loopscope:first-update').at(-1)!.startTime;
    return update - start;
  });
}

export async function benchApp(): Promise<Figure[]> {
  if (!existsSync(CHROMIUM)) {
    process.stderr.write(`bench app: skipped, no Chromium at ${CHROMIUM}\n`);
    return [];
  }
  const dir = mkdtempSync(join(tmpdir(), 'loopscope-bench-app-'));
  const { proc, url } = await startServer(dir);
  let browser: Browser | null = null;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1400, height: 860 }, deviceScaleFactor: 1 });

    // First paint: a fresh page load, measured three times (median).
    const paints: number[] = [];
    const ready: number[] = [];
    for (let i = 0; i < 3; i++) {
      const p = await context.newPage();
      const t0 = Date.now();
      await p.goto(url);
      await p.locator('[data-ready="true"]').waitFor({ timeout: 30_000 });
      ready.push(Date.now() - t0);
      paints.push(await p.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? performance.getEntriesByName('first-paint')[0]?.startTime ?? NaN));
      await p.close();
    }

    const page = await context.newPage();
    await page.goto(url);
    await page.locator('[data-ready="true"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-lesson="bundled/ordering"]').click();
    for (let i = 0; i < 3; i++) await runOnce(page); // warm the host, the JIT and the views
    const latencies: number[] = [];
    for (let i = 0; i < 15; i++) {
      await page.waitForTimeout(1000); // the run process the host started when the last run ended is up and waiting
      latencies.push(await runOnce(page));
    }
    const backToBack: number[] = [];
    for (let i = 0; i < 15; i++) backToBack.push(await runOnce(page));

    const cdp = await context.newCDPSession(page);
    const heapUsed = async (): Promise<number> => {
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize;
    };
    const before = await heapUsed();
    for (let i = 0; i < 20; i++) await runOnce(page);
    const after = await heapUsed();

    return [
      { name: 'app first paint (browser mode)', value: median(paints), unit: 'ms', target: '<= 1500' },
      { name: 'app ready: lesson open, editor up', value: median(ready), unit: 'ms', target: '' },
      { name: 'warm run to first visible update (median of 15)', value: median(latencies), unit: 'ms', target: '<= 150' },
      { name: 'warm run to first visible update (max of 15)', value: Math.max(...latencies), unit: 'ms', target: '' },
      { name: 'back-to-back run to first visible update (median of 15; its run process still starting)', value: median(backToBack), unit: 'ms', target: '' },
      { name: 'renderer heap growth over 20 runs', value: (after - before) / (1024 * 1024), unit: 'MB', target: '< 10' },
    ];
  } finally {
    await browser?.close();
    proc.kill('SIGTERM');
    await new Promise((r) => (proc.exitCode !== null ? r(null) : proc.once('exit', r)));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  for (const f of await benchApp()) console.log(JSON.stringify(f));
}
