/**
 * The editor line at a step: where the program is, in whichever file and on whichever agent.
 *
 * A statement event (every top-level statement, a checkpoint's statement, and every statement in statement mode)
 * names the line about to run; it stays current until the program leaves the frame it ran in, so a statement is
 * used only while it lies inside the innermost lesson frame on that agent's stack (a callee in another place, or a
 * later task, wins over a stale statement). Without a statement, the innermost lesson function marks its first
 * line; top-level code without a statement has no line (its script frame spans the whole file).
 */
import type { RuntimeState } from '../trace/runtime-state.ts';
import type { FrameTable } from './frames.ts';

export interface EditorLine {
  readonly path: string;
  readonly line: number;
  /** The agent (0 main, n worker) whose code it is. */
  readonly agent: number;
}

/**
 * `preferAgent`: the agent that ran the step at the cursor; its line wins over other agents that are also inside
 * lesson code (a worker running while main waits in Atomics.wait).
 */
export function editorLineAt(state: RuntimeState | null, frames: FrameTable, preferAgent = -1): EditorLine | null {
  if (!state) return null;
  // state.agents lists the agents seen so far in id order, not indexed by id (a worker may start later)
  const agents = state.agents.filter((a) => a !== undefined);
  if (preferAgent >= 0) agents.sort((a, b) => (a.id === preferAgent ? -1 : b.id === preferAgent ? 1 : 0));
  for (const a of agents) {
    const id = a.id;
    for (let i = a.stack.length - 1; i >= 0; i--) {
      const entry = a.stack[i]!;
      const f = frames.get(entry.frameId);
      if (entry.host || !f || !f.file || f.line <= 0 || f.kind === 'host' || f.kind === 'statement') continue;
      const st = a.statementFrameId >= 0 ? frames.get(a.statementFrameId) : undefined;
      const inside = st && st.file === f.file && st.line > 0 && (f.kind === 'script' || (st.line >= f.line && st.line <= f.endLine && !(st.line === f.line && st.column < f.column)));
      if (st && inside) return { path: st.file, line: st.line, agent: id };
      if (f.kind === 'script') break; // top-level code with no statement yet: no line on this agent
      return { path: f.file, line: f.line, agent: id };
    }
  }
  return null;
}
