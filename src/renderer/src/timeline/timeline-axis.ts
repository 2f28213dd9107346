/**
 * The parts of a timeline frame around the tracks: the break markers of compressed idle gaps, the time axis (ticks
 * per stretch between breaks, each labelled with the real time since the start, and the breaks' real durations),
 * and the gutter of row labels.
 */
import { QUEUE_LOOK } from '../../../shared/scene/palette.ts';
import { formatDurationUs, formatTickUs, niceTickUs } from '../../../shared/scene/time.ts';
import { AXIS_CSS_PX, CHAR_CSS_PX, FONT, GUTTER_CSS_PX, fitLabel, xOf, type DrawInput } from './timeline-frame.ts';

/** A break marker as drawn (CSS px in the canvas), for the axis label, tests and the tooltip. */
export interface DrawnBreak {
  readonly xCssPx: number;
  readonly widthCssPx: number;
  readonly label: string;
}


/**
 * Compressed idle gaps: a band in the background colour with a zig-zag on each edge across every row (the
 * classic axis break), labelled with the real idle time on the axis. Drawn over the rows: nothing of an agent's
 * own runs inside one, only waits that span it, which stay visible through the band's transparency.
 */
export function drawBreaks(ctx: CanvasRenderingContext2D, d: DrawInput, top: number): DrawnBreak[] {
  const drawn: DrawnBreak[] = [];
  const breaks = d.axis.breaks;
  if (breaks.length === 0) return drawn;
  const { theme } = d;
  const bottom = d.heightCssPx;
  // Bands first (one fill style), then every edge in one path and one stroke: a run with hundreds of timer waits
  // has hundreds of breaks on screen at once.
  ctx.globalAlpha = 0.82;
  ctx.fillStyle = theme.bg2;
  for (const b of breaks) {
    if (b.endUs < d.realStartUs) continue;
    if (b.startUs > d.realEndUs) break;
    const x0 = xOf(d, b.startUs);
    const x1 = xOf(d, b.endUs);
    ctx.fillRect(x0, top, x1 - x0, bottom - top);
    drawn.push({ xCssPx: x0, widthCssPx: x1 - x0, label: b.label });
  }
  ctx.globalAlpha = 1;
  ctx.strokeStyle = theme.fg2;
  ctx.lineWidth = 1;
  // too narrow for two zig-zags: one dashed line down the middle (one segment each, dashed by the context)
  ctx.beginPath();
  for (const m of drawn) {
    if (m.widthCssPx >= 8) continue;
    const x = Math.round(m.xCssPx + m.widthCssPx / 2) + 0.5;
    ctx.moveTo(x, top);
    ctx.lineTo(x, bottom);
  }
  ctx.setLineDash([3, 3]);
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.beginPath();
  for (const m of drawn) {
    if (m.widthCssPx < 8) continue;
    for (const edge of [m.xCssPx, m.xCssPx + m.widthCssPx]) {
      for (let y = top, i = 0; y <= bottom; y += 5, i++) {
        const xx = edge + (i % 2 === 0 ? -2.5 : 2.5);
        if (i === 0) ctx.moveTo(xx, y);
        else ctx.lineTo(xx, y);
      }
    }
  }
  ctx.stroke();
  return drawn;
}

