/**
 * `loopscope run … --format html -o FILE`: one self-contained page holding the run's trace and the player, with
 * nothing to fetch; and the app's "Export → Standalone HTML player", which hands the service the own-format trace.
 * (The page in a real browser: test/e2e/html-player.spec.ts.)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AppService } from '../app/app-service.ts';
import { SettingsFile } from '../settings/settings-file.ts';
import { LessonStore } from '../store/lesson-store.ts';
import { consoleText } from '../../shared/trace/console.ts';
import { parseTrace, serializeTrace } from '../../shared/trace/file.ts';
import { EventKind as K } from '../../shared/trace/schema.ts';
import { buildTrace } from '../../shared/trace/test-support.ts';
import { FakeRuntime } from '../../runtime/fake-runtime.test-support.ts';
import { TrustStore } from '../settings/trust-store.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BIN = join(ROOT, 'bin/loopscope.mjs');
const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: ROOT, timeout: 60_000 });

describe('loopscope run --format html', () => {
  it('writes one offline page that embeds the whole trace and the player', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'loopscope-html-')), 'x.html');
    const r = cli('run', 'test/support/fixtures/cli/order.ts', '--format', 'html', '-o', out);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/wrote \d+ events to .*x\.html \(html; completed\)/);
    const html = readFileSync(out, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<title>order.ts — Loopscope</title>');

    const scripts = [...html.matchAll(/<script\b([^>]*)>([^]*?)<\/script>/gi)];
    expect(scripts).toHaveLength(2);
    const [data, player] = scripts;
    expect(data![1]).toContain('type="application/json"');
    const trace = parseTrace(data![2]!);
    expect(trace.header.entry).toBe('order.ts');
    expect(trace.header.files.map((f) => f.path)).toContain('order.ts');
    // the page holds the same output the run printed
    expect(consoleText(trace).stdout).toBe(r.stdout);
    expect(r.stdout).toContain('timer slow\n');

    expect(player![1]!.trim()).toBe('');
    expect(player![2]!.length).toBeGreaterThan(10_000);
    expect(player![2]).toContain('loopscope-trace');
    // offline: no URL to load, and a policy that forbids loading any
    // (the SVG namespace is a name, not a location: the phase ring's elements are created in it)
    expect(html.replaceAll('http://www.w3.org/2000/svg', '')).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/\b(?:src|href)\s*=/i);
    expect(html).toMatch(/Content-Security-Policy" content="default-src 'none'/);
  });

  it('rejects an unknown format and lists html among the formats', () => {
    const r = cli('run', 'test/support/fixtures/cli/order.ts', '--format', 'pdf', '-o', join(tmpdir(), 'never.pdf'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--format must be loopscope, chrome or html, not pdf/);
    expect(r.stderr).toMatch(/--format loopscope\|chrome\|html/);
  });
});

describe('the app service exports html', () => {
  it('wraps the trace the renderer sends in the player page before saving it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'loopscope-html-service-'));
    const saved: { format: string; fileName: string; content: string }[] = [];
    const service = new AppService({
      store: new LessonStore({ bundledRoot: '/b', dataDir, load: async () => ({ lessons: [], problems: [] }) }),
      settings: await SettingsFile.open(dataDir),
      trust: await TrustStore.open(dataDir),
      runtime: new FakeRuntime(),
      pickFolder: async () => null,
      saveExport: async (format, fileName, content) => {
        saved.push({ format, fileName, content });
        return `/exports/${fileName}`;
      },
    });
    const connection = service.connect(() => {});
    const traceText = serializeTrace(buildTrace([[K.AgentStart, 0, -1, 'main', 'main.ts'], [K.Console, 0, '</script> hi']]));
    await expect(connection.handle({ type: 'export', format: 'html', fileName: 'ordering.html', content: traceText })).resolves.toEqual({ savedTo: '/exports/ordering.html' });
    const page = saved[0]!;
    expect(page.format).toBe('html');
    expect(page.content).toContain('<title>ordering — Loopscope</title>');
    const data = /<script type="application\/json" id="loopscope-trace">([^]*?)<\/script>/.exec(page.content)![1]!;
    expect(consoleText(parseTrace(data)).stdout).toBe('</script> hi\n');
    connection.close();
  });
});
