/**
 * Chrome Trace Event JSON (for Perfetto and chrome://tracing) from a Loopscope trace.
 *
 * Layout: one process per agent (pid = agent + 1, named after the agent). tid 1 is the call stack: task slices
 * named like DevTools ("Timer fired", "Run microtasks", …) with the lesson's frames nested inside, as B/E
 * pairs. tid 2 carries console lines and errors as instant events. Each queue is an async track (b/e, cat = the
 * queue's name, one id per task, process-scoped through `id2.local`) spanning runnable → started, with a
 * "queue depth" counter. Flows (ph s/f, numeric `id`, same number in `bind_id`) link where a task was scheduled
 * to where it ran, and where a message was posted to where it was received (never backwards in time).
 *
 * Invariants:
 * - Per (pid, tid) the B/E events nest and balance, even for a truncated trace: whatever is open at the end
 *   (or at an agent's end) is closed there; a mismatched Exit closes the slices above it first.
 * - Timestamps are µs since the run started and never go backwards within a tid.
 * - A flow's s and f sit exactly on the start timestamp of the slice they bind to, right after its B, so an
 *   importer binds them to that slice; flows whose end never happened are left out. Output is sorted by ts.
 */
import type { Trace } from '../trace/builder.ts';
import { FrameNames } from '../trace/trace-logs.ts';
import { TaskIndex } from '../trace/task-index.ts';
import { byKind, type PerKind } from '../trace/event-kinds.ts';
import {
  END_REASON_NAMES, isMicro, PHASE_NAMES, Queue, QUEUE_NAMES, queueOf, TASK_KIND_NAMES, TaskKind,
} from '../trace/schema.ts';

export interface ChromeTraceEvent {
  name?: string;
  cat?: string;
  ph: string;
  ts?: number;
  pid: number;
  tid?: number;
  id?: number;
  id2?: { local: string };
  bind_id?: number;
  bp?: 'e';
  s?: 't' | 'p' | 'g';
  args?: Record<string, unknown>;
}

export interface ChromeTrace {
  traceEvents: ChromeTraceEvent[];
  displayTimeUnit: 'ms';
  metadata: Record<string, unknown>;
}

const STACK_TID = 1;
const CONSOLE_TID = 2;
const SHOWN_QUEUES = [Queue.NextTick, Queue.Microtask, Queue.Timers, Queue.Check, Queue.Poll, Queue.Close] as const;

/** DevTools-style names for task slices, by TaskKind. */
export const TASK_SLICE_NAMES: readonly string[] = [
  'Evaluate script', 'Timer fired', 'Timer fired', 'setImmediate', 'process.nextTick', 'queueMicrotask',
  'Promise reaction', 'Await continuation', 'I/O callback', 'Close callback', 'Message', 'Signal handler', 'Event listener',
];
export const CHECKPOINT_SLICE_NAME = 'Run microtasks';

interface Open {
  readonly type: 'frame' | 'task' | 'checkpoint';
  /** Frame instance id or task row. */
  readonly key: number;
  /** Index of its B event in the agent's event list, and its timestamp. */
  readonly at: number;
  readonly ts: number;
}

interface Site { readonly agent: number; readonly at: number; readonly ts: number }

class AgentTrack {
  readonly pid: number;
  readonly events: ChromeTraceEvent[] = [];
  /** Flow events to place right after events[at]. */
  readonly after = new Map<number, ChromeTraceEvent[]>();
  readonly stack: Open[] = [];
  /** Latest timestamp on tid 1. */
  lastTs = 0;
  latestTs = 0;
  readonly queued = new Map<number, number>(); // task row → queue
  readonly depth = new Array<number>(QUEUE_NAMES.length).fill(0);
  readonly suspendedFrames = new Map<number, number>();

  constructor(agent: number) {
    this.pid = agent + 1;
  }

  push(e: ChromeTraceEvent): number {
    if (e.ts !== undefined && e.ts > this.latestTs) this.latestTs = e.ts;
    return this.events.push(e) - 1;
  }

  open(type: Open['type'], key: number, name: string, ts: number, args?: Record<string, unknown>): Open {
    const t = Math.max(ts, this.lastTs);
    this.lastTs = t;
    const at = this.push({ name, ph: 'B', ts: t, pid: this.pid, tid: STACK_TID, ...(args ? { args } : {}) });
    const entry = { type, key, at, ts: t };
    this.stack.push(entry);
    return entry;
  }

  closeDownTo(depth: number, ts: number): void {
    while (this.stack.length > depth) {
      this.stack.pop();
      const t = Math.max(ts, this.lastTs);
      this.lastTs = t;
      this.push({ ph: 'E', ts: t, pid: this.pid, tid: STACK_TID });
    }
  }

