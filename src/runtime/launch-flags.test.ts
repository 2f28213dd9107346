/**
 * The first byte a run process reads (process/control.ts `LaunchFlag`): what it starts besides the tracer. A drain
 * thread unless its caller keeps no trace (`loopscope run` without -o); Node's type stripper while it waits only when
 * it was started ahead of its lesson (the warm pool's fill), never for a run whose lesson is on its way.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../shared/run/contract.ts';
import { APP_ROOT } from './app-root.ts';
import { RunProcess, type LaunchOptions } from './launcher.ts';
import { LaunchFlag, launchByte } from './process/control.ts';
import { WarmPool } from './process-run.ts';
import type { Wrapped } from './sandbox-seam.ts';

const runsDir = mkdtempSync(join(tmpdir(), 'loopscope-launch-flags-'));
afterAll(() => rmSync(runsDir, { recursive: true, force: true }));

/** Stand-ins for spawn and the OS layer that record the bytes each process's control pipe got first. */
function seams(): { firstBytes: string[]; options: Pick<LaunchOptions, 'spawn' | 'wrap'> } {
  const firstBytes: string[] = [];
  const spawn = (() => {
    const control = new PassThrough();
    let first = true;
    control.on('data', (d: Buffer) => { if (first) firstBytes.push(d.toString('latin1', 0, 1)); first = false; });
    return Object.assign(new EventEmitter(), {
      pid: undefined, exitCode: null, signalCode: null, stdout: new PassThrough(), stderr: new PassThrough(),
      stdio: [null, new PassThrough(), new PassThrough(), control, new PassThrough()],
      kill() { return true; },
    });
  }) as unknown as typeof import('node:child_process').spawn;
  const wrap = (spec: { command: string; args: readonly string[] }): Wrapped => ({ command: spec.command, args: [...spec.args], layers: [] });
  return { firstBytes, options: { spawn, wrap } };
}

const flagsOf = (byte: string | undefined): number => (byte ?? '').charCodeAt(0) - 0x40;

describe('launch flags', () => {
  it('a launcher byte is one printable character per combination of flags', () => {
    const all = [0, 1, 2, 3].map(launchByte);
    expect(new Set(all).size).toBe(4);
    for (const [i, b] of all.entries()) expect([b.length, flagsOf(b)]).toEqual([1, i]);
  });

  it('by default a process starts a drain thread and warms up; each option turns its flag off', async () => {
    const cases: [Partial<LaunchOptions>, number][] = [
      [{}, LaunchFlag.DrainThread | LaunchFlag.WarmUp],
      [{ drainThread: false }, LaunchFlag.WarmUp],
      [{ warmUp: false }, LaunchFlag.DrainThread],
      [{ drainThread: false, warmUp: false }, 0],
    ];
    for (const [options, flags] of cases) {
      const { firstBytes, options: fakes } = seams();
      new RunProcess({ appRoot: APP_ROOT, runsDir, heapMb: 256, memoryMb: 768, ...fakes, ...options }).dispose();
      await new Promise((r) => setImmediate(r));
      expect(firstBytes.map(flagsOf)).toEqual([flags]);
    }
  });

  it('the warm pool warms up only the process it starts ahead, not one started for a run with other limits', async () => {
    const { firstBytes, options: fakes } = seams();
    const pool = new WarmPool({ appRoot: APP_ROOT, runsDir, ...fakes }, DEFAULT_LIMITS, { refill: false });
    pool.fill(); // ahead of any lesson
    pool.take({ heapMb: DEFAULT_LIMITS.heapMb * 2, externalMemoryMb: DEFAULT_LIMITS.externalMemoryMb }).dispose(); // for a run now
    pool.dispose();
    await new Promise((r) => setImmediate(r));
    expect(firstBytes.map(flagsOf)).toEqual([LaunchFlag.DrainThread | LaunchFlag.WarmUp, LaunchFlag.DrainThread]);
  });
});
