import { render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { eventLoopExample } from '../../../shared/scene/scripted-trace.ts';
import { TraceModel } from '../../../shared/trace/model.ts';
import Stage from './Stage.svelte';

const trace = eventLoopExample();
const model = new TraceModel(trace);

function stageAt(cursor: number) {
  return render(Stage, { props: { state: model.stateAt(cursor), previous: model.stateAt(cursor - 1), header: trace.header, reducedMotion: true } });
}
const texts = (items: HTMLElement[]) => items.map((el) => el.querySelector('.name')?.textContent?.trim());
const queue = (name: string) => screen.getAllByTestId('stage-queue').find((q) => q.dataset['queue'] === name)!;

describe('Stage', () => {
  it('asks for a run before there is one', () => {
    render(Stage, { props: { state: null, header: null } });
    expect(screen.getByTestId('stage').textContent).toContain('Run the lesson');
  });

  it('shows the call stack top first, the pending timer, the parked async function and the queued microtasks', () => {
    stageAt(23);
    const lane = screen.getByTestId('stage-lane');
    expect(lane.getAttribute('aria-label')).toBe('Main thread: running');
    expect(texts(within(lane).getAllByRole('listitem').filter((li) => li.closest('[data-testid="call-stack"]')))).toEqual(['main.ts', 'main script']);
    expect(texts(within(within(screen.getByTestId('stage-apis')).getAllByRole('list')[0]!).getAllByRole('listitem'))).toEqual(['setTimeout 1 ms']);
    expect(within(screen.getByTestId('stage-parked')).getByText('f')).toBeTruthy();
    const microtasks = queue('microtasks');
    expect(texts(within(microtasks).getAllByRole('listitem'))).toEqual(['promise reaction', 'await continuation']);
    expect(within(microtasks).getByRole('list').getAttribute('aria-label')).toBe('microtasks queue, 2 waiting');
    expect(within(queue('timers')).queryAllByRole('listitem')).toHaveLength(0);
  });

  it('takes a microtask off its queue onto the stack when it runs', () => {
    stageAt(29);
    expect(texts(within(screen.getByTestId('call-stack')).getAllByRole('listitem'))).toEqual(['console.log', '(anonymous)', 'promise reaction']);
    expect(texts(within(queue('microtasks')).getAllByRole('listitem'))).toEqual(['await continuation']);
    expect(screen.queryByTestId('stage-parked')).not.toBeNull();
  });

  it('says the stack is empty when the loop is free', () => {
    stageAt(25);
    expect(within(screen.getByTestId('call-stack')).getByRole('listitem').textContent).toBe('(empty: the loop is free)');
  });
});
