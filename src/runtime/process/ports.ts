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
 * Fidelity: nothing is added to what the lesson sees — no listener, no extra message, no ref/unref — the post, the
 * delivery and close run exactly as they would. A channel beyond the table's capacity, a port that arrived some
 * other way (outside the value, or from Node itself) and Node's own channels stay untraced.
 *
 * Boundary: ports and values are the lesson's; the walk reads only own data properties of arrays, Maps' entries
 * and plain objects, skips proxies, and is capped. Built-ins a lesson could replace (array iteration, Object.keys,
 * Map iteration) are taken at start-up.
 */
import { types } from 'node:util';
import workerThreads from 'node:worker_threads';
import { EventKind as K, MAX_PORT_ENDS, MAX_PORT_MESSAGES, portMessageId } from '../../shared/trace/schema.ts';
import type { Agent } from './agent.ts';
import { SafeWeakMap, SafeWeakSet } from './safe-collections.ts';

/** Captured at start-up: a lesson may replace `Reflect.apply`, and the tracer must never call lesson code. */
const apply = Reflect.apply;

/** worker_threads environment data key of the run-wide port table. */
export const PORTS_KEY = 'loopscope.ports';

const MAX_TRANSIT = 256;
// The table: [0] channels numbered so far, [1] transit entries written so far, then per end: the agent holding it
// (+1; 0 unknown), messages it posted, messages it received, closed (1); then the transit ring (carrier id, end + 1).
const CHANNELS = 0;
const CURSOR = 1;
const LOCATION = 4;
const SENT = LOCATION + MAX_PORT_ENDS;
const RECEIVED = SENT + MAX_PORT_ENDS;
const CLOSED = RECEIVED + MAX_PORT_ENDS;
const TRANSIT = CLOSED + MAX_PORT_ENDS;
const TABLE_INTS = TRANSIT + 2 * MAX_TRANSIT;

const { add, load, store, compareExchange } = Atomics; // before the trace wraps them
const { isArray } = Array;
const { getOwnPropertyDescriptor, getPrototypeOf, keys } = Object;
const ObjectProto = Object.prototype;
const mapForEach = Map.prototype.forEach;
const MessagePort = workerThreads.MessagePort;
/** What `send` returns when no traced port travels (most posts): nothing to undo, nothing allocated. */
const NOTHING_SENT = Object.freeze({ undo(): void { /* no port travelled */ } });
const isMessagePort = (v: unknown): boolean => v instanceof MessagePort;
/** A data property's value (never an accessor's), else undefined. */
function own(o: object, key: PropertyKey): unknown {
  const d = getOwnPropertyDescriptor(o, key);
  return d && 'value' in d ? d.value : undefined;
}

/** The run-wide port table: made by the main thread, taken by every worker (a fresh one when a lesson replaced it). */
export function portTable(): Int32Array {
  if (!workerThreads.isMainThread) {
    const shared = workerThreads.getEnvironmentData(PORTS_KEY);
    if (shared instanceof SharedArrayBuffer && shared.byteLength === 4 * TABLE_INTS) return new Int32Array(shared);
  }
  const table = new Int32Array(new SharedArrayBuffer(4 * TABLE_INTS));
  workerThreads.setEnvironmentData(PORTS_KEY, table.buffer as SharedArrayBuffer);
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
    list = own(transfer, 'transfer');
    if (list === null || typeof list !== 'object' || types.isProxy(list) || !isArray(list)) return out;
  }
  const n = own(list as object, 'length') as number;
  for (let i = 0; i < n && i < 64; i++) {
    const v = own(list as object, i);
    if (isMessagePort(v)) out[out.length] = v as object;
  }
  return out;
}

/** MessagePorts inside a value, in a fixed walk order both ends of a transfer repeat. */
export function findPorts(value: unknown, out: object[] = [], depth = 0, seen = new SafeWeakSet<object>()): object[] {
  if (value === null || typeof value !== 'object' || depth > 4 || seen.has(value) || out.length >= 16 || types.isProxy(value)) return out;
  seen.add(value);
  if (isMessagePort(value)) { out[out.length] = value; return out; }
  if (isArray(value)) {
    const n = own(value, 'length') as number;
    for (let i = 0; i < n && i < 64; i++) findPorts(own(value, i), out, depth + 1, seen);
  } else if (types.isMap(value)) {
    let i = 0;
    apply(mapForEach, value, [(v: unknown) => { if (i++ < 64) findPorts(v, out, depth + 1, seen); }]);
  } else if (getPrototypeOf(value) === ObjectProto) {
    const names = keys(value);
    for (let i = 0; i < names.length && i < 64; i++) findPorts(own(value, names[i]!), out, depth + 1, seen);
  }
  return out;
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
  function take(port: object, end: number): void {
    if (end < 0 || end >= MAX_PORT_ENDS) return;
    ends.set(port, end);
    store(table, LOCATION + end, holder);
  }

  const proto = workerThreads.MessagePort.prototype as unknown as Record<string, unknown>;
  const close = proto.close;
  if (typeof close === 'function') {
    Object.defineProperty(proto, 'close', {
      value: { close(this: unknown, ...args: unknown[]): unknown {
        const self = this as object;
        if (self !== null && typeof self === 'object' && !closedHere.has(self)) {
          const end = endOf(self);
          if (self === workerThreads.parentPort) {
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
      if (2 * c + 1 >= MAX_PORT_ENDS) return;
      take(port1, 2 * c);
      take(port2, 2 * c + 1);
    },
    traced: (port) => endOf(port) >= 0,
    nextPost(port) {
      const end = endOf(port);
      if (end < 0 || closedHere.has(port) || load(table, CLOSED + (end & ~1)) !== 0) return null;
      const n = load(table, SENT + end) + 1;
      if (n >= MAX_PORT_MESSAGES) return null;
      const at = load(table, LOCATION + (end ^ 1));
      return { id: portMessageId(end, n), target: at > 0 ? at - 1 : -1, commit: () => store(table, SENT + end, n) };
    },
    received(port) {
      const end = endOf(port);
      if (end < 0) return -1;
      const n = add(table, RECEIVED + end, 1) + 1;
      return n < MAX_PORT_MESSAGES ? portMessageId(end ^ 1, n) : -1;
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
      for (let i = Math.max(0, last - MAX_TRANSIT); i < last && k < ports.length; i++) {
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
