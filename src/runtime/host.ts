/**
 * The runtime host process. Started (and supervised) by host-client.ts; runs one lesson at a time, each in its own
 * sandboxed Node process (process-run.ts, launcher.ts), and streams the header, trace batches and the run's end to
 * its parent on the frame pipe (fd 4, frames.ts).
 *
 * Invariants:
 * - Lesson code never runs in this process: it only instruments source text, starts run processes and validates
 *   what comes out of them.
 * - Every run ends exactly once, with a specific reason, after the last batch; the host survives every fault a
 *   lesson can cause, and the next run gets a fresh process (never reused after lesson code ran).
 */
import { join } from 'node:path';
import { Socket } from 'node:net';
import { DEFAULT_LIMITS, validateRunRequest, type RunRequest } from '../shared/run/contract.ts';
import { EndReason } from '../shared/trace/schema.ts';
import { encodeFrame } from './frames.ts';
import { APP_ROOT as DEFAULT_APP_ROOT } from './app-root.ts';
import type { ClientToHost, HostToClient } from './protocol.ts';
import { ProcessRun, WarmPool } from './process-run.ts';

const APP_ROOT = process.env.LOOPSCOPE_APP_ROOT ?? DEFAULT_APP_ROOT;
const RUNS_DIR = process.env.LOOPSCOPE_RUNS_DIR ?? '';
/** Under Electron the app's binary runs the run processes as Node (host-client.ts `runAsNode`). */
const RUN_AS_NODE = process.env.ELECTRON_RUN_AS_NODE === '1';

// Everything for the client goes, in order, on the frame pipe (fd 4): see frames.ts.
const toClient = new Socket({ fd: 4, readable: false, writable: true });
toClient.on('error', () => process.exit(0)); // the client is gone
const send = (message: HostToClient): void => {
  for (const part of encodeFrame(message)) toClient.write(part);
};

const pool = new WarmPool({ appRoot: APP_ROOT, runsDir: RUNS_DIR || join(APP_ROOT, '.runs'), execPath: process.execPath, runAsNode: RUN_AS_NODE }, DEFAULT_LIMITS);
pool.fill();

// ---------------------------------------------------------------- the client channel
let current: ProcessRun | null = null;
process.on('message', (raw: unknown) => {
  const m = raw as ClientToHost;
  if (!m || typeof m !== 'object') return;
  if (m.type === 'shutdown') {
    current?.end(EndReason.Stopped, 'The runtime host is shutting down.', 1);
    pool.dispose();
    void (current?.done ?? Promise.resolve()).then(() => process.exit(0));
    return;
  }
  if (m.type === 'stop') {
    if (current && current.runId === m.runId) current.end(EndReason.Stopped, 'Stopped by the user.', 1);
    return;
  }
  if (m.type === 'run') {
    const runId = typeof m.runId === 'string' ? m.runId.slice(0, 64) : 'run';
    let request: RunRequest;
    try {
      request = validateRunRequest(m.request);
    } catch (err) {
      send({ type: 'end', runId, end: { reason: EndReason.InternalError, message: (err as Error).message, exitCode: 1, events: 0, durationMs: 0 } });
      return;
    }
    const previous = current;
    previous?.end(EndReason.Stopped, 'Stopped: a new run started.', 1);
    const run = new ProcessRun(runId, request, send, pool);
    current = run;
    void (previous?.done ?? Promise.resolve()).then(() => run.start());
  }
});
process.on('disconnect', () => { pool.dispose(); process.exit(0); });
send({ type: 'ready', pid: process.pid });
