/**
 * Message deliveries in the trace (runtime v2): each message Node delivers to a port the lesson listens on (a
 * worker's `parentPort`, a MessageChannel's end, a lesson Worker's own port behind `worker.on('message')`) is a
 * Message task — opened without putting any frame of the runtime between Node and the lesson's listeners.
 *
 * Why not a wrapper around each listener: its frames sit in every stack captured inside the listener, and V8 captures
 * only `Error.stackTraceLimit` frames — a deep stack there lost plain node's last frames to the runtime's (call-sites.ts
 * can take frames out, not bring back those V8 never captured).
 *
 * How: Node delivers a message by calling `emitMessage` (node:internal/per_context/messageport), which reads the
 * port's `[kHybridDispatch]` twice — `typeof` it, then sets `[kCurrentlyReceivingPorts]` to the transferred ports and
 * calls it. A getter for that key on MessagePort.prototype (Node's is a method of EventTarget.prototype) sees both
 * reads and returns Node's own function: on the second read of a pair, with no lesson code on the stack and no
 * lesson task open, the Message task opens (agent.ts `openDelivery`), the receipt is counted and the transferred
 * ports are taken in. The task closes when Node's callback is over (agent.ts). Other reads (a lesson's `port.emit`
 * or `dispatchEvent`, Node's 'close' event) are single, or come with lesson code on the stack.
 *
 * A lesson Worker's messages come through its public port, whose listener (Node's) calls `this.emit('message', …)`:
 * the Worker subclass's `emit` is a getter that hands Node's forwarder EventEmitter's own `emit` right after such a
 * delivery opened (so the stack shows `Worker.emit (node:events…)` as in plain node), and the traced one otherwise
 * (a worker's 'exit', 'error' and 'online' events: preload.ts).
 *
 * Fidelity: nothing is added to what the lesson sees of a port — no listener, no own property; the listeners run
 * exactly as Node calls them. Node's own ports (a Worker's internal port) open nothing.
 */
import { MessagePort } from 'node:worker_threads';
import type { Agent } from './agent.ts';
import { internalField, internalKey } from './node-internals.ts';
import { SafeWeakMap, SafeWeakSet } from './safe-collections.ts';

/** Captured at start-up: a lesson may replace these, and the tracer must never call lesson code. */
const { defineProperty, getOwnPropertyDescriptor, getPrototypeOf } = Object;
const { isArray } = Array;

const DISPATCH = Symbol.for('nodejs.internal.kHybridDispatch');
const RECEIVING_PORTS = Symbol.for('nodejs.internal.kCurrentlyReceivingPorts');

export interface DeliveryTracer {
  /** The lesson added a 'message' listener to `port`: its deliveries are Message tasks (traced port or not). */
  listened(port: object): void;
  /** A lesson Worker was constructed: its public port's deliveries are its 'message' events. */
  worker(worker: object): void;
  /** Node's forwarder reads `worker.emit` for a delivery that just opened (true once per delivery). */
  forwarding(worker: object): boolean;
}

/**
 * `onDelivery(port, task, received, worker)`: a message is about to be dispatched on `port` as task `task` (-1: not
 * traced) with the transferred ports `received`; `worker` is the lesson Worker whose public port it is.
 */
export function traceDeliveries(
  agent: Agent,
  interesting: (port: object) => boolean,
  onDelivery: (port: object, task: number, received: readonly unknown[], worker: object | undefined) => void,
): DeliveryTracer {
  const listenedPorts = new SafeWeakSet<object>();
  const workerOfPort = new SafeWeakMap<object, object>();
  let publicPortKey: symbol | undefined;
  /** The port whose first read of a pair was seen (null: none). */
  let pending: object | null = null;
  let forwardingTo: object | null = null;

  function open(port: object): void {
    const worker = workerOfPort.get(port);
    const task = agent.openDelivery();
    const d = getOwnPropertyDescriptor(port, RECEIVING_PORTS);
    const received = d !== undefined && 'value' in d && isArray(d.value) ? d.value as unknown[] : [];
    forwardingTo = worker ?? null;
    onDelivery(port, task, received, worker);
  }
  function observe(port: object): void {
    if (pending === port) {
      pending = null;
      if (agent.isIdle()) open(port);
      return;
    }
    pending = agent.isIdle() && (listenedPorts.has(port) || workerOfPort.get(port) !== undefined || interesting(port)) ? port : null;
  }

  let owner = MessagePort.prototype as object | null;
  while (owner !== null && getOwnPropertyDescriptor(owner, DISPATCH) === undefined) owner = getPrototypeOf(owner) as object | null;
  const dispatch = owner ? getOwnPropertyDescriptor(owner, DISPATCH)?.value as unknown : undefined;
  if (typeof dispatch === 'function') {
    defineProperty(MessagePort.prototype, DISPATCH, {
      get(this: unknown): unknown {
        if (this !== null && typeof this === 'object') observe(this);
        return dispatch;
      },
      set(this: unknown, value: unknown): void {
        if (this !== null && typeof this === 'object') defineProperty(this, DISPATCH, { value, writable: true, configurable: true, enumerable: true });
      },
      enumerable: false, configurable: true,
    });
  }

  return {
    listened(port) { listenedPorts.add(port); },
    worker(worker) {
      publicPortKey ??= internalKey(worker, 'kPublicPort');
      if (publicPortKey === undefined) return;
      const port = internalField(worker, publicPortKey);
      if (port !== null && typeof port === 'object') workerOfPort.set(port, worker);
    },
    forwarding(worker) {
      if (forwardingTo !== worker) return false;
      forwardingTo = null;
      return true;
    },
  };
}
