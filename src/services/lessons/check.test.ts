import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunEnd, RunRequest, RunSink } from '../../shared/run/contract.ts';
import { EndReason, EventKind, HOST_FRAMES, type Frame, type TraceHeader } from '../../shared/trace/schema.ts';
import type { Runtime } from '../../runtime/api.ts';
import { makeTempDir, removeTempDir } from '../../../test/support/temp-dir.ts';
import { checkLessons, formatCheckReport } from './check.ts';
import { writeLesson } from './fixtures.test-support.ts';

/** What the fake runtime does for a request: print lines, reach statements, end some way. */
interface FakeRun {
  stdout?: string[];
  stderr?: string[];
  /** file:line of statements the run reached (statement mode only, as the real runtime). */
  reached?: string[];
  end?: Partial<RunEnd>;
  throws?: string;
}

/** A Runtime that answers from a script, emitting real trace batches (header, Statement and Console events). */
function fakeRuntime(script: (request: RunRequest) => FakeRun): Runtime & { requests: RunRequest[] } {
  const requests: RunRequest[] = [];
  return {
    requests,
    run(request: RunRequest, sink: RunSink) {
      requests.push(request);
      const plan = script(request);
      if (plan.throws) throw new Error(plan.throws);
      const frames: Frame[] = HOST_FRAMES.map((name, id) => ({ id, kind: 'host', name, file: '', line: 0, column: 0, endLine: 0, endColumn: 0 }));
      const ints: number[] = [];
      const strings: string[] = [];
      const str = (s: string): number => strings.push(s) - 1;
      // The real runtime has a frame for every statement of the code, reached or not.
      for (const f of request.files) {
        f.text.split('\n').forEach((_, i) => frames.push({ id: frames.length, kind: 'statement', name: '', file: f.path, line: i + 1, column: 1, endLine: i + 1, endColumn: 2 }));
      }
      if (request.mode === 'statement') {
        for (const at of plan.reached ?? []) {
          const frame = frames.find((f) => `${f.file}:${f.line}` === at);
          if (frame) ints.push(EventKind.Statement, frame.id);
        }
      }
      for (const line of plan.stdout ?? []) ints.push(EventKind.Console, 0, str(line));
      for (const line of plan.stderr ?? []) ints.push(EventKind.Console, 1, str(line));
      const header: TraceHeader = { version: 1, runId: 'fake', mode: request.mode, startedAtMs: 0, frames, files: request.files, entry: request.entry };
      const end: RunEnd = { reason: EndReason.Completed, message: 'completed', exitCode: 0, events: ints.length, durationMs: 1, ...plan.end };
      sink.onHeader(header);
      sink.onBatch({ agent: 0, ints: Int32Array.from(ints), strings });
      sink.onEnd(end);
      return { runId: 'fake', stop() {}, done: Promise.resolve(end) };
    },
    onCrash: () => () => {},
    dispose: async () => {},
  };
}

let root: string;
beforeEach(() => {
  root = makeTempDir('check');
});
afterEach(() => removeTempDir(root));

