/**
 * The timeline's input handling, its own disposable object (like Perfetto's WASD navigation handler): Perfetto
 * keys (W/S zoom, A/D pan, held keys keep moving every frame; F fits the selection or the activity; 0 shows the
 * whole run, as speedscope's reset; G turns compressed idle gaps on and off; `[`/`]` follow flows; Esc clears the
 * selection; ↑/↓ scroll), Ctrl/Cmd+wheel zoom at the pointer, wheel scroll and Shift+wheel pan, drag to pan, and
 * hover and click. It changes nothing itself: it tells the view (a `TimelineInputTarget`) what the user asked for.
 */
import { GUTTER_CSS_PX } from './timeline-renderer.ts';

const KEY_ZOOM_PER_FRAME = 1.06;
const KEY_PAN_PER_FRAME = 0.03;
/** A press that moves less than this (CSS px) is a click, not a drag. */
const DRAG_SLOP_CSS_PX = 4;

/** What the input handler asks of the timeline view. Coordinates are CSS px in the canvas. */
export interface TimelineInputTarget {
  /** Width of the time area (the canvas minus the row labels). */
  timeWidth(): number;
  zoom(factor: number, anchorCssPx?: number): void;
  pan(dxCssPx: number): void;
  scrollBy(dyCssPx: number): void;
  fit(): void;
  fitAll(): void;
  toggleGaps(): void;
  followFlow(direction: 1 | -1): boolean;
  /** A drag starts: the returned function moves the view by (dx, dy) from where it was when the drag began. */
  beginDrag(): (dxCssPx: number, dyCssPx: number) => void;
  /** The pointer is over (x, y), or left the canvas (null). */
  hoverAt(point: { x: number; y: number } | null): void;
  /** A click (a press without a drag) at (x, y): select what is there and seek to it. */
  clickAt(x: number, y: number): void;
  /** Esc: clears the selection; false when nothing was selected. */
  clearSelection(): boolean;
  /** Asks for frames while keys are held (`tick` is called from the view's frame callback). */
  requestFrame(): void;
}

export class TimelineInput {
  readonly #canvas: HTMLCanvasElement;
  readonly #target: TimelineInputTarget;
  readonly #held = new Set<string>();
  /** The pointer's x in the time area, for zooming at the pointer; null when it is outside. */
  #pointerX: number | null = null;
  #drag: { x: number; y: number; moveBy: ((dx: number, dy: number) => void) | null } | null = null;

