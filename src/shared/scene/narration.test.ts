import { describe, expect, it } from 'vitest';
import { EventKind } from '../trace/schema.ts';
import { Narrator } from './narration.ts';
import { eventLoopExample } from './scripted-trace.ts';
import { TimelineIndex } from './timeline-index.ts';

function setup(): { trace: ReturnType<typeof eventLoopExample>; narrator: Narrator } {
  const trace = eventLoopExample();
  const index = new TimelineIndex();
  index.update(trace, true);
  return { trace, narrator: new Narrator(trace, index) };
}

const stepOf = (trace: ReturnType<typeof eventLoopExample>, kind: number, nth = 0): number => {
  let seen = 0;
  for (let i = 0; i < trace.count; i++) if (trace.kind[i] === kind && seen++ === nth) return i;
  throw new Error('no such event');
};

describe('Narrator', () => {
  it('says why a timer callback enters the timers queue', () => {
    const { trace, narrator } = setup();
    expect(narrator.narrate(stepOf(trace, EventKind.TaskRunnable, 3))).toBe("The timer's callback enters the timers queue: its 1 ms delay has expired.");
  });

  it('names the phase and queue when the loop picks a task', () => {
    const { trace, narrator } = setup();
    expect(narrator.narrate(stepOf(trace, EventKind.TaskStart, 3))).toBe('In the timers phase, the event loop takes the setTimeout callback from the timers queue and runs it.');
  });

  it('describes await as leaving the stack and resuming', () => {
    const { trace, narrator } = setup();
    expect(narrator.narrate(stepOf(trace, EventKind.Suspend))).toMatch(/^`f` reaches `await` and leaves the call stack/);
    expect(narrator.narrate(stepOf(trace, EventKind.Resume))).toMatch(/^`f` resumes after `await`/);
  });

  it('names the function an Exit pops', () => {
    const { trace, narrator } = setup();
    expect(narrator.narrate(stepOf(trace, EventKind.Exit, 0))).toBe('`console.log` returns and is popped off the call stack.');
  });

  it('quotes console output and has a sentence for every step', () => {
    const { trace, narrator } = setup();
    expect(narrator.narrate(stepOf(trace, EventKind.Console))).toBe('console.log prints “start”.');
    for (let i = 0; i < trace.count; i++) expect(narrator.narrate(i)).not.toBe('Something happens.');
  });
});