describe('checkLessons', () => {
  it('passes a lesson whose output, end and checkpoints match, running it in statement mode for markers', async () => {
    writeLesson(root, 'good');
    const runtime = fakeRuntime(() => ({ stdout: ['sync', 'timer'], reached: ['main.ts:2', 'main.ts:3'] }));
    const report = await checkLessons(root, runtime);
    expect(report.ok).toBe(true);
    expect(report.results[0]?.checkpoints.map((c) => c.ok)).toEqual([true, true]);
    expect(runtime.requests[0]).toMatchObject({ entry: 'main.ts', mode: 'statement' });
    expect(formatCheckReport(report)).toMatch(/✓ good \(row 1\)[\s\S]*1 passed, 0 failed/);
  });

  it('fails with a diff when the output drifts', async () => {
    writeLesson(root, 'drifted');
    const report = await checkLessons(root, fakeRuntime(() => ({ stdout: ['timer', 'sync'], reached: ['main.ts:2'] })));
    const r = report.results[0]!;
    expect(r.ok).toBe(false);
    expect(r.problems).toContain('the console output differs from expected.stdout');
    expect(r.diff?.map((l) => `${l.op} ${l.text}`)).toEqual(['- sync', '  timer', '+ sync']);
    expect(formatCheckReport(report)).toMatch(/✗ drifted[\s\S]*expected \(-\) vs actual \(\+\):\n {6}- sync\n {6} {2}timer\n {6}\+ sync[\s\S]*0 passed, 1 failed/);
  });

  it('accepts any of the anyOf outputs', async () => {
    writeLesson(root, 'racy', { expected: { anyOf: [['sync', 'timer'], ['timer', 'sync']] }, quiz: { prompt: '?', kind: 'type' } });
    for (const stdout of [['sync', 'timer'], ['timer', 'sync']]) {
      const report = await checkLessons(root, fakeRuntime(() => ({ stdout, reached: ['main.ts:2'] })));
      expect(report.ok).toBe(true);
    }
    const bad = await checkLessons(root, fakeRuntime(() => ({ stdout: ['sync'], reached: ['main.ts:2'] })));
    expect(bad.results[0]?.problems[0]).toMatch(/matches none of the 2 accepted outputs/);
  });

  it('checks how the run ended and what it wrote to stderr', async () => {
    writeLesson(root, 'crashes', { expected: { stdout: ['sync', 'timer'], exitReason: 'uncaught error', stderrIncludes: ['Error: boom'] } });
    const completed = await checkLessons(root, fakeRuntime(() => ({ stdout: ['sync', 'timer'], reached: ['main.ts:2'] })));
    expect(completed.results[0]?.problems).toEqual([
      'expected the run to end with "uncaught error", but it ended with "completed": completed',
      'stderr does not contain "Error: boom" (stderr is empty)',
    ]);
    const crashed = await checkLessons(root, fakeRuntime(() => ({ stdout: ['sync', 'timer'], stderr: ['Error: boom', '    at main.ts:3'], reached: ['main.ts:2'], end: { reason: EndReason.UncaughtError, exitCode: 1 } })));
    expect(crashed.ok).toBe(true);
  });

  it('fails a lesson that fails without saying it should', async () => {
    writeLesson(root, 'timeouts');
    const report = await checkLessons(root, fakeRuntime(() => ({ stdout: ['sync', 'timer'], reached: ['main.ts:2'], end: { reason: EndReason.Timeout, exitCode: 1, message: 'Stopped after 10000 ms' } })));
    expect(report.results[0]?.problems).toEqual(['the run failed with "time limit": Stopped after 10000 ms']);
  });

  it('accepts process.exit(0) as a normal end', async () => {
    writeLesson(root, 'exits');
    const report = await checkLessons(root, fakeRuntime(() => ({ stdout: ['sync', 'timer'], reached: ['main.ts:2'], end: { reason: EndReason.ProcessExit, exitCode: 0 } })));
    expect(report.ok).toBe(true);
  });

  it('fails checkpoints that never resolve to a step', async () => {
    writeLesson(root, 'unreached', { expected: { stdout: ['sync', 'timer', 'extra'] } });
    const report = await checkLessons(root, fakeRuntime(() => ({ stdout: ['sync', 'extra'] })));
    const problems = report.results[0]?.problems ?? [];
    expect(problems).toContain('checkpoint "Schedule": marker "schedule" at main.ts:2 was never reached in the run');
    expect(problems).toContain('checkpoint "Fires": the run never printed "timer"');
  });

  it('runs lessons without markers in function mode', async () => {
    writeLesson(root, 'console-only', { checkpoints: [{ name: 'Fires', consoleLine: 'timer', explain: 'x' }] });
    writeFileSync(join(root, 'console-only', 'main.ts'), "setTimeout(() => console.log('timer'), 0);\nconsole.log('sync');\n");
    const runtime = fakeRuntime(() => ({ stdout: ['sync', 'timer'] }));
    expect((await checkLessons(root, runtime)).ok).toBe(true);
    expect(runtime.requests[0]?.mode).toBe('function');
  });

  it('reports a broken lesson and a runtime failure without hiding the others', async () => {
    writeLesson(root, 'fine');
    writeLesson(root, 'invalid', { rows: ['one'] });
    writeLesson(root, 'explodes', { rows: [2] });
    const runtime = fakeRuntime((req) => (req.files[0]?.text.includes('explodes') ? { throws: 'host is gone' } : { stdout: ['sync', 'timer'], reached: ['main.ts:2'] }));
    // make the "explodes" lesson distinguishable to the fake runtime
    writeFileSync(join(root, 'explodes', 'main.ts'), `// explodes\n${"// @checkpoint schedule\nsetTimeout(() => console.log('timer'), 0);\nconsole.log('sync');\n"}`);
    const report = await checkLessons(root, runtime, { requireRows: 3 });
    expect(report.results.map((r) => [r.id, r.ok])).toEqual([['fine', true], ['explodes', false]]);
    expect(report.results[1]?.problems[0]).toBe('the runtime could not run it: host is gone');
    expect(report.loadErrors[0]?.message).toMatch(/invalid\/lesson.json: rows\[0\]: must be a catalogue row number/);
    expect(report.uncoveredRows).toEqual([3]);
    expect(report.failed).toBe(2);
    expect(formatCheckReport(report)).toMatch(/1 passed, 2 failed; catalogue rows not covered: 3$/);
  });

  it('runs a lesson that declares requires like any other: every run is real Node, so nothing is probed or skipped', async () => {
    writeLesson(root, 'needs-stream', { requires: ['node:stream', 'node:perf_hooks.monitorEventLoopDelay'] });
    const runtime = fakeRuntime(() => ({ stdout: ['timer', 'sync'], reached: ['main.ts:2'] }));
    const report = await checkLessons(root, runtime);
    expect(runtime.requests.map((r) => r.entry)).toEqual(['main.ts']);
    // Run means checked like any lesson: here the output drifted, so it fails.
    expect(report.results[0]).toMatchObject({ ok: false, problems: ['the console output differs from expected.stdout'] });
    expect(formatCheckReport(report)).toMatch(/0 passed, 1 failed$/);
  });

  it('passes the lesson timeout to the runtime', async () => {
    writeLesson(root, 'slow', { timeoutMs: 3000 });
    const runtime = fakeRuntime(() => ({ stdout: ['sync', 'timer'], reached: ['main.ts:2'] }));
    await checkLessons(root, runtime);
    expect(runtime.requests[0]?.limits).toEqual({ timeoutMs: 3000 });
  });
});
