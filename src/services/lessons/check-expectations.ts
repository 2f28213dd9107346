/**
 * Verifies checkpoint expectations (`"expect"` in lesson.json) for `loopscope check`: the run's batches become the
 * same trace and model the app builds, each checkpoint is resolved with the app's own resolver
 * (src/shared/scene/checkpoints.ts), and every expectation is compared with the model's state at that step — so
 * what the checker accepts is what the stage shows there.
 */
import { TraceBuilder } from '../../shared/trace/builder.ts';
import { TraceModel } from '../../shared/trace/model.ts';
import type { RunEnd } from '../../shared/run/contract.ts';
import type { TraceBatch, TraceHeader } from '../../shared/trace/schema.ts';
import { resolveCheckpoints as resolveInTrace } from '../../shared/scene/checkpoints.ts';
import { expectationCount, unmetExpectations } from '../../shared/lesson/expectations.ts';
import type { LoadedLesson } from './load.ts';

export interface ExpectationSummary {
  readonly checkpoints: number;
  /** Checkpoints that declare `expect`. */
  readonly withExpectations: number;
  readonly expectations: number;
  readonly held: number;
  /** One sentence per expectation that does not hold, or per checkpoint with expectations that did not resolve. */
  readonly problems: readonly string[];
}

export function verifyExpectations(loaded: LoadedLesson, header: TraceHeader, batches: readonly TraceBatch[], end: RunEnd): ExpectationSummary {
  const cps = loaded.lesson.checkpoints;
  const withExpect = cps.filter((c) => c.expect !== undefined);
  const expectations = withExpect.reduce((n, c) => n + expectationCount(c.expect!), 0);
  const summary = { checkpoints: cps.length, withExpectations: withExpect.length, expectations };
  if (withExpect.length === 0) return { ...summary, held: 0, problems: [] };
  const builder = new TraceBuilder(header);
  for (const b of batches) builder.append(b);
  const trace = builder.finish(end);
  const model = new TraceModel(trace);
  const resolved = resolveInTrace(trace, withExpect.map((c) => ({ name: c.name, marker: c.marker, consoleLine: c.consoleLine })), loaded.files);
  const problems: string[] = [];
  let held = 0;
  for (const c of withExpect) {
    const at = resolved.find((r) => r.name === c.name);
    const count = expectationCount(c.expect!);
    if (!at) {
      problems.push(`checkpoint "${c.name}": does not resolve to a step, so its ${count} expectation(s) cannot be checked`);
      continue;
    }
    const unmet = unmetExpectations(c.expect!, model.stateAt(at.cursor));
    held += count - unmet.length;
    for (const u of unmet) problems.push(`checkpoint "${c.name}" (step ${at.cursor}): ${u}`);
  }
  return { ...summary, held, problems };
}
