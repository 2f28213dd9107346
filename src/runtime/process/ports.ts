/**
 * Port close in the trace (runtime v2): `MessagePort.prototype.close` records a PortClose event before the port
 * closes, so the stage stops drawing messages to this thread as in flight (they will never arrive; it marks them
 * lost). A worker's `parentPort.close()` names its parent as the peer; any other port, -1. A thread that exits
 * closes its ports without this call: the model treats an ended agent's inbound messages as lost (AgentEnd).
 */
import workerThreads from 'node:worker_threads';
import { EventKind as K } from '../../shared/trace/schema.ts';
import type { Agent } from './agent.ts';

export function tracePortClose(agent: Agent, parentAgentId: number): void {
  const proto = workerThreads.MessagePort.prototype as unknown as Record<string, unknown>;
  const close = proto.close;
  if (typeof close !== 'function') return;
  const closed = new WeakSet<object>();
  Object.defineProperty(proto, 'close', {
    value: { close(this: unknown, ...args: unknown[]): unknown {
      if (this !== null && typeof this === 'object' && !closed.has(this)) {
        closed.add(this);
        agent.writer.emit(K.PortClose, this === workerThreads.parentPort ? parentAgentId : -1);
      }
      return Reflect.apply(close, this, args);
    } }.close,
    writable: true, configurable: true, enumerable: false,
  });
}
