/**
 * Which console method (if any) is writing: the stage shows the call as a host frame on the call stack
 * (`console.log` above the lesson function that called it), as it shows every host API the tracer sees.
 *
 * Node's console methods end in `process.stdout.write` / `process.stderr.write`, which the tracer takes over
 * (agent.ts); wrapping the console methods themselves would add a frame to what `console.trace` prints, so the
 * method is read from the V8 call sites of the write instead, once per console line (lines are capped).
 * A write that no console method made (`process.stdout.write` from the lesson) gets no host frame.
 */
import { HOST_FRAMES } from '../../shared/trace/schema.ts';
import { rawCallSites } from './call-sites.ts';
import { SafeMap } from './safe-collections.ts';

const METHODS = new SafeMap<string, number>();
for (let id = 0; id < HOST_FRAMES.length; id++) {
  const name = HOST_FRAMES[id]!;
  if (name.startsWith('console.')) METHODS.set(name.slice('console.'.length), id);
}
// Called on every console line while lesson code runs: Map.prototype.get captured, as a lesson may replace it.
const mapGet = Map.prototype.get;
const apply = Reflect.apply;
type Site = { getTypeName(): string | null; getFunctionName(): string | null; getMethodName(): string | null };

/** The host frame id of the console method that called `below` (the write wrapper), or -1. */
export function consoleHostFrame(below: (...args: never[]) => unknown): number {
  const sites = rawCallSites(below, 16) as readonly Site[] | null;
  if (!sites) return -1;
  let found = -1;
  // The outermost console method wins (console.table prints through console.log). (V8's CallSite methods cannot be
  // replaced; an index loop, as an array iterator can.)
  for (let i = 0; i < sites.length; i++) {
    const site = sites[i]!;
    const type = site.getTypeName();
    if (type !== 'console' && type !== 'Console') continue;
    const id = (apply(mapGet, METHODS, [site.getFunctionName() ?? '']) ?? apply(mapGet, METHODS, [site.getMethodName() ?? ''])) as number | undefined;
    if (id !== undefined) found = id;
  }
  return found;
}
