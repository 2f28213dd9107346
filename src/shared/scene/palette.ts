/**
 * Colours, glyphs and short names for what the stage and the timeline draw. One place, so the two views agree.
 *
 * Colour-blind-safe (the "colorblind" palette: blue #0173B2, orange #DE8F05, teal #029E73, purple #CC78BC, …) and
 * never colour alone: every queue and task kind also has a glyph (shape) and a text label.
 */
import { Phase, Queue, TASK_KIND_NAMES, TaskKind, queueOf } from '../trace/schema.ts';

export const COLORS = {
  blue: '#0173B2',
  orange: '#DE8F05',
  teal: '#029E73',
  vermillion: '#D55E00',
  purple: '#CC78BC',
  brown: '#CA9161',
  pink: '#FBAFE4',
  grey: '#949494',
  yellow: '#ECE133',
  sky: '#56B4E9',
} as const;

export interface Look {
  readonly color: string;
  /** A shape that carries the same meaning as the colour. */
  readonly glyph: string;
  readonly name: string;
}

/** Indexed by Queue. */
export const QUEUE_LOOK: readonly Look[] = [
  { color: COLORS.purple, glyph: '◆', name: 'nextTick queue' },
  { color: COLORS.orange, glyph: '●', name: 'microtask queue' },
  { color: COLORS.blue, glyph: '▲', name: 'timers queue' },
  { color: COLORS.teal, glyph: '■', name: 'check queue' },
  { color: COLORS.sky, glyph: '⬢', name: 'poll queue' },
  { color: COLORS.grey, glyph: '✕', name: 'close queue' },
  { color: COLORS.brown, glyph: '▶', name: 'script' },
];

/** Indexed by Phase. */
export const PHASE_LOOK: readonly Look[] = [
  { color: COLORS.brown, glyph: '▶', name: 'main script' },
  { color: COLORS.blue, glyph: '▲', name: 'timers' },
  { color: COLORS.grey, glyph: '◇', name: 'pending callbacks' },
  { color: COLORS.sky, glyph: '⬢', name: 'poll' },
  { color: COLORS.teal, glyph: '■', name: 'check' },
  { color: COLORS.grey, glyph: '✕', name: 'close callbacks' },
];

/** The phases drawn on the phase ring, in loop order. */
export const RING_PHASES: readonly Phase[] = [Phase.Timers, Phase.Pending, Phase.Poll, Phase.Check, Phase.Close];

/** Short card titles for a task of each kind. Indexed by TaskKind. */
export const TASK_KIND_SHORT: readonly string[] = [
  'script', 'timeout', 'interval', 'immediate', 'nextTick', 'microtask', 'then', 'await', 'I/O', 'close', 'message', 'signal', 'emit', 'thenable',
];

export function taskLook(kind: number): Look {
  if (kind === TaskKind.Microtask) return { color: COLORS.vermillion, glyph: '○', name: 'queueMicrotask' };
  if (kind === TaskKind.AwaitContinuation) return { color: COLORS.orange, glyph: '◐', name: 'await continuation' };
  if (kind === TaskKind.ThenableJob) return { color: COLORS.orange, glyph: '◑', name: 'thenable job' };
  if (kind < 0 || kind >= TASK_KIND_NAMES.length) return { color: COLORS.grey, glyph: '?', name: 'task' };
  return QUEUE_LOOK[queueOf(kind as TaskKind)] ?? QUEUE_LOOK[Queue.Poll]!;
}

/** A stable, readable colour for a function frame in the flame chart (by frame id). Host APIs are grey. */
const FRAME_TINTS = ['#6BAED6', '#9ECAE1', '#74C476', '#A1D99B', '#FDAE6B', '#FDD0A2', '#BCBDDC', '#DADAEB', '#C7B299', '#E7CB94'];
export function frameColor(frameId: number, host: boolean): string {
  if (host) return '#BDBDBD';
  return FRAME_TINTS[((frameId * 2654435761) >>> 0) % FRAME_TINTS.length]!;
}

/** Black or white, whichever reads better on `hex`. */
export function textOn(hex: string): string {
  const n = Number.parseInt(hex.slice(1, 7), 16);
  const r = (n >> 16) & 255;
  const g = (n >> 8) & 255;
  const b = n & 255;
  const lum = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
  return lum > 0.55 ? '#111' : '#fff';
}
