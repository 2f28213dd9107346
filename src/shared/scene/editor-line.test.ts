import { describe, expect, it } from 'vitest';
import { TraceModel } from '../trace/model.ts';
import { EventKind } from '../trace/schema.ts';
import { editorLineAt } from './editor-line.ts';
import { FrameTable } from './frames.ts';
import { AgentScript, buildScripted, eventLoopExample, scriptHeader, userFrame } from './scripted-trace.ts';

describe('the editor line at a step', () => {
  it('marks the innermost lesson function on the stack, nothing before the script runs', () => {
    const trace = eventLoopExample();
    const model = new TraceModel(trace);
    const frames = new FrameTable(trace.header);
    const print = Array.from({ length: trace.count }, (_, i) => i).filter((i) => trace.kind[i] === EventKind.Console)[1]!; // 'then'
    expect(editorLineAt(model.stateAt(print + 1), frames)).toEqual({ path: 'main.ts', line: 3, agent: 0 });
    expect(editorLineAt(model.stateAt(0), frames)).toBeNull();
  });

  //   main.ts: 1 const w = new Worker('./w.ts');    w.ts: 1 function work() {
  //            2 run();                                    2   // @checkpoint
  //            3 function run() {}                         3   total += 1;
  //                                                        4 }
  //                                                        5 work();
  const K = EventKind;
  const header = scriptHeader([
    { kind: 'script', name: 'main.ts', file: 'main.ts', line: 1, column: 1, endLine: 3, endColumn: 18 },
    { kind: 'statement', name: 'const w', file: 'main.ts', line: 1, column: 1, endLine: 1, endColumn: 31 },
    { kind: 'statement', name: 'run();', file: 'main.ts', line: 2, column: 1, endLine: 2, endColumn: 7 },
    { kind: 'function', name: 'run', file: 'main.ts', line: 3, column: 1, endLine: 3, endColumn: 18, flavor: 'sync' },
    { kind: 'script', name: 'w.ts', file: 'w.ts', line: 1, column: 1, endLine: 5, endColumn: 8 },
    { kind: 'function', name: 'work', file: 'w.ts', line: 1, column: 1, endLine: 4, endColumn: 2, flavor: 'sync' },
    { kind: 'statement', name: 'total += 1;', file: 'w.ts', line: 3, column: 3, endLine: 3, endColumn: 14 },
    { kind: 'statement', name: 'work();', file: 'w.ts', line: 5, column: 1, endLine: 5, endColumn: 8 },
  ]);
  const main = new AgentScript(0)
    .time(0).ev(K.RunStart, 0).time(1).ev(K.AgentStart, 0, -1, 'main', 'main.ts')
    .ev(K.Enter, userFrame(0), 1)
    .ev(K.Statement, userFrame(1)) // step 3
    .ev(K.Statement, userFrame(2)) // step 4
    .ev(K.Enter, userFrame(3), 2) // step 5: inside run(), the statement that called it is stale
    .ev(K.Exit, 2)
    .ev(K.Exit, 1) // step 7: the script ended
    .flush();
  // worker 2 with no worker 1: the state lists agents [main, worker 2], so index 1 is agent 2
  const worker = new AgentScript(2)
    .time(5).ev(K.AgentStart, 2, 0, 'worker 2', 'w.ts')
    .ev(K.Enter, userFrame(4), 1)
    .ev(K.Statement, userFrame(7)) // work();
    .ev(K.Enter, userFrame(5), 2)
    .ev(K.Statement, userFrame(6)) // total += 1;
    .flush();
  const trace = buildScripted(header, [...main.batches, ...worker.batches], null);
  const model = new TraceModel(trace);
  const frames = new FrameTable(trace.header);
  const at = (cursor: number, prefer = -1) => editorLineAt(model.stateAt(cursor), frames, prefer);

  it('follows top-level statements, and a function entered from one', () => {
    expect(at(3)).toBeNull(); // the script frame alone says nothing about the line
    expect(at(4)).toEqual({ path: 'main.ts', line: 1, agent: 0 });
    expect(at(5)).toEqual({ path: 'main.ts', line: 2, agent: 0 });
    expect(at(6)).toEqual({ path: 'main.ts', line: 3, agent: 0 });
    expect(at(7)).toEqual({ path: 'main.ts', line: 2, agent: 0 }); // back in the script after run() returned
    expect(at(8)).toBeNull(); // the script ended: a stale statement is not shown
  });

  it("follows a worker into its own file, preferring the agent that ran the step", () => {
    const end = trace.count;
    expect(at(end, 2)).toEqual({ path: 'w.ts', line: 3, agent: 2 });
    expect(at(end - 2, 2)).toEqual({ path: 'w.ts', line: 5, agent: 2 });
    expect(at(end - 1, 2)).toEqual({ path: 'w.ts', line: 1, agent: 2 }); // entered work(), its statement not yet
  });
});
