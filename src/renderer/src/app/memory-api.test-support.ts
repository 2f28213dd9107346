/**
 * An in-memory LoopscopeApi for component and store tests: records every call, answers with what the test says,
 * and lets the test play the events a real run would send (header, batches, end) into the renderer's stores.
 */
import type { AppEvent, Call, CallResult, CallType, EventOf, EventType, LoopscopeApi } from '../../../shared/ipc/contract.ts';
import type { RunEnd } from '../../../shared/run/contract.ts';
import { EndReason, type TraceBatch, type TraceHeader } from '../../../shared/trace/schema.ts';

export class MemoryApi implements LoopscopeApi {
  readonly kind = 'memory' as const;
  readonly calls: Call[] = [];
  /** What `call` resolves to (or throws), per call; undefined by default. */
  answer: (call: Call) => unknown = () => undefined;
  readonly #listeners = new Map<EventType, Set<(event: AppEvent) => void>>();

  call<T extends CallType>(call: Call<T>): Promise<CallResult<T>> {
    this.calls.push(call as Call);
    try {
      return Promise.resolve(this.answer(call as Call) as CallResult<T>);
    } catch (e) {
      return Promise.reject(e as Error);
    }
  }

  on<T extends EventType>(type: T, listener: (event: EventOf<T>) => void): () => void {
    let set = this.#listeners.get(type);
    if (!set) this.#listeners.set(type, (set = new Set()));
    set.add(listener as (event: AppEvent) => void);
    return () => void set.delete(listener as (event: AppEvent) => void);
  }

  emit(event: AppEvent): void {
    for (const l of this.#listeners.get(event.type) ?? []) l(event);
  }

  /** Sends a whole run for `runId`: its header, each batch, then its end. */
  play(runId: string, header: TraceHeader, batches: readonly TraceBatch[], end: Partial<RunEnd> = {}): void {
    this.emit({ type: 'run.header', runId, header });
    for (const batch of batches) this.emit({ type: 'run.batch', runId, batch });
    this.emit({ type: 'run.end', runId, end: { reason: EndReason.Completed, message: 'completed', exitCode: 0, events: 0, durationMs: 12, ...end } });
  }
}
