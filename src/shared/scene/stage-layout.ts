/**
 * RuntimeState → the stage's view model: for each agent its call stack, parked async functions, the Node-API
 * area (timers counting down, I/O in flight), its queues in loop order and its phase; plus shared memory, locks
 * and messages in flight. Pure, and cheap (proportional to what is on stage, never to the trace).
 *
 * Invariants (tested):
 * - Keys are stable across steps and identify the same thing wherever it is: a task is `t<agent>:<taskId>` in the
 *   API area, in a queue and when running, so the renderer can animate it from one area to the next; a function
 *   activation is `f<agent>:<instanceId>` on the stack and while parked at an await.
 * - Every key appears at most once in a scene.
 * - Every queue is present (empty or not) in the fixed order nextTick, microtasks, timers, poll, check, close, in
 *   every lane but a starting one (a worker spawned whose thread has not run yet: it has no loop to show).
 */
import type { AgentState, LockParty, LockState, RuntimeState, SharedBufferState, WorkerState } from '../trace/runtime-state.ts';
import { ATOMICS_OP_NAMES, isBroadcastMessage, isPortMessage, MAX_PORT_ENDS, MAX_PORT_MESSAGES, QUEUE_NAMES, TASK_KIND_NAMES, type TraceHeader } from '../trace/schema.ts';
import { FrameTable } from './frames.ts';
import { QUEUE_ORDER } from './lanes.ts';
import { COLORS, PHASE_LOOK, QUEUE_LOOK, frameColor, taskLook } from './palette.ts';
import { layoutValues, type StageValue } from './stage-values.ts';
import { formatDurationUs } from './time.ts';

export interface StageCard {
  readonly key: string;
  readonly title: string;
  readonly detail: string;
  /** The callback the task runs: its name and `file:line` ('' when unknown), so two cards never look alike. */
  readonly callback?: { readonly name: string; readonly where: string; readonly file: string; readonly line: number };
  readonly color: string;
  readonly glyph: string;
  /** Became what it is at the step just taken (entered the queue, was scheduled). */
  readonly fresh: boolean;
}

export interface StageFrame {
  readonly key: string;
  readonly name: string;
  readonly where: string;
  readonly host: boolean;
  /** A task entry (the callback the loop called) rather than a function frame. */
  readonly task: boolean;
  readonly color: string;
  readonly glyph: string;
  readonly fresh: boolean;
}

export interface StageParked {
  readonly key: string;
  readonly name: string;
  readonly how: 'await' | 'yield';
  /** "awaiting promise #3 (pending)". */
  readonly detail: string;
  readonly fresh: boolean;
}

export interface StageTimer extends StageCard {
  readonly remainingUs: number;
  /** 0 just scheduled … 1 due. */
  readonly progress: number;
}

export interface StageQueue {
  readonly queue: number;
  readonly name: string;
  readonly color: string;
  readonly glyph: string;
  /** The first `MAX_CARDS` in run order. */
  readonly cards: readonly StageCard[];
  /** Tasks in the queue beyond the cards drawn. */
  readonly hidden: number;
}

export interface StageLane {
  readonly agent: number;
  readonly title: string;
  /** 'starting': a worker spawned whose thread has not run anything yet (Node is booting it); its lane is empty. */
  readonly status: 'starting' | 'running' | 'idle' | 'ended';
  /** Bottom to top; at most `MAX_FRAMES` (the top of the stack). */
  readonly stack: readonly StageFrame[];
  /** Frames below the ones drawn (deep recursion). */
  readonly hiddenFrames: number;
  readonly parked: readonly StageParked[];
  readonly timers: readonly StageTimer[];
  readonly io: readonly StageCard[];
  readonly queues: readonly StageQueue[];
  readonly phase: number;
  readonly phaseName: string;
  readonly inCheckpoint: boolean;
}

