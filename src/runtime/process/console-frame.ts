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

const METHODS = new Map<string, number>();
for (let id = 0; id < HOST_FRAMES.length; id++) {
  const name = HOST_FRAMES[id]!;
  if (name.startsWith('console.')) METHODS.set(name.slice('console.'.length), id);
}
const { captureStackTrace } = Error;
const ErrorCtor = Error as ErrorConstructor & { prepareStackTrace?: unknown; stackTraceLimit: number };

/** The host frame id of the console method that called `below` (the write wrapper), or -1. */
export function consoleHostFrame(below: (...args: never[]) => unknown): number {
  const savedPrepare = ErrorCtor.prepareStackTrace;
  const savedLimit = ErrorCtor.stackTraceLimit;
  const holder: { stack?: unknown } = {};
  try {
    ErrorCtor.prepareStackTrace = (_e: unknown, sites: NodeJS.CallSite[]) => sites;
    ErrorCtor.stackTraceLimit = 16;
    captureStackTrace(holder, below);
    const sites = holder.stack;
    if (!Array.isArray(sites)) return -1;
    let found = -1;
    // The outermost console method wins (console.table prints through console.log).
    for (const site of sites as NodeJS.CallSite[]) {
      if (site.getTypeName() !== 'console' && site.getTypeName() !== 'Console') continue;
      const id = METHODS.get(site.getFunctionName() ?? '') ?? METHODS.get(site.getMethodName() ?? '');
      if (id !== undefined) found = id;
    }
    return found;
  } catch {
    return -1;
  } finally {
    ErrorCtor.prepareStackTrace = savedPrepare;
    ErrorCtor.stackTraceLimit = savedLimit;
  }
}
