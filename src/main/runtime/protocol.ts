/**
 * Messages inside the runtime: client ⇄ host process (over the fork IPC channel, 'advanced' serialization) and
 * agent → host process (over each agent's trace MessagePort). Every message is a discriminated union on `type`;
 * the host validates client messages with `validateRunRequest` before acting on them.
 */
import type { MessagePort } from 'node:worker_threads';
import type { LessonFile, RunEnd, RunLimits, RunRequest } from '../../shared/run/contract.ts';
import { eventInts, type TraceHeader } from '../../shared/trace/schema.ts';

/** Slots of the run-wide Int32Array counters shared by every agent of a run. */
export const Counter = { NextAgent: 0, Workers: 1, ExternalKb: 2, Events: 3 } as const;
export const COUNTER_SLOTS = 8;

export interface InstrumentedFile {
  readonly path: string;
  readonly code: string;
  readonly map: unknown;
  readonly isModule: boolean;
}

/** What an agent worker needs to start (workerData, or the first message to a warm worker). */
export interface AgentInit {
  readonly agentId: number;
  readonly parentAgentId: number;
  readonly name: string;
  readonly entry: string;
  readonly files: readonly InstrumentedFile[];
  /** One char per frame id: '0' sync, '1' async, '2' generator, '3' async generator. */
  readonly frameFlavors: string;
  /** Entry path → id of its `(main)` script frame. */
  readonly scriptFrames: Readonly<Record<string, number>>;
  /** Package name → entry file among `files` (async-mutex). */
  readonly packages: Readonly<Record<string, string>>;
  readonly traced: boolean;
  readonly limits: RunLimits;
  readonly lessonRoot: string;
  /** Real directory holding the lesson's files, for the kit's file reads. */
  readonly runDir: string;
  readonly runStartMs: number;
  readonly counters: SharedArrayBuffer;
  /** Where this agent posts batches; absent for the main agent, which uses its parentPort. */
  readonly tracePort?: MessagePort;
  readonly parentChannel?: MessagePort;
}

export type AgentToHost =
  | { type: 'agent'; agent: number; ibuf: SharedArrayBuffer; sbuf: SharedArrayBuffer }
  | { type: 'agent-port'; agent: number; port: MessagePort }
  | { type: 'batch'; agent: number; seq: number; ints: Int32Array; strings: string[] }
  | { type: 'fatal'; agent: number; kind: number; message: string; stack: string }
  | { type: 'exit'; agent: number; code: number; signal?: string }
  | { type: 'agent-exit'; agent: number; code: number }
  | { type: 'limit'; what: 'events' | 'external' | 'workers' | 'heap'; detail?: string };

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

/** Number of events in an int stream (stops at the first unknown kind; the trace builder reports those). */
export function countEvents(ints: Int32Array): number {
  let n = 0;
  for (let i = 0; i < ints.length; n++) {
    const size = eventInts(ints, i);
    if (size === 0) break;
    i += size;
  }
  return n;
}

/** Decodes the batch-local string area written by the in-context tracer: [len, …chars] per string. */
export function decodeStrings(sbuf: Uint16Array, count: number): string[] {
  const out: string[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const len = sbuf[at]!;
    let s = '';
    for (let k = 0; k < len; k += 8192) s += String.fromCharCode(...sbuf.subarray(at + 1 + k, at + 1 + Math.min(len, k + 8192)));
    out.push(s);
    at += 1 + len;
  }
  return out;
}
