/**
 * Plain-language narration of each step ("The timer's callback enters the timers queue: its 0 ms delay has
 * expired"). Pure: reads the trace, the timeline's task table and the frame table; one sentence (sometimes two)
 * per event, naming the agent when the run has workers.
 */
import {
  ATOMICS_OP_NAMES, AtomicsOp, END_REASON_NAMES, EventKind, isBroadcastMessage, isPortMessage, LockOp, PHASE_NAMES, QUEUE_NAMES, SuspendHow, TaskKind,
  TYPED_ARRAY_TYPES, WAIT_RESULTS, queueOf,
} from '../trace/schema.ts';
import { atomicsArith, int32Words, readCell } from '../trace/cell-bits.ts';
import { FrameTable } from './frames.ts';
import type { TaskIndex } from '../trace/task-index.ts';
import { SliceFlag, type TimelineIndex } from './timeline-index.ts';
import { byKind, type PerKind } from '../trace/event-kinds.ts';
import { arg, atomicsElementOf, strArg, type TraceColumns } from './trace-source.ts';

const quote = (s: string, max = 60): string => `“${s.length > max ? `${s.slice(0, max - 1)}…` : s}”`;
const code = (s: string): string => `\`${s}\``;
const ms = (us: number): string => `${Math.round(us / 100) / 10} ms`;

/** The sentence for event `i` of one kind. */
type Sentence = (n: Narrator, i: number, agent: number, tr: TraceColumns, tasks: TaskIndex, f: FrameTable) => string;

export class Narrator {
  readonly trace: TraceColumns;
  readonly index: TimelineIndex;
  readonly frames: FrameTable;

  constructor(trace: TraceColumns, index: TimelineIndex) {
    this.trace = trace;
    this.index = index;
    this.frames = new FrameTable(trace.header);
  }

  /** "the main thread" / "worker 2". */
  agentName(agent: number): string {
    if (agent === 0) return 'the main thread';
    const lane = this.index.lanes[agent];
    return lane?.file ? `worker ${agent} (${lane.file})` : `worker ${agent}`;
  }

  /** A task described for a sentence: "the setTimeout callback", "the promise reaction", "the “GET /a” I/O callback". */
  taskPhrase(taskIndex: number): string {
    const t = this.index.tasks;
    if (taskIndex < 0) return 'a callback';
    const kind = t.kindOf(taskIndex);
    const labelId = t.labelIdOf(taskIndex);
    const label = labelId >= 0 ? this.trace.strings[labelId] ?? '' : '';
    const base = KIND_PHRASE[kind] ?? 'the callback';
    return label ? `${base} ${quote(label, 40)}` : base;
  }

  /** The sentence for the event at `step`. */
  narrate(step: number): string {
    const trace = this.trace;
    if (step < 0 || step >= trace.count) return step <= 0 ? 'Press → (or Space) to start stepping through the run.' : 'The run is over.';
    const agent = trace.agent[step]!;
    const multi = this.index.agentLanes.length > 1;
    const s = this.sentence(step, agent);
    if (!multi || agent === 0 && s.startsWith('The main thread')) return s;
    const who = agent === 0 ? 'Main thread' : `Worker ${agent}`;
    return `${who}: ${s}`;
  }

  task(agent: number, taskId: number): number {
    return this.index.tasks.rowOf(agent, taskId);
  }

  private sentence(i: number, agent: number): string {
    const tr = this.trace;
    const tasks = this.index.tasks;
    const f = this.frames;
    const k = tr.kind[i]!;
    return SENTENCES[k]?.(this, i, agent, tr, tasks, f) ?? 'Something happens.';
  }

