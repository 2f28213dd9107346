/**
 * Calls and events over any message-passing endpoint (WebSocket, in-memory pair). Electron does not use the
 * wire messages — it has invoke for calls and a MessagePort for events — but uses the same contract,
 * validators and `CallAnswer` envelope.
 *
 * Invariants:
 * - The serving side validates every incoming message (`parseWireFromClient`) and answers malformed calls with
 *   an error; messages too broken to answer (no id) are dropped and reported through `onBadMessage`.
 * - The client validates every result and event it receives; a bad event is dropped, a bad result rejects.
 * - A client's pending calls reject when the endpoint closes.
 */
import { callAnswer, isCallType, PayloadError, validateCall, validateEvent, validateResult, type AppEvent, type Call, type CallAnswer, type CallResult, type CallType, type EventOf, type EventType, type LoopscopeApi } from './contract.ts';

export type WireMessage =
  | { readonly type: 'call'; readonly id: number; readonly call: Call }
  | { readonly type: 'answer'; readonly id: number; readonly answer: CallAnswer }
  | { readonly type: 'event'; readonly event: AppEvent };

export interface Endpoint {
  send(message: WireMessage): void;
  onMessage(listener: (message: unknown) => void): () => void;
  onClose(listener: () => void): () => void;
}

/** Two endpoints wired to each other, delivering asynchronously (like a real transport) and in order. */
export function createInMemoryPair(): [Endpoint, Endpoint] {
  type Side = { listeners: Set<(m: unknown) => void>; closers: Set<() => void> };
  const a: Side = { listeners: new Set(), closers: new Set() };
  const b: Side = { listeners: new Set(), closers: new Set() };
  const make = (self: Side, other: Side): Endpoint => ({
    send(message) {
      void Promise.resolve().then(() => {
        for (const l of other.listeners) l(message);
      });
    },
    onMessage(listener) {
      self.listeners.add(listener);
      return () => self.listeners.delete(listener);
    },
    onClose(listener) {
      self.closers.add(listener);
      return () => self.closers.delete(listener);
    },
  });
  return [make(a, b), make(b, a)];
}

// ---------------------------------------------------------------------------------------------- client

export class RpcClient implements LoopscopeApi {
  readonly kind: LoopscopeApi['kind'];
  readonly #endpoint: Endpoint;
  readonly #pending = new Map<number, { type: CallType; resolve(v: unknown): void; reject(e: Error): void }>();
  readonly #listeners = new Map<EventType, Set<(e: AppEvent) => void>>();
  #nextId = 1;
  #closed = false;
  /** Reported, not thrown: a bad event from the server must not break the app. */
  onBadMessage: (why: string) => void = () => {};

  constructor(endpoint: Endpoint, kind: LoopscopeApi['kind'] = 'memory') {
    this.kind = kind;
    this.#endpoint = endpoint;
    endpoint.onMessage((m) => this.#receive(m));
    endpoint.onClose(() => {
      this.#closed = true;
      for (const p of this.#pending.values()) p.reject(new Error('the connection to Loopscope closed'));
      this.#pending.clear();
    });
  }

  call<T extends CallType>(call: Call<T>): Promise<CallResult<T>> {
    if (this.#closed) return Promise.reject(new Error('the connection to Loopscope is closed'));
    if (!isCallType(call.type)) return Promise.reject(new PayloadError([{ path: 'call.type', message: `unknown call ${JSON.stringify(call.type)}` }]));
    const id = this.#nextId++;
    return new Promise<CallResult<T>>((resolve, reject) => {
      this.#pending.set(id, { type: call.type, resolve: resolve as (v: unknown) => void, reject });
      this.#endpoint.send({ type: 'call', id, call: call as Call });
    });
  }

  on<T extends EventType>(type: T, listener: (event: EventOf<T>) => void): () => void {
    let set = this.#listeners.get(type);
    if (!set) this.#listeners.set(type, (set = new Set()));
    const l = listener as (e: AppEvent) => void;
    set.add(l);
    return () => void set.delete(l);
  }

  #receive(message: unknown): void {
    if (typeof message !== 'object' || message === null) return this.onBadMessage('message is not an object');
    const m = message as { type?: unknown; id?: unknown; answer?: unknown; event?: unknown };
    if (m.type === 'answer' && typeof m.id === 'number') {
      const pending = this.#pending.get(m.id);
      if (!pending) return this.onBadMessage(`answer to unknown call ${m.id}`);
      this.#pending.delete(m.id);
      try {
        const answer = callAnswer(m.answer, 'answer');
        if (answer.ok) pending.resolve(validateResult(pending.type, answer.value));
        else pending.reject(new Error(answer.error));
      } catch (e) {
        pending.reject(e instanceof Error ? e : new Error(String(e)));
      }
      return;
    }
    if (m.type === 'event') {
      let event: AppEvent;
      try {
        event = validateEvent(m.event);
      } catch (e) {
        return this.onBadMessage(e instanceof Error ? e.message : String(e));
      }
      dispatchEvent(this.#listeners, event, this.onBadMessage);
      return;
    }
    this.onBadMessage(`unexpected message type ${JSON.stringify(m.type)}`);
  }
}

/** Calls each listener of `event.type`; a listener that throws is reported and does not stop the others. */
export function dispatchEvent(listeners: Map<EventType, Set<(e: AppEvent) => void>>, event: AppEvent, report: (why: string) => void): void {
  for (const l of listeners.get(event.type) ?? []) {
    try {
      l(event);
    } catch (e) {
      report(`a ${event.type} listener threw: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------- server

/** What serves calls: the Node-side app service, seen through one connection. */
export interface CallHandler {
  handle(call: Call): Promise<unknown>;
}

/** Turns a thrown error into the message the caller sees (no stacks, no host paths beyond what the message says). */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}

/** Validates and answers one call: never throws. Shared by the WebSocket server and Electron's ipcMain handler. */
export async function answerCall(raw: unknown, handler: CallHandler): Promise<CallAnswer> {
  let call: Call;
  try {
    call = validateCall(raw);
  } catch (e) {
    return { ok: false, error: errorMessage(e) };
  }
  try {
    return { ok: true, value: (await handler.handle(call)) ?? null };
  } catch (e) {
    return { ok: false, error: errorMessage(e) };
  }
}

/**
 * Serves calls arriving on `endpoint`; `handler` sees only validated calls. Returns a function that sends an
 * event to this peer. Stops on close.
 */
export function serveEndpoint(endpoint: Endpoint, handler: CallHandler, onBadMessage: (why: string) => void = () => {}): (event: AppEvent) => void {
  let open = true;
  endpoint.onClose(() => {
    open = false;
  });
  endpoint.onMessage((message) => {
    const m = message as { type?: unknown; id?: unknown; call?: unknown } | null;
    if (typeof m !== 'object' || m === null || m.type !== 'call' || typeof m.id !== 'number' || !Number.isSafeInteger(m.id)) {
      onBadMessage('a message that is not a call was dropped');
      return;
    }
    const id = m.id;
    void answerCall(m.call, handler).then((answer) => {
      if (open) endpoint.send({ type: 'answer', id, answer });
    });
  });
  return (event) => {
    if (open) endpoint.send({ type: 'event', event });
  };
}
