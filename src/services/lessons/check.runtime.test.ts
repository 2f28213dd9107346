/**
 * The checker against the real runtime host: a few built-in lessons pass (markers, anyOf, an expected crash),
 * and a copy whose expected output drifted fails with a diff. The whole library is checked by
 * `npm run check:lessons`.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../runtime/api.ts';
import { startRuntimeHost } from '../../runtime/host-client.ts';
import { makeTempDir, removeTempDir } from '../../../test/support/temp-dir.ts';
import { checkLessons, formatCheckReport } from './check.ts';
import { writeLesson } from './fixtures.test-support.ts';

const LESSONS = fileURLToPath(new URL('../../../lessons', import.meta.url));
let runtime: Runtime;
let temp: string;

beforeAll(() => {
  runtime = startRuntimeHost();
  temp = makeTempDir('check-runtime');
});
afterAll(async () => {
  await runtime.dispose();
  removeTempDir(temp);
});

describe('checkLessons with the runtime host', () => {
  it('passes built-in lessons with markers, racy output and an expected crash', async () => {
    const report = await checkLessons(LESSONS, runtime, { only: ['sync-vs-timeout', 'event-loop-phases', 'unhandled-rejections'] });
    expect(report.results.map((r) => [r.id, r.ok, r.problems])).toEqual([
      ['sync-vs-timeout', true, []],
      ['event-loop-phases', true, []],
      ['unhandled-rejections', true, []],
    ]);
    expect(report.results[0]?.checkpoints.every((c) => c.ok)).toBe(true);
  });

  it('runs and passes the lessons that need more of Node (http, streams, crypto\'s thread pool, event-loop delay)', { timeout: 120_000 }, async () => {
    const needing = ['libuv-thread-pool', 'measuring-event-loop', 'streams-backpressure', 'http-loopback'];
    const report = await checkLessons(LESSONS, runtime, { only: needing });
    expect(report.results.map((r) => [r.id, r.ok, r.problems])).toEqual(needing.map((id) => [id, true, []]));
    expect(formatCheckReport(report)).toMatch(/4 passed, 0 failed/);
  });

  it('fails a lesson whose expected output drifted, with a diff', async () => {
    cpSync(join(LESSONS, 'sync-vs-timeout'), join(temp, 'sync-vs-timeout'), { recursive: true });
    const metaPath = join(temp, 'sync-vs-timeout', 'lesson.json');
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as { expected: { stdout: string[] }; quiz: unknown; checkpoints: { consoleLine?: string }[] };
    meta.expected.stdout = ['script start', 'timeout callback', 'hello, Ada', 'hello, Grace', 'script end'];
    writeFileSync(metaPath, JSON.stringify({ ...meta, quiz: { prompt: '?', kind: 'type' } }));
    const report = await checkLessons(temp, runtime);
    const result = report.results[0]!;
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual(['the console output differs from expected.stdout']);
    expect(result.diff?.filter((l) => l.op !== ' ').map((l) => `${l.op} ${l.text}`)).toEqual(['- timeout callback', '+ timeout callback']);
  });

  it('verifies checkpoint expectations against the state at the checkpoint, and reports each one that does not hold', async () => {
    const root = join(temp, 'expectations');
    const checkpoints = (expectAtSchedule: Record<string, unknown>) => ({
      checkpoints: [
        { name: 'Schedule', marker: 'schedule', explain: 'The timer is about to be scheduled.', expect: expectAtSchedule },
        { name: 'Fires', consoleLine: 'timer', explain: 'The timer runs.', expect: { console: ['sync', 'timer'], pendingTimers: 0, stack: ['(anonymous)', 'console.log'] } },
      ],
    });
    writeLesson(root, 'holds', checkpoints({ pendingTimers: 0, console: [], queues: { timers: 0 } }));
    writeLesson(root, 'drifts', checkpoints({ pendingTimers: 1, console: ['sync'] }));
    const report = await checkLessons(root, runtime);
    const [drifts, holds] = report.results;
    expect(holds!.problems).toEqual([]);
    expect(holds!.expectations).toMatchObject({ checkpoints: 2, withExpectations: 2, expectations: 6, held: 6 });
    expect(drifts!.ok).toBe(false);
    expect(drifts!.problems).toEqual([
      expect.stringMatching(/^checkpoint "Schedule" \(step \d+\): the main thread's pending timers: expected 1, the stage shows 0$/),
      expect.stringMatching(/^checkpoint "Schedule" \(step \d+\): console so far: expected \["sync"\], the stage shows \[\]$/),
    ]);
    expect(formatCheckReport(report)).toContain('checkpoints: 4/4 carry expectations, 9 expectations hold (2 of 11 do not)');
  });
});
