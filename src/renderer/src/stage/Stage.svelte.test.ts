import { render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { AgentScript, buildScripted, eventLoopExample, scriptHeader } from '../../../shared/scene/scripted-trace.ts';
import { TraceModel } from '../../../shared/trace/model.ts';
import { EventKind as K, portMessageId, TaskKind as T } from '../../../shared/trace/schema.ts';
import { batch, buildTrace, withClock } from '../../../shared/trace/test-support.ts';
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

  it('shows a worker that is still booting as a starting lane, without a stack or queues', () => {
    const main = new AgentScript(0).time(0).ev(K.RunStart, 0).ev(K.AgentStart, 0, -1, 'main', 'main.ts').time(9).ev(K.WorkerSpawn, 1, 'worker.ts').flush();
    const spawned = new TraceModel(buildScripted(scriptHeader(), main.batches, null));
    render(Stage, { props: { state: spawned.stateAt(4), header: spawned.trace.header, reducedMotion: true } });
    const worker = screen.getAllByTestId('stage-lane')[1]!;
    expect(worker.getAttribute('aria-label')).toBe('Worker 1 · worker.ts: starting: Node is booting the thread');
    expect(within(worker).getByTestId('lane-status').textContent).toBe('◌ starting');
    expect(within(worker).queryByTestId('call-stack')).toBeNull();
    expect(within(worker).queryByTestId('queues')).toBeNull();
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

describe('Stage: messages panel', () => {
  // main posts on a MessageChannel port whose other end a worker holds, and to the worker itself; the worker's
  // listener receives the port message; then main closes its port with one message to it from the worker in flight.
  const toWorker = portMessageId(0, 1);
  const toMain = portMessageId(1, 1);
  const channelTrace = buildTrace([
    batch(0, withClock([[K.WorkerSpawn, 1, 'w.ts'], [K.MessagePost, toWorker, 1], [K.MessagePost, 1, 1]])), // steps 1..3
    batch(1, withClock([[K.AgentStart, 1, 0, 'worker 1', 'w.ts'], [K.TaskSchedule, 5, T.Message, 0, -1, 0], [K.MessageReceive, toWorker, 5], [K.MessagePost, toMain, 0]], 10)), // 4..7
    batch(0, withClock([[K.ChannelClose, 0]], 20)), // 8
  ]);
  const channelModel = new TraceModel(channelTrace);
  const at = (step: number) => render(Stage, { props: { state: channelModel.stateAt(step), previous: channelModel.stateAt(step - 1), header: channelTrace.header, reducedMotion: true } });

  it('shows a MessageChannel message in flight beside a worker message, until its listener receives it', () => {
    at(3);
    expect(screen.getAllByTestId('stage-message').map((m) => m.textContent)).toEqual(['✉ main → worker 1 via a MessageChannel', '✉ main → worker 1']);
  });

  it('takes it off when received', () => {
    at(7);
    expect(screen.getAllByTestId('stage-message').map((m) => m.textContent)).toEqual(['✉ main → worker 1', '✉ worker 1 → main via a MessageChannel']);
  });

  it('shows one lost when its port closes before it is received', () => {
    at(8);
    expect(screen.getAllByTestId('stage-message').map((m) => m.textContent)).toEqual(['✉ main → worker 1']);
    expect(screen.getAllByTestId('stage-message-lost').map((m) => m.textContent)).toEqual(['✕ worker 1 → main via a MessageChannel (port closed) lost']);
  });
});
