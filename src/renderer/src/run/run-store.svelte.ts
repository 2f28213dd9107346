/**
 * The one store of a run: it starts and stops runs through the API, feeds arriving batches into a TraceBuilder,
 * keeps the cursor (the step being looked at) and exposes the runtime state at the cursor from the TraceModel.
 * Every view — console, state view, and later the stage and timeline — reads from here.
 *
 * Invariants:
 * - Only events of the current run (client-chosen runId) are accepted; late events of an older run are ignored.
 * - The trace grows between frames; views are told once per animation frame (`eventCount` changes), never per
 *   batch, so a flood of batches cannot starve rendering.
 * - `cursor` ∈ [0, eventCount]: the state after the first `cursor` events. While `follow` is on, the cursor moves
 *   with the live end of the trace; stepping back turns it off, stepping to the end turns it on again.
 */
import { tick } from 'svelte';
import type { LoopscopeApi } from '../../../shared/ipc/contract.ts';
import type { RunEnd, RunRequest } from '../../../shared/run/contract.ts';
import { TraceBuilder, type Trace } from '../../../shared/trace/builder.ts';
import type { RuntimeState } from '../../../shared/trace/runtime-state.ts';
import { END_REASON_NAMES, EventKind, EndReason, type TraceHeader } from '../../../shared/trace/schema.ts';
import { createStateSource, type StateSource } from './state-source.ts';

export type RunStatus = 'idle' | 'starting' | 'running' | 'stopping' | 'ended';

/** The console and other imperative views subscribe to output as it arrives. */
export interface RunOutputListener {
  onReset(): void;
  onConsole(stream: number, text: string): void;
  onNote(text: string, tone: 'dim' | 'error'): void;
}

export const PERF_MARK_RUN = 'loopscope:run-requested';
export const PERF_MARK_FIRST_UPDATE = 'loopscope:first-update';

