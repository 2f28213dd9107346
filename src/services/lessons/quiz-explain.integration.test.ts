/**
 * The explainer on a real run: the snippet runs in the runtime host, and the feedback for a wrong prediction names
 * the queues and phases the trace recorded.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runHeadless } from '../../runtime/headless.ts';
import { startRuntimeHost } from '../../runtime/host-client.ts';
import { TraceBuilder } from '../../shared/trace/builder.ts';
import { TraceModel } from '../../shared/trace/model.ts';
import { TaskKind } from '../../shared/trace/schema.ts';
import { printedLines, quizFeedback } from '../../shared/lesson/quiz-explain.ts';

const CODE = `console.log('sync');
setTimeout(() => console.log('timeout'), 0);
queueMicrotask(() => console.log('microtask'));
`;

describe('quiz feedback on a real run', () => {
  const runtime = startRuntimeHost();
  afterAll(() => runtime.dispose());

  it('explains a timer predicted before a microtask by the timers phase and the microtask queue', async () => {
    const r = await runHeadless({ files: [{ path: 'main.ts', text: CODE }], entry: 'main.ts', mode: 'function' }, { runtime });
    const builder = new TraceBuilder(r.header);
    for (const b of r.batches) builder.append(b);
    const model = new TraceModel(builder.finish(r.end));
    const printed = printedLines(model);
    expect(printed.map((p) => p.text)).toEqual(r.stdout.trim().split('\n'));
    expect(printed.find((p) => p.text === 'microtask')?.origin?.kind).toBe(TaskKind.Microtask);

    // (no setImmediate here: against setTimeout(0) in a main script its order depends on timing)
    const quiz = { expected: { stdout: ['sync', 'microtask', 'timeout'] }, quiz: { prompt: 'Order', kind: 'order' as const, lines: ['sync', 'microtask', 'timeout'] } };
    const f = quizFeedback(quiz, ['sync', 'timeout', 'microtask'], printed);
    expect(f.correct).toBe(false);
    expect(f.lines.map((l) => l.ok)).toEqual([true, false, false]);
    expect(f.lines[1]!.why).toMatch(/setTimeout callback in the timers phase, after the microtask queues drained/);
    expect(f.lines[2]!.why).toMatch(/queueMicrotask callback.*microtask queue.*after the main script/);
    expect(f.lines[1]!.jumpCursor).toBeGreaterThan(f.lines[2]!.jumpCursor!);
    expect(model.stateAt(f.lines[1]!.jumpCursor!).agents[0]?.currentTask?.kind).toBe(TaskKind.Timeout);
  });
});
