/**
 * `loopscope new <id>`: writes a minimal lesson that is valid and passes `loopscope check` as is, so an author
 * starts from green. Refuses a bad id and an existing folder; writes into a temporary folder and renames it into
 * place, so a failure never leaves half a lesson behind.
 */
import { mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { LESSON_ID_RE, MAX_LESSON_ID_LENGTH, type Lesson } from '../../shared/lesson/format.ts';
import { validateLesson } from '../../shared/lesson/lesson-schema.ts';

export class ScaffoldError extends Error {
  override name = 'ScaffoldError';
}

const MAIN_TS = `// A new Loopscope lesson. Change the code, run it, then copy what it prints into lesson.json's "expected".
setTimeout(() => {
  console.log('timer callback');
}, 0);

// @checkpoint sync-log
console.log('synchronous code');
`;

function readme(title: string): string {
  return `# ${title}

## What to notice

The synchronous \`console.log\` prints first; the timer callback waits in the timers queue until the call stack
is empty, even with a delay of 0.

## Why it matters

<!-- Where does this behaviour show up in real code? -->

## The pitfall

<!-- What do people get wrong, and how does the run show it? -->
`;
}

/** Creates `<root>/<id>/` with lesson.json, README.md and main.ts. Returns the new folder's path. */
export async function scaffoldLesson(root: string, id: string): Promise<string> {
  if (!LESSON_ID_RE.test(id) || id.length > MAX_LESSON_ID_LENGTH) {
    throw new ScaffoldError(`"${id}" is not a valid lesson id: use kebab-case (lowercase letters and digits joined by single hyphens, e.g. "promise-all"), at most ${MAX_LESSON_ID_LENGTH} characters`);
  }
  const base = resolve(root);
  const target = join(base, id);
  if (await stat(target).then(() => true, () => false)) throw new ScaffoldError(`a lesson "${id}" already exists at ${target}`);
  await mkdir(base, { recursive: true });

  const title = id.split('-').map((w, i) => (i === 0 ? w[0]!.toUpperCase() + w.slice(1) : w)).join(' ');
  const lesson: Lesson & { $schema: string } = {
    $schema: '../lesson.schema.json',
    id,
    title,
    summary: 'Synchronous code runs to completion before any timer callback.',
    level: 'beginner',
    topic: 'event-loop',
    rows: [],
    entry: 'main.ts',
    files: ['main.ts'],
    expected: { stdout: ['synchronous code', 'timer callback'] },
    checkpoints: [
      { name: 'Synchronous log', marker: 'sync-log', explain: 'The timer is already scheduled, but the script keeps running first.' },
      { name: 'Timer fires', consoleLine: 'timer callback', explain: 'The stack is empty, so the event loop takes the callback from the timers queue.' },
    ],
    quiz: { prompt: 'In which order are the two lines printed?', kind: 'order', lines: ['synchronous code', 'timer callback'] },
  };
  validateLesson(lesson, ['main.ts'], { folder: id }); // the template itself must stay valid

  const temp = await mkdtemp(join(base, `.${id}-`));
  try {
    await writeFile(join(temp, 'lesson.json'), `${JSON.stringify(lesson, null, 2)}\n`, { flag: 'wx' });
    await writeFile(join(temp, 'README.md'), readme(title), { flag: 'wx' });
    await writeFile(join(temp, 'main.ts'), MAIN_TS, { flag: 'wx' });
    if (await stat(target).then(() => true, () => false)) throw new ScaffoldError(`a lesson "${id}" already exists at ${target}`);
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { recursive: true, force: true });
    throw err;
  }
  return target;
}
