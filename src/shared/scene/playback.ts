/**
 * Playback: where a step forward/back lands (by event, by task, by lesson checkpoint) and how far the cursor moves
 * in a frame while playing (uniform steps, or proportional to the trace's real time).
 *
 * Cursor convention (the model's): cursor c shows the state after the first c events, so c ∈ [0, count]; the event
 * narrated at cursor c is the one just applied, c - 1.
 */
import type { TraceColumns } from './trace-source.ts';

export type StepUnit = 'event' | 'task' | 'checkpoint';
/**
 * - `lesson` (the default): steps at an even rate chosen so the whole trace plays in about LESSON_PLAY_S at 1×
 *   (a 40-step lesson and a 200k-step one both take a comfortable while), never slower than `uniform`;
 * - `uniform`: UNIFORM_STEPS_PER_S × speed steps per second, whatever the trace's length;
 * - `task`: one task (callback) after the other, TASKS_PER_S × speed per second;
 * - `real`: proportional to the time the run really took, REAL_TIME_SLOWDOWN times slower at 1×.
 */
export type Pacing = 'lesson' | 'uniform' | 'task' | 'real';
export const PACINGS: readonly Pacing[] = ['lesson', 'uniform', 'task', 'real'];

/** Up to 128×: uniform steps then reach 256 steps/s. */
export const SPEEDS: readonly number[] = [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128];
/** Uniform pacing at 1×: events per second. */
export const UNIFORM_STEPS_PER_S = 2;
/** Lesson pacing at 1× plays a whole trace in this many seconds. */
export const LESSON_PLAY_S = 40;
/** Task pacing at 1×: tasks per second. */
export const TASKS_PER_S = 2;

/** Steps per second at 1× for a pacing that steps at an even rate (lesson, uniform). */
export function stepsPerSecond(pacing: Pacing, count: number): number {
  return pacing === 'lesson' ? Math.max(UNIFORM_STEPS_PER_S, count / LESSON_PLAY_S) : UNIFORM_STEPS_PER_S;
}
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
  // From the very start the first step forward shows the script starting: the run's set-up events before it
  // (run and agent start, the script task scheduled) change nothing a learner can see.
  if (unit === 'event') return c === 0 && direction > 0 ? firstScriptStep(targets) : clampCursor(c + direction, n);
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

/** The cursor where the script is running (just after the first task started), or 1 without tasks. */
export function firstScriptStep(targets: Pick<StepTargets, 'count' | 'taskStarts' | 'taskStartCount'>): number {
  if (targets.count === 0) return 0;
  return targets.taskStartCount > 0 ? clampCursor(targets.taskStarts[0]! + 1, targets.count) : 1;
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
export function advance(
  trace: Pick<TraceColumns, 'count' | 'timeUs'>,
  play: PlayState,
  dtMs: number,
  speed: number,
  pacing: Pacing,
  tasks: Pick<StepTargets, 'taskStarts' | 'taskStartCount'> = { taskStarts: [], taskStartCount: 0 },
): PlayState {
  const n = trace.count;
  const dt = Math.max(0, Math.min(dtMs, 250)); // a stalled tab must not jump far
  if (pacing === 'uniform' || pacing === 'lesson') {
    const steps = play.carry + (dt / 1000) * stepsPerSecond(pacing, n) * speed;
    const whole = Math.floor(steps);
    const cursor = clampCursor(play.cursor + whole, n);
    return { cursor, carry: steps - whole, playheadUs: cursor > 0 ? trace.timeUs[cursor - 1]! : 0 };
  }
  if (pacing === 'task') {
    const due = play.carry + (dt / 1000) * TASKS_PER_S * speed;
    let whole = Math.floor(due);
    let cursor = play.cursor;
    const targets = { count: n, taskStarts: tasks.taskStarts, taskStartCount: tasks.taskStartCount, checkpoints: [] };
    for (; whole > 0 && cursor < n; whole--) cursor = stepCursor(targets, cursor, 'task', 1);
    return { cursor, carry: due - Math.floor(due), playheadUs: cursor > 0 ? trace.timeUs[cursor - 1]! : 0 };
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
