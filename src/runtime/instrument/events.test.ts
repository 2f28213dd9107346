/** The tracer calls an instrumented program makes when Node runs it, and the frame table they refer to. */
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../shared/trace/schema.ts';
import { instrumentNative } from './index.ts';
import { runNative, stackProblem, type TraceEvent } from './native-run.test-support.ts';

function nameOf(frames: readonly Frame[], id: number): string {
  return frames.find((f) => f.id === id)?.name ?? `?${id}`;
}

/** The events of function instances: without the script's own enter and exit (instance 0). */
function functionEvents(events: readonly TraceEvent[]): TraceEvent[] {
  return events.filter((e) => !((e[0] === 'enter' && e[2] === 0) || (e[0] === 'exit' && e[1] === 0)));
}

/** Events of one function instance, by the instance id its enter returned. */
function eventsOf(events: readonly TraceEvent[], instance: number): string[] {
  return events.filter((e) => (e[0] === 'enter' ? e[2] : e[0] === 'stmt' ? -1 : e[1]) === instance).map((e) => (e[0] === 'suspend' || e[0] === 'resume' ? `${e[0]}:${e[2]}` : e[0]));
}

function instancesOf(events: readonly TraceEvent[], frames: readonly Frame[], name: string): number[] {
  return events.flatMap((e) => (e[0] === 'enter' && nameOf(frames, e[1]) === name ? [e[2]] : []));
}

describe('event shape', () => {
  it('balances enter and exit for sync code, also when exceptions are thrown and caught', async () => {
    const { events, result, output } = await runNative(`
function dive(n: number): number { if (n === 0) throw new Error('bottom'); return dive(n - 1) + 1; }
function guard(): string { try { dive(3); return 'no'; } catch (e) { return 'caught'; } finally { cleanup(); } }
function cleanup() {}
const twice = (x: number) => x * 2;
class Box { get size() { return twice(2); } }
log(guard(), new Box().size, [1, 2].map(twice).join());
try { dive(1); } catch { log('top caught'); }`);
    expect(output).toEqual(['caught 4 2,4', 'top caught']);
    expect(stackProblem(events)).toBe(''); // the script frame's enter and exit included
    const names = events.filter((e) => e[0] === 'enter').map((e) => nameOf(result.frames, e[1]));
    expect(names).toEqual(['(main) main.ts', 'guard', 'dive', 'dive', 'dive', 'dive', 'cleanup', 'get Box.size', 'twice', 'twice', 'twice', 'dive', 'dive']);
  });

  it('an async function emits enter, suspend, then later resume and exit', async () => {
    const { events, result, output } = await runNative(`
async function work(): Promise<number> { log('start'); const v = await Promise.resolve(1); log('after'); return v; }
work().then(() => log('then'));
log('sync');`);
    expect(output).toEqual(['start', 'sync', 'after', 'then']);
    const [s] = instancesOf(events, result.frames, 'work');
    expect(s).toBeDefined();
    expect(eventsOf(events, s!)).toEqual(['enter', 'suspend:0', 'resume:0', 'exit']);
    // The caller ran on after the suspension: the then-callback's arrow is entered only after work's exit.
    const workExit = events.findIndex((e) => e[0] === 'exit' && e[1] === s);
    const thenEnter = events.findIndex((e) => e[0] === 'enter' && nameOf(result.frames, e[1]) === '(anonymous)');
    expect(thenEnter).toBeGreaterThan(workExit);
  });

  it('a generator emits enter at the first next(), suspend at each yield and exit at the end', async () => {
    const { events, result, output } = await runNative(`
function* count(): Generator<number> { yield 1; yield 2; }
const it = count();
log('created');
log(it.next().value, it.next().value, it.next().done);
const early = count(); early.next(); early.return(undefined);`);
    expect(output).toEqual(['created', '1 2 true']);
    const [first, second] = instancesOf(events, result.frames, 'count');
    expect(eventsOf(events, first!)).toEqual(['enter', 'suspend:1', 'resume:1', 'suspend:1', 'resume:1', 'exit']);
    expect(eventsOf(events, second!)).toEqual(['enter', 'suspend:1', 'exit']);
    const notStarted = await runNative('function* g() { yield 1; }\nconst it = g();\nlog(typeof it.next);');
    expect(functionEvents(notStarted.events).filter((e) => e[0] !== 'stmt')).toEqual([]);
  });

  it('an async generator in for await suspends around the hidden awaits', async () => {
    const { events, result, output } = await runNative(`
async function* ticks() { yield 'a'; yield 'b'; }
async function consume() { for await (const t of ticks()) log(t); return 'done'; }
consume().then(log);`);
    expect(output).toEqual(['a', 'b', 'done']);
    expect(stackProblem(functionEvents(events).filter((e) => e[0] === 'enter' || e[0] === 'exit'))).toBe('');
    const [c] = instancesOf(events, result.frames, 'consume');
    const seq = eventsOf(events, c!);
    expect(seq[0]).toBe('enter');
    expect(seq[1]).toBe('suspend:2'); // SuspendHow.ForAwait: the loop awaits the iterator's own promise
    expect(seq.at(-1)).toBe('exit');
    expect(seq.filter((e) => e === 'resume:0').length).toBeGreaterThanOrEqual(3);
    const [t] = instancesOf(events, result.frames, 'ticks');
    expect(eventsOf(events, t!)).toEqual(['enter', 'suspend:1', 'resume:1', 'suspend:1', 'resume:1', 'exit']);
  });

  it('top-level await makes a module and suspends the script instance 0, which exits at the end of the file', async () => {
    const { events, result, output } = await runNative("log('a');\nawait null;\nlog('b');");
    expect(result.isModule).toBe(true);
    expect(output).toEqual(['a', 'b']);
    const lineOf = (id: number): number => result.frames.find((f) => f.id === id)!.line;
    expect(events.map((e) => (e[0] === 'stmt' ? ['stmt', lineOf(e[1])] : e))).toEqual([
      ['enter', 100, 0], ['stmt', 1], ['stmt', 2], ['suspend', 0, 0], ['resume', 0, 0], ['stmt', 3], ['exit', 0],
    ]);
  });

  it('untraced code has no tracer calls and only the script frame', () => {
    const r = instrumentNative({ path: 'm.ts', text: 'async function f(): Promise<void> { await 1; }\nfunction* g() { yield 1; }\nf();' }, { mode: 'statement', frameIdBase: 7, traced: false });
    expect(r.code).not.toMatch(/__ls\$/);
    expect(r.frames).toEqual([{ id: 7, kind: 'script', name: '(main) m.ts', file: 'm.ts', line: 1, column: 1, endLine: 3, endColumn: 5 }]);
  });
});

