/**
 * MessagePorts in the trace (runtime v2): a worker's `parentPort.close()` (PortClose), and the messages of every
 * `new MessageChannel()` the lesson makes — posted, received, lost when the channel closes — whether its ports stay
 * in one thread or travel to workers.
 *
 * A message is linked from its post to its receipt by an id both ends compute without telling each other: each
 * direction of a channel is a FIFO, so the n-th message an end posts is the n-th its peer receives. Channels are
 * numbered run-wide (ends 2c and 2c + 1, see `portMessageId` in the schema), and each end's counts live in one
 * SharedArrayBuffer every thread of the run shares (`PORTS_KEY`), so they move with a port that is transferred.
 * A transferred port reaches the other thread as a new object; the sender writes the ends it transfers into that
 * table under the carrying message's id (a worker message's or a port message's), in the order of its transfer list,
 * and the receiver, on that message, takes them in the order Node hands it the transferred ports (the same: checked
 * with Node 24). A message taken with `receiveMessageOnPort` comes without that list: its ports are found in the
 * value (`findPorts`), which matches when they are listed in the order they appear in it. Ports in `workerData`
 * travel in the spawn record instead (preload.ts).
 *
 * BroadcastChannels (`broadcast`): each one the lesson makes is a channel of the same table whose first end is the
 * instance's own port (Node's BroadcastChannel posts and receives through an internal MessagePort) and whose second
 * end stands for every other instance posting to it: a post makes one message for each other open instance of the
 * same name (found by a hash of the name), numbered by that instance's count, so its receipts count them in order
 * as for a MessageChannel, and its close loses what was still on the way to it. Node queues a broadcast to every
 * instance under one lock; the tracer takes a lock of its own around numbering the recipients and the real post
 * (and around a new instance joining), so two threads posting at once are numbered in the order Node queued them.
 *
 * Fidelity: nothing is added to what the lesson sees — no listener, no extra message, no ref/unref — the post, the
 * delivery and close run exactly as they would. A channel beyond the table's capacity (MAX_PORT_ENDS / 2 channels a
 * run) is not traced, and says so once per thread (Truncated Channels); a port from Node itself and Node's own
 * channels stay untraced.
 *
 * Boundary: ports and values are the lesson's; the walk reads only own data properties of arrays, Maps' entries
 * and plain objects, skips proxies, and is capped. Built-ins a lesson could replace (array iteration, Object.keys,
 * Map iteration) are taken at start-up.
 */
import { types } from 'node:util';
import { MessagePort as NodeMessagePort, getEnvironmentData, isMainThread, parentPort as threadParentPort, setEnvironmentData } from 'node:worker_threads';
import { BROADCAST_MESSAGE_BIT, EventKind as K, MAX_PORT_ENDS, MAX_PORT_MESSAGES, portMessageId, TruncatedWhat } from '../../shared/trace/schema.ts';
import type { Agent } from './agent.ts';
import { SafeWeakMap, SafeWeakSet } from './safe-collections.ts';
import { append, collect, ownData } from './value-walk.ts';

/** Captured at start-up: a lesson may replace `Reflect.apply`, and the tracer must never call lesson code. */
const apply = Reflect.apply;

/** worker_threads environment data key of the run-wide port table. */
export const PORTS_KEY = 'loopscope.ports';

const MAX_TRANSIT = 256;
// The table: [0] channels numbered so far, [1] transit entries written so far, then per end: the agent holding it
// (+1; 0 unknown), messages it posted, messages it received, closed (1); then the transit ring (carrier id, end + 1).
const CHANNELS = 0;
const CURSOR = 1;
/** The BroadcastChannel lock: 0 free, 1 held. */
const BROADCAST_LOCK = 2;
const LOCATION = 4;
const SENT = LOCATION + MAX_PORT_ENDS;
const RECEIVED = SENT + MAX_PORT_ENDS;
const CLOSED = RECEIVED + MAX_PORT_ENDS;
const TRANSIT = CLOSED + MAX_PORT_ENDS;
/** Per channel: 0 for a MessageChannel, else the hash of a BroadcastChannel's name. */
const GROUP = TRANSIT + 2 * MAX_TRANSIT;
/** Per agent: 1 once its parent saw it exit (its BroadcastChannels are gone with it). */
const ENDED = GROUP + MAX_PORT_ENDS / 2;
const MAX_AGENTS = 256;
const TABLE_INTS = ENDED + MAX_AGENTS;
/** How long a post waits for the BroadcastChannel lock before taking it anyway (its holder was terminated mid-post). */
const LOCK_WAIT_MS = 50;

