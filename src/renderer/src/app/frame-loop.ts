/**
 * The one frame loop the stage, timeline and player draw in (speedscope/Perfetto habit): playback advances the
 * cursor, then views redraw, all in the same frame. (The run store coalesces arriving batches with its own
 * requestAnimationFrame: it publishes data, it draws nothing.)
 *
 * Invariants:
 * - At most one rAF callback is pending. Clients `request()` a frame; a client's `onFrame` returns true to ask for
 *   the next frame too (a playing player, a zoom animation). Nothing runs when nobody asked.
 * - Callbacks run in registration order (the player registers first, so views draw the new cursor).
 * - `whenIdle()` resolves once no frame is pending and no Web Animation (stage transitions) is running: the hook
 *   screenshots and benchmarks wait on (`window.__loopscopeIdle`).
 */

export type FrameCallback = (nowMs: number, dtMs: number) => boolean | void;

export class FrameLoop {
  private readonly callbacks = new Map<symbol, FrameCallback>();
  private readonly wanted = new Set<symbol>();
  private handle: number | null = null;
  private ticking = false;
  private lastMs = 0;
  private idleWaiters: (() => void)[] = [];
  /** While `recording`: each frame's work (ms) and its rAF timestamp, for the benchmark. */
  readonly frameWorkMs: number[] = [];
  readonly frameStartMs: number[] = [];
  recording = false;

  /** Registers a frame callback; returns its id (pass it to `request`) and a disposer. */
  add(cb: FrameCallback): { id: symbol; dispose: () => void } {
    const id = Symbol('frame-client');
    this.callbacks.set(id, cb);
    return {
      id,
      dispose: () => {
        this.callbacks.delete(id);
        this.wanted.delete(id);
      },
    };
  }

  request(id: symbol): void {
    this.wanted.add(id);
    // During a tick the end of the tick schedules the next frame: never two callbacks in one frame.
    if (this.handle === null && !this.ticking) this.handle = requestAnimationFrame((t) => this.tick(t));
  }

  get pending(): boolean {
    return this.handle !== null;
  }

  private tick(nowMs: number): void {
    this.handle = null;
    const dt = this.lastMs > 0 ? Math.min(250, nowMs - this.lastMs) : 16;
    this.lastMs = nowMs;
    const due = [...this.callbacks.keys()].filter((id) => this.wanted.has(id));
    this.wanted.clear();
    const t0 = performance.now();
    this.ticking = true;
    for (const id of due) {
      const cb = this.callbacks.get(id);
      if (!cb) continue;
      let again: boolean | void = false;
      try {
        again = cb(nowMs, dt);
      } catch (err) {
        console.error('frame callback failed', err);
      }
      if (again) this.wanted.add(id);
    }
    this.ticking = false;
    if (this.recording && this.frameWorkMs.length < 100_000) {
      this.frameWorkMs.push(performance.now() - t0);
      this.frameStartMs.push(nowMs);
    }
    if (this.wanted.size > 0) this.handle = requestAnimationFrame((t) => this.tick(t));
    else {
      this.lastMs = 0;
      this.settle();
    }
  }

  /** Resolves when no frame is pending and no animation runs. */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.settle();
    });
  }

  private settle(): void {
    if (this.handle !== null || this.idleWaiters.length === 0) return;
    const running = typeof document !== 'undefined' && typeof document.getAnimations === 'function' ? document.getAnimations().filter((a) => a.playState === 'running' || a.pending) : [];
    if (running.length > 0) {
      void Promise.allSettled(running.map((a) => a.finished)).then(() => setTimeout(() => this.settle(), 0));
      return;
    }
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}

/** The app's frame loop. */
export const frameLoop = new FrameLoop();

declare global {
  interface Window {
    /** Resolves when the stage, timeline and player have nothing left to draw or animate. */
    __loopscopeIdle?: () => Promise<void>;
  }
}

if (typeof window !== 'undefined') {
  // Two animation frames after idle, so Svelte's own DOM updates and transitions have started and been seen.
  window.__loopscopeIdle = async () => {
    for (let i = 0; i < 3; i++) {
      await frameLoop.whenIdle();
      await new Promise<void>((r) => requestAnimationFrame(() => r()));
    }
    await frameLoop.whenIdle();
  };
}
