/**
 * One TimelineIndex and Narrator per trace, shared by the timeline, the player and the stage (a WeakMap keyed on
 * the trace object, which stays the same while a run streams). `sceneFor(trace).sync(ended)` reads whatever
 * events arrived since the last call: O(new events).
 */
import type { TraceColumns } from '../../../shared/scene/trace-source.ts';
import { FrameTable } from '../../../shared/scene/frames.ts';
import { Narrator } from '../../../shared/scene/narration.ts';
import { TimelineIndex } from '../../../shared/scene/timeline-index.ts';

export interface TraceScene {
  readonly trace: TraceColumns;
  readonly index: TimelineIndex;
  readonly narrator: Narrator;
  readonly frames: FrameTable;
  /** Indexes new events; returns true when anything changed. */
  sync(ended: boolean): boolean;
}

const cache = new WeakMap<object, TraceScene>();

export function sceneFor(trace: TraceColumns): TraceScene {
  let scene = cache.get(trace);
  if (!scene) {
    const index = new TimelineIndex();
    const narrator = new Narrator(trace, index);
    scene = {
      trace,
      index,
      narrator,
      frames: narrator.frames,
      sync(ended: boolean): boolean {
        if (index.processed === trace.count && index.ended === ended) return false;
        index.update(trace, ended);
        return true;
      },
    };
    cache.set(trace, scene);
  }
  return scene;
}
