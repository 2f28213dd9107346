import { describe, expect, it } from 'vitest';
import { FrameTable } from './frames.ts';
import { Narrator } from './narration.ts';
import { eventLoopExample } from './scripted-trace.ts';
import { describeTimelineItem, itemSpans, type TimelineItem } from './timeline-tracks.ts';
import { TimelineIndex } from './timeline-index.ts';
import { layoutTimeline } from './timeline-layout.ts';
import { TRACK_KINDS } from './timeline-tracks.ts';

const trace = eventLoopExample();
const index = new TimelineIndex();
index.update(trace, true);
const scene = { trace, index, narrator: new Narrator(trace, index), frames: new FrameTable(trace.header) };

/** The item of a row whose span starts at `step`. */
function itemAt(row: TimelineItem['row'], rowIndex: number, queue: number, step: number): TimelineItem {
  const spans = itemSpans(index, { agent: 0, row, rowIndex, queue })!;
  for (let span = 0; span < spans.count; span++) if (spans.startStep.get(span) === step) return { agent: 0, row, rowIndex, queue, span };
  throw new Error(`no ${row} span starts at step ${step}`);
}

describe('timeline tooltips', () => {
  it('name a task slice by its kind and phase, and say [ finds its cause', () => {
    const d = describeTimelineItem(scene, itemAt('stack', 0, -1, 26))!; // the promise reaction starts at event 26
    expect(d.title).toBe('promise reaction');
    expect(d.lines[1]).toMatch(/^ran in the .+ phase$/);
    expect(d.lines).toContain('[ jumps to what scheduled it');
    expect(d.step).toBe(26);
  });

  it('name a function slice with where it is and that it left the stack at await', () => {
    const d = describeTimelineItem(scene, itemAt('stack', 2, -1, 17))!; // f is entered at event 17, above script and main.ts
    expect(d.title).toBe('f');
    expect(d.lines).toContain('main.ts:4');
    expect(d.lines).toContain('left the stack here at await / yield');
  });

  it('say where a queued callback waited', () => {
    const microtasks = index.lanes[0]!.queues.findIndex((q) => q?.waits.rows.some((r) => r.count > 0));
    const d = describeTimelineItem(scene, itemAt('queue', 0, microtasks, 16))!; // the reaction becomes runnable at 16
    expect(d.title).toBe('promise reaction');
    expect(d.lines[0]).toMatch(/^waited in the /);
  });

  it('narrate a console mark', () => {
    const marks = index.lanes[0]!.marks;
    let span = 0;
    while (marks.step.get(span) !== 7) span++;
    const d = describeTimelineItem(scene, { agent: 0, row: 'marks', rowIndex: 0, queue: -1, span })!;
    expect(d.title).toBe('console output');
    expect(d.lines[0]).toBe('console.log prints “start”.');
  });
});

describe('track kinds', () => {
  it('describe what they hit: every span of every row, hit at its middle, is described from its start step', () => {
    const layout = layoutTimeline(index);
    let checked = 0;
    for (const row of layout.rows) {
      const kind = TRACK_KINDS[row.kind];
      expect(kind.heightCssPx).toBe(row.heightCssPx);
      const spans = itemSpans(index, { agent: row.agent, row: row.kind, rowIndex: row.index, queue: row.queue });
      if (!spans) continue;
      for (let i = 0; i < spans.count; i++) {
        const mid = (spans.startAt(i, index.timeUs) + spans.endAt(i, index.timeUs, index.liveEndUs)) / 2;
        const hit = kind.hitTest(index, row, mid, 0)!;
        expect(hit.span).toBe(i);
        const d = kind.describe(scene, hit)!;
        expect(d.title).not.toBe('');
        expect(d.step).toBe(spans.startStep.get(i));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
    // rows with nothing to point at say nothing
    expect(TRACK_KINDS.header.describe(scene, { agent: 0, row: 'header', rowIndex: 0, queue: -1, span: 0 })).toBeNull();
  });
});
