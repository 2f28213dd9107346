/**
 * The tracer's hot path (stack-calls.ts): a plain function's entry and exit are one packed word each, everything
 * else goes to the agent's slow paths, a forged argument writes nothing — and the warm-up a waiting process runs
 * before its lesson leaves nothing on the trace pipe.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHARED_SLOTS, TraceWriter } from './trace-writer.ts';
import { setRoots, stackCalls, stackState } from './stack-calls.ts';

function harness(flavors: number[]) {
  const w = new TraceWriter(0, new Int32Array(new SharedArrayBuffer(4 * SHARED_SLOTS)), performance.timeOrigin + performance.now(), [], 2);
  const st = stackState(1);
  const slow: string[] = [];
  const calls = stackCalls(w, new Uint8Array(flavors), st, {
    enter: (fid, flavor) => { slow.push(`enter ${fid} ${flavor}`); return -++st.inst; },
    exit: (s) => { slow.push(`exit ${s}`); },
  });
  /** The words written since the segment's start (no clock reading comes before 1024 of them). */
  const words = (): number[] => Array.from(w.ibuf.subarray(0, w.p));
  return { st, calls, slow, words };
}

describe('the hot path', () => {
  it("a plain function's entry and exit: one packed word each, instances counted from 1", () => {
    const { st, calls, slow, words } = harness([0, 0, 1]);
    const a = calls.enter(1);
    const b = calls.enter(0);
    calls.statement(1);
    calls.exit(b);
    calls.exit(a);
    expect([a, b]).toEqual([1, 2]);
    expect(words()).toEqual([~(1 << 2), ~(0 << 2), ~(1 << 2 | 2), ~(2 << 2 | 1), ~(1 << 2 | 1)]);
    expect(st.depth).toBe(1);
    expect(slow).toEqual([]);
  });

  it('everything else goes to the slow paths: another flavor, no lesson frame on the stack, a module top level, a callback root', () => {
    const { st, calls, slow, words } = harness([0, 0, 1]);
    const s = calls.enter(2); // a frame that can suspend
    calls.exit(s);
    st.depth = 0; // Node calling in
    calls.enter(0);
    st.depth = 1;
    const top = calls.enter(0);
    setRoots(st, top, 0);
    calls.exit(top);
    const root = calls.enter(0);
    setRoots(st, 0, root);
    calls.exit(root);
    expect(slow).toEqual(['enter 2 1', 'exit -1', 'enter 0 0', `exit ${top}`, `exit ${root}`]);
    expect(words()).toEqual([~(0 << 2), ~(0 << 2)]); // only the two plain entries took the fast path
  });

  it('an exit below the module top level or the callback root goes to the slow path; one above it takes the fast path', () => {
    const { st, calls, slow, words } = harness([0, 0]);
    const outer = calls.enter(0); // a frame entered before the module top level below (a require inside a function)
    const top = calls.enter(1);
    setRoots(st, top, 0);
    const inner = calls.enter(0);
    calls.exit(inner);
    calls.exit(top);
    setRoots(st, 0, 0);
    calls.exit(outer);
    expect(slow).toEqual([`exit ${top}`]);
    expect(words()).toEqual([~(0 << 2), ~(1 << 2), ~(0 << 2), ~(inner << 2 | 1), ~(outer << 2 | 1)]);
    // With the module still open, the older frame's exit is the slow path's to write.
    const again = harness([0, 0]);
    const o = again.calls.enter(0);
    setRoots(again.st, again.calls.enter(1), 0);
    again.calls.exit(o);
    expect(again.slow).toEqual([`exit ${o}`]);
  });

  it('a forged argument writes nothing and calls nothing', () => {
    const { calls, slow, words } = harness([0, 0]);
    for (const forged of [7, -1, 1.5, '0', null, undefined, {}, 2 ** 40] as unknown as number[]) {
      expect(calls.enter(forged)).toBe(0);
      calls.statement(forged);
    }
    for (const forged of [5, 0, 2 ** 30, '1'] as unknown as number[]) calls.exit(forged);
    expect(words()).toEqual([]);
    // Exits the fast path refuses go to the agent, which checks them against the instances it handed out.
    expect(slow).toEqual(['exit 5', 'exit 0', `exit ${2 ** 30}`, 'exit 1']);
  });
});

describe('the warm-up before a lesson', () => {
  it("keeps its optimized code through the run's first send on the trace pipe", () => {
    // V8 throws away optimized code that assumed a map stable when that map changes. The first send gave a Uint8Array
    // an own property (trace-writer.ts `ownByteLength`), and the hot path, which reads a Uint8Array, lost the code the
    // warm-up had prepared, in the middle of the lesson.
    const script = [
      `const { warmUpStackCalls } = await import(${JSON.stringify(join(import.meta.dirname, 'stack-calls.ts'))});`,
      `const { SHARED_SLOTS, TraceWriter } = await import(${JSON.stringify(join(import.meta.dirname, 'trace-writer.ts'))});`,
      'warmUpStackCalls();',
      "console.log('-- warmed');",
      'const w = new TraceWriter(0, new Int32Array(new SharedArrayBuffer(4 * SHARED_SLOTS)), performance.timeOrigin + performance.now(), [1], 2);',
      "w.emit(0, 'main');",
      'w.flush();',
      "console.log('-- sent');",
    ].join('\n');
    const r = spawnSync(process.execPath, ['--trace-deopt', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'], encoding: 'latin1', timeout: 20_000 });
    expect(r.status).toBe(0);
    expect(r.output[4]!.length).toBeGreaterThan(0); // the frame went out
    const afterWarmUp = r.stdout.slice(r.stdout.indexOf('-- warmed'), r.stdout.indexOf('-- sent'));
    expect(r.stdout).toContain('-- sent');
    expect(afterWarmUp.split('\n').filter((line) => /marking dependent code .*SharedFunctionInfo (enter|exit|statement)>/.test(line))).toEqual([]);
  });


  it('writes nothing on the trace pipe (fd 4) and nothing on stdout or stderr', () => {
    const script = `import(${JSON.stringify(join(import.meta.dirname, 'stack-calls.ts'))}).then((m) => m.warmUpStackCalls())`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'], encoding: 'latin1', timeout: 20_000 });
    expect(r.status).toBe(0);
    expect(r.output[4]).toBe('');
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('');
  });
});
