// The stage's Values panel: a watched value at the current step with what it held before; stepping back shows the
// older value; a named lock's holder and waiter read as the function that asked. Rendered through the whole Stage
// from a real model, as the app does.
import { render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { TraceModel } from '../../../shared/trace/model.ts';
import { EventKind as K, LockOp, Phase, TruncatedWhat, TYPED_ARRAY_TYPES } from '../../../shared/trace/schema.ts';
import { buildTrace, userFrame, withClock } from '../../../shared/trace/test-support.ts';
import Stage from './Stage.svelte';
import WatchedValues from './WatchedValues.svelte';

const frames = [userFrame(100, 'depositSafe', 21)];
const trace = buildTrace(withClock([
  [K.Value, 'balance', '0'], // step 1
  [K.Value, 'balance', '100'], // 2
  [K.LockDefine, 1, 'accountLock', 1], // 3
  [K.TaskStart, 10, Phase.Main], [K.Enter, 100, 1], [K.Lock, 1, LockOp.Request, 0, 1], [K.Lock, 1, LockOp.Acquired, 1, 0], [K.Exit, 1], [K.TaskEnd, 10, 0], // 4..9
  [K.TaskStart, 11, Phase.Main], [K.Enter, 100, 2], [K.Lock, 1, LockOp.Request, 1, 1], [K.Exit, 2], [K.TaskEnd, 11, 0], // 10..14
  [K.Value, 'balance', '200'], // 15
  [K.SharedBuffer, 4, 16, 1], [K.SharedView, 4, 'shared', TYPED_ARRAY_TYPES.findIndex((t) => t.name === 'Int32Array'), 0, 4], [K.SharedWrite, 4, 2, 30], // 16..18
  [K.TaskStart, 12, Phase.Main], [K.Enter, 100, 3], [K.LockCaller, 1, "'bob', 100"], [K.Lock, 1, LockOp.Request, 1, 2], [K.Exit, 3], [K.TaskEnd, 12, 0], // 19..24
]), frames);
const model = new TraceModel(trace);
const stageAt = (step: number) => render(Stage, { props: { state: model.stateAt(step), previous: model.stateAt(step - 1), header: trace.header, reducedMotion: true } });
const now = () => within(screen.getByTestId('stage-values')).getAllByTestId('stage-value-now').map((el) => el.textContent);

describe('Values panel', () => {
  it('shows the watched value at the current step and what it held before', () => {
    stageAt(15);
    const row = within(screen.getByTestId('stage-values')).getByTestId('stage-value');
    expect(row.dataset['name']).toBe('balance');
    expect(now()).toEqual(['200']);
    expect([...row.querySelectorAll('s')].map((s) => s.textContent)).toEqual(['0', '100']);
    expect(row.classList.contains('fresh')).toBe(true); // assigned at the step just taken
  });

  it('stepping back shows the older value', () => {
    stageAt(2);
    expect(now()).toEqual(['100']);
  });

  it('is absent until a watched value is assigned', () => {
    render(Stage, { props: { state: model.stateAt(0), header: trace.header, reducedMotion: true } });
    expect(screen.queryByTestId('stage-values')).toBeNull();
  });

  it('names a lock by its variable and its holder and waiters by the call that asked, where and when in a tooltip', () => {
    stageAt(24);
    const locks = screen.getByTestId('stage-locks');
    expect(locks.querySelector('.lock-title')?.textContent).toBe('accountLock · Mutex');
    const holders = [...locks.querySelectorAll<HTMLElement>('.chip.hold')];
    expect(holders.map((c) => [c.textContent, c.title])).toEqual([['depositSafe', 'main.ts:21 · task 10']]);
    // the second waiter's call announced its arguments (LockCaller); the first's did not
    const waiters = [...locks.querySelectorAll<HTMLElement>('.chip.wait')];
    expect(waiters.map((c) => [c.textContent, c.title])).toEqual([['1. depositSafe', 'main.ts:21 · task 11'], ["2. depositSafe('bob', 100)", 'main.ts:21 · task 12']]);
  });

  it('draws shared memory by the typed view, plain writes included', () => {
    stageAt(18);
    const shared = screen.getByTestId('stage-shared');
    expect(shared.querySelector('.title')?.textContent).toBe('shared: Int32Array(4) · SharedArrayBuffer #4 · 16 bytes');
    const cells = within(shared).getAllByTestId('shared-cell');
    expect(cells.map((c) => c.querySelector('.val')?.textContent)).toEqual(['·', '·', '30', '·']);
    expect(cells[2]!.title).toBe('[2] = 30 · last written by main at step 18');
  });

  it('renders long previews without breaking its row', () => {
    render(WatchedValues, { props: { values: [{ key: 'v:x', name: 'x', value: `'${'a'.repeat(58)}…`, history: [], by: 'worker 2', fresh: false }], reducedMotion: false } });
    expect(screen.getByTestId('stage-value').textContent).toContain('· worker 2');
  });

  it('says under a semaphore when a direct release() left it unknown whose permit came back, and when channels went untraced', () => {
    const t = buildTrace(withClock([
      [K.LockDefine, 2, 'pool', 2], [K.TaskStart, 10, Phase.Main],
      [K.Enter, 100, 1], [K.LockCaller, 2, "'slow'"], [K.Lock, 2, LockOp.Request, 0, 1], [K.Lock, 2, LockOp.Acquired, 1, 0], [K.Exit, 1],
      [K.Enter, 100, 2], [K.LockCaller, 2, "'fast'"], [K.Lock, 2, LockOp.Request, 1, 1], [K.Lock, 2, LockOp.Acquired, 2, 0], [K.Exit, 2],
      [K.LockReleasing, 2, 0], [K.Lock, 2, LockOp.Release, 1, 0], [K.TaskEnd, 10, 0],
      [K.Truncated, TruncatedWhat.Channels],
    ]), frames);
    const m = new TraceModel(t);
    render(Stage, { props: { state: m.stateAt(t.count), header: t.header, reducedMotion: true } });
    const locks = screen.getByTestId('stage-locks');
    expect([...locks.querySelectorAll('.chip.hold')].map((c) => c.textContent)).toEqual(["depositSafe('fast')"]);
    expect(screen.getByTestId('lock-note').textContent).toMatch(/^release\(\) at step \d+ gave a permit back without saying whose \(async-mutex keeps no owners\): the oldest holder, depositSafe\('slow'\), is shown leaving$/);
    expect(screen.getByTestId('stage-channels-capped').textContent).toContain('More than 512 MessageChannels and BroadcastChannels');
  });
});
