/** The editor line for the runtime state at the cursor (shared by the app shell and the stage). */
import { editorLineAt, type EditorLine } from '../../../shared/scene/editor-line.ts';
import { FrameTable } from '../../../shared/scene/frames.ts';
import type { RuntimeState } from '../../../shared/trace/runtime-state.ts';
import type { TraceHeader } from '../../../shared/trace/schema.ts';

const tables = new WeakMap<TraceHeader, FrameTable>();

export function frameTableFor(header: TraceHeader): FrameTable {
  let t = tables.get(header);
  if (!t) tables.set(header, (t = new FrameTable(header)));
  return t;
}

/** `agent`: the agent that ran the step at the cursor (its line wins), or -1. */
export function editorHighlight(state: RuntimeState | null, header: TraceHeader | null, agent = -1): EditorLine | null {
  return state && header ? editorLineAt(state, frameTableFor(header), agent) : null;
}