export interface StageCell {
  readonly index: number;
  /** The value as the program reads it (`6`, `1.5`, `7n`); null when not written yet. */
  readonly value: string | null;
  /** Last op on the cell, with the agent that made it ('' when untouched). */
  readonly op: string;
  readonly agent: number;
  /** The agent whose write last changed the cell, -1 when never written (a load or wait is not a write). */
  readonly writer: number;
  /** That write in words, with its task and the step it was taken at: `last written by worker 2 (task 14) at step 9`;
   *  '' when never written. */
  readonly written: string;
  /** The cell in words, for its title and accessible name: `[0] = 6 · last written by worker 2 (task 14) at step 9`,
   *  then the last op when it was not that write (`· last load by main`). */
  readonly label: string;
  /** The op happened at the step just taken. */
  readonly fresh: boolean;
  /** Agents blocked in Atomics.wait on this cell. */
  readonly waiters: readonly number[];
}

export interface StageBuffer {
  readonly key: string;
  readonly title: string;
  /** The same buffer as the row above, through a view of another element type (drawn as part of it). */
  readonly sameBuffer: boolean;
  readonly cells: readonly StageCell[];
  /** Cells beyond the ones drawn. */
  readonly hiddenCells: number;
}

/** A lock's holder or waiter: the call that asked (`depositSafe('bob', 100)`), and where and when it asked. */
export interface StageLockParty {
  readonly text: string;
  /** `main.ts:21 · task 11` (for a tooltip). */
  readonly detail: string;
}

export interface StageLock {
  readonly key: string;
  readonly title: string;
  readonly capacity: number;
  readonly holders: readonly StageLockParty[];
  readonly waiters: readonly StageLockParty[];
  /** Said under the lock when a direct `release()` left it unknown which holder gave the permit back; else ''. */
  readonly note: string;
}

export interface StageScene {
  readonly step: number;
  readonly timeUs: number;
  readonly lanes: readonly StageLane[];
  readonly buffers: readonly StageBuffer[];
  readonly locks: readonly StageLock[];
  /**
   * `port`: posted on a MessageChannel's port (to the agent holding the other end; -1 unknown), not worker ⇄ parent;
   * `broadcast`: on a BroadcastChannel (to one other instance of its name: a post makes one message per instance).
   */
  readonly messages: readonly { readonly key: string; readonly from: number; readonly to: number; readonly port: boolean; readonly broadcast: boolean }[];
  /** Messages that will never arrive (port closed, receiver ended), most recent last. */
  readonly lost: readonly { readonly key: string; readonly from: number; readonly to: number; readonly port: boolean; readonly broadcast: boolean; readonly why: string }[];
  /** Said by the messages when the run made more channels than are traced ('' until then): later ones are not drawn. */
  readonly channelsCapped: string;
  /** Watched values (`// @watch name`) at this step. */
  readonly values: readonly StageValue[];
  readonly promises: { readonly pending: number; readonly fulfilled: number; readonly rejected: number; readonly settled: number };
  readonly ended: string;
}

/** What the stage says once a run's channels outgrew the trace (TruncatedWhat.Channels). */
export const CHANNELS_CAPPED = `More than ${MAX_PORT_ENDS / 2} MessageChannels and BroadcastChannels (or over ${(MAX_PORT_MESSAGES - 2).toLocaleString('en-US')} messages from one port): the later ones work as usual but their messages are not drawn.`;

/** Cells drawn per buffer before the rest are summarized. */
export const MAX_CELLS = 64;
/** Cards drawn per queue, frames per stack, parked functions and timers per agent: the stage stays readable and a
 * seek stays cheap however big the state is. */
export const MAX_CARDS = 12;
export const MAX_FRAMES = 24;

export const taskKey = (agent: number, taskId: number): string => `t${agent}:${taskId}`;
export const frameKey = (agent: number, instanceId: number): string => `f${agent}:${instanceId}`;

function agentTitle(a: Pick<AgentState, 'id' | 'file'>): string {
  if (a.id === 0) return 'Main thread';
  return `Worker ${a.id}${a.file ? ` · ${a.file}` : ''}`;
}

/** Workers spawned whose thread has written nothing yet (Node is booting it): shown, though no agent state exists. */
export function startingWorkers(state: Pick<RuntimeState, 'agents' | 'workers'>): WorkerState[] {
  return state.workers.filter((w) => w.status === 'starting' && !state.agents.some((a) => a.id === w.agentId));
}

