/**
 * The control pipe (fd 3), host → run process: the run's configuration, one JSON line (preload.ts RunConfig), and
 * then the host closes the pipe. A pipe closed with no configuration means the process is not needed (a warm
 * process the host no longer wants). The preload reads it blocking, before the lesson exists.
 */
import { readSync } from 'node:fs';

export const CONTROL_FD = 3;

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
    let n: number;
    try {
      n = readSync(CONTROL_FD, buf, 0, buf.length, null);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2); continue; }
      throw err;
    }
    if (n === 0) { const line = rest.toString('utf8'); rest = Buffer.alloc(0); return line; }
    rest = Buffer.concat([rest, buf.subarray(0, n)]);
  }
}
