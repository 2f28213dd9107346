/**
 * `loopscope check [lessons-dir]`: checks a lesson library against a fresh runtime host and prints a report.
 * Exit code 0 when every lesson passes (and, for the built-in library, every catalogue row is covered), else 1.
 */
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRuntimeHost } from '../../runtime/host-client.ts';
import { CATALOGUE_ROWS, checkLessons, formatCheckReport, formatLessonResult } from './check.ts';

export async function checkCommand(root: string, options: { verbose?: boolean; only?: readonly string[] } = {}): Promise<number> {
  const runtime = startRuntimeHost();
  try {
    // The app's own library must cover the whole catalogue; a third-party pack need not.
    const builtIn = resolve(root) === resolve(fileURLToPath(new URL('../../../lessons', import.meta.url)));
    const report = await checkLessons(root, runtime, {
      ...(options.only ? { only: options.only } : {}),
      requireRows: builtIn ? CATALOGUE_ROWS : 0,
      onResult: (r) => process.stdout.write(`${formatLessonResult(r, options).join('\n')}\n`),
    });
    const summary = formatCheckReport({ ...report, results: [] }, options).trimStart();
    process.stdout.write(`${summary}\n`);
    if (report.results.length === 0 && report.loadErrors.length === 0) {
      process.stderr.write(`loopscope: no lessons found in ${basename(resolve(root))}\n`);
      return 1;
    }
    return report.ok ? 0 : 1;
  } finally {
    await runtime.dispose();
  }
}
