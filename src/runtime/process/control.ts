/**
 * The control pipe (fd 3), host → run process: one byte as the process starts (what it starts besides the tracer:
 * `LaunchFlag`), then lines: perhaps `WARM_UP_LINE`, then the run's configuration, one JSON line (preload.ts
 * RunConfig), and then the host closes the pipe. A pipe closed with no configuration means the process is not needed
 * (a warm process the host no longer wants). The process reads all of it blocking, before the lesson exists.
 */
import { readSync } from 'node:fs';

export const CONTROL_FD = 3;
/** What a run process starts besides the tracer, as bits of the launcher's first byte. */
export const LaunchFlag = {
  /** A drain thread (drain.ts). */
  DrainThread: 1,
  /** The tracer's hot path run on scratch memory before the lesson arrives (stack-calls.ts `warmUpStackCalls`). */
  WarmTracer: 2,
} as const;
const ALL_FLAGS = Object.values(LaunchFlag).reduce<number>((all, flag) => all | flag, 0);
/** A line the host sends a warm process that has waited a while: start Node's TypeScript type stripper now
 * (preload.ts `warmUpTypeStripper`; process-run.ts `WarmPool`). */
export const WARM_UP_LINE = 'warm-up';

/** The byte for these `LaunchFlag` bits (a printable character). */
export function launchByte(flags: number): string {
  return String.fromCharCode(0x40 + (flags & ALL_FLAGS));
}

/** Up to `length` bytes from the pipe, waiting for at least one; 0 once it is closed. */
function readBlocking(buf: Buffer, length: number): number {
  for (;;) {
    try {
      return readSync(CONTROL_FD, buf, 0, length, null);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2); continue; }
      throw err;
    }
  }
}

/** The launcher's first byte (launcher.ts writes it at spawn) as `LaunchFlag` bits; none when the pipe closed first. */
export function readLaunchFlags(): number {
  const one = Buffer.alloc(1);
  return readBlocking(one, 1) === 1 ? (one[0]! - 0x40) & ALL_FLAGS : 0;
}

/** The host's line on fd 3, read blocking: the run's configuration ('' when the pipe closed without one). */
let rest = Buffer.alloc(0);
export function readControlLine(): string {
  const buf = Buffer.alloc(65536);
  for (;;) {
    const nl = rest.indexOf(10);
    if (nl >= 0) {
      const line = rest.subarray(0, nl).toString('utf8');
      rest = rest.subarray(nl + 1);
      return line;
    }
    const n = readBlocking(buf, buf.length);
    if (n === 0) { const line = rest.toString('utf8'); rest = Buffer.alloc(0); return line; }
    rest = Buffer.concat([rest, buf.subarray(0, n)]);
  }
}
