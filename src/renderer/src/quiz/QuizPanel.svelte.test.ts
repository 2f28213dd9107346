import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { tick } from 'svelte';
import { describe, expect, it } from 'vitest';
import type { LessonDetail } from '../../../shared/ipc/contract.ts';
import { EventKind } from '../../../shared/trace/schema.ts';
import { batch, testHeader } from '../../../shared/trace/test-support.ts';
import { MemoryApi } from '../app/memory-api.test-support.ts';
import { RunStore } from '../run/run-store.svelte.ts';
import QuizPanel from './QuizPanel.svelte';
import { QuizStore } from './quiz-store.svelte.ts';

function lesson(quiz: unknown, stdout: string[]): LessonDetail {
  return { key: 'bundled/q', id: 'q', title: 'Q', summary: '', level: 'beginner', topic: 'event-loop', source: 'bundled', trusted: true, edited: false, readme: '', entry: 'main.ts', files: [{ path: 'main.ts', text: '' }], extras: { quiz, expected: { stdout } } };
}

function setup(detail: LessonDetail) {
  const api = new MemoryApi();
  const run = new RunStore(api);
  const quiz = new QuizStore();
  quiz.load(detail);
  const seen = { locks: 0, jumps: [] as number[] };
  render(QuizPanel, { props: { quiz, run, edited: false, canRun: true, onLockAndRun: () => seen.locks++, onJump: (c: number) => seen.jumps.push(c) } });
  /** What App does on "Lock in and run": lock the prediction to a new run, which prints `lines`. */
  const lockAndRun = async (lines: string[]) => {
    void run.start(detail.key, { files: detail.files, entry: detail.entry, mode: 'function' });
    quiz.lockIn(run.runId);
    await tick();
    api.play(run.runId!, testHeader(), [batch(0, lines.map((l) => [EventKind.Console, 0, l]))]);
    await tick();
  };
  return { quiz, run, seen, lockAndRun };
}

const order = () => within(screen.getByTestId('quiz-order')).getAllByRole('option').map((li) => li.dataset['line']);

describe('QuizPanel', () => {
  it('says so when the lesson has no quiz', () => {
    const quiz = new QuizStore();
    render(QuizPanel, { props: { quiz, run: new RunStore(new MemoryApi()), edited: false, canRun: true, onLockAndRun() {}, onJump() {} } });
    expect(screen.getByText('This lesson has no quiz.')).toBeTruthy();
  });

  it('lets the learner reorder lines with Alt+↓ and the move buttons, never starting in the right order', async () => {
    setup(lesson({ prompt: 'In what order?', kind: 'order', lines: ['sync', 'microtask', 'timer'] }, ['sync', 'microtask', 'timer']));
    expect(screen.getByText('In what order?')).toBeTruthy();
    const start = order();
    expect(start).not.toEqual(['sync', 'microtask', 'timer']);
    expect([...start].sort()).toEqual(['microtask', 'sync', 'timer']);
    await fireEvent.keyDown(within(screen.getByTestId('quiz-order')).getAllByRole('option')[0]!, { key: 'ArrowDown', altKey: true });
    expect(order()).toEqual([start[1], start[0], start[2]]);
    await fireEvent.click(screen.getByRole('button', { name: `Move “${start[2]}” up` }));
    expect(order()).toEqual([start[1], start[2], start[0]]);
  });

  it('locks a typed prediction in, then marks each printed line right or wrong with a way to see where it printed', async () => {
    const { seen, lockAndRun } = setup(lesson({ prompt: 'What prints?', kind: 'type' }, ['start', 'then', 'timeout']));
    const lock = screen.getByTestId('quiz-run') as HTMLButtonElement;
    expect(lock.disabled).toBe(true); // nothing predicted yet
    await fireEvent.input(screen.getByTestId('quiz-typed'), { target: { value: 'start\ntimeout\nthen\n' } });
    expect(lock.disabled).toBe(false);
    await fireEvent.click(lock);
    expect(seen.locks).toBe(1);

    await lockAndRun(['start', 'then', 'timeout']);
    const summary = screen.getByTestId('quiz-summary').textContent!;
    expect(summary).toMatch(/^\s*\d of 3 lines right\.\s*$/);
    const lines = screen.getAllByTestId('quiz-line');
    expect(lines.map((l) => l.querySelector('code')?.textContent)).toEqual(['start', 'timeout', 'then']); // the prediction, marked
    expect(lines[0]!.dataset['ok']).toBe('true');
    expect(lines.some((l) => l.dataset['ok'] === 'false')).toBe(true);
    for (const l of lines) expect(within(l).getByText(l.dataset['ok'] === 'true' ? 'Right:' : 'Wrong:')).toBeTruthy();
    await fireEvent.click(within(lines[1]!).getByRole('button', { name: /Show in player/ }));
    expect(seen.jumps).toEqual([3]); // 'timeout' was the third console event: step 3
  });

  it('says all lines are right when they are', async () => {
    const { lockAndRun } = setup(lesson({ prompt: 'What prints?', kind: 'type' }, ['a', 'b']));
    await fireEvent.input(screen.getByTestId('quiz-typed'), { target: { value: 'a\nb' } });
    await lockAndRun(['a', 'b']);
    expect(screen.getByTestId('quiz-summary').textContent).toContain('All 2 lines right');
  });
});