const { add, load, store, compareExchange, wait, notify } = Atomics; // before the trace wraps them
// Taken before a lesson can replace them on the module.
const MessagePort = NodeMessagePort;
const parentPort = threadParentPort;
const { isArray } = Array;
const dateNow = Date.now;
/** What `send` returns when no traced port travels (most posts): nothing to undo, nothing allocated. */
const NOTHING_SENT = Object.freeze({ undo(): void { /* no port travelled */ } });
const isMessagePort = (v: unknown): boolean => v instanceof MessagePort;
const charCodeAt = String.prototype.charCodeAt;
const { imul, max } = Math;
/** A BroadcastChannel name's group: FNV-1a of its UTF-16 units, never 0 (two names sharing one is a 1-in-2³¹ chance). */
function groupOf(name: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < name.length; i++) h = imul(h ^ (apply(charCodeAt, name, [i]) as number), 0x01000193);
  return h === 0 ? 1 : h;
}

/** The run-wide port table: made by the main thread, taken by every worker (a fresh one when a lesson replaced it). */
export function portTable(): Int32Array {
  if (!isMainThread) {
    const shared = getEnvironmentData(PORTS_KEY);
    if (shared instanceof SharedArrayBuffer && shared.byteLength === 4 * TABLE_INTS) return new Int32Array(shared);
  }
  const table = new Int32Array(new SharedArrayBuffer(4 * TABLE_INTS));
  setEnvironmentData(PORTS_KEY, table.buffer as SharedArrayBuffer);
  return table;
}

/**
 * The MessagePorts of a post's transfer list (an array, or `{ transfer: [...] }`), in its order. Only own data
 * elements of a real array are read: anything else (an iterable, a proxy, getters) is the lesson's to run, once, in
 * Node's own post — its ports stay untraced.
 */
export function transferredPorts(transfer: unknown): object[] {
  const out: object[] = [];
  if (transfer === null || typeof transfer !== 'object' || types.isProxy(transfer)) return out;
  let list: unknown = transfer;
  if (!isArray(list)) {
    list = ownData(transfer, 'transfer');
    if (list === null || typeof list !== 'object' || types.isProxy(list) || !isArray(list)) return out;
  }
  const n = ownData(list as object, 'length') as number;
  for (let i = 0; i < n && i < 64; i++) {
    const v = ownData(list as object, i);
    if (isMessagePort(v)) append(out, v as object);
  }
  return out;
}

/** MessagePorts inside a value (at most 16), in a fixed walk order both ends of a transfer repeat (value-walk.ts). */
export function findPorts(value: unknown): object[] {
  return collect(value, (v) => (isMessagePort(v) ? v : null), 16);
}

export interface PortTracer {
  /** A `new MessageChannel()` of the lesson: numbers its two ends. */
  channel(port1: object, port2: object): void;
  /** True for a port of a traced channel. */
  traced(port: object): boolean;
  /**
   * A post on a traced port is about to happen: the id and target (the agent holding the peer, -1 unknown) it will
   * have, or null when it is not recorded (an untraced or closed port, a full count). `commit` after it succeeded.
   */
  nextPost(port: object): { readonly id: number; readonly target: number; commit(): void } | null;
  /** A message was delivered on a traced port: its id (counted now), -1 for an untraced port. */
  received(port: object): number;
  /**
   * Before a message `carrier` is posted to agent `to` (-1 unknown) with the transfer list `transfer`: the traced
   * ports it transfers travel with it (and are drawn as held there from now). `undo` if the post failed.
   */
  send(carrier: number, transfer: unknown, to: number): { undo(): void };
  /** A message `carrier` arrived with the ports `received`: they are the ends the sender listed, in the same order. */
  arrived(carrier: number, received: readonly unknown[]): void;
  /** Takes the BroadcastChannel lock (re-entrant in a thread; `unlock` gives it back): a new instance joins under it. */
  lock(): void;
  unlock(): void;
  /** A `new BroadcastChannel(name)` of the lesson, by its internal port: numbers it (call holding the lock). */
  broadcast(handle: object, name: string): void;
  /** True for the internal port of a traced BroadcastChannel. */
  isBroadcast(port: object): boolean;
  /**
   * Posts on a traced BroadcastChannel's port (`post` is the real post): one message for every other open instance
   * of its name, with the ids and receiving agents they have, numbered in the order Node queues them.
   */
  postBroadcast(port: object, post: () => unknown): { readonly value: unknown; readonly sent: readonly { readonly id: number; readonly target: number }[] };
  /** Worker `agent` exited (its parent saw it): its BroadcastChannels receive nothing more. */
  agentEnded(agent: number): void;
  /** The ends of the traced ports in a worker's `workerData` (for its spawn record). */
  spawnEnds(workerData: unknown): number[];
  /** Those ports now belong to the worker `agent` (known once it is constructed). */
  spawned(workerData: unknown, agent: number): void;
  /** In a new worker: its `workerData`'s ports are these ends. */
  adoptSpawned(ends: readonly number[], workerData: unknown): void;
}

