/**
 * Measurement hooks for `bench/timeline.ts` (and handy in DevTools): load a saved trace into the views, seek the
 * app's cursor and time it, record frame work while someone pans and zooms. Installed on `window.__loopscopeBench`;
 * they read and write only renderer state.
 */
import { tick } from 'svelte';
import { TraceModel } from '../../../shared/trace/model.ts';
import { parseTrace } from '../../../shared/trace/file.ts';
import type { TimelineView } from '../timeline/timeline-view.ts';
import { frameLoop } from '../app/frame-loop.ts';
import { sceneFor } from '../app/scene-cache.ts';

export interface LoadTimings {
  readonly events: number;
  readonly parseMs: number;
  /** TraceModel built and the state at the last step computed (what the stage shows at the end). */
  readonly modelMs: number;
  /** The timeline's index (tracks, tasks, LOD rows). */
  readonly indexMs: number;
  /** The first timeline frame of the whole trace. */
  readonly drawMs: number;
  readonly totalMs: number;
  readonly indexBytes: number;
}

export interface BenchHooks {
  loadTrace(text: string): LoadTimings;
  /** Drops what `loadTrace` kept (for memory baselines). */
  unload(): void;
  /**
   * Seeks the app's cursor. `syncMs`: until the state, stage DOM and narration are updated; `frameMs`: until the
   * next frame has drawn the timeline too (includes waiting for that frame).
   */
  seek(cursor: number): Promise<{ syncMs: number; frameMs: number }>;
  readonly count: number;
  startRecording(): void;
  stopRecording(): { workMs: number[]; frameStartMs: number[]; lastBlocks: number };
}

declare global {
  interface Window {
    __loopscopeBench?: BenchHooks;
  }
}

export function installBenchHooks(run: { seek(c: number): void; readonly eventCount: number }): () => void {
  let kept: unknown = null;
  const view = (): TimelineView | undefined => (window as unknown as { __loopscopeTimeline?: TimelineView }).__loopscopeTimeline;
  const hooks: BenchHooks = {
    loadTrace(text) {
      const t0 = performance.now();
      const trace = parseTrace(text);
      const t1 = performance.now();
      const model = new TraceModel(trace);
      const state = model.stateAt(trace.count);
      const t2 = performance.now();
      const scene = sceneFor(trace);
      scene.sync(true);
      const t3 = performance.now();
      const v = view();
      v?.setTrace(trace);
      v?.sync(true);
      v?.drawNow();
      const t4 = performance.now();
      kept = { trace, model, state };
      return { events: trace.count, parseMs: t1 - t0, modelMs: t2 - t1, indexMs: t3 - t2, drawMs: t4 - t3, totalMs: t4 - t0, indexBytes: scene.index.byteLength };
    },
    unload() {
      kept = null;
      void kept;
      view()?.setTrace(null);
    },
    async seek(cursor) {
      const t0 = performance.now();
      run.seek(cursor);
      await tick();
      const t1 = performance.now();
      await frameLoop.whenIdle();
      return { syncMs: t1 - t0, frameMs: performance.now() - t0 };
    },
    get count() {
      return run.eventCount;
    },
    startRecording() {
      frameLoop.frameWorkMs.length = 0;
      frameLoop.frameStartMs.length = 0;
      frameLoop.recording = true;
    },
    stopRecording() {
      frameLoop.recording = false;
      return { workMs: [...frameLoop.frameWorkMs], frameStartMs: [...frameLoop.frameStartMs], lastBlocks: view()?.lastBlocks ?? 0 };
    },
  };
  window.__loopscopeBench = hooks;
  return () => {
    if (window.__loopscopeBench === hooks) delete window.__loopscopeBench;
  };
}
