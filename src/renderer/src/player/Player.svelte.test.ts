import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { eventLoopExample } from '../../../shared/scene/scripted-trace.ts';
import Player from './Player.svelte';

// The scripted run: the main script starts at step 5, the promise reaction at 27, the await continuation at 34.
const trace = eventLoopExample();

function setup(cursor: number, checkpoints: { name: string; cursor: number; explain?: string }[] = []) {
  const seeks: number[] = [];
  const view = render(Player, { props: { trace, count: trace.count, cursor, ended: true, checkpoints, onSeek: (c: number) => seeks.push(c) } });
  return { seeks, view };
}
const button = (name: string) => screen.getByRole('button', { name }) as HTMLButtonElement;
const narration = () => screen.getByTestId('last-event').textContent;

describe('Player', () => {
  it('starts before the first event with nothing to step back to', () => {
    setup(0);
    expect(screen.getByTestId('step-counter').textContent).toBe(`Step 0 / ${trace.count}`);
    expect(narration()).toBe('Before the first event. Press → to step, or Space to play.');
    expect(button('Step back').disabled).toBe(true);
    expect(button('Step forward').disabled).toBe(false);
  });

  it('steps by event and by task, forward and back', async () => {
    const { seeks } = setup(5);
    expect(narration()).toBe('The event loop runs the main script first: its code is now on the call stack.');
    await fireEvent.click(button('Step forward'));
    await fireEvent.click(button('Step back'));
    await fireEvent.click(button('Next task'));
    await fireEvent.click(button('Previous task'));
    await fireEvent.click(button('Last step'));
    await fireEvent.click(button('First step'));
    expect(seeks).toEqual([6, 4, 27, 0, trace.count, 0]);
  });

  it('narrates the step at the cursor', async () => {
    const { view } = setup(5);
    await view.rerender({ cursor: 27 });
    expect(narration()).toBe('The microtask queue is drained: the promise reaction runs.');
    expect(screen.getByTestId('step-counter').textContent).toBe(`Step 27 / ${trace.count}`);
  });

  it('answers the keyboard anywhere outside text fields', async () => {
    const { seeks } = setup(10);
    await fireEvent.keyDown(window, { key: 'ArrowRight' });
    await fireEvent.keyDown(window, { key: 'ArrowRight', shiftKey: true });
    await fireEvent.keyDown(window, { key: 'Home' });
    await fireEvent.keyDown(window, { key: 'End' });
    expect(seeks).toEqual([11, 27, 0, trace.count]);
  });

  it('jumps between checkpoints and explains the one it is on', async () => {
    const { seeks, view } = setup(0, [{ name: 'Reaction runs', cursor: 27, explain: 'Microtasks run before timers.' }]);
    await fireEvent.click(button('Next checkpoint'));
    await fireEvent.click(button('Checkpoint Reaction runs'));
    expect(seeks).toEqual([27, 27]);
    await view.rerender({ cursor: 27 });
    expect(narration()).toContain('⚑ Reaction runs:');
    expect(screen.getByText('Microtasks run before timers.')).toBeTruthy();
  });

  it('has no checkpoint buttons to press when the lesson has none, and nothing to do without a trace', async () => {
    setup(3);
    expect(button('Next checkpoint').disabled).toBe(true);
    const { view } = setup(0);
    await view.rerender({ trace: null, count: 0 });
    expect(screen.getAllByText('Run the lesson (Ctrl/Cmd+Enter) to watch it step by step.').length).toBeGreaterThan(0);
  });
});
