/**
 * The handout's timeline strip: the whole run at a glance, one row per thread, with the current step marked and
 * a click (or drag) to go to any step. Each row has two bands drawn from the app's own timeline index
 * (src/shared/scene/timeline-index.ts): the loop phase the thread was in (coloured like the phase ring, microtask
 * drains in the microtask colour) and the tasks that ran (coloured by kind, like the stage's queues).
 *
 * The x axis is steps, not time: the handout is read step by step, and one pixel of strip is then the same
 * distance as one notch of the step slider (on a time axis a synchronous script is a sliver and a 1 s timer a gulf).
 * The handout's checkpoints are ticks above the bands. Drawn once per size on a canvas (spans narrower than a pixel share it); only the marker moves on a step.
 * Keyboard: it is a slider — focused, the player's keys (←/→, Shift+←/→, Home/End) move the same cursor.
 */
import { MICRO_BAND } from '../shared/scene/lanes.ts';
import { COLORS, PHASE_LOOK, QUEUE_LOOK, taskLook } from '../shared/scene/palette.ts';
import { SliceFlag, type TimelineIndex } from '../shared/scene/timeline-index.ts';
import { Queue } from '../shared/trace/schema.ts';
import { h } from './dom.ts';

const PHASE_BAND_CSS_PX = 5;
const TASK_BAND_CSS_PX = 11;
const ROW_GAP_CSS_PX = 4;
const ROW_CSS_PX = PHASE_BAND_CSS_PX + TASK_BAND_CSS_PX + ROW_GAP_CSS_PX;

export class TimelineStrip {
  readonly el: HTMLElement;
  readonly #canvas = h('canvas', { attrs: { 'aria-hidden': 'true' } });
  readonly #marker = h('div', { class: 'strip-cursor', attrs: { 'data-testid': 'strip-cursor', 'aria-hidden': 'true' } });
  readonly #plot: HTMLElement;
  readonly #index: TimelineIndex;
  readonly #count: number;
  #drawnWidth = 0;

  constructor(index: TimelineIndex, count: number, onSeek: (step: number) => void) {
    this.#index = index;
    this.#count = count;
    const lanes = index.agentLanes;
    const names = h('div', { class: 'strip-names', attrs: { 'aria-hidden': 'true' } }, lanes.map((l) => h('span', { text: l.agent === 0 ? 'main' : `worker ${l.agent}` })));
    this.#plot = h('div', { class: 'strip-plot' }, [this.#canvas, this.#marker]);
    this.#plot.style.height = `${lanes.length * ROW_CSS_PX}px`;
    for (const span of names.children) (span as HTMLElement).style.height = `${ROW_CSS_PX}px`;
    this.el = h('div', {
      class: 'strip',
      attrs: { role: 'slider', tabindex: '0', 'aria-label': 'Timeline overview (click to go to a step)', 'aria-valuemin': '0', 'aria-valuemax': String(count), 'data-testid': 'timeline-strip' },
    }, [names, this.#plot]);

    // Pointer: press and drag to scrub; the step under the pointer (steps are evenly spaced across the width).
    const seekAt = (e: PointerEvent): void => {
      const box = this.#plot.getBoundingClientRect();
      if (box.width <= 0) return;
      onSeek(Math.round((Math.min(Math.max(e.clientX - box.left, 0), box.width) / box.width) * this.#count));
    };
    this.#plot.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      this.#plot.setPointerCapture?.(e.pointerId);
      seekAt(e);
    });
    this.#plot.addEventListener('pointermove', (e) => {
      if (this.#plot.hasPointerCapture?.(e.pointerId)) seekAt(e);
    });
    if (typeof ResizeObserver === 'function') new ResizeObserver(() => this.#draw()).observe(this.#plot);
  }

  /** Flags the handout's checkpoints on the strip (a tick each, named in its tooltip). */
  markCheckpoints(checkpoints: readonly { readonly name: string; readonly cursor: number }[]): void {
    for (const c of checkpoints) {
      const tick = h('div', { class: 'strip-mark', title: `⚑ ${c.name} (step ${c.cursor})`, attrs: { 'data-testid': 'strip-checkpoint', 'data-cursor': String(c.cursor) } });
      tick.style.left = `${this.#count > 0 ? (Math.min(c.cursor, this.#count) / this.#count) * 100 : 0}%`;
      this.#plot.insertBefore(tick, this.#marker);
    }
  }

  /** Moves the marker (the bands are not redrawn). */
  update(cursor: number): void {
    const pct = this.#count > 0 ? (cursor / this.#count) * 100 : 0;
    this.#marker.style.left = `${pct}%`;
    this.el.setAttribute('aria-valuenow', String(cursor));
    this.el.setAttribute('aria-valuetext', `Step ${cursor.toLocaleString('en-US')} of ${this.#count.toLocaleString('en-US')}`);
    this.#draw();
  }

  #draw(): void {
    const widthCssPx = this.#plot.clientWidth;
    if (widthCssPx <= 0 || widthCssPx === this.#drawnWidth) return;
    this.#drawnWidth = widthCssPx;
    const dpr = window.devicePixelRatio || 1;
    const lanes = this.#index.agentLanes;
    const heightCssPx = lanes.length * ROW_CSS_PX;
    this.#canvas.width = Math.round(widthCssPx * dpr);
    this.#canvas.height = Math.round(heightCssPx * dpr);
    this.#canvas.style.width = `${widthCssPx}px`;
    this.#canvas.style.height = `${heightCssPx}px`;
    const ctx = this.#canvas.getContext('2d');
    if (!ctx) return;
    ctx.scale(dpr, dpr);
    const n = Math.max(1, this.#count);
    const xOf = (step: number): number => (step / n) * widthCssPx;
    const index = this.#index;
    lanes.forEach((lane, row) => {
      const top = row * ROW_CSS_PX;
      // loop phases
      const phases = lane.phase;
      for (let i = 0; i < phases.count; i++) {
        const tag = phases.tag.get(i);
        ctx.fillStyle = tag >= MICRO_BAND ? QUEUE_LOOK[Queue.Microtask]!.color : (PHASE_LOOK[tag]?.color ?? COLORS.grey);
        span(ctx, xOf(phases.startStep.get(i)), xOf(end(phases.endStep.get(i), n)), top, PHASE_BAND_CSS_PX);
      }
      // tasks (the outermost stack row: what the loop ran)
      const tasks = lane.stack[0];
      if (!tasks) return;
      for (let i = 0; i < tasks.count; i++) {
        const slice = tasks.tag.get(i);
        const isTask = (index.slices.flags.get(slice) & SliceFlag.Task) !== 0;
        ctx.fillStyle = isTask ? taskLook(index.tasks.kind.get(index.slices.ref.get(slice))).color : COLORS.brown;
        span(ctx, xOf(tasks.startStep.get(i)), xOf(end(tasks.endStep.get(i), n)), top + PHASE_BAND_CSS_PX, TASK_BAND_CSS_PX);
      }
    });
  }
}

const end = (endStep: number, count: number): number => (endStep < 0 ? count : endStep + 1);

/** A span at least one CSS pixel wide (a sub-pixel task stays visible). */
function span(ctx: CanvasRenderingContext2D, x0: number, x1: number, y: number, height: number): void {
  ctx.fillRect(x0, y, Math.max(1, x1 - x0), height);
}
