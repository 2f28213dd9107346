// The stage's shared-memory panel names each cell's last writer: a badge under the value ("main", "w2") and the
// whole story ("last written by worker 2 (task 14) at step 8") in the cell's title and accessible name. A load by
// another thread does not change it; stepping back shows the older writer. Rendered through the whole Stage from a
// real model, as the app does.
import { render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { TraceModel } from '../../../shared/trace/model.ts';
import { AtomicsOp, EventKind as K, Phase, TaskKind as T, TYPED_ARRAY_TYPES } from '../../../shared/trace/schema.ts';
import { batch, buildTrace, withClock } from '../../../shared/trace/test-support.ts';
import Stage from './Stage.svelte';

const BUF = (1 << 20) | 3;
const INT32 = TYPED_ARRAY_TYPES.findIndex((t) => t.name === 'Int32Array');
const trace = buildTrace([
  batch(0, withClock([[K.SharedBuffer, BUF, 8, 4], [K.SharedView, BUF, 'shared', INT32, 0, 2], [K.SharedWrite, BUF, 0, 1]])), // steps 1..3
  batch(2, withClock([
    [K.SharedBuffer, BUF, 8, 4], [K.TaskSchedule, 14, T.Message, 0, -1, 0], [K.TaskRunnable, 14], [K.TaskStart, 14, Phase.Poll], // 4..7
    [K.Atomics, AtomicsOp.Add, BUF, 0, 5, 1, 0], // 8: worker 2 adds 5
  ], 100)),
  batch(0, withClock([[K.Atomics, AtomicsOp.Load, BUF, 0, 0, 6, 0]], 200)), // 9: main only reads
]);
const model = new TraceModel(trace, { snapshotEvery: 2 });
const cellsAt = (step: number) => {
  render(Stage, { props: { state: model.stateAt(step), previous: model.stateAt(step - 1), header: trace.header, reducedMotion: true } });
  return within(screen.getByTestId('stage-shared')).getAllByRole('listitem');
};
/** Fails unless the cell is the shared-memory list item with exactly this accessible name. */
const expectNamed = (cell: HTMLElement | undefined, name: string) => {
  expect(within(screen.getByTestId('stage-shared')).getByRole('listitem', { name })).toBe(cell);
};

describe('Shared memory panel: last writer', () => {
  it('shows the thread that wrote a cell last as a badge, and names it with task and step', () => {
    const [first, second] = cellsAt(8);
    expect(within(first!).getByTestId('shared-cell-writer').textContent).toBe('✎ w2');
    expectNamed(first, '[0] = 6 · last written by worker 2 (task 14) at step 8');
    expect(first!.title).toBe('[0] = 6 · last written by worker 2 (task 14) at step 8');
    expect(within(second!).queryByTestId('shared-cell-writer')).toBeNull(); // never touched
    expectNamed(second, '[1] not written yet');
  });

  it('a load by another thread leaves the last writer', () => {
    const [first] = cellsAt(9);
    expect(within(first!).getByTestId('shared-cell-writer').textContent).toBe('✎ w2');
    expectNamed(first, '[0] = 6 · last written by worker 2 (task 14) at step 8 · last load by main');
  });

  it('stepping back shows the older writer', () => {
    const [first] = cellsAt(7);
    expect(within(first!).getByTestId('shared-cell-writer').textContent).toBe('✎ main');
    expectNamed(first, '[0] = 1 · last written by main at step 3');
  });
});

describe('Shared memory panel: one buffer through views of several types', () => {
  it('draws a row per element type, each cell in its own type, the Atomics call through the byte view on its byte', () => {
    const INT8 = TYPED_ARRAY_TYPES.findIndex((t) => t.name === 'Int8Array');
    const two = buildTrace([batch(0, withClock([
      [K.SharedBuffer, 7, 8, 4], [K.SharedView, 7, 'words', INT32, 0, 2], [K.SharedView, 7, 'i8', INT8, 0, 8],
      [K.AtomicsElement, INT8, 5, 0, 0, 0], [K.Atomics, AtomicsOp.Add, 7, 5, 1, 0, 0], // Atomics.add(i8, 5, 1)
    ]))]);
    const m = new TraceModel(two);
    render(Stage, { props: { state: m.stateAt(Infinity), previous: null, header: two.header, reducedMotion: true } });
    const rows = within(screen.getByTestId('stage-shared')).getAllByTestId('shared-buffer');
    expect(rows.map((r) => r.querySelector('.title')!.textContent)).toEqual(['words: Int32Array(2) · SharedArrayBuffer #7 · 8 bytes', 'i8: Int8Array(8) · same bytes as above (SharedArrayBuffer #7)']);
    const words = within(rows[0]!).getAllByRole('listitem');
    const bytes = within(rows[1]!).getAllByRole('listitem');
    expect(words.map((c) => c.getAttribute('aria-label'))).toEqual(['[0] not written yet', '[1] = 256 · last written by main at step 5']);
    expect(bytes).toHaveLength(8);
    expect(bytes[5]!.getAttribute('aria-label')).toBe('[5] = 1 · last written by main at step 5');
    expect(bytes.filter((c) => c.getAttribute('aria-label')!.includes('=')).length).toBe(1);
  });
});