function startingLane(w: WorkerState): StageLane {
  return {
    agent: w.agentId, title: agentTitle({ id: w.agentId, file: w.file }), status: 'starting',
    stack: [], hiddenFrames: 0, parked: [], timers: [], io: [], queues: [], phase: -1, phaseName: '', inCheckpoint: false,
  };
}

/** The task's own label (TaskLabel), or '' when the model only gave the kind's name. */
function ownLabel(kind: number, label: string): string {
  return label && label !== TASK_KIND_NAMES[kind] ? label : '';
}

/** Card title in a queue or the API area: `setTimeout`, `promise reaction`, or the task's label. */
function taskTitle(kind: number, label: string): string {
  return ownLabel(kind, label) || (TASK_KIND_NAMES[kind] ?? 'task');
}

/** Indexed by TaskKind: a running task's entry at the bottom of the stack. */
const RUNNING_NAME: readonly string[] = [
  'main script', 'setTimeout callback', 'setInterval callback', 'setImmediate callback', 'nextTick callback', 'queueMicrotask callback',
  'promise reaction', 'await continuation', 'I/O callback', 'close callback', 'message handler', 'signal handler', 'event listener',
  'thenable job',
];

function runningName(kind: number, label: string): string {
  const base = RUNNING_NAME[kind] ?? 'task';
  const own = ownLabel(kind, label);
  return own ? `${base} · ${own}` : base;
}

/**
 * `previous` (the state before the step just taken, when stepping by one) marks frames that were just pushed as
 * fresh; without it only queue and timer entries know whether they are new.
 */