export function tracePorts(agent: Agent, agentId: number, parentAgentId: number, table: Int32Array): PortTracer {
  const w = agent.writer;
  const ends = new SafeWeakMap<object, number>();
  /** Ports this thread saw closed (the peer's close is in the table). */
  const closedHere = new SafeWeakSet<object>();
  const holder = agentId + 1;

  const endOf = (port: object): number => ends.get(port) ?? -1;
  /** A cap was reached (channels, or one end's messages): the stage says so once per thread. */
  let capped = false;
  function cap(): void {
    if (capped) return;
    capped = true;
    w.emit(K.Truncated, TruncatedWhat.Channels);
  }
  let lockDepth = 0;
  function lock(): void {
    if (lockDepth++ > 0 || compareExchange(table, BROADCAST_LOCK, 0, 1) === 0) return;
    const until = (apply(dateNow, Date, []) as number) + LOCK_WAIT_MS;
    while (compareExchange(table, BROADCAST_LOCK, 0, 1) !== 0) {
      // Its holder never let go (a thread terminated in the middle of a post): take it.
      if ((apply(dateNow, Date, []) as number) > until) { store(table, BROADCAST_LOCK, 1); return; }
      wait(table, BROADCAST_LOCK, 1, 1);
    }
  }
  function unlock(): void {
    if (--lockDepth > 0) return;
    store(table, BROADCAST_LOCK, 0);
    notify(table, BROADCAST_LOCK, 1);
  }
  function take(port: object, end: number): void {
    if (end < 0 || end >= MAX_PORT_ENDS) return;
    ends.set(port, end);
    store(table, LOCATION + end, holder);
  }

  const proto = MessagePort.prototype as unknown as Record<string, unknown>;
  const close = proto.close;
  if (typeof close === 'function') {
    Object.defineProperty(proto, 'close', {
      value: { close(this: unknown, ...args: unknown[]): unknown {
        const self = this as object;
        if (self !== null && typeof self === 'object' && !closedHere.has(self)) {
          const end = endOf(self);
          if (self === parentPort) {
            closedHere.add(self);
            w.emit(K.PortClose, parentAgentId);
          } else if (end >= 0) {
            closedHere.add(self);
            // The first close of either end closes the channel: later posts on the other end go nowhere.
            if (compareExchange(table, CLOSED + (end & ~1), 0, 1) === 0) w.emit(K.ChannelClose, end);
          }
        }
        return apply(close, this, args);
      } }.close,
      writable: true, configurable: true, enumerable: false,
    });
  }

  return {
    channel(port1, port2) {
      if (agent.isInternal()) return; // the kit's own channels (openResource) are not the lesson's
      const c = add(table, CHANNELS, 1);
      if (2 * c + 1 >= MAX_PORT_ENDS) return cap();
      take(port1, 2 * c);
      take(port2, 2 * c + 1);
    },
    lock,
    unlock,
    broadcast(handle, name) {
      if (agent.isInternal() || !isMessagePort(handle)) return;
      const c = add(table, CHANNELS, 1);
      if (2 * c + 1 >= MAX_PORT_ENDS) return cap();
      store(table, GROUP + c, groupOf(name));
      take(handle, 2 * c);
    },
    isBroadcast: (port) => { const end = endOf(port); return end >= 0 && (end & 1) === 0 && load(table, GROUP + (end >> 1)) !== 0; },
    postBroadcast(port, post) {
      const self = endOf(port) >> 1;
      const group = load(table, GROUP + self);
      lock();
      try {
        const numbered = load(table, CHANNELS);
        const count = numbered < MAX_PORT_ENDS / 2 ? numbered : MAX_PORT_ENDS / 2;
        const to: number[] = [];
        for (let c = 0; c < count; c++) {
          if (c === self || load(table, GROUP + c) !== group || load(table, CLOSED + 2 * c) !== 0) continue;
          const at = load(table, LOCATION + 2 * c);
          if (at > 0 && at <= MAX_AGENTS && load(table, ENDED + at - 1) !== 0) continue;
          to[to.length] = c;
        }
        const value = post();
        const sent: { id: number; target: number }[] = [];
        for (let k = 0; k < to.length; k++) {
          const end = 2 * to[k]! + 1; // the instance's other end: "every other instance"
          const n = load(table, SENT + end) + 1;
          if (n >= MAX_PORT_MESSAGES) { cap(); continue; }
          store(table, SENT + end, n);
          const at = load(table, LOCATION + (end ^ 1));
          sent[sent.length] = { id: portMessageId(end, n) | BROADCAST_MESSAGE_BIT, target: at > 0 ? at - 1 : -1 };
        }
        return { value, sent };
      } finally { unlock(); }
    },
    agentEnded(id) {
      if (id >= 0 && id < MAX_AGENTS) store(table, ENDED + id, 1);
    },
    traced: (port) => endOf(port) >= 0,
    nextPost(port) {
      const end = endOf(port);
      if (end < 0 || closedHere.has(port) || load(table, CLOSED + (end & ~1)) !== 0) return null;
      const n = load(table, SENT + end) + 1;
      if (n >= MAX_PORT_MESSAGES) { cap(); return null; }
      const at = load(table, LOCATION + (end ^ 1));
      return { id: portMessageId(end, n), target: at > 0 ? at - 1 : -1, commit: () => store(table, SENT + end, n) };
    },
    received(port) {
      const end = endOf(port);
      if (end < 0) return -1;
      const n = add(table, RECEIVED + end, 1) + 1;
      if (n >= MAX_PORT_MESSAGES) return -1;
      return (end & 1) === 0 && load(table, GROUP + (end >> 1)) !== 0 ? portMessageId(end ^ 1, n) | BROADCAST_MESSAGE_BIT : portMessageId(end ^ 1, n);
    },
    send(carrier, transfer, to) {
      // Until the lesson makes a channel, a worker message carries none of its ports: no walk (worker-pool posts a lot).
      if (carrier < 0 || load(table, CHANNELS) === 0) return NOTHING_SENT;
      const ports = transferredPorts(transfer);
      if (ports.length === 0) return NOTHING_SENT;
      const slots: number[] = [];
      for (let i = 0; i < ports.length; i++) {
        const end = endOf(ports[i]!);
        const slot = add(table, CURSOR, 1) % MAX_TRANSIT;
        store(table, TRANSIT + 2 * slot, carrier);
        store(table, TRANSIT + 2 * slot + 1, end + 1); // 0: an untraced port keeps its place in the order
        slots[i] = slot;
        if (end >= 0) store(table, LOCATION + end, to + 1);
      }
      return { undo: () => {
        for (let i = 0; i < ports.length; i++) {
          store(table, TRANSIT + 2 * slots[i]!, -1);
          const end = endOf(ports[i]!);
          if (end >= 0) store(table, LOCATION + end, holder);
        }
      } };
    },
    arrived(carrier, received) {
      if (carrier < 0 || load(table, CURSOR) === 0) return; // no port has travelled in this run
      const ports: object[] = [];
      for (let i = 0; i < received.length && i < 64; i++) if (isMessagePort(received[i])) ports[ports.length] = received[i] as object;
      if (ports.length === 0) return;
      const last = load(table, CURSOR);
      let k = 0;
      for (let i = max(0, last - MAX_TRANSIT); i < last && k < ports.length; i++) {
        const slot = i % MAX_TRANSIT;
        if (load(table, TRANSIT + 2 * slot) !== carrier) continue;
        store(table, TRANSIT + 2 * slot, -1);
        take(ports[k++]!, load(table, TRANSIT + 2 * slot + 1) - 1);
      }
    },
    spawnEnds(workerData) {
      const ports = findPorts(workerData);
      const list: number[] = [];
      for (let i = 0; i < ports.length; i++) list[i] = endOf(ports[i]!);
      return list;
    },
    spawned(workerData, to) {
      const ports = findPorts(workerData);
      for (let i = 0; i < ports.length; i++) {
        const end = endOf(ports[i]!);
        if (end >= 0 && load(table, LOCATION + end) === holder) store(table, LOCATION + end, to + 1); // unless it arrived
      }
    },
    adoptSpawned(list, workerData) {
      const ports = findPorts(workerData);
      for (let i = 0; i < ports.length && i < list.length; i++) if (typeof list[i] === 'number') take(ports[i]!, list[i]!);
    },
  };
}
