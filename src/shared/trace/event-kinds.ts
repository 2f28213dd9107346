/**
 * One place per kind of event, the way Chrome DevTools' trace handlers work: every view derived from a trace
 * (the model's runtime state, the task index, the timeline index, the narration, the Chrome export) declares
 * what it does with each event kind in one object typed `PerKind`, in its own file. Adding a kind to `EventKind`
 * then fails to compile until every view names a handler for it, or `null` for "nothing to do here"; the test
 * beside this file checks the same at run time, with each kind's name and arity in EVENT_SPECS.
 *
 * Dispatch is an array lookup by kind number (`byKind`), so a view pays one indexed call per event.
 */
import { EventKind } from './schema.ts';

export type EventKindName = keyof typeof EventKind;

/** A view's handler for every event kind; `null` says the view ignores that kind. */
export type PerKind<H> = { readonly [K in EventKindName]: H | null };

/** The handlers as an array indexed by kind number (undefined past the last kind: unknown kinds are ignored). */
export function byKind<H>(handlers: PerKind<H>): readonly (H | null)[] {
  const table: (H | null)[] = [];
  for (const [name, kind] of Object.entries(EventKind)) table[kind] = handlers[name as EventKindName];
  return table;
}