  scheduled(i: number, agent: number): string {
    const tr = this.trace;
    const kind = arg(tr, i, 1);
    const delay = arg(tr, i, 2);
    switch (kind) {
      case TaskKind.Script:
        return 'The main script is handed to the event loop to run first.';
      case TaskKind.Timeout:
        return `${code('setTimeout')} hands its callback to Node's timers: it waits there ${ms(delay)} before it can enter the timers queue.`;
      case TaskKind.Interval:
        return `${code('setInterval')} hands its callback to Node's timers: it becomes runnable every ${ms(delay)}.`;
      case TaskKind.Immediate:
        return `${code('setImmediate')} schedules a callback for the check phase, after the poll phase of this loop turn.`;
      case TaskKind.NextTick:
        return `${code('process.nextTick')} schedules a callback to run as soon as the current operation finishes, before promise jobs.`;
      case TaskKind.Microtask:
        return `${code('queueMicrotask')} schedules a callback for the microtask queue.`;
      case TaskKind.PromiseReaction:
        return `A ${code('.then')}/${code('.catch')}/${code('.finally')} reaction is registered: it runs as a microtask once its promise settles.`;
      case TaskKind.AwaitContinuation:
        return `The rest of the async function (after ${code('await')}) is registered on the awaited promise.`;
      case TaskKind.Io:
        return 'An I/O operation starts in the background; its callback will run in the poll phase when it completes.';
      case TaskKind.Close:
        return 'A close callback is registered for the close-callbacks phase.';
      case TaskKind.Message:
        return `A message handler task is created on ${this.agentName(agent)}.`;
      case TaskKind.Signal:
        return 'A signal handler is scheduled.';
      case TaskKind.ThenableJob:
        return "A promise was resolved with a thenable: V8 queues a job that calls the thenable's `then`.";
      default:
        return 'A callback is handed to the runtime.';
    }
  }

  runnable(i: number, agent: number): string {
    const tr = this.trace;
    const tasks = this.index.tasks;
    const t = this.task(agent, arg(tr, i, 0));
    const kind = t >= 0 ? tasks.kindOf(t) : -1;
    const delay = t >= 0 ? tasks.delayOf(t) : 0;
    switch (kind) {
      case TaskKind.Script:
        return 'The main script is ready to run.';
      case TaskKind.Timeout:
        return `The timer's callback enters the timers queue: its ${ms(delay)} delay has expired.`;
      case TaskKind.Interval:
        return `The interval's callback enters the timers queue: another ${ms(delay)} have passed.`;
      case TaskKind.Immediate:
        return 'The setImmediate callback enters the check queue.';
      case TaskKind.NextTick:
        return 'The callback enters the nextTick queue.';
      case TaskKind.Microtask:
        return 'The queueMicrotask callback enters the microtask queue.';
      case TaskKind.PromiseReaction:
        return 'Its promise has settled, so the reaction enters the microtask queue.';
      case TaskKind.AwaitContinuation:
        return "The awaited promise has settled, so the async function's continuation enters the microtask queue.";
      case TaskKind.Io:
        return `The I/O operation completed: ${this.taskPhrase(t)} enters the poll queue.`;
      case TaskKind.Close:
        return 'The close callback enters the close queue.';
      case TaskKind.Message:
        return `A message arrived: its handler enters the poll queue of ${this.agentName(agent)}.`;
      case TaskKind.Signal:
        return 'The signal handler enters the poll queue.';
      case TaskKind.ThenableJob:
        return "The job that calls the thenable's `then` enters the microtask queue.";
      default:
        return 'A callback becomes runnable.';
    }
  }

