/**
 * Where the runtime state at a step comes from: the shared TraceModel over the live, growing trace. Kept behind
 * this one function so the run store does not depend on how the model is constructed or caches.
 */
import type { Trace } from '../../../shared/trace/builder.ts';
import { TraceModel } from '../../../shared/trace/model.ts';
import type { RuntimeState } from '../../../shared/trace/runtime-state.ts';

export interface StateSource {
  stateAt(step: number): RuntimeState;
  /** The callback a task runs (frame id), -1 while unknown (TraceModel.callbackFrameOf). */
  callbackFrameOf(agent: number, taskId: number): number;
}

export function createStateSource(trace: Trace): StateSource {
  const model = new TraceModel(trace);
  return { stateAt: (step) => model.stateAt(step), callbackFrameOf: (agent, taskId) => model.callbackFrameOf(agent, taskId) };
}