function newRunId(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `run-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

export class RunStore {
  status: RunStatus = $state('idle');
  runId: string | null = $state(null);
  header: TraceHeader | null = $state.raw(null);
  end: RunEnd | null = $state.raw(null);
  /** Events stored so far (published once per frame). */
  eventCount = $state(0);
  cursor = $state(0);
  follow = $state(true);
  error = $state('');
  /** How many runs this store has started (views key animations on it). */
  generation = $state(0);

  /** The runtime state at the cursor. */
  readonly state: RuntimeState | null = $derived.by(() => {
    const count = this.eventCount; // re-derive when the trace grows
    const source = this.#source;
    if (!source) return null;
    return source.stateAt(Math.min(this.cursor, count));
  });

  readonly #api: LoopscopeApi;
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- imperative subscribers, not state
  readonly #listeners = new Set<RunOutputListener>();
  readonly #unsubscribe: (() => void)[] = [];
  #builder: TraceBuilder | null = null;
  #source: StateSource | null = $state.raw(null);
  #frame: number | null = null;
  #awaitingFirstUpdate = false;

  constructor(api: LoopscopeApi) {
    this.#api = api;
    this.#unsubscribe.push(
      api.on('run.header', (e) => {
        if (e.runId !== this.runId) return;
        this.header = e.header;
        this.#builder = new TraceBuilder(e.header);
        this.#source = createStateSource(this.#builder.trace);
        this.#builder.onAppend((from, to) => this.#onAppend(from, to));
        this.status = this.status === 'stopping' ? 'stopping' : 'running';
      }),
      api.on('run.batch', (e) => {
        if (e.runId !== this.runId || !this.#builder) return;
        try {
          this.#builder.append(e.batch);
        } catch (err) {
          this.#note(`A malformed trace batch was dropped: ${err instanceof Error ? err.message : String(err)}`, 'error');
        }
      }),
      api.on('run.end', (e) => {
        if (e.runId !== this.runId) return;
        if (this.#builder) this.#builder.finish(e.end);
        this.end = e.end;
        this.status = 'ended';
        this.#publish();
        this.#note(describeEnd(e.end), e.end.reason === EndReason.Completed || (e.end.reason === EndReason.ProcessExit && e.end.exitCode === 0) ? 'dim' : 'error');
      }),
      api.on('host.crashed', (e) => this.#note(`The runtime host crashed (${e.why}); it has been restarted.`, 'error')),
    );
  }

  get trace(): Trace | null {
    return this.#builder?.trace ?? null;
  }

  get isActive(): boolean {
    return this.status === 'starting' || this.status === 'running' || this.status === 'stopping';
  }

  subscribe(listener: RunOutputListener): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /** Runs `request` as lesson `lesson` (the side that runs code checks the lesson is trusted and the files are its). */
  async start(lesson: string, request: RunRequest): Promise<void> {
    if (typeof performance !== 'undefined') performance.mark(PERF_MARK_RUN);
    const runId = newRunId();
    this.runId = runId;
    this.generation++;
    this.status = 'starting';
    this.header = null;
    this.end = null;
    this.error = '';
    this.#builder = null;
    this.#source = null;
    this.eventCount = 0;
    this.cursor = 0;
    this.follow = true;
    this.#awaitingFirstUpdate = true;
    for (const l of this.#listeners) l.onReset();
    try {
      await this.#api.call({ type: 'runs.start', runId, lesson, request });
    } catch (e) {
      if (this.runId !== runId) return;
      this.status = 'ended';
      this.error = e instanceof Error ? e.message : String(e);
      this.#note(`Could not run: ${this.error}`, 'error');
    }
  }

  async stop(): Promise<void> {
    const runId = this.runId;
    if (!runId || !this.isActive) return;
    this.status = 'stopping';
    try {
      await this.#api.call({ type: 'runs.stop', runId });
    } catch (e) {
      this.#note(`Could not stop: ${e instanceof Error ? e.message : String(e)}`, 'error');
    }
  }

  seek(step: number): void {
    const clamped = Math.max(0, Math.min(this.eventCount, Math.round(step)));
    this.cursor = clamped;
    this.follow = clamped === this.eventCount;
  }

  stepForward(n = 1): void {
    this.seek(this.cursor + n);
  }

  stepBack(n = 1): void {
    this.seek(this.cursor - n);
    if (this.cursor < this.eventCount) this.follow = false;
  }

  dispose(): void {
    for (const off of this.#unsubscribe.splice(0)) off();
    if (this.#frame !== null) cancelAnimationFrame(this.#frame);
  }

  #onAppend(from: number, to: number): void {
    const trace = this.#builder?.trace;
    if (!trace) return;
    for (let i = from; i < to; i++) {
      if (trace.kind[i] !== EventKind.Console) continue;
      const at = trace.argStart[i]!;
      const stream = trace.args[at]!;
      const text = trace.strings[trace.args[at + 1]!] ?? '';
      for (const l of this.#listeners) l.onConsole(stream, text);
    }
    if (this.#frame === null) this.#frame = requestAnimationFrame(() => this.#publish());
  }

  #publish(): void {
    if (this.#frame !== null) cancelAnimationFrame(this.#frame);
    this.#frame = null;
    const count = this.#builder?.trace.count ?? 0;
    this.eventCount = count;
    if (this.follow) this.cursor = count;
    if (this.#awaitingFirstUpdate && count > 0) {
      this.#awaitingFirstUpdate = false;
      void tick().then(() => performance.mark(PERF_MARK_FIRST_UPDATE));
    }
  }

  #note(text: string, tone: 'dim' | 'error'): void {
    for (const l of this.#listeners) l.onNote(text, tone);
  }
}

export function describeEnd(end: RunEnd): string {
  const name = END_REASON_NAMES[end.reason] ?? `reason ${end.reason}`;
  const stats = `${end.events.toLocaleString('en-US')} events, ${Math.round(end.durationMs)} ms`;
  if (end.reason === EndReason.Completed) return `■ Completed (${stats})`;
  if (end.reason === EndReason.ProcessExit) return `■ process.exit(${end.exitCode}) (${stats})`;
  return `■ ${name[0]!.toUpperCase()}${name.slice(1)}: ${end.message}`;
}

