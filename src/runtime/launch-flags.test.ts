/**
 * What the host tells a run process on its control pipe before the lesson (process/control.ts): the first byte, its
 * launch flags — a drain thread unless its caller keeps no trace (`loopscope run` without -o), and the tracer's
 * warm-up for a process that waits for its lesson — and, to a warm process nobody took for a while, a line that has
 * it start Node's type stripper; never to one a run took at once.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_LIMITS } from '../shared/run/contract.ts';
import { APP_ROOT } from './app-root.ts';
import { RunProcess, type LaunchOptions } from './launcher.ts';
import { LaunchFlag, WARM_UP_LINE, launchByte } from './process/control.ts';
import { WarmPool } from './process-run.ts';
import type { Wrapped } from './sandbox-seam.ts';

const runsDir = mkdtempSync(join(tmpdir(), 'loopscope-launch-flags-'));
afterAll(() => rmSync(runsDir, { recursive: true, force: true }));
afterEach(() => { vi.useRealTimers(); });

/** Stand-ins for spawn and the OS layer; `written[i]` is what the i-th process's control pipe got. */
function seams(): { written: string[]; options: Pick<LaunchOptions, 'spawn' | 'wrap'> } {
  const written: string[] = [];
  const spawn = (() => {
    const control = new PassThrough();
    const at = written.push('') - 1;
    control.on('data', (d: Buffer) => { written[at] += d.toString('latin1'); });
    return Object.assign(new EventEmitter(), {
      pid: undefined, exitCode: null, signalCode: null, stdout: new PassThrough(), stderr: new PassThrough(),
      stdio: [null, new PassThrough(), new PassThrough(), control, new PassThrough()],
      kill() { return true; },
    });
  }) as unknown as typeof import('node:child_process').spawn;
  const wrap = (spec: { command: string; args: readonly string[] }): Wrapped => ({ command: spec.command, args: [...spec.args], layers: [] });
  return { written, options: { spawn, wrap } };
}

const settle = (): Promise<void> => new Promise((r) => setImmediate(r));
const flagsOf = (byte: string | undefined): number => (byte ?? '').charCodeAt(0) - 0x40;

describe('the control pipe before the lesson', () => {
  it('first byte: a drain thread by default, none when the caller says so; the warm-up when asked', async () => {
    const cases = [[{}, LaunchFlag.DrainThread], [{ drainThread: false }, 0], [{ warmTracer: true }, LaunchFlag.DrainThread | LaunchFlag.WarmTracer]] as const;
    for (const [options, flags] of cases) {
      const { written, options: fakes } = seams();
      new RunProcess({ appRoot: APP_ROOT, runsDir, heapMb: 256, memoryMb: 768, ...fakes, ...options }).dispose();
      await settle();
      expect(written).toEqual([launchByte(flags)]);
      expect(flagsOf(written[0])).toBe(flags);
    }
  });

  it("the pool's processes warm the tracer up as they start; a one-shot caller's do not (its lesson follows at once)", async () => {
    for (const [warmUp, flags] of [[true, LaunchFlag.DrainThread | LaunchFlag.WarmTracer], [false, LaunchFlag.DrainThread]] as const) {
      const { written, options: fakes } = seams();
      const pool = new WarmPool({ appRoot: APP_ROOT, runsDir, ...fakes }, DEFAULT_LIMITS, { refill: false, warmUp });
      pool.fill();
      await settle();
      expect(written).toEqual([launchByte(flags)]);
      pool.dispose();
    }
  });

  it('a process started for a run that is already waiting (other limits than the warm one) does not warm up', async () => {
    const { written, options: fakes } = seams();
    const pool = new WarmPool({ appRoot: APP_ROOT, runsDir, ...fakes }, DEFAULT_LIMITS, { refill: false });
    pool.fill();
    const proc = pool.take({ ...DEFAULT_LIMITS, heapMb: DEFAULT_LIMITS.heapMb * 2 });
    await settle();
    expect(written).toEqual([launchByte(LaunchFlag.DrainThread | LaunchFlag.WarmTracer), launchByte(LaunchFlag.DrainThread)]);
    proc.dispose();
    pool.dispose();
  });

  it('a warm process nobody took for 500 ms is asked to warm up, once; one taken sooner never is', async () => {
    const first = launchByte(LaunchFlag.DrainThread | LaunchFlag.WarmTracer);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { written, options: fakes } = seams();
    const pool = new WarmPool({ appRoot: APP_ROOT, runsDir, ...fakes }, DEFAULT_LIMITS, { refill: false });
    pool.fill();
    vi.advanceTimersByTime(499);
    await settle();
    expect(written).toEqual([first]);
    vi.advanceTimersByTime(1);
    await settle();
    expect(written).toEqual([`${first}${WARM_UP_LINE}\n`]);

    const taken = seams();
    const again = new WarmPool({ appRoot: APP_ROOT, runsDir, ...taken.options }, DEFAULT_LIMITS, { refill: false });
    again.fill();
    vi.advanceTimersByTime(250); // a re-run takes it
    const proc = again.take(DEFAULT_LIMITS);
    vi.advanceTimersByTime(1000);
    await settle();
    expect(taken.written).toEqual([first]);
    proc.dispose();
    pool.dispose();
  });

  it('a pool told not to (a one-shot caller) never asks', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { written, options: fakes } = seams();
    const pool = new WarmPool({ appRoot: APP_ROOT, runsDir, ...fakes }, DEFAULT_LIMITS, { refill: false, warmUp: false });
    pool.fill();
    vi.advanceTimersByTime(5000);
    await settle();
    expect(written).toEqual([launchByte(LaunchFlag.DrainThread)]);
    pool.dispose();
  });
});
