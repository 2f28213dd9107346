/** Test-only helpers: write small valid lessons (and variations) into a temporary library. */
import { join } from 'node:path';
import { writeFiles } from '../../../test/support/temp-dir.ts';

export function lessonJson(id: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    id,
    title: `Lesson ${id}`,
    level: 'beginner',
    topic: 'event-loop',
    rows: [1],
    entry: 'main.ts',
    files: ['main.ts'],
    expected: { stdout: ['sync', 'timer'] },
    checkpoints: [
      { name: 'Schedule', marker: 'schedule', explain: 'The timer is scheduled.' },
      { name: 'Fires', consoleLine: 'timer', explain: 'The timer runs.' },
    ],
    quiz: { prompt: 'Order?', kind: 'order', lines: ['sync', 'timer'] },
    ...extra,
  });
}
export const MAIN_TS = "// @checkpoint schedule\nsetTimeout(() => console.log('timer'), 0);\nconsole.log('sync');\n";

export function writeLesson(root: string, id: string, extra: Record<string, unknown> = {}, files: { path: string; text: string }[] = []): string {
  writeFiles(root, [
    { path: `${id}/lesson.json`, text: lessonJson(id, extra) },
    { path: `${id}/README.md`, text: `# ${id}\n\nWhat to notice.\n` },
    { path: `${id}/main.ts`, text: MAIN_TS },
    ...files.map((f) => ({ path: `${id}/${f.path}`, text: f.text })),
  ]);
  return join(root, id);
}

