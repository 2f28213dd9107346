/**
 * The authenticity oracle. For every case: plain `node` prints the documented output, and the same snippet run
 * traced through the runtime prints exactly what plain node printed, ends the same way, and its trace says which
 * task (kind and event-loop phase) printed each chosen line.
 *
 * Run: npx vitest run test/conformance
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { LessonFile } from '../../src/shared/run/contract.ts';
import { END_REASON_NAMES, EndReason } from '../../src/shared/trace/schema.ts';
import { changedLines, KIT_IMPORT_CJS, KIT_IMPORT_ESM, toPlainNode } from '../support/kit-substitute.ts';
import { runPlainNode } from '../support/plain-node.ts';
import type { PlainRun } from '../support/plain-node.ts';
import { tracedRunner } from '../support/runtime.ts';
import { consoleLines, decodeBatches, describeTask, dumpEvents, enclosingTask, renderConsole } from '../support/trace-events.ts';
import type { OracleCase } from './case.ts';
import { ALL_CASES } from './cases/index.ts';

const runner = tracedRunner();
afterAll(() => runner.dispose());

function lessonFiles(c: OracleCase): LessonFile[] {
  return [{ path: c.entry, text: c.code }, ...(c.files ?? [])];
}
function plainFiles(c: OracleCase): LessonFile[] {
  return lessonFiles(c).map((f) => ({ path: f.path, text: toPlainNode(f.text) }));
}

const plainRuns = new Map<string, PlainRun>();
async function plain(c: OracleCase): Promise<PlainRun> {
  let run = plainRuns.get(c.name);
  if (!run) {
    run = await runPlainNode(plainFiles(c), c.entry);
    plainRuns.set(c.name, run);
  }
  return run;
}

const names = new Set<string>();
for (const c of ALL_CASES) {
  if (names.has(c.name)) throw new Error(`duplicate case name: ${c.name}`);
  names.add(c.name);
  if ((c.expect === undefined) === (c.allowed === undefined)) throw new Error(`case "${c.name}" needs exactly one of expect / allowed`);
}

describe('conformance oracle', () => {
  it(`has at least 40 cases (has ${ALL_CASES.length})`, () => {
    expect(ALL_CASES.length).toBeGreaterThanOrEqual(40);
  });

  for (const c of ALL_CASES) {
    describe(c.name, () => {
      it('plain node prints the documented output', async () => {
        for (const f of lessonFiles(c)) {
          // The plain twin differs from the lesson only in the kit import line.
          for (const line of changedLines(f.text, toPlainNode(f.text))) expect([KIT_IMPORT_ESM, KIT_IMPORT_CJS]).toContain(line);
        }
        const run = await plain(c);
        const context = `plain node stderr:\n${run.stderr}`;
        if (c.expect !== undefined) expect(run.stdout, context).toBe(c.expect);
        else expect(c.allowed, context).toContain(run.stdout);
        expect(run.exitCode, context).toBe(c.end?.exitCode ?? 0);
        for (const text of c.end?.stderr ?? []) expect(run.stderr).toContain(text);
        if (c.expectStderr !== undefined) expect(run.stderr).toBe(c.expectStderr);
      });

      it('the traced run prints the same, ends the same way, and names the running tasks', async () => {
        const reference = await plain(c);
        const traced = await runner.run(lessonFiles(c), c.entry);
        const events = decodeBatches(traced.batches);
        const context = `traced run ended: ${END_REASON_NAMES[traced.end.reason]} (${traced.end.message})\ntraced stderr:\n${traced.stderr}`;

        if (c.allowed) expect(c.allowed, context).toContain(traced.stdout);
        else expect(traced.stdout, context).toBe(reference.stdout);

        const wantReason = c.end?.reason ?? EndReason.Completed;
        expect(END_REASON_NAMES[traced.end.reason], context).toBe(END_REASON_NAMES[wantReason]);
        expect(traced.end.exitCode, context).toBe(c.end?.exitCode ?? 0);
        for (const text of c.end?.stderr ?? []) expect(traced.stderr, context).toContain(text);
        if (c.expectStderr !== undefined) expect(traced.stderr).toBe(c.expectStderr);

        // What the app shows is the trace: its console events must say what stdout said (one agent: same order).
        const agents = new Set(events.map((e) => e.agent));
        if (agents.size === 1) {
          expect(renderConsole(consoleLines(events), 'stdout'), 'stdout as the trace shows it').toBe(traced.stdout);
        }

        for (const t of c.tasks ?? []) {
          const agent = t.agent ?? 0;
          const matches = consoleLines(events).filter((l) => l.event.agent === agent && l.text === t.line);
          const line = matches[(t.occurrence ?? 1) - 1];
          expect(line, `a Console event "${t.line}" in agent ${agent}`).toBeDefined();
          const task = enclosingTask(events, line!.event);
          expect(task?.describe ?? 'no running task', `the task that printed "${t.line}"\n${dumpEvents(events.filter((e) => e.agent === agent))}`).toBe(
            describeTask(t.kind, t.phase),
          );
        }
        c.check?.(events);
      });
    });
  }
});
