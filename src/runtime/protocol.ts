/**
 * Messages between the runtime's client and its host process: client → host over the fork IPC channel, host →
 * client as frames on a pipe (frames.ts). Every message is a discriminated union on `type`; the host validates
 * client messages with `validateRunRequest` before acting on them. (What a run process sends the host is in
 * launcher.ts.)
 */
import type { LessonFile, RunEnd, RunRequest } from '../shared/run/contract.ts';
import type { TraceHeader } from '../shared/trace/schema.ts';

export type ClientToHost =
  | { type: 'run'; runId: string; request: RunRequest }
  | { type: 'stop'; runId: string }
  | { type: 'shutdown' };

export type HostToClient =
  | { type: 'ready'; pid: number }
  | { type: 'header'; runId: string; header: TraceHeader }
  | { type: 'batch'; runId: string; agent: number; ints: Int32Array; strings: string[] }
  | { type: 'end'; runId: string; end: RunEnd };

export type { LessonFile };
