import { describe, expect, it } from 'vitest';
import { findCheckpointMarkers, lessonSourceIssues } from './markers.ts';
import { watchedNames } from './watch-markers.ts';

const MAIN = [
  "import { Worker } from 'node:worker_threads';", // 1
  '', // 2
  '// @checkpoint start-timer', // 3
  '', // 4
  '// a comment between', // 5
  "setTimeout(() => console.log('B'), 0);", // 6
  '  // @checkpoint after-block', // 7
  '  /* block', // 8
  '     comment */', // 9
  "  console.log('A');", // 10
  '// @checkpoint Bad_Id', // 11
  'x();', // 12
  '// @checkpoint dangling', // 13
].join('\n');

describe('findCheckpointMarkers', () => {
  it('resolves each marker to the next code line, skipping blank lines and comments', () => {
    const { markers, issues } = findCheckpointMarkers([{ path: 'main.ts', text: MAIN }]);
    expect(markers).toEqual([
      { id: 'start-timer', file: 'main.ts', commentLine: 3, line: 6 },
      { id: 'after-block', file: 'main.ts', commentLine: 7, line: 10 },
    ]);
    expect(issues).toEqual([
      { path: 'main.ts:11', message: expect.stringMatching(/must be a kebab-case id/) },
      { path: 'main.ts:13', message: 'checkpoint marker "dangling" has no code after it' },
    ]);
  });

  it('finds markers in worker files and refuses the same id twice', () => {
    const { markers, issues } = findCheckpointMarkers([
      { path: 'main.ts', text: '// @checkpoint post\nw.postMessage(1);' },
      { path: 'worker.ts', text: '\r\n// @checkpoint receive\r\nparentPort.on("message", f);\r\n// @checkpoint post\r\nf();' },
    ]);
    expect(markers.map((m) => `${m.id}@${m.file}:${m.line}`)).toEqual(['post@main.ts:2', 'receive@worker.ts:3']);
    expect(issues[0]?.message).toBe('checkpoint marker "post" is also at main.ts:1');
  });
});

describe('lessonSourceIssues', () => {
  it('reports marker checkpoints without a comment and comments without a checkpoint', () => {
    const issues = lessonSourceIssues(
      { checkpoints: [{ name: 'a', marker: 'present', explain: 'x' }, { name: 'b', marker: 'missing', explain: 'x' }, { name: 'c', consoleLine: 'x', explain: 'x' }] },
      [{ path: 'main.ts', text: '// @checkpoint present\nf();\n// @checkpoint stray\ng();' }],
    );
    expect(issues).toEqual([
      { path: 'checkpoints[1].marker', message: 'no "// @checkpoint missing" comment in main.ts' },
      { path: 'main.ts:3', message: 'marker "stray" is not used by any checkpoint in lesson.json' },
    ]);
  });
});

describe('watch markers', () => {
  it('are checked with the lesson’s other markers: a bad one is reported by file and line', () => {
    const files = [{ path: 'main.ts', text: '// @watch balance, total\nlet balance = 0;\n// @watch 1st\n' }];
    expect(watchedNames(files[0]!.text)).toEqual(new Set(['balance', 'total']));
    expect(lessonSourceIssues({ checkpoints: [] }, files)).toEqual([{ path: 'main.ts:3', message: '"1st" is not a variable name (// @watch balance, total)' }]);
  });
});