/** The time axis: ticks per stretch between breaks (labelled with real time since start), and the breaks' labels. */
export function drawAxis(ctx: CanvasRenderingContext2D, d: DrawInput, breaks: readonly DrawnBreak[]): void {
  const { theme, scale } = d;
  ctx.fillStyle = theme.bg2;
  ctx.fillRect(0, 0, d.widthCssPx, AXIS_CSS_PX);
  ctx.strokeStyle = theme.border;
  ctx.beginPath();
  ctx.moveTo(0, AXIS_CSS_PX - 0.5);
  ctx.lineTo(d.widthCssPx, AXIS_CSS_PX - 0.5);
  ctx.stroke();
  const tick = niceTickUs(scale, 110);
  const origin = d.index.startUs;
  ctx.fillStyle = theme.fg2;
  ctx.strokeStyle = theme.border;
  // Ticks per stretch between breaks: real time runs evenly there, and each label is the real time since start.
  // Between short stretches ticks can crowd: a label is drawn only a label's width after the previous one.
  let from = d.realStartUs;
  let labelEnd = -Infinity;
  const drawTicks = (toUs: number): void => {
    const segmentEnd = xOf(d, toUs);
    for (let t = Math.ceil((from - origin) / tick) * tick + origin; t <= toUs; t += tick) {
      const x = Math.round(xOf(d, t)) + 0.5;
      if (x < GUTTER_CSS_PX) continue;
      ctx.beginPath();
      ctx.moveTo(x, AXIS_CSS_PX - 6);
      ctx.lineTo(x, AXIS_CSS_PX);
      ctx.stroke();
      if (x < labelEnd) continue;
      const text = formatTickUs(t - origin, tick);
      const textEnd = x + 3 + text.length * CHAR_CSS_PX;
      if (toUs < d.realEndUs && textEnd > segmentEnd) continue; // would run under the next break's label
      ctx.fillText(text, x + 3, AXIS_CSS_PX / 2);
      labelEnd = textEnd + CHAR_CSS_PX;
    }
  };
  for (const b of d.axis.breaks) {
    if (b.endUs < from) continue;
    if (b.startUs > d.realEndUs) break;
    drawTicks(Math.min(b.startUs, d.realEndUs));
    from = b.endUs;
  }
  drawTicks(d.realEndUs);
  // break labels on the axis, over the ticks
  for (const m of breaks) {
    const x0 = Math.max(GUTTER_CSS_PX, m.xCssPx);
    ctx.fillStyle = theme.bg3;
    ctx.fillRect(x0, 0, m.xCssPx + m.widthCssPx - x0, AXIS_CSS_PX - 1);
    const room = Math.floor((m.widthCssPx - 6) / CHAR_CSS_PX);
    const text = breakLabelText(m.label, room);
    ctx.fillStyle = theme.fg;
    ctx.fillText(text, x0 + 3, AXIS_CSS_PX / 2);
  }
  ctx.fillStyle = theme.fg2;
  ctx.fillText(`${formatDurationUs(d.realEndUs - d.realStartUs)} shown`, 6, AXIS_CSS_PX / 2);
}

/**
 * A break's label on the axis in `room` characters: "⋯ 24.3 ms idle", "24.3 ms idle", then "+24.3 ms" — a duration
 * skipped, which a bare "24.3 ms" between the axis's own "56 ms" and "60 ms" did not read as — then "⋯".
 */
export function breakLabelText(label: string, room: number): string {
  const duration = label.replace(/ idle$/, '');
  return [`⋯ ${label}`, label, `+${duration}`, '⋯'].find((c) => c.length <= room) ?? '';
}

/** The row labels on the left (agent headers in bold, queue rows with their glyph). */
export function drawGutter(ctx: CanvasRenderingContext2D, d: DrawInput, first: number, last: number, top: number): void {
  const { theme } = d;
  ctx.fillStyle = theme.bg2;
  ctx.fillRect(0, top, GUTTER_CSS_PX, d.heightCssPx - top);
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, top, GUTTER_CSS_PX, d.heightCssPx - top);
  ctx.clip();
  for (let r = first; r <= last; r++) {
    const row = d.layout.rows[r];
    if (!row) continue;
    const y = top + row.yCssPx - d.scrollYCssPx;
    if (row.kind === 'header') {
      ctx.fillStyle = theme.bg3;
      ctx.fillRect(0, y, GUTTER_CSS_PX, row.heightCssPx);
      ctx.fillStyle = theme.fg;
      ctx.font = `600 ${FONT}`;
      ctx.fillText(fitLabel(row.label, GUTTER_CSS_PX - 4), 6, y + row.heightCssPx / 2);
      ctx.font = FONT;
      continue;
    }
    if (!row.label) continue;
    ctx.fillStyle = row.queue >= 0 ? (QUEUE_LOOK[row.queue]?.color ?? theme.fg2) : theme.fg2;
    const glyph = row.queue >= 0 ? `${QUEUE_LOOK[row.queue]?.glyph ?? ''} ` : '';
    ctx.fillText(fitLabel(`${glyph}${row.label}`, GUTTER_CSS_PX - 8), 12, y + row.heightCssPx / 2);
  }
  ctx.restore();
  ctx.strokeStyle = theme.border;
  ctx.beginPath();
  ctx.moveTo(GUTTER_CSS_PX - 0.5, top);
  ctx.lineTo(GUTTER_CSS_PX - 0.5, d.heightCssPx);
  ctx.stroke();
}
