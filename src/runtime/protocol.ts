/**
 * Messages inside the runtime: client ⇄ host process (over the fork IPC channel, 'advanced' serialization) and
 * agent → host process (over each agent's trace MessagePort). Every message is a discriminated union on `type`;
 * the host validates client messages with `validateRunRequest` before acting on them.
 */
import type { MessagePort } from 'node:worker_threads';
import type { LessonFile, RunEnd, RunLimits, RunRequest } from '../shared/run/contract.ts';
import type { TraceHeader } from '../shared/trace/schema.ts';

/** Slots of the run-wide Int32Array counters shared by every agent of a run. */
export const Counter = { NextAgent: 0, Workers: 1, ExternalKb: 2, Events: 3 } as const;
export const COUNTER_SLOTS = 8;

/**
 * An agent's trace ring: segments of `segmentInts` int32s in one SharedArrayBuffer, plus a control Int32Array.
 * The tracer fills the open segment; a flush seals it (state 1) and posts a `batch` message naming it; the host
 * process copies it out, zeroes it and frees it (state 0, notify); the tracer continues in the next segment,
 * waiting for the host if that one is still sealed. Control slots: `committed` write position (absolute ring
 * index, written at clock readings and non-stack events), `chars` and `strings` used in the string area, `seq` of
 * the open batch, `start` of the open segment, and `state + i` for segment i.
 */
export const Ring = {
  segmentInts: 1 << 16,
  /** The main agent, where most lessons spend their time, can have 4 MB in flight; each worker 1 MB. */
  mainSegments: 16,
  workerSegments: 4,
  committed: 0, chars: 1, strings: 2, seq: 3, start: 4, state: 8,
  controlSlots: 8 + 16,
} as const;

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
  | { type: 'agent'; agent: number; ring: SharedArrayBuffer; control: SharedArrayBuffer; strings: SharedArrayBuffer }
  | { type: 'agent-port'; agent: number; port: MessagePort }
  /**
   * Segment `segment` of the agent's ring holds the batch's first `length` ints, which are `events` events (the
   * tracer counts them, so the host need not walk them); the host frees the segment once copied.
   */
  | { type: 'batch'; agent: number; seq: number; segment: number; length: number; events: number; strings: string[] }
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