describe('frames', () => {
  const TEXT = [
    'interface Point { x: number; y: number }',
    'type Id = string;',
    'export class Counter<T extends object> {',
    '  private count: number = 0;',
    '  increment(by: number = 1): number {',
    '    return (this.count += by);',
    '  }',
    '  get value(): number { return this.count; }',
    '  constructor(label: string) {}',
    "  static make = (): Counter<{}> => new Counter('x');",
    '}',
    'const add = <T,>(a: number, b: number): number => a + b;',
    'export async function load(id: Id): Promise<Point> { return { x: 1, y: 2 }; }',
    "const o = { handler(p: Point) {}, ['comp' + 1]: function () {}, get g(): number { return 1; } };",
    'setTimeout(function (): void {}, 0);',
    'function* gen(): Generator<number> {}',
    'export default (x: number) => x;',
    'obj.onDone = async function* () {};',
  ].join('\n');
  const lines = TEXT.split('\n');
  const at = (line: number, snippet: string): [number, number] => {
    const column = (lines[line - 1] ?? '').indexOf(snippet) + 1;
    if (column === 0) throw new Error(`snippet ${snippet} not on line ${line}`);
    return [line, column];
  };

  it('have the function names, original TypeScript positions and flavors', () => {
    const r = instrumentNative({ path: 'lessons/counter.ts', text: TEXT }, { mode: 'function', frameIdBase: 40 });
    expect(r.frames.map((f) => f.id)).toEqual(r.frames.map((_, i) => 40 + i));
    const rows = r.frames.filter((f) => f.kind !== 'statement').map((f) => [f.kind, f.name, f.line, f.column, f.flavor ?? '-']);
    expect(rows).toEqual([
      ['script', '(main) lessons/counter.ts', 1, 1, '-'],
      ['function', 'Counter.increment', ...at(5, 'increment'), 'sync'],
      ['function', 'get Counter.value', ...at(8, 'get value'), 'sync'],
      ['function', 'new Counter', ...at(9, 'constructor'), 'sync'],
      ['function', 'Counter.make', ...at(10, '(): Counter'), 'sync'],
      ['function', 'add', ...at(12, '(a: number'), 'sync'],
      ['function', 'load', ...at(13, 'async function'), 'async'],
      ['function', 'handler', ...at(14, 'handler'), 'sync'],
      ['function', "['comp' + 1]", ...at(14, 'function ()'), 'sync'],
      ['function', 'get g', ...at(14, 'get g'), 'sync'],
      ['function', '(anonymous)', ...at(15, 'function ('), 'sync'],
      ['function', 'gen', ...at(16, 'function*'), 'generator'],
      // not 'default' (its .name): frame names are not inferred from `export default`
      ['function', '(anonymous)', ...at(17, '(x: number)'), 'sync'],
      ['function', 'obj.onDone', ...at(18, 'async function*'), 'async-generator'],
    ]);
    const increment = r.frames.find((f) => f.name === 'Counter.increment')!;
    expect([increment.endLine, increment.endColumn]).toEqual([7, 4]); // exclusive end, just after the `}`
    expect(r.frames.every((f) => f.file === 'lessons/counter.ts')).toBe(true);
    const script = r.frames[0]!;
    expect([script.endLine, script.endColumn]).toEqual([18, lines[17]!.length + 1]);
  });

  it('statement ids point at the statements, and run in order', async () => {
    const text = [
      'const a: number = 1;',
      'function f(x: number): number {',
      '  const y = x + a;',
      '  return y;',
      '}',
      'if (a) {',
      '  log(f(2));',
      '}',
    ].join('\n');
    const { events, result, output } = await runNative(text, { mode: 'statement', frameIdBase: 0 });
    expect(output).toEqual(['3']);
    const statements = result.frames.filter((f) => f.kind === 'statement');
    expect(statements.map((f) => [f.line, f.column, f.name])).toEqual([
      [1, 1, 'const a: number = 1;'],
      [3, 3, 'const y = x + a;'],
      [4, 3, 'return y;'],
      [6, 1, 'if (a) { log(f(2)); }'],
      [7, 3, 'log(f(2));'],
    ]);
    const ran = events.flatMap((e) => (e[0] === 'stmt' ? [result.frames.find((f) => f.id === e[1])!.line] : []));
    expect(ran).toEqual([1, 6, 7, 3, 4]);
    const long = instrumentNative({ path: 'x.ts', text: `log('${'x'.repeat(80)}');` }, { mode: 'statement', frameIdBase: 0 });
    expect(long.frames[1]!.name).toHaveLength(40);
  });

  it('function mode marks the top-level statements and the statements checkpoint comments point at, nothing else', async () => {
    const text = [
      'function f(x: number): number {',
      '  const y = x + 1;',
      '  // @checkpoint inside-f',
      '  return y;',
      '}',
      'const a = f(1);',
      'log(a);',
    ].join('\n');
    const { events, result, output } = await runNative(text, { mode: 'function', frameIdBase: 0 });
    expect(output).toEqual(['2']);
    const ran = events.flatMap((e) => (e[0] === 'stmt' ? [result.frames.find((f) => f.id === e[1])!.line] : []));
    expect(ran).toEqual([6, 4, 7]); // line 2 is inside f and not marked; line 4 is the checkpoint's statement
  });

  it('does not trace class field initializers or static blocks as functions', () => {
    const r = instrumentNative({ path: 'c.ts', text: 'class A { x = 1; static { A.y = 2; } m() {} }' }, { mode: 'function', frameIdBase: 0 });
    expect(r.frames.filter((f) => f.kind !== 'statement').map((f) => f.name)).toEqual(['(main) c.ts', 'A.m']);
  });
});