  atomics(i: number): string {
    const tr = this.trace;
    const op = arg(tr, i, 0);
    const cell = `cell [${arg(tr, i, 2)}]`;
    // With its AtomicsElement (v4), each value as the element's type reads it (`9007199254740993n`, `4294967295`);
    // an older trace's are int32s.
    const e = atomicsElementOf(tr, i);
    const type = e >= 0 ? arg(tr, e, 0) : -1;
    const wide = (TYPED_ARRAY_TYPES[type]?.size ?? 0) === 8;
    const words = (n: number): [number, number] => [arg(tr, i, n), wide ? arg(tr, e, n - 1) : int32Words(arg(tr, i, n))[1]];
    const text = (w: readonly [number, number]): string => (e >= 0 ? readCell(type, w[0], w[1]).text : String(w[0]));
    const value = text(words(3));
    const result = text(words(4));
    const extra = arg(tr, i, 5);
    switch (op) {
      case AtomicsOp.Load:
        return `${code('Atomics.load')} reads ${result} from ${cell} of the shared buffer.`;
      case AtomicsOp.Store:
        return `${code('Atomics.store')} writes ${value} to ${cell}: every thread sees it.`;
      case AtomicsOp.CompareExchange:
        return `${code('Atomics.compareExchange')} on ${cell}: it held ${result}${result === text(words(5)) ? `, as expected, so it becomes ${value}` : ', not the expected value, so nothing changes'}.`;
      case AtomicsOp.Wait:
        return `${code('Atomics.wait')} on ${cell}: the thread blocks until another thread notifies it${extra >= 0 && extra < 2 ** 31 - 1 ? ` (or ${extra} ms pass)` : ''}.`;
      case AtomicsOp.WaitDone:
        return `The wait on ${cell} returns ${quote(WAIT_RESULTS[arg(tr, i, 4)] ?? result)}: the thread runs again.`;
      case AtomicsOp.Notify:
        return `${code('Atomics.notify')} on ${cell} wakes ${extra} waiting thread${extra === 1 ? '' : 's'}.`;
      case AtomicsOp.WaitAsync:
        return `${code('Atomics.waitAsync')} on ${cell}: a promise will settle when notified, without blocking the thread.`;
      default: {
        const after = op >= AtomicsOp.Add && op <= AtomicsOp.Xor ? text(atomicsArith(op - AtomicsOp.Add, words(4), words(3))) : value;
        return `${code(`Atomics.${ATOMICS_OP_NAMES[op] ?? 'op'}`)} on ${cell} (atomic: no other thread can interleave): ${result} → ${after}.`;
      }
    }
  }

  lockName(i: number): string {
    const tr = this.trace;
    const agent = tr.agent[i]!;
    const lockId = arg(tr, i, 0);
    for (let j = i - 1; j >= 0 && i - j < 200_000; j--) {
      if (tr.kind[j] === EventKind.LockDefine && tr.agent[j] === agent && arg(tr, j, 0) === lockId) return quote(strArg(tr, j, 1));
    }
    return `lock #${lockId}`;
  }
}

