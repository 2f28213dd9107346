/**
 * Every built-in lesson that does not import `@loopscope/kit` is run with plain Node 24, in place —
 * `node lessons/<id>/<entry>`, exactly what lessons/README.md tells an author to run — and must print one of its
 * expected outputs, end the way `expected.exitReason` says, and write each `expected.stderrIncludes` to stderr.
 * This is the fidelity promise checked from the other side: `loopscope check` compares the runtime with the
 * lesson, this compares the lesson with Node.
 *
 * It also pins the lessons README's module statement: lessons/package.json has no "type", so plain node decides
 * each file's module system by its syntax, as the runtime does. Node says so itself: under a package.json without
 * "type" it warns (MODULE_TYPELESS_PACKAGE_JSON) for each file it detected as an ES module, and only for those.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parse } from 'acorn';
import { describe, expect, it } from 'vitest';
import { expectedVariants } from '../../shared/lesson/format.ts';
import { splitOutput } from '../../shared/lesson/diff.ts';
import { stripTypes } from '../../runtime/instrument/strip-types.ts';
import { nodeBinary, type PlainRun } from '../../../test/support/plain-node.ts';
import { loadLessonLibrary } from './load.ts';

const LESSONS = fileURLToPath(new URL('../../../lessons', import.meta.url));
const { lessons } = await loadLessonLibrary(LESSONS);
const plain = lessons.filter((l) => !l.files.some((f) => f.text.includes('@loopscope/kit')));

/** Runs one file with plain node from the repository, as an author would; no inherited NODE_OPTIONS or pool size. */
function runInPlace(dir: string, entry: string): Promise<PlainRun> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, LANG: 'C.UTF-8' };
  return new Promise((resolve, reject) => {
    const child = spawn(nodeBinary(), [entry], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, exitCode, signal });
    });
  });
}

/** Node's detection, restated: a file that does not parse as a script (import/export, import.meta, top-level await). */
function hasModuleSyntax(path: string, text: string): boolean {
  try {
    parse(stripTypes(path, text), { ecmaVersion: 'latest', sourceType: 'script' });
    return false;
  } catch {
    return true;
  }
}
const TYPELESS_WARNING = /MODULE_TYPELESS_PACKAGE_JSON\] Warning: Module type of (file:\/\/\S+) is not specified/g;

describe('built-in lessons under plain Node 24', () => {
  it('covers every lesson that does not need the kit', () => {
    expect(plain.length).toBeGreaterThanOrEqual(30);
    expect(lessons.length - plain.length).toBeLessThanOrEqual(8); // the kit lessons, checked by loopscope check
  });

  for (const loaded of plain) {
    const { lesson } = loaded;
    it(`${lesson.id} prints its expected output`, async () => {
      const run = await runInPlace(loaded.dir, lesson.entry);
      const actual = splitOutput(run.stdout);
      const context = `${lesson.id}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr.slice(0, 2000)}`;
      expect(run.signal, context).toBeNull();
      expect(expectedVariants(lesson.expected).map((v) => [...v]), context).toContainEqual(actual);
      const crashes = lesson.expected.exitReason === 'uncaught error' || lesson.expected.exitReason === 'unhandled rejection';
      if (lesson.expected.exitReason === undefined) expect(run.exitCode, context).toBe(0);
      else if (crashes) expect(run.exitCode, context).toBe(1);
      for (const text of lesson.expected.stderrIncludes ?? []) expect(run.stderr, context).toContain(text);

      // Plain node decided the entry's module system by its syntax, as the runtime does.
      const esmSyntax = hasModuleSyntax(lesson.entry, loaded.files[0]!.text);
      const detectedEsm = [...run.stderr.matchAll(TYPELESS_WARNING)].some((m) => m[1]!.endsWith(`${lesson.id}/${lesson.entry}`));
      expect(detectedEsm, `${lesson.id}: ES module syntax ${esmSyntax}, node detected an ES module ${detectedEsm}`).toBe(esmSyntax);
    });
  }
});
