/** The editor line for the runtime state at the cursor (shared by the app shell and the stage). */
import { editorLineAt } from '../../../shared/scene/checkpoints.ts';
import { FrameTable } from '../../../shared/scene/frames.ts';
import type { RuntimeState } from '../../../shared/trace/runtime-state.ts';
import type { TraceHeader } from '../../../shared/trace/schema.ts';

const tables = new WeakMap<TraceHeader, FrameTable>();

export function frameTableFor(header: TraceHeader): FrameTable {
  let t = tables.get(header);
  if (!t) tables.set(header, (t = new FrameTable(header)));
  return t;
}

/** `shownPath`: the file the editor shows; its innermost frame on the stack is preferred. */
export function editorHighlight(state: RuntimeState | null, header: TraceHeader | null, shownPath?: string): { path: string; line: number } | null {
  return state && header ? editorLineAt(state, frameTableFor(header), shownPath) : null;
}