/** One sentence per event kind; `null`: the generic sentence. */
export const NARRATION: PerKind<Sentence> = {
  Time: null,
  RunStart: (_n, i, _agent, tr) => {
    return `The run starts (${arg(tr, i, 0) === 1 ? 'statement' : 'function'}-level tracing).`;
  },
  RunEnd: (_n, i, _agent, tr) => {
    const why = strArg(tr, i, 1).trim();
    return why ? (/[.!?]$/.test(why) ? why : `${why}.`) : `The run ends: ${END_REASON_NAMES[arg(tr, i, 0)] ?? 'unknown reason'}.`;
  },
  AgentStart: (_n, i, agent, tr) => {
    const file = strArg(tr, i, 3);
    return agent === 0 ? `The main thread starts; it will run ${code(file || tr.header.entry)}.` : `A new thread starts for the worker, with its own call stack and event loop; it runs ${code(file)}.`;
  },
  AgentEnd: (_n, i, agent, tr) => {
    return agent === 0 ? `The main thread has nothing left to do and ends (exit code ${arg(tr, i, 1)}).` : `The worker's event loop has nothing left to do: the thread ends (exit code ${arg(tr, i, 1)}).`;
  },
  Enter: (_n, i, _agent, tr, _tasks, f) => {
    const id = arg(tr, i, 0);
    const frame = f.get(id);
    if (frame?.kind === 'script') return `The script ${code(frame.file || frame.name)} starts running, top to bottom.`;
    if (f.isHost(id)) return `${code(f.name(id))} is called: a Node API, pushed on the call stack while it runs.`;
    const where = f.where(id);
    return `${code(f.name(id))} is called and pushed onto the call stack${where ? ` (${where})` : ''}.`;
  },
  Exit: (n, i, agent, _tr, _tasks, f) => {
    const slice = n.index.sliceEndingAt(agent, i);
    const id = slice >= 0 ? n.index.slices.ref.get(slice) : -1;
    const flags = slice >= 0 ? n.index.slices.flags.get(slice) : 0;
    if (id < 0 || flags & SliceFlag.Task) return 'A function returns and is popped off the call stack.';
    if (f.get(id)?.kind === 'script') return `The script ${code(f.name(id))} has run to its end; only queued callbacks are left.`;
    return `${code(f.name(id))} returns and is popped off the call stack.`;
  },
  Suspend: (_n, i, _agent, tr, _tasks, f) => {
    const name = f.name(arg(tr, i, 1));
    if (arg(tr, i, 3) === SuspendHow.Yield) return `Generator ${code(name)} yields: it leaves the call stack and waits for the next ${code('next()')}.`;
    if (arg(tr, i, 3) === SuspendHow.ForAwait) return `${code(name)} waits for the next value of its ${code('for await')} loop: it leaves the call stack until that promise settles.`;
    const p = arg(tr, i, 2);
    return `${code(name)} reaches ${code('await')} and leaves the call stack; it is parked until ${p >= 0 ? `promise #${p}` : 'the awaited value'} settles, and the caller continues.`;
  },
  Resume: (_n, i, _agent, tr, _tasks, f) => {
    const name = f.name(arg(tr, i, 1));
    if (arg(tr, i, 2) === SuspendHow.Yield) return `Generator ${code(name)} resumes where it yielded and is back on the call stack.`;
    return `${code(name)} resumes after ${code('await')}: it is back on the call stack, running as a microtask.`;
  },
  Statement: (_n, i, _agent, tr, _tasks, f) => {
    const loc = f.get(arg(tr, i, 0));
    return loc ? `Line ${loc.line} of ${code(loc.file)} runs.` : 'The next statement runs.';
  },
  TaskSchedule: (n, i, agent) => {
    return n.scheduled(i, agent);
  },
  TaskRunnable: (n, i, agent) => {
    return n.runnable(i, agent);
  },
  TaskStart: (n, i, agent, tr, tasks) => {
    const t = n.task(agent, arg(tr, i, 0));
    const kind = t >= 0 ? tasks.kindOf(t) : -1;
    const phase = arg(tr, i, 1);
    if (kind === TaskKind.Script) return 'The event loop runs the main script first: its code is now on the call stack.';
    if (kind === TaskKind.NextTick) return `The nextTick queue is drained first: ${n.taskPhrase(t)} runs.`;
    if (kind === TaskKind.PromiseReaction || kind === TaskKind.Microtask) return `The microtask queue is drained: ${n.taskPhrase(t)} runs.`;
    if (kind === TaskKind.AwaitContinuation) return `The microtask queue is drained: an async function's continuation runs.`;
    if (kind === TaskKind.ThenableJob) return "The microtask queue is drained: V8 calls the thenable's `then`.";
    if (kind === TaskKind.Emit) return `An event listener is called synchronously by ${code('emit')}.`;
    const q = kind >= 0 ? QUEUE_NAMES[queueOf(kind as TaskKind)] : 'its';
    return `In the ${PHASE_NAMES[phase] ?? 'current'} phase, the event loop takes ${n.taskPhrase(t)} from the ${q} queue and runs it.`;
  },
  TaskEnd: (n, i, agent, tr) => {
    const t = n.task(agent, arg(tr, i, 0));
    const threw = arg(tr, i, 1) === 1;
    return threw ? `${cap(n.taskPhrase(t))} throws: the error is uncaught.` : `${cap(n.taskPhrase(t))} finishes.`;
  },
  TaskCancel: (n, i, agent, tr) => {
    const t = n.task(agent, arg(tr, i, 0));
    return `${cap(n.taskPhrase(t))} is cancelled before it ran: it will never run.`;
  },
  MicrotaskCheckpoint: () => {
    return `The macrotask is done: before the loop moves on, Node drains the nextTick queue, then the microtask queue.`;
  },
  PromiseCreate: (_n, i, _agent, tr) => {
    const parent = arg(tr, i, 1);
    return parent >= 0 ? `Promise #${arg(tr, i, 0)} is created by ${code('.then')}/${code('await')} on promise #${parent}.` : `Promise #${arg(tr, i, 0)} is created (pending).`;
  },
  PromiseSettle: (_n, i, _agent, tr) => {
    return `Promise #${arg(tr, i, 0)} settles${arg(tr, i, 1) === 1 ? ' (fulfilled)' : arg(tr, i, 1) === 2 ? ' (rejected)' : ''}: reactions waiting on it can now run.`;
  },
  Console: (n, i, _agent, tr) => {
    const stream = arg(tr, i, 0);
    const text = strArg(tr, i, 1).replace(/\n$/, '');
    return `${stream === 1 || stream === 3 ? 'console.error' : 'console.log'} prints ${quote(text)}.`;
  },
  WorkerSpawn: (n, i, agent, tr) => {
    return `${cap(n.agentName(agent))} creates worker ${arg(tr, i, 0)} (${code(strArg(tr, i, 1))}): a new thread with its own call stack and event loop.`;
  },
  WorkerExit: (n, i, agent, tr) => {
    return `Worker ${arg(tr, i, 0)}'s ${code("'exit'")} event reaches ${n.agentName(agent)} (exit code ${arg(tr, i, 1)}).`;
  },
  MessagePost: (_n, i, _agent, tr) => {
    const target = arg(tr, i, 1);
    const to = target < 0 ? 'a MessagePort' : target === 0 ? 'the main thread' : `worker ${target}`;
    if (isBroadcastMessage(arg(tr, i, 0))) return `${code('postMessage')} on a BroadcastChannel sends a copy of a message to every other BroadcastChannel of its name; this copy goes to ${to}, where it arrives as a task on the event loop.`;
    if (isPortMessage(arg(tr, i, 0))) return `${code('postMessage')} on a MessagePort sends a copy of a message to the channel's other port${target < 0 ? '' : ` (on ${to})`}; it arrives as a task on that thread's event loop.`;
    return `${code('postMessage')} sends a copy of a message to ${to}; it arrives as a task on the receiver's event loop.`;
  },
  MessageReceive: (_n, i, _agent, tr) => {
    if (arg(tr, i, 1) < 0) return `${code('receiveMessageOnPort')} takes a message off its port at once: no ${code("'message'")} event, no task.`;
    return `A message arrives: its ${code("'message'")} handler is queued on this thread's event loop.`;
  },
  Atomics: (n, i) => {
    return n.atomics(i);
  },
  SharedBuffer: (_n, i, _agent, tr) => {
    const bytes = arg(tr, i, 1);
    const size = Math.max(1, arg(tr, i, 2));
    return `A SharedArrayBuffer (#${arg(tr, i, 0)}, ${bytes} bytes = ${Math.floor(bytes / size)} cells) is now shared with this thread: the same memory, not a copy.`;
  },
  LockDefine: (_n, i, _agent, tr) => {
    const capy = arg(tr, i, 2);
    return capy === 1 ? `A mutex ${quote(strArg(tr, i, 1))} is created: one holder at a time.` : `A semaphore ${quote(strArg(tr, i, 1))} is created: up to ${capy} holders at a time.`;
  },
  Lock: (n, i, _agent, tr) => {
    const op = arg(tr, i, 1);
    const waiters = arg(tr, i, 3);
    const name = n.lockName(i);
    if (op === LockOp.Request) return waiters > 0 ? `A task asks for ${name}; it is taken, so the task waits in line (${waiters} waiting).` : `A task asks for ${name}.`;
    if (op === LockOp.Acquired) return `A task acquires ${name} (${arg(tr, i, 2)} holding it).`;
    return `A task releases ${name}${waiters > 0 ? `; the next waiter (of ${waiters}) can have it` : ''}.`;
  },
  Error: (_n, i, _agent, tr) => {
    return `${['Uncaught error', 'Unhandled promise rejection', 'Worker error'][arg(tr, i, 0)] ?? 'Error'}: ${strArg(tr, i, 1)}`;
  },
  Truncated: (_n, i, _agent, tr) => {
    return `A limit was hit: later ${['console output', 'events', 'workers', 'channel messages'][arg(tr, i, 0)] ?? 'events'} are not recorded.`;
  },
  Signal: (_n, i, _agent, tr) => {
    return `The process receives ${code(strArg(tr, i, 0))}.`;
  },
  TaskLabel: (_n, i, _agent, tr) => {
    return `The callback is labelled ${quote(strArg(tr, i, 1))}.`;
  },
  Value: (_n, i, _agent, tr) => {
    return `${code(strArg(tr, i, 0))} is assigned: it now holds ${code(strArg(tr, i, 1))}.`;
  },
  SharedView: (_n, i, _agent, tr) => {
    const type = TYPED_ARRAY_TYPES[arg(tr, i, 2)]?.name ?? 'typed array';
    const name = strArg(tr, i, 1);
    return `${name ? `${code(name)}, a` : 'A'} ${code(type)} view of ${arg(tr, i, 4)} cells, is created over SharedArrayBuffer #${arg(tr, i, 0)}: reads and writes through it reach the shared memory.`;
  },
  SharedWrite: (_n, i, _agent, tr) => {
    return `A plain write stores ${arg(tr, i, 2)} in cell [${arg(tr, i, 1)}] of SharedArrayBuffer #${arg(tr, i, 0)}: not atomic, so another thread may write in between.`;
  },
  SharedStore: (_n, i, _agent, tr) => {
    const type = arg(tr, i, 1);
    const what = TYPED_ARRAY_TYPES[type]?.name ?? 'typed array';
    return `A plain write stores ${readCell(type, arg(tr, i, 3), arg(tr, i, 4)).text} in ${what} element [${arg(tr, i, 2)}] of SharedArrayBuffer #${arg(tr, i, 0)}: not atomic, so another thread may write in between.`;
  },
  PortClose: (n, i, agent, tr) => {
    const peer = arg(tr, i, 0);
    return `${cap(n.agentName(agent))} closes its ${peer < 0 ? 'MessagePort' : 'port to its parent'}: messages still in flight to it are lost, and it stops receiving.`;
  },
  ChannelClose: (n, i, agent) => {
    return `${cap(n.agentName(agent))} closes a MessagePort, and with it the channel: messages still in flight to that port are lost.`;
  },
  LockReleasing: (n, i, _agent, tr) => {
    return `The holder that got ${n.lockName(i)} as grant #${arg(tr, i, 1)} is about to give it back.`;
  },
  AtomicsElement: (_n, i, _agent, tr) => {
    const type = TYPED_ARRAY_TYPES[arg(tr, i, 0)]?.name ?? 'typed array';
    return `The next Atomics call is on ${code(type)} element [${arg(tr, i, 1)}] of the buffer.`;
  },
  LockCaller: (n, i, _agent, tr) => {
    const args = strArg(tr, i, 1);
    return `A call ${args ? `with ${code(args)}` : 'without arguments'} is about to ask for ${n.lockName(i)}: the lock shows it by that call.`;
  },
};
const SENTENCES = byKind(NARRATION);

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Indexed by TaskKind. */
const KIND_PHRASE: readonly string[] = [
  'the main script', 'the setTimeout callback', 'the setInterval callback', 'the setImmediate callback', 'the nextTick callback',
  'the queueMicrotask callback', 'the promise reaction', 'the await continuation', 'the I/O callback', 'the close callback',
  'the message handler', 'the signal handler', 'the event listener', 'the thenable job',
];

