/**
 * `loopscope check` on the v2 tracer's values: a lesson that watches a variable (`// @watch`), takes an async-mutex
 * lock held in a named variable and writes shared memory with plain element writes. Its expectations on the value,
 * the lock's holder and waiter (named by the function that asked) and the cell hold; a drifted copy fails with a
 * message that says what the stage shows instead.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../runtime/api.ts';
import { startRuntimeHost } from '../../runtime/host-client.ts';
import { makeTempDir, removeTempDir } from '../../../test/support/temp-dir.ts';
import { checkLessons, formatCheckReport } from './check.ts';
import { writeLesson } from './fixtures.test-support.ts';

const MAIN = `import { Mutex } from 'async-mutex';

// @watch total
let total = 0;
const accountLock = new Mutex();

async function add(n: number): Promise<void> {
  await accountLock.runExclusive(async () => {
    // @checkpoint inside
    const seen = total;
    await new Promise((resolve) => setTimeout(resolve, 5));
    total = seen + n;
  });
}

const shared = new Int32Array(new SharedArrayBuffer(8));
shared[1] = 7;
await Promise.all([add(1), add(2)]);
console.log(\`total \${total}\`);
`;

let runtime: Runtime;
let temp: string;
beforeAll(() => {
  runtime = startRuntimeHost();
  temp = makeTempDir('check-values');
});
afterAll(async () => {
  await runtime.dispose();
  removeTempDir(temp);
});

const lesson = (inside: Record<string, unknown>) => ({
  expected: { stdout: ['total 3'] },
  checkpoints: [
    { name: 'Inside', marker: 'inside', explain: 'add(1) holds the lock, add(2) waits; total is still 0.', expect: inside },
    { name: 'Done', consoleLine: 'total 3', explain: 'Both additions counted.', expect: { values: { total: '3' }, locks: { accountLock: { holders: [], waiters: [] } } } },
  ],
  quiz: { prompt: 'What is printed?', kind: 'type' },
});

describe('check: watched values, named locks and shared cells (runtime v2)', () => {
  it('verifies them at each checkpoint and says exactly what differs', async () => {
    const root = join(temp, 'lessons');
    const holds = { values: { total: '0' }, locks: { accountLock: { holders: ['add(1)'], waiters: ['add(2)'] } }, cells: { '1': 7 } };
    writeLesson(root, 'holds', lesson(holds), [{ path: 'main.ts', text: MAIN }]);
    writeLesson(root, 'drifts', lesson({ values: { total: '5' }, locks: { accountLock: { holders: [], waiters: ['add(2)'] } } }), [{ path: 'main.ts', text: MAIN }]);
    const report = await checkLessons(root, runtime);
    const [drifts, ok] = report.results;
    expect(ok!.problems).toEqual([]);
    expect(ok!.expectations).toMatchObject({ checkpoints: 2, withExpectations: 2, expectations: 7, held: 7 });
    expect(drifts!.ok).toBe(false);
    expect(drifts!.problems).toEqual([
      expect.stringMatching(/^checkpoint "Inside" \(step \d+\): watched value total: expected "5", the stage shows "0"$/),
      expect.stringMatching(/^checkpoint "Inside" \(step \d+\): lock accountLock's holders: expected \[\], the stage shows \["add\(1\)"\]$/),
    ]);
    expect(formatCheckReport(report)).toContain('checkpoints: 4/4 carry expectations, 11 expectations hold (2 of 13 do not)');
  }, 60_000);
});
