// The exported player's text view of shared memory says, like the app's badges, who last wrote each cell, and shows
// each value as the program reads it (a Float64 is not an int32).
import { describe, expect, it } from 'vitest';
import { TraceModel } from '../shared/trace/model.ts';
import { AtomicsOp, EventKind as K, Phase, TYPED_ARRAY_TYPES } from '../shared/trace/schema.ts';
import { batch, buildTrace, withClock } from '../shared/trace/test-support.ts';
import { FrameTable } from '../shared/scene/frames.ts';
import { AgentScript, buildScripted, eventLoopExample, scriptHeader } from '../shared/scene/scripted-trace.ts';
import { RuntimeView } from './runtime-view.ts';

const FLOAT64 = TYPED_ARRAY_TYPES.findIndex((t) => t.name === 'Float64Array');

describe('RuntimeView: shared memory', () => {
  it('lists each written cell with its value and its last writer (thread and task)', () => {
    const half = new DataView(new ArrayBuffer(8));
    half.setFloat64(0, 1.5, true);
    const main = withClock([[K.SharedBuffer, 1, 16, 8], [K.SharedView, 1, 'doubles', FLOAT64, 0, 2], [K.SharedStore, 1, FLOAT64, 0, 0, 7]]);
    const worker = withClock([[K.TaskStart, 4, Phase.Poll], [K.SharedStore, 1, FLOAT64, 1, half.getInt32(0, true), half.getInt32(4, true)], [K.TaskEnd, 4, 0]]);
    const model = new TraceModel(buildTrace([batch(0, main), batch(1, worker)]));
    const view = new RuntimeView();
    view.update(model.stateAt(Infinity));
    const text = view.el.querySelector('[data-testid="shared"]')?.textContent ?? '';
    expect(text).toContain('SharedArrayBuffer #1 · doubles: Float64Array: ');
    expect(text).toContain(`[0]=${String(new Float64Array(new Int32Array([0, 7]).buffer)[0])} (✎ main) [1]=1.5 (✎ worker 1, task 4)`);
  });

  it('lists a buffer used through views of several types once per type, each cell as that type reads it', () => {
    const INT32 = TYPED_ARRAY_TYPES.findIndex((t) => t.name === 'Int32Array');
    const INT8 = TYPED_ARRAY_TYPES.findIndex((t) => t.name === 'Int8Array');
    const rows = withClock([
      [K.SharedBuffer, 2, 8, 4], [K.SharedView, 2, 'words', INT32, 0, 2], [K.SharedView, 2, 'i8', INT8, 0, 8],
      [K.AtomicsElement, INT8, 5, 0, 0, 0], [K.Atomics, AtomicsOp.Add, 2, 5, 1, 0, 0], // Atomics.add(i8, 5, 1)
    ]);
    const view = new RuntimeView();
    view.update(new TraceModel(buildTrace(rows)).stateAt(Infinity));
    const lines = [...view.el.querySelectorAll('[data-testid="shared"] li')].map((li) => li.textContent);
    expect(lines).toEqual(['SharedArrayBuffer #2 · words: Int32Array: [1]=256 (✎ main)', 'SharedArrayBuffer #2 · i8: Int8Array: [5]=1 (✎ main)']);
  });
});

describe('RuntimeView: queues', () => {
  it('names the callback a queued or pending task will run, an anonymous one by its source, with file:line', () => {
    const trace = eventLoopExample();
    const model = new TraceModel(trace);
    const frames = new FrameTable(trace.header);
    const view = new RuntimeView();
    const texts: string[] = [];
    for (let step = 0; step <= trace.count; step++) {
      view.update(model.stateAt(step), (agent, taskId) => {
        const id = model.callbackFrameOf(agent, taskId);
        return id >= 0 ? `${frames.label(id)} ${frames.where(id)}` : '';
      });
      texts.push(view.el.querySelector('[data-testid="timers"]')?.textContent ?? '', ...[...view.el.querySelectorAll('[data-testid="queue"]')].map((q) => q.textContent ?? ''));
    }
    expect(texts.some((t) => t.includes("→ () => console.log('timeout') main.ts:2"))).toBe(true);
  });
});

describe('RuntimeView: workers', () => {
  it('shows a spawned worker as starting until its thread starts', () => {
    const main = new AgentScript(0).time(0).ev(K.RunStart, 0).ev(K.AgentStart, 0, -1, 'main', 'main.ts').time(9).ev(K.WorkerSpawn, 1, 'worker.ts')
      .time(40).ev(K.AgentStart, 1, 0, 'worker 1', 'worker.ts').flush();
    const model = new TraceModel(buildScripted(scriptHeader(), main.batches, null));
    const view = new RuntimeView();
    const titles = (step: number): string[] => {
      view.update(model.stateAt(step));
      return [...view.el.querySelectorAll('[data-testid="agent"] h3')].map((el) => el.textContent ?? '');
    };
    expect(titles(3)).toEqual([expect.stringMatching(/^Main thread/), 'Worker 1 (worker.ts)starting: spawned, its script has not run yet']);
    expect(titles(4)).toEqual([expect.stringMatching(/^Main thread/), expect.not.stringContaining('starting')]);
  });
});