export function layoutStage(
  state: RuntimeState,
  header: Pick<TraceHeader, 'frames'> & Partial<Pick<TraceHeader, 'files'>>,
  previous: RuntimeState | null = null,
  frames = new FrameTable(header),
  /** The callback a task runs (TraceModel.callbackFrameOf); without it cards name no callback. */
  callbackFrameOf: (agent: number, taskId: number) => number = () => -1,
): StageScene {
  const justTaken = state.step - 1;
  const before = new Set<string>();
  if (previous) for (const a of previous.agents) if (a) for (const f of a.stack) before.add(frameKey(a.id, f.instanceId));
  const lanes: StageLane[] = [];
  for (const a of state.agents) {
    if (!a) continue;
    const stack: StageFrame[] = [];
    // The outermost running task sits at the bottom, under the frames it called. A nested task (an EventEmitter
    // listener run synchronously by emit) is drawn above the frames: the state does not say between which two.
    const tasks = a.taskStack;
    const pushTask = (t: AgentState['taskStack'][number]): void => {
      const look = taskLook(t.kind);
      stack.push({
        key: taskKey(a.id, t.taskId), name: runningName(t.kind, t.label), where: '', host: false, task: true,
        color: look.color, glyph: look.glyph, fresh: t.startStep === justTaken,
      });
    };
    if (tasks[0]) pushTask(tasks[0]);
    for (const f of a.stack) {
      stack.push({
        key: frameKey(a.id, f.instanceId), name: f.name, where: frames.where(f.frameId), host: f.host, task: false,
        color: frameColor(f.frameId, f.host), glyph: f.host ? '⚙' : 'ƒ', fresh: previous !== null && !before.has(frameKey(a.id, f.instanceId)),
      });
    }
    for (const t of tasks.slice(1)) pushTask(t);

    const parked: StageParked[] = a.suspended.slice(-MAX_CARDS).map((s) => ({
      key: frameKey(a.id, s.instanceId), name: s.name, how: s.how,
      detail: s.how === 'yield' ? 'paused at yield' : s.awaitedPromiseId >= 0 ? `awaiting promise #${s.awaitedPromiseId} (${s.promise})` : 'awaiting a value',
      fresh: s.step === justTaken,
    }));

    const callbackOf = (taskId: number): StageCard['callback'] => {
      const frameId = callbackFrameOf(a.id, taskId);
      const f = frameId >= 0 ? frames.get(frameId) : undefined;
      return f && f.file && f.line > 0 ? { name: frames.label(frameId), where: `${f.file}:${f.line}`, file: f.file, line: f.line } : undefined;
    };
    const timers: StageTimer[] = a.pendingTimers.slice(0, MAX_CARDS).map((p) => {
      const look = taskLook(p.kind);
      const remainingUs = Math.max(0, p.dueUs - state.timeUs);
      return {
        key: taskKey(a.id, p.taskId), title: `${taskTitle(p.kind, p.label)} ${formatDurationUs(p.delayUs)}`,
        detail: remainingUs > 0 ? `due in ${formatDurationUs(remainingUs)}` : 'due now', color: look.color, glyph: look.glyph,
        fresh: p.scheduleStep === justTaken, remainingUs, progress: p.delayUs > 0 ? Math.min(1, 1 - remainingUs / p.delayUs) : 1,
        callback: callbackOf(p.taskId),
      };
    });
    const io: StageCard[] = a.pendingIo.slice(0, MAX_CARDS).map((p) => ({
      key: taskKey(a.id, p.taskId), title: p.label || 'I/O', detail: 'in flight', color: QUEUE_LOOK[4]!.color, glyph: QUEUE_LOOK[4]!.glyph, fresh: p.scheduleStep === justTaken,
      callback: callbackOf(p.taskId),
    }));
    const queues: StageQueue[] = QUEUE_ORDER.map((q) => {
      const qs = a.queues[q];
      const look = QUEUE_LOOK[q]!;
      return {
        queue: q, name: QUEUE_NAMES[q] ?? 'queue', color: look.color, glyph: look.glyph,
        hidden: Math.max(0, (qs?.tasks.length ?? 0) - MAX_CARDS),
        cards: (qs?.tasks ?? []).slice(0, MAX_CARDS).map((t) => {
          const tl = taskLook(t.kind);
          return { key: taskKey(a.id, t.taskId), title: taskTitle(t.kind, t.label), detail: '', color: tl.color, glyph: tl.glyph, fresh: t.runnableStep === justTaken, callback: callbackOf(t.taskId) };
        }),
      };
    });
    lanes.push({
      agent: a.id, title: agentTitle(a), status: a.ended ? 'ended' : stack.length > 0 ? 'running' : 'idle',
      stack: stack.slice(-MAX_FRAMES), hiddenFrames: Math.max(0, stack.length - MAX_FRAMES), parked, timers, io, queues, phase: a.phase, phaseName: PHASE_LOOK[a.phase]?.name ?? '', inCheckpoint: a.inCheckpoint,
    });
  }
  // A worker is on the stage from the moment `new Worker()` returns, before its thread says anything.
  for (const w of startingWorkers(state)) lanes.push(startingLane(w));
  lanes.sort((a, b) => a.agent - b.agent);
  return {
    step: state.step,
    timeUs: state.timeUs,
    lanes,
    buffers: state.sharedBuffers.map((b, i, all) => layoutBuffer(b, i, justTaken, all[i - 1]?.bufferId === b.bufferId)),
    locks: state.locks.map((l) => layoutLock(l, frames)),
    messages: state.messagesInFlight.map((m) => ({ key: `m${m.messageId}`, from: m.from, to: m.target, port: isPortMessage(m.messageId), broadcast: isBroadcastMessage(m.messageId) })),
    lost: state.messagesLost.map((m) => ({ key: `x${m.messageId}:${m.lostStep}`, from: m.from, to: m.target, port: isPortMessage(m.messageId), broadcast: isBroadcastMessage(m.messageId), why: m.why })),
    channelsCapped: state.truncated.channels ? CHANNELS_CAPPED : '',
    values: layoutValues(state),
    promises: { pending: state.promises.pending, fulfilled: state.promises.fulfilled, rejected: state.promises.rejected, settled: state.promises.settled },
    ended: state.runEnd ? state.runEnd.message || 'The run has ended.' : '',
  };
}

function agentWord(agent: number): string {
  return agent === 0 ? 'main' : `worker ${agent}`;
}

