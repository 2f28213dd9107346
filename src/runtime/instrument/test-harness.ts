/**
 * Test helper: runs an instrumented wrapper (or the same program uninstrumented) in a fresh vm context with a
 * recording tracer, and collects what the program printed through `log` plus the trace events.
 */
import vm from 'node:vm';
import { CJS_WRAPPER_PARAMS, WRAPPER_PARAMS, instrument, type InstrumentOptions, type InstrumentResult } from './index.ts';
import { isTypeScriptPath, stripTypes } from './strip-types.ts';

export type TraceEvent =
  | readonly ['enter', number, number]
  | readonly ['exit', number]
  | readonly ['suspend', number, number]
  | readonly ['resume', number, number]
  | readonly ['stmt', number];

export interface RunOutput {
  readonly output: string[];
  readonly events: TraceEvent[];
  readonly exports: Record<string, unknown>;
}

export interface RunOptions {
  readonly path?: string;
  /** What `__ls$imp(spec)` / `require(spec)` return. */
  readonly modules?: Readonly<Record<string, unknown>>;
}

function format(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'function') return `[function ${value.name}]`;
  if (typeof value === 'symbol' || typeof value === 'bigint' || value === undefined) return String(value);
  if (value instanceof Error || (value && typeof value === 'object' && 'message' in value && 'name' in value)) {
    const e = value as Error;
    return `${e.name}: ${e.message}`;
  }
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Lets pending promise jobs, immediates and zero-delay timers of the program run. */
async function settle(): Promise<void> {
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** Evaluates a wrapper function expression and calls it the way the sandbox does. */
export async function runWrapper(code: string, isModule: boolean, options: RunOptions = {}): Promise<RunOutput> {
  const output: string[] = [];
  const events: TraceEvent[] = [];
  let instances = 0;
  const context = vm.createContext({
    log: (...args: unknown[]) => output.push(args.map(format).join(' ')),
    setTimeout, clearTimeout, setImmediate, queueMicrotask,
  });
  const fn = vm.runInContext(code, context, { filename: `${options.path ?? 'main.ts'}.instrumented.js` }) as (...args: unknown[]) => unknown;
  const modules = options.modules ?? {};
  const load = (spec: string): unknown => {
    if (!(spec in modules)) throw new Error(`no module ${spec}`);
    return modules[spec];
  };
  const exports: Record<string, unknown> = {};
  const module = { exports };
  const args: unknown[] = [
    (id: number) => { const s = ++instances; events.push(['enter', id, s]); return s; },
    (s: number) => { events.push(['exit', s]); },
    (s: number, v: unknown, how: number) => { events.push(['suspend', s, how]); return v; },
    (s: number, v: unknown, how: number) => { events.push(['resume', s, how]); return v; },
    (id: number) => { events.push(['stmt', id]); },
    load,
    (spec: string) => Promise.resolve().then(() => load(spec)),
    exports,
    { url: 'file:///lesson/main.ts', filename: '/lesson/main.ts', dirname: '/lesson' },
  ];
  if (args.length !== WRAPPER_PARAMS.length) throw new Error('harness out of date with WRAPPER_PARAMS');
  try {
    const body = fn(...args) as (...a: unknown[]) => unknown;
    await (isModule ? body.call(undefined) : body.call(exports, exports, load, module, '/lesson/main.ts', '/lesson'));
  } catch (err) {
    output.push(`uncaught ${format(err)}`);
  }
  await settle();
  return { output, events, exports };
}

/** Instruments and runs `text`. */
export async function runInstrumented(text: string, options: Partial<InstrumentOptions> & RunOptions = {}): Promise<RunOutput & { result: InstrumentResult }> {
  const result = instrument({ path: options.path ?? 'main.ts', text }, { mode: options.mode ?? 'function', frameIdBase: options.frameIdBase ?? 100, traced: options.traced ?? true });
  return { ...(await runWrapper(result.code, result.isModule, options)), result };
}

/**
 * Runs the program without instrumentation: scripts are the stripped text in a bare wrapper (no transform at all);
 * modules need the module rewriting, so they get the untraced transform.
 */
export async function runBaseline(text: string, options: RunOptions = {}): Promise<RunOutput> {
  const path = options.path ?? 'main.ts';
  const untraced = instrument({ path, text }, { mode: 'function', frameIdBase: 0, traced: false });
  if (untraced.isModule) return runWrapper(untraced.code, true, options);
  const js = isTypeScriptPath(path) ? stripTypes(path, text) : text;
  return runWrapper(`(function (${WRAPPER_PARAMS.join(', ')}) { return function (${CJS_WRAPPER_PARAMS.join(', ')}) {${js.startsWith('#!') ? '//' + js.slice(2) : js}\n}})`, false, options);
}

/** Checks that enter/exit events nest properly; returns a description of the first problem, or ''. */
export function stackProblem(events: readonly TraceEvent[]): string {
  const stack: number[] = [];
  for (const [i, e] of events.entries()) {
    if (e[0] === 'enter') stack.push(e[2]);
    else if (e[0] === 'exit') {
      const top = stack.pop();
      if (top !== e[1]) return `event ${i}: exit ${e[1]} but the top of the stack is ${top}`;
    }
  }
  return stack.length ? `unbalanced: ${stack.length} frames left` : '';
}
