import { describe, expect, it } from 'vitest';
import { TraceModel } from '../trace/model.ts';
import { EventKind } from '../trace/schema.ts';
import { buildTrace } from '../trace/test-support.ts';
import { checkpointOutcomes, checkpointSpecs, editorLineAt, resolveCheckpoints } from './checkpoints.ts';
import { FrameTable } from './frames.ts';
import { eventLoopExample } from './scripted-trace.ts';

describe('checkpoints', () => {
  const trace = eventLoopExample();

  it('lands just after the console line a checkpoint names', () => {
    const [cp] = resolveCheckpoints(trace, [{ name: 'Timer last', consoleLine: 'timeout' }], []);
    expect(cp!.name).toBe('Timer last');
    expect(trace.kind[cp!.cursor - 1]).toBe(EventKind.Console);
  });

  it('resolves a marker to the first entry of the function holding the marked line', () => {
    // the scripted trace's `f` spans main.ts:4, so the marker sits above line 4
    const shifted = [{ path: 'main.ts', text: "console.log('start');\nsetTimeout(() => console.log('timeout'), 0);\n// @checkpoint in-f\nasync function f() { await null; console.log('f2'); }\nf();\n" }];
    const [cp] = resolveCheckpoints(trace, [{ name: 'in f', marker: 'in-f' }], shifted);
    expect(cp).toBeDefined();
    expect(trace.kind[cp!.cursor - 1]).toBe(EventKind.Enter);
  });

  it('finds a console line among the lines one call printed', () => {
    const printed = buildTrace([[EventKind.Console, 0, 'first'], [EventKind.Console, 0, 'second\nthird\n']]);
    expect(resolveCheckpoints(printed, [{ name: 'third', consoleLine: 'third' }, { name: 'first', consoleLine: 'first' }], [])).toEqual([
      { name: 'first', cursor: 1, explain: '' },
      { name: 'third', cursor: 2, explain: '' },
    ]);
  });

  it('says why a checkpoint does not resolve, and reads markers from code files only', () => {
    const files = [{ path: 'README.md', text: '// @checkpoint in-readme\nconsole.log(1);\n' }, { path: 'main.ts', text: "console.log('start');\n" }];
    expect(checkpointOutcomes(trace, [{ name: 'a', marker: 'in-readme' }, { name: 'b', consoleLine: 'never' }, { name: 'c', consoleLine: 'start', explain: 'x' }], files)).toEqual([
      { name: 'a', explain: '', cursor: -1, detail: 'no "// @checkpoint in-readme" comment in the lesson\'s code' },
      { name: 'b', explain: '', cursor: -1, detail: 'the run never printed "never"' },
      { name: 'c', explain: 'x', cursor: expect.any(Number), detail: expect.stringMatching(/^console line "start", step \d+$/) },
    ]);
  });

  it('reads checkpoints from lesson extras defensively', () => {
    expect(checkpointSpecs({ checkpoints: [{ name: 'a', consoleLine: 'x' }, 3, { nope: 1 }] })).toEqual([{ name: 'a', consoleLine: 'x', marker: undefined, explain: '' }]);
    expect(checkpointSpecs(null)).toEqual([]);
  });

  it('highlights the innermost lesson function on the stack', () => {
    const model = new TraceModel(trace);
    const frames = new FrameTable(trace.header);
    const print = Array.from({ length: trace.count }, (_, i) => i).filter((i) => trace.kind[i] === EventKind.Console)[1]!; // 'then'
    expect(editorLineAt(model.stateAt(print + 1), frames)).toEqual({ path: 'main.ts', line: 3 });
    expect(editorLineAt(model.stateAt(0), frames)).toBeNull();
  });
});
