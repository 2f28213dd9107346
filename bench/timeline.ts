/**
 * Stage/timeline benchmarks, in browser mode in Debian's Chromium (same setup as the e2e tests):
 * - load: a real ~1M-event trace (recursive fib, traced by the runtime) saved as a Loopscope trace file and loaded
 *   into the page: parse + TraceModel up to the last step + timeline index + first frame of the whole trace;
 * - renderer memory per event after that load, and after a real 1M-event run through the app (GC'd heap, ArrayBuffer
 *   backing stores and embedder memory included, via the DevTools protocol);
 * - pan/zoom: the JS work of each frame while W/S/A/D are held and Ctrl+wheel zooms (p95), and the rAF interval;
 * - seek: the app's cursor moved to random steps of the 1M-event run until the stage and timeline show it (p95);
 * - pan/zoom again on a real run made of short bursts between timer waits, where the timeline draws through a
 *   compressed time axis with a break per wait (every x goes through the axis's display-time mapping).
 * Reduced motion is emulated for seeks so a stage animation does not count as seek time.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { runHeadless } from '../src/runtime/headless.ts';
import { TraceBuilder } from '../src/shared/trace/builder.ts';
import { serializeTrace } from '../src/shared/trace/file.ts';
import { CHROMIUM, CHROMIUM_ARGS, startServer } from './browser-mode.ts';
import type { Figure } from './run.ts';


/** About a million events: two fib(25) (~486k events each) and a fib(20). No braces: typed into Monaco, which
 * would auto-close them. */
const SNIPPET = `const fib = (n: number): number => (n < 2 ? n : fib(n - 1) + fib(n - 2));
fib(25);
fib(25);
fib(20);
console.log('done');
`;

/** Short bursts of calls every 8 ms: ~200 idle gaps the timeline compresses into breaks. No braces (see above). */
const GAPS_SNIPPET = `const fib = (n: number): number => (n < 2 ? n : fib(n - 1) + fib(n - 2));
let ticks = 0;
const timer = setInterval(() => (fib(14), ++ticks === 200 && clearInterval(timer)), 8);
`;

/** A real trace of `text` run by the runtime, as a Loopscope trace file. */
async function traceFile(text: string): Promise<{ file: string; events: number }> {
  const result = await runHeadless({ files: [{ path: 'main.ts', text }], entry: 'main.ts', mode: 'function', limits: { maxEvents: 5_000_000, timeoutMs: 60_000 } });
  const builder = new TraceBuilder(result.header);
  for (const b of result.batches) builder.append(b);
  const trace = builder.finish(result.end);
  return { file: serializeTrace(trace), events: trace.count };
}

/** The page globals this benchmark drives (src/renderer/src/player/bench-hooks.ts, src/renderer/src/app/frame-loop.ts). */
interface BenchWindow {
  __loopscopeIdle(): Promise<void>;
  __loopscopeBench: {
    loadTrace(text: string): { events: number; parseMs: number; modelMs: number; indexMs: number; drawMs: number; totalMs: number; indexBytes: number };
    unload(): void;
    seek(cursor: number): Promise<{ syncMs: number; frameMs: number }>;
    readonly count: number;
    startRecording(): void;
    stopRecording(): { workMs: number[]; frameStartMs: number[]; lastBlocks: number };
  };
}

const pct = (xs: number[], p: number): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};


/** Renderer memory after a full GC: JS heap + ArrayBuffer backing stores + embedder (DOM) heap. */
async function heapBytes(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const u = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; embedderHeapUsedSize?: number; backingStorageSize?: number };
  return u.usedSize + (u.embedderHeapUsedSize ?? 0) + (u.backingStorageSize ?? 0);
}

async function holdKey(page: Page, key: string, ms: number): Promise<void> {
  await page.keyboard.down(key);
  await page.waitForTimeout(ms);
  await page.keyboard.up(key);
}

/**
 * Pans and zooms with held W/S/A/D (continuous animation: one frame per display frame) and with Ctrl+wheel
 * (one frame per wheel event). Returns the JS work of every frame, and the rAF intervals of the held-key gestures
 * only (between wheel events the interval is the input cadence, not the frame rate).
 */
async function panZoom(page: Page): Promise<{ work: number[]; intervals: number[]; blocks: number }> {
  const canvas = page.getByTestId('timeline-canvas');
  await canvas.focus();
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
  const work: number[] = [];
  const intervals: number[] = [];
  let blocks = 0;
  const record = async (gesture: () => Promise<void>, continuous: boolean): Promise<void> => {
    await page.evaluate(() => (globalThis as unknown as BenchWindow).__loopscopeBench.startRecording());
    await gesture();
    const r = await page.evaluate(() => (globalThis as unknown as BenchWindow).__loopscopeBench.stopRecording());
    work.push(...r.workMs);
    blocks = Math.max(blocks, r.lastBlocks);
    if (continuous) for (let i = 2; i < r.frameStartMs.length; i++) intervals.push(r.frameStartMs[i]! - r.frameStartMs[i - 1]!);
  };
  await record(() => holdKey(page, 'w', 1500), true);
  await record(() => holdKey(page, 'd', 800), true);
  await record(() => holdKey(page, 's', 1200), true);
  await record(() => holdKey(page, 'a', 800), true);
  await record(async () => {
    await page.keyboard.down('Control');
    for (let i = 0; i < 30; i++) {
      await page.mouse.wheel(0, i < 15 ? -120 : 120);
      await page.waitForTimeout(20);
    }
    await page.keyboard.up('Control');
  }, false);
  await record(() => holdKey(page, 's', 1500), true); // back out to the whole trace: the most merging
  return { work, intervals, blocks };
}

