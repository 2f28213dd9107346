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
import { checkLessons } from './check.ts';

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
});
