import { describe, expect, it } from 'vitest';
import { EndReason, ErrorKind, EventKind } from '../trace/schema.ts';
import { failedRunLocation, locateInText } from './error-location.ts';
import { AgentScript, buildScripted, scriptHeader } from './scripted-trace.ts';

const paths = ['main.ts', 'lib/helper.ts'];

describe('where a failed run failed', () => {
  it('takes the first stack frame in a lesson file, skipping Node internals', () => {
    const stack = 'Error: boom\n    at node:internal/x:1:2\n    at boom (/lesson/lib/helper.ts:2:9)\n    at /lesson/main.ts:5:1';
    expect(locateInText(stack, paths, 'Error: boom')).toEqual({ path: 'lib/helper.ts', line: 2, column: 9, message: 'Error: boom' });
    expect(locateInText('at file:///tmp/run/main.ts:7:3', paths, 'x')).toMatchObject({ path: 'main.ts', line: 7, column: 3 });
    expect(locateInText('at /lesson/not-main.ts:7:3', paths, 'x')).toBeNull();
  });

  it("uses the last error event of the run, else a syntax error's message, and nothing for a run that did not fail", () => {
    const end = { reason: EndReason.UncaughtError, message: 'boom', exitCode: 1, events: 0, durationMs: 1 } as const;
    const script = new AgentScript(0).time(0).ev(EventKind.RunStart, 0)
      .ev(EventKind.Error, ErrorKind.Uncaught, 'boom', 'Error: boom\n    at f (/lesson/main.ts:3:11)').flush();
    const trace = buildScripted(scriptHeader(), script.batches, null);
    expect(failedRunLocation(trace, end, paths)).toEqual({ path: 'main.ts', line: 3, column: 11, message: 'Error: boom' });
    expect(failedRunLocation(null, { ...end, reason: EndReason.SyntaxError, message: 'SyntaxError: main.ts:1:11 Expression expected' }, paths))
      .toEqual({ path: 'main.ts', line: 1, column: 11, message: 'SyntaxError: main.ts:1:11 Expression expected' });
    expect(failedRunLocation(trace, { ...end, reason: EndReason.Completed }, paths)).toBeNull();
  });
});
