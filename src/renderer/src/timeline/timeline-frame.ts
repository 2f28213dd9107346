/**
 * What one frame of the timeline is drawn from, and the geometry every part of the drawing shares: the gutter of
 * row labels on the left, the time axis on top, and where a trace time lands on the canvas.
 */
import type { Flow } from '../../../shared/scene/flows.ts';
import type { FrameTable } from '../../../shared/scene/frames.ts';
import type { TimeScale } from '../../../shared/scene/time.ts';
import type { TimeAxis } from '../../../shared/scene/time-axis.ts';
import type { TimelineIndex } from '../../../shared/scene/timeline-index.ts';
import type { TimelineLayout } from '../../../shared/scene/timeline-layout.ts';
import type { TimelineItem } from '../../../shared/scene/timeline-tracks.ts';
import type { TimelineTheme } from './timeline-theme.ts';

export const GUTTER_CSS_PX = 156;
export const AXIS_CSS_PX = 22;
export const FONT = '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
export const CHAR_CSS_PX = 6.3;

/** Everything a frame of the timeline is drawn from. */
export interface DrawInput {
  readonly index: TimelineIndex;
  readonly times: Float64Array;
  readonly strings: readonly string[];
  readonly frames: FrameTable;
  readonly layout: TimelineLayout;
  /** Display time (the camera's) ↔ trace time, with idle gaps compressed or not. */
  readonly axis: TimeAxis;
  readonly scale: TimeScale;
  /** The visible window in trace time: `axis.toReal(scale.startUs / endUs)`. */
  readonly realStartUs: number;
  readonly realEndUs: number;
  readonly scrollYCssPx: number;
  readonly widthCssPx: number;
  readonly heightCssPx: number;
  readonly dpr: number;
  /** Cursor position (events applied); the line is drawn at the time of event cursor - 1. */
  readonly cursor: number;
  readonly selection: TimelineItem | null;
  readonly hover: TimelineItem | null;
  readonly flows: readonly Flow[];
  readonly theme: TimelineTheme;
}

/** Canvas x (CSS px) of trace time `t`: through the axis (compressed idle gaps) and the camera's scale. */
export function xOf(d: DrawInput, t: number): number {
  return GUTTER_CSS_PX + d.scale.timeToPx(d.axis.toDisplay(t));
}

/** Fits `text` into `widthCssPx` (approximate glyph width); '' when not even two characters fit. */
export function fitLabel(text: string, widthCssPx: number): string {
  const room = Math.floor((widthCssPx - 6) / CHAR_CSS_PX);
  if (room < 2) return '';
  return text.length <= room ? text : `${text.slice(0, room - 1)}…`;
}