  constructor(canvas: HTMLCanvasElement, target: TimelineInputTarget) {
    this.#canvas = canvas;
    this.#target = target;
    canvas.addEventListener('wheel', this.#onWheel, { passive: false });
    canvas.addEventListener('pointerdown', this.#onPointerDown);
    canvas.addEventListener('pointermove', this.#onPointerMove);
    canvas.addEventListener('pointerup', this.#onPointerUp);
    canvas.addEventListener('pointerleave', this.#onPointerLeave);
    canvas.addEventListener('keydown', this.#onKeyDown);
    canvas.addEventListener('keyup', this.#onKeyUp);
    canvas.addEventListener('blur', this.#onBlur);
  }

  dispose(): void {
    const c = this.#canvas;
    c.removeEventListener('wheel', this.#onWheel);
    c.removeEventListener('pointerdown', this.#onPointerDown);
    c.removeEventListener('pointermove', this.#onPointerMove);
    c.removeEventListener('pointerup', this.#onPointerUp);
    c.removeEventListener('pointerleave', this.#onPointerLeave);
    c.removeEventListener('keydown', this.#onKeyDown);
    c.removeEventListener('keyup', this.#onKeyUp);
    c.removeEventListener('blur', this.#onBlur);
  }

  /** A pointer button is down on the canvas (a click or a drag in progress). */
  get pressed(): boolean {
    return this.#drag !== null;
  }

  /** Moves the view while W/A/S/D are held; true while any is (the view keeps asking for frames). */
  tick(dtMs: number): boolean {
    if (this.#held.size === 0) return false;
    const t = this.#target;
    const k = dtMs / 16;
    const anchor = this.#pointerX ?? t.timeWidth() / 2;
    if (this.#held.has('w')) t.zoom(Math.pow(KEY_ZOOM_PER_FRAME, k), anchor);
    if (this.#held.has('s')) t.zoom(Math.pow(1 / KEY_ZOOM_PER_FRAME, k), anchor);
    if (this.#held.has('a')) t.pan(-KEY_PAN_PER_FRAME * k * t.timeWidth());
    if (this.#held.has('d')) t.pan(KEY_PAN_PER_FRAME * k * t.timeWidth());
    return true;
  }

  readonly #onWheel = (e: WheelEvent): void => {
    e.preventDefault();
    const t = this.#target;
    const x = e.offsetX - GUTTER_CSS_PX;
    const dy = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
    const dx = e.deltaMode === 1 ? e.deltaX * 16 : e.deltaX;
    if (e.ctrlKey || e.metaKey) t.zoom(Math.exp(-dy * 0.0025), Math.max(0, x));
    else if (e.shiftKey) t.pan(dy);
    else {
      if (dx !== 0) t.pan(dx);
      if (dy !== 0) t.scrollBy(dy);
    }
  };

  readonly #onPointerDown = (e: PointerEvent): void => {
    if (e.button !== 0) return;
    this.#canvas.focus();
    this.#canvas.setPointerCapture(e.pointerId);
    this.#drag = { x: e.offsetX, y: e.offsetY, moveBy: null };
  };

  readonly #onPointerMove = (e: PointerEvent): void => {
    this.#pointerX = e.offsetX - GUTTER_CSS_PX;
    const drag = this.#drag;
    if (!drag) return this.#target.hoverAt({ x: e.offsetX, y: e.offsetY });
    const dx = e.offsetX - drag.x;
    const dy = e.offsetY - drag.y;
    if (!drag.moveBy && Math.hypot(dx, dy) < DRAG_SLOP_CSS_PX) return;
    drag.moveBy ??= this.#target.beginDrag();
    drag.moveBy(dx, dy);
  };

  readonly #onPointerUp = (e: PointerEvent): void => {
    const drag = this.#drag;
    this.#drag = null;
    if (this.#canvas.hasPointerCapture(e.pointerId)) this.#canvas.releasePointerCapture(e.pointerId);
    if (drag && !drag.moveBy) this.#target.clickAt(e.offsetX, e.offsetY);
  };

  readonly #onPointerLeave = (): void => {
    this.#pointerX = null;
    this.#target.hoverAt(null);
  };

  readonly #onKeyDown = (e: KeyboardEvent): void => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const t = this.#target;
    const k = e.key.toLowerCase();
    if (k === 'w' || k === 's' || k === 'a' || k === 'd') {
      e.preventDefault();
      if (!this.#held.has(k)) {
        this.#held.add(k);
        // a tap moves noticeably even before the next frame
        if (k === 'w') t.zoom(1.25, this.#pointerX ?? undefined);
        if (k === 's') t.zoom(0.8, this.#pointerX ?? undefined);
        if (k === 'a') t.pan(-0.1 * t.timeWidth());
        if (k === 'd') t.pan(0.1 * t.timeWidth());
        t.requestFrame();
      }
      return;
    }
    if (k === 'f') {
      e.preventDefault();
      t.fit();
    } else if (e.key === '0') {
      e.preventDefault();
      t.fitAll();
    } else if (k === 'g') {
      e.preventDefault();
      t.toggleGaps();
    } else if (e.key === '[' || e.key === ']') {
      e.preventDefault();
      t.followFlow(e.key === '[' ? -1 : 1);
    } else if (e.key === 'Escape') {
      if (t.clearSelection()) e.preventDefault();
    } else if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      e.preventDefault();
      e.stopPropagation();
      t.scrollBy(e.key === 'ArrowUp' ? -40 : 40);
    }
  };

  readonly #onKeyUp = (e: KeyboardEvent): void => {
    this.#held.delete(e.key.toLowerCase());
  };

  readonly #onBlur = (): void => {
    this.#held.clear();
  };
}
