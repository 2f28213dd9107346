/**
 * Port close in the trace (runtime v2): `MessagePort.prototype.close` records a PortClose event before the port
 * closes, so the stage stops drawing messages to this thread as in flight (they will never arrive; it marks them
 * lost). Only a worker's `parentPort.close()` is recorded (its parent is the peer): posts on other ports are not
 * traced as messages (preload.ts). A thread that exits closes its ports without this call: the model treats an
 * ended agent's inbound messages as lost (AgentEnd).
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
      const port = workerThreads.parentPort;
      if (port !== null && this === port && !closed.has(port)) {
        closed.add(port);
        agent.writer.emit(K.PortClose, parentAgentId);
      }
      return Reflect.apply(close, this, args);
    } }.close,
    writable: true, configurable: true, enumerable: false,
  });
}
