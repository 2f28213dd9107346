/**
 * Playback: where a step forward/back lands (by event, by task, by lesson checkpoint) and how far the cursor moves
 * in a frame while playing (uniform steps, or proportional to the trace's real time).
 *
 * Cursor convention (the model's): cursor c shows the state after the first c events, so c ∈ [0, count]; the event
 * narrated at cursor c is the one just applied, c - 1.
 */
import type { TraceColumns } from './trace-source.ts';

export type StepUnit = 'event' | 'task' | 'checkpoint';
export type Pacing = 'uniform' | 'real';

export const SPEEDS: readonly number[] = [0.25, 0.5, 1, 2, 4, 8];
/** Uniform pacing at 1×: events per second. */
export const UNIFORM_STEPS_PER_S = 2;
/** Real-time pacing at 1× plays the trace this many times slower than it ran (8× is close to real time). */
export const REAL_TIME_SLOWDOWN = 10;

export interface StepTargets {
  readonly count: number;
  /** Steps (event indices) where an outermost task started, ascending. */
  readonly taskStarts: ArrayLike<number>;
  readonly taskStartCount: number;
  /** Cursor positions of lesson checkpoints, ascending. */
  readonly checkpoints: readonly number[];
}

/** First index in sorted `xs[0..n)` with xs[i] > v. */
function upper(xs: ArrayLike<number>, n: number, v: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index with xs[i] >= v. */
function lower(xs: ArrayLike<number>, n: number, v: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function clampCursor(cursor: number, count: number): number {
  return Math.max(0, Math.min(count, Math.round(cursor)));
}

/**
 * The cursor after stepping from `cursor` by one `unit` in `direction` (+1 forward, -1 back). A task step lands just
 * after the TaskStart event (the task is on the stack, narrated as "runs"); a checkpoint step on the checkpoint.
 * Past the last target it goes to the end (forward) or the start (back).
 */
export function stepCursor(targets: StepTargets, cursor: number, unit: StepUnit, direction: 1 | -1): number {
  const n = targets.count;
  const c = clampCursor(cursor, n);
  if (unit === 'event') return clampCursor(c + direction, n);
  if (unit === 'task') {
    const xs = targets.taskStarts;
    const m = targets.taskStartCount;
    if (direction > 0) {
      // cursor positions of task starts are start + 1
      const i = upper(xs, m, c - 1);
      return i < m ? xs[i]! + 1 : n;
    }
    const i = lower(xs, m, c - 1) - 1;
    return i >= 0 ? xs[i]! + 1 : 0;
  }
  const cps = targets.checkpoints;
  if (direction > 0) {
    const i = upper(cps, cps.length, c);
    return i < cps.length ? clampCursor(cps[i]!, n) : n;
  }
  const i = lower(cps, cps.length, c) - 1;
  return i >= 0 ? clampCursor(cps[i]!, n) : 0;
}

/** Playing state kept between frames. `playheadUs` is only used by real-time pacing. */
export interface PlayState {
  readonly cursor: number;
  /** Fractional steps carried to the next frame (uniform pacing). */
  readonly carry: number;
  /** Trace time the playhead has reached (real pacing). */
  readonly playheadUs: number;
}

/** Advances playback by `dtMs` of wall time. Returns the new state; `cursor === count` means playback ended. */
export function advance(trace: Pick<TraceColumns, 'count' | 'timeUs'>, play: PlayState, dtMs: number, speed: number, pacing: Pacing): PlayState {
  const n = trace.count;
  const dt = Math.max(0, Math.min(dtMs, 250)); // a stalled tab must not jump far
  if (pacing === 'uniform') {
    const steps = play.carry + (dt / 1000) * UNIFORM_STEPS_PER_S * speed;
    const whole = Math.floor(steps);
    const cursor = clampCursor(play.cursor + whole, n);
    return { cursor, carry: steps - whole, playheadUs: cursor > 0 ? trace.timeUs[cursor - 1]! : 0 };
  }
  const head = play.playheadUs + (dt * 1000 * speed) / REAL_TIME_SLOWDOWN;
  // Take every event that is due. Events of different agents interleave, so times along steps are not sorted:
  // an event stamped earlier than the playhead is simply due now. Cost: the events played this frame.
  let c = play.cursor;
  const times = trace.timeUs;
  while (c < n && times[c]! <= head) c++;
  return { cursor: c, carry: 0, playheadUs: head };
}

/** Starting a real-time playback from a cursor: the playhead is at the time of the event just applied. */
export function playStateAt(trace: Pick<TraceColumns, 'count' | 'timeUs'>, cursor: number): PlayState {
  const c = clampCursor(cursor, trace.count);
  return { cursor: c, carry: 0, playheadUs: c > 0 ? trace.timeUs[c - 1]! : trace.count > 0 ? trace.timeUs[0]! : 0 };
}
