/**
 * Playback state (playing, speed, pacing) and the actions on the cursor. The cursor itself belongs to the app's
 * run store: the controller reads it and asks for moves through `seek`, so the editor highlight, console and
 * every view follow one cursor.
 */
import { SPEEDS, advance, playStateAt, stepCursor, type Pacing, type PlayState, type StepUnit } from '../../../shared/scene/playback.ts';
import type { TraceColumns } from '../../../shared/scene/trace-source.ts';
import { frameLoop } from '../app/frame-loop.ts';
import { sceneFor } from '../app/scene-cache.ts';

export interface PlayerSource {
  readonly trace: TraceColumns | null;
  /** Events available (the trace may still grow). */
  readonly count: number;
  readonly cursor: number;
  readonly ended: boolean;
  /** Cursor positions of lesson checkpoints. */
  readonly checkpoints: readonly number[];
  seek(cursor: number): void;
}

export class PlayerController {
  playing = $state(false);
  speed = $state(1);
  pacing: Pacing = $state('uniform');
  private readonly source: () => PlayerSource;
  private play: PlayState = { cursor: 0, carry: 0, playheadUs: 0 };
  private readonly frame: { id: symbol; dispose: () => void };

  constructor(source: () => PlayerSource) {
    this.source = source;
    this.frame = frameLoop.add((_now, dt) => this.onFrame(dt));
  }

  dispose(): void {
    this.frame.dispose();
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.start();
  }

  start(): void {
    const src = this.source();
    if (!src.trace || src.count === 0) return;
    // At the end, play from the start again.
    const from = src.cursor >= src.count && src.ended ? 0 : src.cursor;
    if (from !== src.cursor) src.seek(from);
    this.play = playStateAt(src.trace, from);
    this.playing = true;
    frameLoop.request(this.frame.id);
  }

  pause(): void {
    this.playing = false;
  }

  step(unit: StepUnit, direction: 1 | -1): void {
    this.pause();
    const src = this.source();
    if (!src.trace) return;
    const scene = sceneFor(src.trace);
    scene.sync(src.ended);
    const ts = scene.index.taskStarts;
    const target = stepCursor({ count: src.count, taskStarts: ts.raw, taskStartCount: ts.length, checkpoints: src.checkpoints }, src.cursor, unit, direction);
    src.seek(target);
  }

  first(): void {
    this.pause();
    this.source().seek(0);
  }

  last(): void {
    this.pause();
    const src = this.source();
    src.seek(src.count);
  }

  faster(): void {
    const i = SPEEDS.indexOf(this.speed);
    this.speed = SPEEDS[Math.min(SPEEDS.length - 1, (i < 0 ? 2 : i) + 1)]!;
  }

  slower(): void {
    const i = SPEEDS.indexOf(this.speed);
    this.speed = SPEEDS[Math.max(0, (i < 0 ? 2 : i) - 1)]!;
  }

  togglePacing(): void {
    this.pacing = this.pacing === 'uniform' ? 'real' : 'uniform';
    const src = this.source();
    if (src.trace) this.play = playStateAt(src.trace, src.cursor);
  }

  private onFrame(dtMs: number): boolean {
    if (!this.playing) return false;
    const src = this.source();
    if (!src.trace) return (this.playing = false);
    // the user may have moved the cursor meanwhile: continue from there
    if (src.cursor !== this.play.cursor) this.play = playStateAt(src.trace, src.cursor);
    const next = advance(src.trace, this.play, dtMs, this.speed, this.pacing);
    // Playback pauses on a lesson checkpoint it reaches, so the learner can read its explanation (issue 5).
    const checkpoint = src.checkpoints.find((c) => c > this.play.cursor && c <= next.cursor);
    this.play = checkpoint === undefined ? next : playStateAt(src.trace, checkpoint);
    if (this.play.cursor !== src.cursor) src.seek(this.play.cursor);
    if (checkpoint !== undefined || (this.play.cursor >= src.count && src.ended)) this.playing = false;
    return this.playing;
  }
}
