/**
 * The event-loop phase ring's geometry and words, shared by the app's stage (src/renderer/src/stage/PhaseRing.svelte)
 * and the standalone HTML player (src/html-player/phase-ring-view.ts), so the handout draws the same ring: the five
 * phases as arcs in loop order, each with its glyph on the arc and its name outside, a pointer turned to the current
 * phase, and the phase (or "microtasks" while the queues drain between callbacks) named in the middle.
 *
 * Coordinates are SVG user units in RING_VIEWBOX; the ring's centre is (RING_C, RING_C), its radius RING_R.
 */
import { Phase } from '../trace/schema.ts';
import { PHASE_LOOK, RING_PHASES } from './palette.ts';

export const RING_R = 46;
export const RING_C = 60;
/** Room for the names outside the ring (wider than tall). */
export const RING_VIEWBOX = { x: -44, y: -12, width: 208, height: 140 } as const;
const GAP_RAD = 0.06;
const n = RING_PHASES.length;

/** The SVG path of phase i's arc (RING_PHASES order). */
export function ringArc(i: number): string {
  const a0 = (i / n) * Math.PI * 2 - Math.PI / 2 + GAP_RAD;
  const a1 = ((i + 1) / n) * Math.PI * 2 - Math.PI / 2 - GAP_RAD;
  const p = (a: number): string => `${(RING_C + RING_R * Math.cos(a)).toFixed(2)} ${(RING_C + RING_R * Math.sin(a)).toFixed(2)}`;
  return `M ${p(a0)} A ${RING_R} ${RING_R} 0 0 1 ${p(a1)}`;
}

/** The middle of phase i's arc at `radius` (the glyph sits on the arc, the name at RING_R + 12). */
export function ringLabelPos(i: number, radius = RING_R): { x: number; y: number } {
  const a = ((i + 0.5) / n) * Math.PI * 2 - Math.PI / 2;
  return { x: RING_C + radius * Math.cos(a), y: RING_C + radius * Math.sin(a) };
}

/** Names sit outside the ring; left of centre they end at their point, right of it they start there. */
export function ringNameAnchor(i: number): 'start' | 'middle' | 'end' {
  const x = ringLabelPos(i).x - RING_C;
  return Math.abs(x) < 8 ? 'middle' : x > 0 ? 'start' : 'end';
}

/** The name beside each arc. */
export const RING_SHORT: Readonly<Record<number, string>> = { [Phase.Timers]: 'timers', [Phase.Pending]: 'pending', [Phase.Poll]: 'poll', [Phase.Check]: 'check', [Phase.Close]: 'close' };
/** The tooltip of a name (why the pending phase has no queue of its own). */
export const RING_NOTE: Readonly<Record<number, string>> = { [Phase.Pending]: 'pending callbacks: deferred system I/O callbacks (lessons cannot queue into this phase)' };

export interface RingState {
  /** Index in RING_PHASES of the lit phase, or -1 (main script, microtasks between phases: no arc lit). */
  readonly index: number;
  /** The pointer's rotation, clockwise from 12 o'clock. */
  readonly angleDeg: number;
  /** What the middle says, and its glyph. */
  readonly centre: string;
  readonly centreGlyph: string;
}

export function ringState(phase: number, inCheckpoint: boolean): RingState {
  const index = RING_PHASES.indexOf(phase as Phase);
  return {
    index,
    angleDeg: index < 0 ? 0 : ((index + 0.5) / n) * 360,
    centre: inCheckpoint ? 'microtasks' : phase === Phase.Main ? 'main script' : (PHASE_LOOK[phase]?.name ?? ''),
    centreGlyph: inCheckpoint ? '●' : (PHASE_LOOK[phase]?.glyph ?? ''),
  };
}
