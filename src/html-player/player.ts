/**
 * The standalone player: layout, cursor and controls. Cursor convention (the model's): cursor c shows the state
 * after the first c events, c ∈ [0, count]; the narration describes event c - 1, the one just applied.
 *
 * Keys (anywhere but the speed menu): ←/→ one event, Shift+←/→ previous/next task, Home/End first/last step,
 * Space play/pause.
 */
import { editorLineAt } from '../shared/scene/editor-line.ts';
import { FrameTable } from '../shared/scene/frames.ts';
import { Narrator } from '../shared/scene/narration.ts';
import { SPEEDS, advance, clampCursor, stepCursor, type PlayState } from '../shared/scene/playback.ts';
import { TimelineIndex } from '../shared/scene/timeline-index.ts';
import type { Trace } from '../shared/trace/builder.ts';
import { TraceModel } from '../shared/trace/model.ts';
import { END_REASON_NAMES } from '../shared/trace/schema.ts';
import { CodeView } from './code-view.ts';
import { ConsoleView } from './console-view.ts';
import { fill, h } from './dom.ts';
import { RuntimeView } from './runtime-view.ts';
import { TimelineStrip } from './timeline-strip.ts';

const DEFAULT_SPEED = 4;

export class Player {
  readonly #trace: Trace;
  readonly #model: TraceModel;
  readonly #frames: FrameTable;
  readonly #index = new TimelineIndex();
  readonly #narrator: Narrator;
  readonly #code: CodeView;
  readonly #runtime = new RuntimeView();
  readonly #console: ConsoleView;
  readonly #narration = h('div', { class: 'narration', attrs: { 'data-testid': 'narration', 'aria-live': 'polite' } });
  readonly #scrubber = h('input', { attrs: { type: 'range', min: '0', step: '1', 'aria-label': 'Step', 'data-testid': 'scrubber' } });
  readonly #stepLabel = h('span', { class: 'step', attrs: { 'data-testid': 'step' } });
  readonly #playButton: HTMLButtonElement;
  readonly #strip: TimelineStrip;
  #cursor = 0;
  #speed = DEFAULT_SPEED;
  #frame = 0;
  #play: PlayState | null = null;
  #lastFrameMs = 0;

