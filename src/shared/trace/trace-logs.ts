/**
 * Append-only facts read once from a growing trace, shared by every state the model produces: console lines,
 * errors, promise settlements, and frame names.
 *
 * Invariant: the n-th Console (Error) event of the trace is `console[n]` (`errors[n]`), so a state only keeps a
 * count. Promise facts are step-stamped, so "as of step s" questions have one answer however far this index has
 * been built.
 */
import type { Trace } from './builder.ts';
import { AgentIdMap } from './columns.ts';
import type { ConsoleLine, PromiseStatus, TraceError } from './runtime-state.ts';
import { FrameExcerpts } from './excerpt.ts';
import { EventKind, HOST_FRAMES, type Frame, type TraceHeader } from './schema.ts';

export class FrameNames {
  readonly #frames = new Map<number, Frame>();
  readonly #excerpts: FrameExcerpts;

  constructor(frames: readonly Frame[], files: TraceHeader['files'] = []) {
    for (const f of frames) if (!this.#frames.has(f.id)) this.#frames.set(f.id, f);
    this.#excerpts = new FrameExcerpts({ files });
  }

  get(frameId: number): Frame | undefined {
    return this.#frames.get(frameId);
  }

  name(frameId: number): string {
    return this.#frames.get(frameId)?.name ?? HOST_FRAMES[frameId] ?? `frame ${frameId}`;
  }

  /** The name, or for an anonymous function a short excerpt of its source (excerpt.ts). */
  label(frameId: number): string {
    return this.#excerpts.of(this.#frames.get(frameId)) || this.name(frameId);
  }

  isHost(frameId: number): boolean {
    const f = this.#frames.get(frameId);
    return f ? f.kind === 'host' : frameId >= 0 && frameId < HOST_FRAMES.length;
  }
}

export class TraceLogs {
  readonly console: ConsoleLine[] = [];
  readonly errors: TraceError[] = [];
  readonly frames: FrameNames;
  readonly #trace: Trace;
  #indexed = 0;
  readonly #created = new AgentIdMap();
  readonly #settled = new AgentIdMap();
  readonly #settledAs = new AgentIdMap();

  constructor(trace: Trace) {
    this.#trace = trace;
    this.frames = new FrameNames(trace.header.frames, trace.header.files);
  }

  update(to = this.#trace.count): void {
    const t = this.#trace;
    const end = Math.min(to, t.count);
    for (let i = this.#indexed; i < end; i++) {
      const kind = t.kind[i]!;
      if (kind !== EventKind.Console && kind !== EventKind.Error && kind !== EventKind.PromiseCreate && kind !== EventKind.PromiseSettle) continue;
      const a = t.argStart[i]!;
      const agent = t.agent[i]!;
      const a0 = t.args[a]!;
      const a1 = t.args[a + 1]!;
      if (kind === EventKind.Console) {
        this.console.push(Object.freeze({ agent, stream: a0, text: t.strings[a1] ?? '', step: i }));
      } else if (kind === EventKind.Error) {
        this.errors.push(Object.freeze({ agent, kind: a0, message: t.strings[a1] ?? '', stack: t.strings[t.args[a + 2]!] ?? '', step: i }));
      } else if (kind === EventKind.PromiseCreate) {
        if (this.#created.get(agent, a0) < 0) this.#created.set(agent, a0, i);
      } else if (this.#settled.get(agent, a0) < 0) {
        this.#settled.set(agent, a0, i);
        this.#settledAs.set(agent, a0, a1 >= 0 && a1 <= 2 ? a1 : 0);
      }
    }
    if (end > this.#indexed) this.#indexed = end;
  }

  /** A promise's status after the first `step` events. */
  promiseStatusAt(agent: number, promiseId: number, step: number): PromiseStatus {
    const settled = this.#settled.get(agent, promiseId);
    if (settled >= 0 && settled < step) {
      const as = this.#settledAs.get(agent, promiseId);
      return as === 1 ? 'fulfilled' : as === 2 ? 'rejected' : 'settled';
    }
    const created = this.#created.get(agent, promiseId);
    return created >= 0 && created < step ? 'pending' : 'unknown';
  }
}