  find(type: Open['type'], key: number): number {
    for (let k = this.stack.length - 1; k >= 0; k--) if (this.stack[k]!.type === type && this.stack[k]!.key === key) return k;
    return -1;
  }

  attach(at: number, e: ChromeTraceEvent): void {
    const list = this.after.get(at);
    if (list) list.push(e);
    else this.after.set(at, [e]);
  }

  ordered(): ChromeTraceEvent[] {
    if (this.after.size === 0) return this.events;
    const out: ChromeTraceEvent[] = [];
    this.events.forEach((e, i) => {
      out.push(e);
      const flows = this.after.get(i);
      if (flows) out.push(...flows);
    });
    return out;
  }
}

/** What the export keeps while it walks the trace, shared by the per-kind handlers. */
interface ChromeContext {
  readonly tasks: TaskIndex;
  readonly frames: FrameNames;
  /** Agent → its name from AgentStart. */
  readonly names: Map<number, string>;
  readonly track: (agent: number) => AgentTrack;
  /** Where the agent is now (its innermost open slice), for the start of a flow. */
  readonly here: (t: AgentTrack, agent: number) => Site | undefined;
  readonly flow: (name: string, from: Site, to: AgentTrack, toOpen: Open) => void;
  readonly counter: (t: AgentTrack, ts: number) => void;
  readonly dequeue: (t: AgentTrack, row: number, ts: number) => void;
  readonly closeAgent: (t: AgentTrack, ts: number) => void;
  readonly closeCheckpoint: (t: AgentTrack) => void;
  /** Task row → where it was scheduled. */
  readonly scheduleSites: Map<number, Site>;
  /** Message id → where it was posted. */
  readonly postSites: Map<number, Site>;
  /** Task row → the message id it received. */
  readonly receivedBy: Map<number, number>;
}

/** What the export does with one event: `a0`, `a1` are its first args (`trace.args[p …]` all of them), `t` its agent's track. */
type ChromeHandler = (cx: ChromeContext, trace: Trace, i: number, agent: number, p: number, a0: number, a1: number, ts: number, t: AgentTrack) => void;

export function toChromeTrace(trace: Trace): ChromeTrace {
  const tasks = TaskIndex.of(trace);
  tasks.update();
  const frames = new FrameNames(trace.header.frames);
  const agents: (AgentTrack | undefined)[] = [];
  const names = new Map<number, string>();
  const track = (a: number): AgentTrack => (agents[a] ??= new AgentTrack(a));
  const scheduleSites = new Map<number, Site>(); // task row → where it was scheduled
  const postSites = new Map<number, Site>(); // message id → where it was posted
  const receivedBy = new Map<number, number>(); // task row → message id
  let nextFlowId = 1;
  const here = (t: AgentTrack, agent: number): Site | undefined => {
    const top = t.stack[t.stack.length - 1];
    return top ? { agent, at: top.at, ts: top.ts } : undefined;
  };
  const flow = (name: string, from: Site, to: AgentTrack, toOpen: Open): void => {
    if (toOpen.ts < from.ts) return; // only a broken trace has an effect before its cause: draw no arrow back in time
    const id = nextFlowId++;
    const src = track(from.agent);
    src.attach(from.at, { name, cat: 'flow', ph: 's', id, bind_id: id, ts: from.ts, pid: src.pid, tid: STACK_TID });
    to.attach(toOpen.at, { name, cat: 'flow', ph: 'f', bp: 'e', id, bind_id: id, ts: toOpen.ts, pid: to.pid, tid: STACK_TID });
  };
  const counter = (t: AgentTrack, ts: number): void => {
    const args: Record<string, number> = {};
    for (const q of SHOWN_QUEUES) args[QUEUE_NAMES[q]!] = t.depth[q]!;
    t.push({ name: 'queue depth', ph: 'C', ts, pid: t.pid, args });
  };
  // Queue events never go back in time on their track (a malformed trace may close an agent at another agent's
  // later time and then go on), so each async slice's b and e stay in order once all events are sorted by time.
  const dequeue = (t: AgentTrack, row: number, ts: number): void => {
    const q = t.queued.get(row);
    if (q === undefined) return;
    const at = Math.max(ts, t.latestTs);
    t.queued.delete(row);
    t.depth[q]!--;
    t.push({ name: QUEUE_NAMES[q]!, cat: QUEUE_NAMES[q]!, ph: 'e', id2: { local: String(tasks.taskIdOf(row)) }, ts: at, pid: t.pid });
    counter(t, at);
  };
  const closeAgent = (t: AgentTrack, ts: number): void => {
    const end = Math.max(ts, t.latestTs);
    t.closeDownTo(0, end);
    for (const row of [...t.queued.keys()]) dequeue(t, row, end);
  };
  const closeCheckpoint = (t: AgentTrack): void => {
    const at = t.find('checkpoint', 0);
    if (at >= 0) t.closeDownTo(at, t.lastTs);
  };

  const cx: ChromeContext = { tasks, frames, names, track, here, flow, counter, dequeue, closeAgent, closeCheckpoint, scheduleSites, postSites, receivedBy };
  for (let i = 0; i < trace.count; i++) {
    const kind = trace.kind[i]!;
    const agent = trace.agent[i]!;
    const p = trace.argStart[i]!;
    const a0 = trace.args[p]!;
    const a1 = trace.args[p + 1]!;
    const ts = trace.timeUs[i]!;
    const t = track(agent);
    HANDLERS[kind]?.(cx, trace, i, agent, p, a0, a1, ts, t);
  }
  for (const t of agents) if (t) closeAgent(t, t.latestTs);

  const meta: ChromeTraceEvent[] = [];
  const body: ChromeTraceEvent[] = [];
  agents.forEach((t, agent) => {
    if (!t) return;
    const name = names.get(agent) || (agent === 0 ? 'main' : `worker ${agent}`);
    meta.push({ name: 'process_name', ph: 'M', pid: t.pid, args: { name: `${name} (agent ${agent})` } });
    meta.push({ name: 'process_sort_index', ph: 'M', pid: t.pid, args: { sort_index: agent } });
    meta.push({ name: 'thread_name', ph: 'M', pid: t.pid, tid: STACK_TID, args: { name: 'call stack' } });
    meta.push({ name: 'thread_name', ph: 'M', pid: t.pid, tid: CONSOLE_TID, args: { name: 'console' } });
    for (const e of t.ordered()) body.push(e);
  });
  body.sort((x, y) => x.ts! - y.ts!); // stable: keeps each agent's order (and each flow right after its B)
  const end = trace.end;
  return {
    traceEvents: [...meta, ...body],
    displayTimeUnit: 'ms',
    metadata: {
      source: 'Loopscope',
      traceFormatVersion: trace.header.version,
      runId: trace.header.runId,
      mode: trace.header.mode,
      entry: trace.header.entry,
      startedAt: isoTime(trace.header.startedAtMs),
      events: trace.count,
      ...(end ? { endReason: END_REASON_NAMES[end.reason] ?? String(end.reason), endMessage: end.message, exitCode: end.exitCode } : {}),
    },
  };
}


