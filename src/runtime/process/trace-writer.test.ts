/**
 * The trace writer of a run without a drain thread (`loopscope run` without -o): a busy agent fills its ring and
 * sends nothing until it flushes (console output, a wait, the exit) or the ring is full — waiting for the pipe at
 * every full segment cost a traced fib(27) more than its own work. Everything still arrives, in order.
 *
 * The writer runs in a child process with fd 4 piped, as in a run process; the child writes a marker straight to
 * fd 4 between its writing and its flush, so the test sees what went out before the flush.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SEGMENT_INTS } from './trace-writer.ts';

const MARK = Buffer.from('--flush--');

/** Runs a writer with a ring of `segments` that writes `words` packed words (1, 2, 3, … as ~n), marks, flushes. */
function writeInChild(segments: number, words: number): { before: number[]; after: number[] } {
  const script = `
    const { writeSync } = await import('node:fs');
    const { SHARED_SLOTS, TraceWriter } = await import(${JSON.stringify(join(import.meta.dirname, 'trace-writer.ts'))});
    const w = new TraceWriter(0, new Int32Array(new SharedArrayBuffer(4 * SHARED_SLOTS)), performance.timeOrigin + performance.now(), [], ${segments});
    for (let i = 1; i <= ${words}; i++) w.packed(~i);
    writeSync(4, ${JSON.stringify(MARK.toString())});
    w.flush();`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'], timeout: 20_000, maxBuffer: 64 << 20 });
  expect(r.stderr.toString()).toBe('');
  expect(r.status).toBe(0);
  const pipe = r.output[4] as Buffer;
  const at = pipe.indexOf(MARK);
  expect(at).toBeGreaterThanOrEqual(0);
  return { before: packedWords(pipe.subarray(0, at)), after: packedWords(pipe.subarray(at + MARK.length)) };
}

/** The packed stack words of a run of batch frames ([type, agent, nInts, nStringBytes] + ints + strings). */
function packedWords(bytes: Buffer): number[] {
  const out: number[] = [];
  for (let off = 0; off < bytes.length;) {
    const [type, , nInts, nStringBytes] = [0, 1, 2, 3].map((k) => bytes.readInt32LE(off + 4 * k));
    expect(type).toBe(1);
    for (let k = 0; k < nInts!; k++) {
      const v = bytes.readInt32LE(off + 16 + 4 * k);
      if (v < 0) out.push(~v);
      else k++; // a clock reading: [0, time]
    }
    off += 16 + 4 * nInts! + nStringBytes!;
  }
  return out;
}

const count = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

describe('a trace writer without a drain thread', () => {
  it('sends nothing while its ring has room, then everything, in order, when it flushes', () => {
    const words = Math.floor(2.5 * SEGMENT_INTS);
    const { before, after } = writeInChild(4, words);
    expect(before).toEqual([]);
    expect(after).toEqual(count(words));
  });

  it('sends from its own thread when the ring is full, and loses nothing', () => {
    const words = 5 * SEGMENT_INTS;
    const { before, after } = writeInChild(4, words);
    expect(before.length).toBeGreaterThanOrEqual(3 * SEGMENT_INTS - 4096); // the ring's sealed segments went out
    expect([...before, ...after]).toEqual(count(words));
  });
});