export async function benchTimeline(): Promise<Figure[]> {
  if (!existsSync(CHROMIUM)) {
    process.stderr.write(`bench timeline: skipped, no Chromium at ${CHROMIUM}\n`);
    return [];
  }
  // A real trace from the runtime, saved as a Loopscope trace file.
  const { file, events } = await traceFile(SNIPPET);
  const gaps = await traceFile(GAPS_SNIPPET);
  process.stderr.write(`bench timeline: ${events.toLocaleString('en-US')} events, trace file ${(file.length / 1e6).toFixed(1)} MB\n`);

  const dir = mkdtempSync(join(tmpdir(), 'loopscope-bench-timeline-'));
  const { proc, url } = await startServer(dir);
  let browser: Browser | null = null;
  const figures: Figure[] = [];
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await page.goto(url);
    await page.getByTestId('app').and(page.locator('[data-ready="true"]')).waitFor({ timeout: 60_000 });
    // written for the Code layout (editor, side tabs, timeline below); a fresh data folder opens the Learn layout
    await page.getByTestId('layout').selectOption('code');
    await page.getByRole('tab', { name: 'Runtime state' }).click();
    await page.waitForFunction(() => '__loopscopeBench' in globalThis && '__loopscopeIdle' in globalThis);

    // ---- load a saved 1M-event trace
    const before = await heapBytes(cdp);
    const load = await page.evaluate((text) => (globalThis as unknown as BenchWindow).__loopscopeBench.loadTrace(text), file);
    await page.evaluate(() => (globalThis as unknown as BenchWindow).__loopscopeIdle());
    const afterLoad = await heapBytes(cdp);
    figures.push(
      { name: 'timeline: trace events (load, seek, memory)', value: load.events, unit: 'events', target: '>= 1000000' },
      { name: 'timeline: load 1M-event trace (parse+model+index+first frame)', value: load.totalMs, unit: 'ms', target: '<= 2000' },
      { name: 'timeline: load · parse trace file', value: load.parseMs, unit: 'ms', target: '' },
      { name: 'timeline: load · model to last step', value: load.modelMs, unit: 'ms', target: '' },
      { name: 'timeline: load · timeline index', value: load.indexMs, unit: 'ms', target: '' },
      { name: 'timeline: load · first frame', value: load.drawMs, unit: 'ms', target: '' },
      { name: 'timeline: timeline index memory per event', value: load.indexBytes / load.events, unit: 'bytes/event', target: '' },
      { name: 'timeline: renderer memory per event (loaded trace)', value: (afterLoad - before) / load.events, unit: 'bytes/event', target: '<= 100' },
    );

    // ---- pan and zoom over the loaded trace (and, for scale, how often this browser gives frames at all)
    const idleIntervals = await page.evaluate(
      () =>
        new Promise<number[]>((resolve) => {
          const g = globalThis as unknown as { requestAnimationFrame(cb: (t: number) => void): number };
          const raf = (cb: (t: number) => void): number => g.requestAnimationFrame(cb);
          const ts: number[] = [];
          const f = (t: number): void => {
            ts.push(t);
            if (ts.length < 150) raf(f);
            else resolve(ts.slice(1).map((x, i) => x - ts[i]!));
          };
          raf(f);
        }),
    );
    const pz = await panZoom(page);
    figures.push(
      { name: 'timeline: pan/zoom frame work p95 (1M events)', value: pct(pz.work, 95), unit: 'ms', target: '<= 16.7' },
      { name: 'timeline: pan/zoom frame work max', value: Math.max(...pz.work), unit: 'ms', target: '' },
      // The interval between frames is set by the display (16.67 ms at 60 Hz, with vsync jitter: compare it with
      // the empty rAF loop below). The frame budget is judged on the work each frame does, and on dropped frames.
      { name: 'timeline: pan/zoom rAF interval p95 (held W/S/A/D)', value: Math.round(pct(pz.intervals, 95) * 10) / 10, unit: 'ms', target: '' },
      { name: 'timeline: pan/zoom frames over 25 ms (dropped)', value: (100 * pz.intervals.filter((d) => d > 25).length) / Math.max(1, pz.intervals.length), unit: '%', target: '<= 1' },
      { name: 'timeline: rAF interval p95 of an empty rAF loop (this browser, for scale)', value: pct(idleIntervals, 95), unit: 'ms', target: '' },
      { name: 'timeline: pan/zoom frames measured', value: pz.work.length, unit: 'frames', target: '' },
      { name: 'timeline: blocks drawn in the last frame of a gesture (max)', value: pz.blocks, unit: 'blocks', target: '' },
    );
    await page.evaluate(() => (globalThis as unknown as BenchWindow).__loopscopeBench.unload());

    // ---- pan and zoom over a trace whose idle gaps are compressed into breaks
    await page.evaluate((text) => (globalThis as unknown as BenchWindow).__loopscopeBench.loadTrace(text), gaps.file);
    await page.evaluate(() => (globalThis as unknown as BenchWindow).__loopscopeIdle());
    const breaks = await page.evaluate(() => (globalThis as unknown as { __loopscopeTimeline: { timeAxis: { breaks: unknown[] } } }).__loopscopeTimeline.timeAxis.breaks.length);
    const gz = await panZoom(page);
    // the same trace and gestures on the linear axis (gaps not compressed), for the cost of the mapping itself
    await page.evaluate(() => (globalThis as unknown as { __loopscopeTimeline: { setCompressGaps(on: boolean): void; fitAll(): void } }).__loopscopeTimeline.setCompressGaps(false));
    await page.evaluate(() => (globalThis as unknown as { __loopscopeTimeline: { fitAll(): void } }).__loopscopeTimeline.fitAll());
    const lz = await panZoom(page);
    figures.push(
      { name: 'timeline: compressed gaps · trace events', value: gaps.events, unit: 'events', target: '' },
      { name: 'timeline: compressed gaps · breaks on the axis', value: breaks, unit: 'breaks', target: '>= 100' },
      { name: 'timeline: compressed gaps · pan/zoom frame work p95', value: pct(gz.work, 95), unit: 'ms', target: '<= 16.7' },
      { name: 'timeline: compressed gaps · pan/zoom frame work max', value: Math.max(...gz.work), unit: 'ms', target: '' },
      { name: 'timeline: same trace, gaps not compressed · pan/zoom frame work p95', value: pct(lz.work, 95), unit: 'ms', target: '' },
    );
    await page.evaluate(() => (globalThis as unknown as BenchWindow).__loopscopeBench.unload());

    // ---- a real 1M-event run through the app, then seeks
    await page.emulateMedia({ reducedMotion: 'reduce' });
    const baseline = await heapBytes(cdp);
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(SNIPPET);
    const t0 = Date.now();
    await page.keyboard.press('ControlOrMeta+Enter');
    await page.locator('[data-testid="run-status"][data-status="running"]').waitFor({ timeout: 30_000 }).catch(() => {});
    await page.locator('[data-testid="run-status"][data-status="ended"]').waitFor({ timeout: 180_000 });
    const printed = await page.getByTestId('console-text').filter({ hasText: 'done' }).waitFor({ state: 'attached', timeout: 30_000 }).then(() => true, () => false);
    if (!printed) throw new Error(`the 1M-event run did not finish in the app: ${await page.getByTestId('console-text').textContent()}`);
    await page.evaluate(() => (globalThis as unknown as BenchWindow).__loopscopeIdle());
    const runMs = Date.now() - t0;
    const liveEvents = await page.evaluate(() => (globalThis as unknown as BenchWindow).__loopscopeBench.count);
    process.stderr.write(`bench timeline: live run of ${liveEvents.toLocaleString('en-US')} events in ${runMs} ms\n`);
    const afterRun = await heapBytes(cdp);
    figures.push(
      { name: 'timeline: 1M-event run, Run → stage and timeline ready (incl. traced execution)', value: runMs, unit: 'ms', target: '' },
      { name: 'timeline: renderer memory per event (live 1M-event run)', value: (afterRun - baseline) / Math.max(1, liveEvents), unit: 'bytes/event', target: '<= 100' },
    );
    const seeks: number[] = [];
    const seekFrames: number[] = [];
    let seed = 42;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const targets = [0, liveEvents, Math.floor(liveEvents / 2), 1, liveEvents - 1, ...Array.from({ length: 40 }, () => Math.floor(rand() * liveEvents))];
    for (const c of targets) {
      const r = await page.evaluate((cursor) => (globalThis as unknown as BenchWindow).__loopscopeBench.seek(cursor), c);
      seeks.push(r.syncMs);
      seekFrames.push(r.frameMs);
    }
    figures.push(
      { name: 'timeline: seek to any step p95 (state + stage + narration, 1M-event run)', value: pct(seeks, 95), unit: 'ms', target: '<= 16' },
      { name: 'timeline: seek to any step max', value: Math.max(...seeks), unit: 'ms', target: '' },
      { name: 'timeline: seek until the next frame has drawn p95', value: pct(seekFrames, 95), unit: 'ms', target: '' },
    );
    await page.getByRole('button', { name: 'Reset to original' }).click().catch(() => {});
  } finally {
    await browser?.close();
    proc.kill();
    await new Promise((r) => setTimeout(r, 200));
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = await benchTimeline();
  for (const f of figures) process.stdout.write(`${JSON.stringify(f)}\n`);
}
