/**
 * The stage's Values panel: each watched binding (`// @watch name`) with its value at the current step and the
 * values it held before, oldest first. Pure; from RuntimeState only, so stepping back shows the older value.
 */
import type { RuntimeState } from '../trace/runtime-state.ts';

export interface StageValue {
  readonly key: string;
  readonly name: string;
  readonly value: string;
  /** Earlier values, oldest first (the model keeps the last few). */
  readonly history: readonly string[];
  /** Who assigned it last: `main` or `worker n`. */
  readonly by: string;
  /** Assigned at the step just taken. */
  readonly fresh: boolean;
}

export function layoutValues(state: RuntimeState): readonly StageValue[] {
  const justTaken = state.step - 1;
  return state.values.map((v) => ({
    key: `v:${v.name}`, name: v.name, value: v.value, history: v.history, by: v.agent === 0 ? 'main' : `worker ${v.agent}`, fresh: v.step === justTaken,
  }));
}
