// Every event kind is complete: it has a name and an arity in EVENT_SPECS, and every view of a trace says what it
// does with it (a handler, or null for "nothing"). The types already demand this; this test also catches a kind
// whose number and spec disagree, or a view table built by hand around the types.
import { describe, expect, it } from 'vitest';
import { CHROME_EXPORT } from '../export/chrome.ts';
import { NARRATION } from '../scene/narration.ts';
import { TimelineIndex } from '../scene/timeline-index.ts';
import { APPLY_EVENT } from './apply-event.ts';
import { byKind, type EventKindName, type PerKind } from './event-kinds.ts';
import { EVENT_SPECS, EventKind } from './schema.ts';
import { TaskIndex } from './task-index.ts';

const VIEWS: Record<string, PerKind<unknown>> = {
  'runtime state (apply-event.ts)': APPLY_EVENT,
  'task index (task-index.ts)': TaskIndex.handlers,
  'timeline index (timeline-index.ts)': TimelineIndex.handlers,
  'narration (narration.ts)': NARRATION,
  'Chrome export (chrome.ts)': CHROME_EXPORT,
};
const KINDS = Object.entries(EventKind) as [EventKindName, number][];

describe('event kinds', () => {
  it('are numbered 0, 1, 2, … and each has its name and arity in EVENT_SPECS', () => {
    expect(KINDS.map(([, kind]) => kind)).toEqual(KINDS.map((_, i) => i));
    expect(EVENT_SPECS).toHaveLength(KINDS.length);
    for (const [name, kind] of KINDS) {
      const spec = EVENT_SPECS[kind];
      expect(spec?.name, `EVENT_SPECS[${kind}]`).toBe(name);
      expect(Array.isArray(spec?.args), `${name} has an arity`).toBe(true);
      for (const s of spec!.strings) expect(s, `${name}: string arg ${s} is one of its args`).toBeLessThan(spec!.args.length);
    }
  });

  for (const [view, table] of Object.entries(VIEWS)) {
    it(`each has a handler (or an explicit null) in the ${view}`, () => {
      const missing = KINDS.filter(([name]) => !Object.hasOwn(table, name) || (table[name] !== null && typeof table[name] !== 'function')).map(([name]) => name);
      expect(missing).toEqual([]);
      expect(Object.keys(table).filter((name) => !(name in EventKind))).toEqual([]);
      expect(KINDS.some(([name]) => table[name] !== null)).toBe(true);
    });
  }

  it('dispatch by number reaches the handler declared under the kind’s name', () => {
    const table = byKind(Object.fromEntries(KINDS.map(([name]) => [name, name])) as PerKind<string>);
    for (const [name, kind] of KINDS) expect(table[kind]).toBe(name);
    expect(table[KINDS.length]).toBeUndefined();
  });
});
