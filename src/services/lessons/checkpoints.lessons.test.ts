/**
 * One checkpoint resolver: for every bundled lesson, `loopscope check` and the app place each checkpoint on the
 * same step of the same run. The CLI side is checkLessons (the lesson as the loader reads it); the app side is the
 * lesson as LessonStore.open hands it to the renderer (extras and files), the trace built from the run's batches
 * as the run store builds it, and the player's resolveCheckpoints.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { HeadlessResult } from '../../runtime/api.ts';
import { runHeadless } from '../../runtime/headless.ts';
import { startRuntimeHost } from '../../runtime/host-client.ts';
import type { LessonFile } from '../../shared/run/contract.ts';
import { checkpointSpecs, resolveCheckpoints } from '../../shared/scene/checkpoints.ts';
import { TraceBuilder } from '../../shared/trace/builder.ts';
import { LessonStore } from '../store/lesson-store.ts';
import { loadLibrary } from '../store/library.ts';
import { checkLessons } from './check.ts';

const LESSONS = fileURLToPath(new URL('../../../lessons', import.meta.url));

describe('checkpoints of every lesson', () => {
  const runtime = startRuntimeHost();
  afterAll(() => runtime.dispose());

  it('resolve to the same steps in loopscope check and in the app', async () => {
    const runs = new Map<readonly LessonFile[], HeadlessResult>();
    const report = await checkLessons(LESSONS, runtime, {
      run: async (request, rt) => {
        const result = await runHeadless(request, { runtime: rt });
        runs.set(request.files, result);
        return result;
      },
    });
    expect(report.results.length).toBeGreaterThan(0);

    const store = new LessonStore({ bundledRoot: LESSONS, dataDir: mkdtempSync(join(tmpdir(), 'loopscope-checkpoints-')), load: loadLibrary });
    const { lessons } = await store.list();
    const withCheckpoints = report.results.filter((r) => r.checkpoints.length > 0);
    expect(withCheckpoints.length).toBeGreaterThan(0);
    for (const result of withCheckpoints) {
      const summary = lessons.find((l) => l.id === result.id);
      expect(summary, result.id).toBeDefined();
      const detail = await store.open(summary!.key);
      const run = [...runs].find(([files]) => files.length === detail.files.length && files.every((f, i) => f.path === detail.files[i]!.path && f.text === detail.files[i]!.text))?.[1];
      expect(run, `the run of ${result.id}`).toBeDefined();
      const builder = new TraceBuilder(run!.header);
      for (const b of run!.batches) builder.append(b);
      const trace = builder.finish(run!.end);

      const app = resolveCheckpoints(trace, checkpointSpecs(detail.extras), detail.files).map((c) => `${c.name} @ ${c.cursor}`);
      const cli = result.checkpoints.filter((c) => c.ok).sort((a, b) => a.cursor - b.cursor).map((c) => `${c.name} @ ${c.cursor}`);
      expect(cli, `${result.id}: every checkpoint resolves (${result.checkpoints.map((c) => c.detail).join('; ')})`).toHaveLength(result.checkpoints.length);
      expect(app, result.id).toEqual(cli);
    }
  }, 180_000);
});