/** A buffer's cells as one element type reads them; `sameBuffer` when the row above is the same buffer by another type. */
function layoutBuffer(b: SharedBufferState, i: number, justTaken: number, sameBuffer: boolean): StageBuffer {
  const touched = new Map(b.cells.map((c) => [c.index, c]));
  const known = b.length >= 0 ? b.length : Math.max(0, ...b.cells.map((c) => c.index + 1));
  const shown = Math.min(known, MAX_CELLS);
  const cells: StageCell[] = [];
  for (let idx = 0; idx < shown; idx++) {
    const c = touched.get(idx);
    const writer = c ? c.writer : -1;
    // The step a user sees is the number of events taken, so the write (event index writerStep) is at writerStep + 1.
    const written = c && writer >= 0 ? `last written by ${agentWord(writer)}${c.writerTask >= 0 ? ` (task ${c.writerTask})` : ''} at step ${c.writerStep + 1}` : '';
    const value = c ? c.text : null; // as the program reads it, by the buffer's element type (1.5, 4294967295, 7n)
    const op = c ? `${ATOMICS_OP_NAMES[c.op] ?? 'op'} by ${agentWord(c.agent)}` : '';
    const label = !c ? `[${idx}] not written yet`
      : `[${idx}] = ${value} · ${written || 'never written'}${written && c.step === c.writerStep ? '' : ` · last ${op}`}`;
    cells.push({
      index: idx, value, op, agent: c ? c.agent : -1, writer, written, label, fresh: c ? c.step === justTaken : false, waiters: b.waiters.filter((w) => w.index === idx).map((w) => w.agent),
    });
  }
  const bytes = b.byteLength >= 0 ? `${b.byteLength} bytes` : 'size unknown';
  // By the typed view the program uses: `shared: Int32Array(4) · 16 bytes`, else the raw buffer.
  const view = b.elementType ? `${b.viewNames.length ? `${b.viewNames.join(', ')}: ` : ''}${b.elementType}(${known}) · ` : '';
  // A view of another type reads the same bytes as the row above: `bytes: Uint8Array(16) · same bytes as above (…)`.
  const title = sameBuffer ? `${view}same bytes as above (SharedArrayBuffer #${b.bufferId})` : `${view}SharedArrayBuffer #${b.bufferId} · ${bytes}`;
  return { key: `b${b.bufferId}:${i}`, title, sameBuffer, cells, hiddenCells: Math.max(0, known - shown) };
}

/**
 * A holder or waiter by the call that asked, with its arguments when the tracer recorded them
 * (`depositSafe('bob', 100)`, on a worker `… · worker 2`), else by its thread; where and in which task in `detail`.
 */
function lockParty(p: LockParty, frames: FrameTable): StageLockParty {
  const thread = p.agent === 0 ? 'main' : `worker ${p.agent}`;
  const where = p.frameId >= 0 ? frames.where(p.frameId) : '';
  const text = p.label ? `${p.label}${p.agent === 0 ? '' : ` · ${thread}`}` : thread;
  return { text, detail: [where, p.taskId >= 0 ? `task ${p.taskId}` : ''].filter((s) => s !== '').join(' · ') };
}

/** A direct release()'s permit belongs to no holder: say so, and who is drawn leaving instead (steps count from 1). */
export function lockNote(l: LockState): string {
  const d = l.direct;
  return d ? `release() at step ${d.step + 1} gave a permit back without saying whose (async-mutex keeps no owners): the oldest holder, ${d.shown.label || agentWord(d.shown.agent)}, is shown leaving` : '';
}

function layoutLock(l: LockState, frames: FrameTable): StageLock {
  const kind = l.capacity === 1 ? 'Mutex' : `Semaphore (${l.capacity})`;
  // A lock named by its variable reads `accountLock · Mutex`; an unnamed one already says what it is (`Mutex #1`).
  const title = /^(?:Mutex|Semaphore)\b/.test(l.name) ? `${l.name}${l.capacity === 1 ? '' : ` (${l.capacity})`}` : `${l.name} · ${kind}`;
  return {
    key: `l${l.agent}:${l.lockId}`, title, capacity: l.capacity,
    holders: l.holders.map((p) => lockParty(p, frames)), waiters: l.waiters.map((p) => lockParty(p, frames)),
    note: lockNote(l),
  };
}

/** Colour for an agent's marks in the shared-memory panel. */
export function agentColor(agent: number): string {
  const c = [COLORS.blue, COLORS.orange, COLORS.teal, COLORS.purple, COLORS.vermillion, COLORS.brown, COLORS.sky, COLORS.pink];
  return c[agent % c.length]!;
}