/** The Chrome export of each event kind; `null`: nothing in the export. */
export const CHROME_EXPORT: PerKind<ChromeHandler> = {
  Time: null,
  RunStart: null,
  RunEnd: null,
  AgentStart: (cx, trace, _i, agent, p, a0) => {
    cx.names.set(a0 >= 0 && a0 <= 255 ? a0 : agent, trace.strings[trace.args[p + 2]!] ?? '');
  },
  AgentEnd: (cx, _trace, _i, agent, _p, a0, _a1, ts) => {
    cx.closeAgent(cx.track(a0 >= 0 && a0 <= 255 ? a0 : agent), ts);
  },
  Enter: (cx, _trace, _i, _agent, _p, a0, a1, ts, t) => {
    const f = cx.frames.get(a0);
    const args = f && f.file ? { source: `${f.file}:${f.line}` } : undefined;
    t.open('frame', a1, cx.frames.name(a0), ts, args);
  },
  Exit: (_cx, _trace, _i, _agent, _p, a0, _a1, ts, t) => {
    const at = t.find('frame', a0);
    if (at >= 0) t.closeDownTo(at, ts);
  },
  Suspend: (_cx, _trace, _i, _agent, _p, a0, a1, ts, t) => {
    const at = t.find('frame', a0);
    if (at >= 0) {
      t.closeDownTo(at, ts);
      t.suspendedFrames.set(a0, a1);
    }
  },
  Resume: (cx, _trace, _i, _agent, _p, a0, a1, ts, t) => {
    if (t.find('frame', a0) >= 0) return;
    const frameId = a1 >= 0 ? a1 : (t.suspendedFrames.get(a0) ?? -1);
    t.suspendedFrames.delete(a0);
    t.open('frame', a0, cx.frames.name(frameId), ts, { resumed: true });
  },
  Statement: null,
  TaskSchedule: (cx, _trace, _i, agent, _p, a0, _a1, _ts, t) => {
    const row = cx.tasks.rowOf(agent, a0);
    const site = cx.here(t, agent);
    if (row >= 0 && site && !cx.scheduleSites.has(row)) cx.scheduleSites.set(row, site);
  },
  TaskRunnable: (cx, _trace, i, agent, _p, a0, _a1, ts, t) => {
    const row = cx.tasks.rowOf(agent, a0);
    if (row < 0 || t.queued.has(row)) return;
    const k = cx.tasks.kindAt(row, i);
    if (k < 0) return;
    const q = queueOf(k as TaskKind);
    if (q === Queue.Script) return;
    const at = Math.max(ts, t.latestTs);
    t.queued.set(row, q);
    t.depth[q]!++;
    t.push({ name: QUEUE_NAMES[q]!, cat: QUEUE_NAMES[q]!, ph: 'b', id2: { local: String(a0) }, ts: at, pid: t.pid, args: { taskId: a0, task: cx.tasks.labelAt(row, Infinity) } });
    cx.counter(t, at);
  },
  TaskStart: (cx, _trace, i, agent, _p, a0, a1, ts, t) => {
    const row = cx.tasks.rowOf(agent, a0);
    if (row < 0) return;
    const k = cx.tasks.kindAt(row, i);
    cx.dequeue(t, row, ts);
    if (k >= 0 && !isMicro(k as TaskKind) && k !== TaskKind.Emit) cx.closeCheckpoint(t);
    const open = t.open('task', row, TASK_SLICE_NAMES[k] ?? 'Task', ts, {
      taskId: a0, kind: TASK_KIND_NAMES[k] ?? 'unknown', label: cx.tasks.labelAt(row, Infinity), phase: PHASE_NAMES[a1] ?? String(a1),
    });
    const scheduled = cx.scheduleSites.get(row);
    if (scheduled) {
      cx.scheduleSites.delete(row);
      cx.flow('scheduled', scheduled, t, open);
    }
    const message = cx.receivedBy.get(row);
    const posted = message === undefined ? undefined : cx.postSites.get(message);
    if (posted && message !== undefined) {
      cx.receivedBy.delete(row);
      cx.postSites.delete(message);
      cx.flow('message', posted, t, open);
    }
  },
  TaskEnd: (cx, _trace, _i, agent, _p, a0, _a1, ts, t) => {
    const at = t.find('task', cx.tasks.rowOf(agent, a0));
    if (at >= 0) t.closeDownTo(at, ts);
  },
  TaskCancel: (cx, _trace, _i, agent, _p, a0, _a1, ts, t) => {
    cx.dequeue(t, cx.tasks.rowOf(agent, a0), ts);
  },
  MicrotaskCheckpoint: (cx, _trace, _i, _agent, _p, a0, _a1, ts, t) => {
    cx.closeCheckpoint(t);
    t.open('checkpoint', 0, CHECKPOINT_SLICE_NAME, ts, { phase: PHASE_NAMES[a0] ?? String(a0) });
  },
  PromiseCreate: null,
  PromiseSettle: null,
  Console: (_cx, trace, i, _agent, _p, a0, a1, ts, t) => {
    const text = trace.strings[a1] ?? '';
    const stream = a0 === 1 || a0 === 3 ? 'stderr' : 'stdout';
    t.push({ name: text.length > 120 ? `${text.slice(0, 119)}…` : text || '(empty line)', cat: 'console', ph: 'i', s: 't', ts, pid: t.pid, tid: CONSOLE_TID, args: { stream, text } });
  },
  WorkerSpawn: null,
  WorkerExit: null,
  MessagePost: (cx, _trace, _i, agent, _p, a0, _a1, _ts, t) => {
    const site = cx.here(t, agent);
    if (site) cx.postSites.set(a0, site);
  },
  MessageReceive: (cx, _trace, _i, agent, _p, a0, a1) => {
    const row = cx.tasks.rowOf(agent, a1);
    if (row >= 0 && cx.postSites.has(a0)) cx.receivedBy.set(row, a0);
  },
  Atomics: null,
  SharedBuffer: null,
  LockDefine: null,
  Lock: null,
  Error: (_cx, trace, i, _agent, p, _a0, a1, ts, t) => {
    const message = trace.strings[a1] ?? '';
    t.push({ name: `Error: ${message.slice(0, 120)}`, cat: 'error', ph: 'i', s: 't', ts, pid: t.pid, tid: CONSOLE_TID, args: { message, stack: trace.strings[trace.args[p + 2]!] ?? '' } });
  },
  Truncated: null,
  Signal: null,
  TaskLabel: null,
  Value: (_cx, trace, _i, _agent, _p, a0, a1, ts, t) => {
    const name = trace.strings[a0] ?? '';
    const value = trace.strings[a1] ?? '';
    t.push({ name: `${name} = ${value}`.slice(0, 160), cat: 'value', ph: 'i', s: 't', ts, pid: t.pid, tid: CONSOLE_TID, args: { name, value } });
  },
  SharedView: null,
  SharedWrite: null,
  PortClose: null,
  SharedStore: null,
  LockCaller: null,
  ChannelClose: null,
  LockReleasing: null,
  AtomicsElement: null,
};
const HANDLERS = byKind(CHROME_EXPORT);

function isoTime(ms: number): string | null {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