  constructor(root: HTMLElement, trace: Trace, title: string) {
    this.#trace = trace;
    this.#model = new TraceModel(trace);
    this.#frames = new FrameTable(trace.header);
    this.#index.update(trace, true);
    this.#narrator = new Narrator(trace, this.#index);
    this.#code = new CodeView(trace.header.files, trace.header.entry);
    this.#console = new ConsoleView(this.#index.agentLanes.length > 1);
    this.#scrubber.max = String(trace.count);
    this.#strip = new TimelineStrip(this.#index, trace.count, (step) => this.#user(() => this.seek(step)));
    this.#scrubber.addEventListener('input', () => {
      this.pause();
      this.seek(Number(this.#scrubber.value));
    });

    const button = (text: string, label: string, keys: string, testid: string, onClick: () => void): HTMLButtonElement => {
      const b = h('button', { text, title: `${label} (${keys})`, attrs: { type: 'button', 'aria-label': label, 'data-testid': testid } });
      b.addEventListener('click', onClick);
      return b;
    };
    this.#playButton = button('▶ Play', 'Play', 'Space', 'play', () => this.toggle());
    const speed = h('select', { attrs: { 'aria-label': 'Speed', 'data-testid': 'speed' } }, SPEEDS.map((s) => h('option', { text: `${s}×`, attrs: { value: String(s) } })));
    speed.value = String(DEFAULT_SPEED);
    speed.addEventListener('change', () => (this.#speed = Number(speed.value) || DEFAULT_SPEED));

    const end = trace.end;
    const summary = `${trace.count.toLocaleString('en-US')} steps · ${trace.header.entry}${end ? ` · ${END_REASON_NAMES[end.reason] ?? 'ended'}, ${Math.round(end.durationMs)} ms` : ' · unfinished run'}`;
    fill(root, [
      h('header', { class: 'top' }, [h('h1', { text: title }), h('span', { class: 'summary', text: summary })]),
      h('div', { class: 'controls', attrs: { role: 'toolbar', 'aria-label': 'Player' } }, [
        button('|◀', 'First step', 'Home', 'first', () => this.#user(() => this.seek(0))),
        button('⇤ task', 'Previous task', 'Shift+←', 'prev-task', () => this.#user(() => this.step('task', -1))),
        button('◀ step', 'Step back', '←', 'prev', () => this.#user(() => this.step('event', -1))),
        this.#playButton,
        button('step ▶', 'Step forward', '→', 'next', () => this.#user(() => this.step('event', 1))),
        button('task ⇥', 'Next task', 'Shift+→', 'next-task', () => this.#user(() => this.step('task', 1))),
        button('▶|', 'Last step', 'End', 'last', () => this.#user(() => this.seek(trace.count))),
        this.#scrubber,
        this.#stepLabel,
        speed,
        h('span', { class: 'hint', text: '←/→ step · Shift+←/→ task · Home/End · Space play' }),
      ]),
      this.#strip.el,
      this.#narration,
      h('main', {}, [this.#code.el, this.#runtime.el, this.#console.el]),
    ]);
    window.addEventListener('keydown', (e) => this.#onKey(e));
    this.seek(trace.count);
  }

  /** The handout's checkpoints, flagged on the timeline strip. */
  markCheckpoints(checkpoints: readonly { readonly name: string; readonly cursor: number }[]): void {
    this.#strip.markCheckpoints(checkpoints);
  }

  get cursor(): number {
    return this.#cursor;
  }

  seek(cursor: number): void {
    this.#cursor = clampCursor(cursor, this.#trace.count);
    this.#render();
  }

  step(unit: 'event' | 'task', direction: 1 | -1): void {
    const starts = this.#index.taskStarts;
    this.seek(stepCursor({ count: this.#trace.count, taskStarts: starts.raw, taskStartCount: starts.length, checkpoints: [] }, this.#cursor, unit, direction));
  }

  toggle(): void {
    if (this.#play) this.pause();
    else this.play();
  }

  play(): void {
    if (this.#play) return;
    if (this.#cursor >= this.#trace.count) this.seek(0);
    this.#play = { cursor: this.#cursor, carry: 0, playheadUs: 0 };
    this.#lastFrameMs = performance.now();
    this.#frame = requestAnimationFrame((t) => this.#tick(t));
    this.#renderPlayButton();
  }

  pause(): void {
    if (!this.#play) return;
    cancelAnimationFrame(this.#frame);
    this.#play = null;
    this.#renderPlayButton();
  }

  #user(action: () => void): void {
    this.pause();
    action();
  }

  #tick(nowMs: number): void {
    const play = this.#play;
    if (!play) return;
    const next = advance(this.#trace, play, nowMs - this.#lastFrameMs, this.#speed, 'uniform');
    this.#lastFrameMs = nowMs;
    this.#play = next;
    if (next.cursor !== this.#cursor) this.seek(next.cursor);
    if (next.cursor >= this.#trace.count) this.pause();
    else this.#frame = requestAnimationFrame((t) => this.#tick(t));
  }

  #onKey(e: KeyboardEvent): void {
    if (e.ctrlKey || e.metaKey || e.altKey || e.target instanceof HTMLSelectElement) return;
    const dir = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (dir !== 0) this.#user(() => this.step(e.shiftKey ? 'task' : 'event', dir));
    else if (e.key === 'Home') this.#user(() => this.seek(0));
    else if (e.key === 'End') this.#user(() => this.seek(this.#trace.count));
    else if (e.key === ' ') this.toggle();
    else return;
    e.preventDefault(); // keeps the focused range input or button from acting on the key too
  }

  #render(): void {
    const c = this.#cursor;
    const n = this.#trace.count;
    const state = this.#model.stateAt(c);
    this.#code.highlight(editorLineAt(state, this.#narrator.frames));
    this.#runtime.update(state, (agent, taskId) => {
      const id = this.#model.callbackFrameOf(agent, taskId);
      const where = id >= 0 ? this.#frames.where(id) : '';
      return where && `${this.#frames.label(id)} ${where}`;
    });
    this.#console.update(state);
    fill(this.#narration, withCode(this.#narrator.narrate(c - 1)));
    this.#scrubber.value = String(c);
    this.#strip.update(c);
    this.#stepLabel.textContent = `Step ${c.toLocaleString('en-US')} / ${n.toLocaleString('en-US')} · ${(state.timeUs / 1000).toFixed(3)} ms`;
    this.#renderPlayButton();
  }

  #renderPlayButton(): void {
    const playing = this.#play !== null;
    this.#playButton.textContent = playing ? '⏸ Pause' : '▶ Play';
    this.#playButton.setAttribute('aria-label', playing ? 'Pause' : 'Play');
    this.#playButton.setAttribute('aria-pressed', String(playing));
  }
}

/** Narration text with `code` spans as <code>. */
function withCode(text: string): (Node | string)[] {
  return text.split('`').map((part, i) => (i % 2 === 1 ? h('code', { text: part }) : part));
}
