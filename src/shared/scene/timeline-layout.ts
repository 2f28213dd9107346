/**
 * Vertical layout of the timeline: which rows exist, in what order, how tall, with what label. Pure: the canvas
 * renderer draws exactly these rows; hit-testing maps a y back to a row with `rowAtY`.
 *
 * Order per agent (main thread first, then workers in creation order): header, marks (console, errors,
 * messages), loop phase band, call stack (depth 0 = tasks), callbacks pending in Node APIs, then each queue that
 * ever held a task — its wait rows and a depth counter.
 */
import { QUEUE_NAMES, type Queue } from '../trace/schema.ts';
import { QUEUE_ORDER, type AgentLane } from './lanes.ts';
import type { TimelineIndex } from './timeline-index.ts';

export type LayoutRowKind = 'header' | 'marks' | 'phase' | 'stack' | 'pending' | 'queue' | 'counter';

export interface LayoutRow {
  readonly kind: LayoutRowKind;
  readonly agent: number;
  readonly yCssPx: number;
  readonly heightCssPx: number;
  /** Stack depth, or row index within a packed track. */
  readonly index: number;
  readonly queue: Queue | -1;
  /** Gutter label ('' for continuation rows). */
  readonly label: string;
}

export interface TimelineLayout {
  readonly rows: readonly LayoutRow[];
  readonly heightCssPx: number;
}

export const ROW_HEIGHT = { header: 22, marks: 12, phase: 14, stack: 18, pending: 14, queue: 14, counter: 22 } as const;

export interface LayoutOptions {
  /** Agents whose lane is folded to its header. */
  readonly collapsed?: ReadonlySet<number>;
  /** Cap on call-stack rows drawn per agent (deeper frames are folded into the last row's label). */
  readonly maxStackRows?: number;
}

export function agentTitle(lane: AgentLane): string {
  if (lane.agent === 0) return 'main thread';
  const generic = !lane.name || lane.name === lane.file || /^worker\b/i.test(lane.name);
  const name = generic ? lane.file : lane.name;
  return name ? `worker ${lane.agent} · ${name}` : `worker ${lane.agent}`;
}

export function layoutTimeline(index: TimelineIndex, options: LayoutOptions = {}): TimelineLayout {
  const rows: LayoutRow[] = [];
  let y = 0;
  const add = (kind: LayoutRowKind, agent: number, index: number, queue: Queue | -1, label: string): void => {
    const h = ROW_HEIGHT[kind];
    rows.push({ kind, agent, yCssPx: y, heightCssPx: h, index, queue, label });
    y += h;
  };
  const maxStack = options.maxStackRows ?? 256;
  for (const lane of index.agentLanes) {
    add('header', lane.agent, 0, -1, agentTitle(lane));
    if (options.collapsed?.has(lane.agent)) continue;
    add('marks', lane.agent, 0, -1, 'console · events');
    add('phase', lane.agent, 0, -1, 'loop phase');
    const depth = Math.max(1, Math.min(maxStack, lane.stack.length));
    for (let d = 0; d < depth; d++) add('stack', lane.agent, d, -1, d === 0 ? 'tasks · call stack' : '');
    lane.pending.rows.forEach((_, r) => add('pending', lane.agent, r, -1, r === 0 ? 'waiting in Node APIs' : ''));
    for (const q of QUEUE_ORDER) {
      const track = lane.queues[q];
      if (!track) continue;
      const name = QUEUE_NAMES[q] ?? 'queue';
      track.waits.rows.forEach((_, r) => add('queue', lane.agent, r, q, r === 0 ? `${name} queue` : ''));
      add('counter', lane.agent, 0, q, `${name} depth`);
    }
  }
  return { rows, heightCssPx: y };
}

/** The row at `yCssPx` (content coordinates), or undefined. Rows are sorted by y: binary search. */
export function rowAtY(layout: TimelineLayout, yCssPx: number): LayoutRow | undefined {
  const rows = layout.rows;
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid]!.yCssPx <= yCssPx) lo = mid + 1;
    else hi = mid;
  }
  const row = rows[lo - 1];
  return row && yCssPx < row.yCssPx + row.heightCssPx ? row : undefined;
}

/** Index range [first, last] of rows intersecting [y0, y1]. */
export function visibleRows(layout: TimelineLayout, y0: number, y1: number): [number, number] {
  const rows = layout.rows;
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const r = rows[mid]!;
    if (r.yCssPx + r.heightCssPx <= y0) lo = mid + 1;
    else hi = mid;
  }
  let last = lo;
  while (last < rows.length && rows[last]!.yCssPx < y1) last++;
  return [lo, last - 1];
}
