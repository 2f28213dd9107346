/**
 * Shared memory in the model's working state: the handlers of SharedView, SharedWrite, SharedStore and Atomics
 * (apply-event.ts). A buffer has a row of cells per element type the program used it through (its first view's type
 * first, at most MAX_VIEW_ROWS): every write lands in each row, on the cells whose bytes it covers (cell-bits.ts), so
 * each row shows what a view of that type reads, with who last wrote it.
 *
 * Invariant: only buffers and rows obtained through `bufferW` are written (copy on write, work-state.ts).
 */
import { atomicsArith, elementSize, int32Words, sameWords, storeBytes, type Words } from './cell-bits.ts';
import { AtomicsOp, TYPED_ARRAY_TYPES } from './schema.ts';
import type { TaskIndex } from './task-index.ts';
import { MAX_VIEW_ROWS, type BufferWork, type CellEntry, type ViewRowWork, type WorkState } from './work-state.ts';

/** Cells a buffer of unknown size may have. */
const MAX_UNSIZED_CELL = 1 << 24;

/** A typed view over the buffer was announced (SharedView): its type gets a row, its name joins the row's. */
export function applySharedView(s: WorkState, args: Int32Array, p: number): void {
  const b = s.bufferW(args[p]!);
  // The first type announced makes the buffer's cells; a view of another type, a row of its own (what it reads).
  const row = rowOf(b, args[p + 2]!, true);
  const name = args[p + 1]!;
  if (row && name >= 0 && !row.viewNames.includes(name) && row.viewNames.length < 8) row.viewNames = [...row.viewNames, name];
}

/** A v2 plain write (SharedWrite): an int32 in the buffer's own cells. */
export function applySharedWrite(s: WorkState, tasks: TaskIndex, agentId: number, args: Int32Array, p: number, i: number): void {
  const [lo, hi] = int32Words(args[p + 2]!); // v2: an int32 in the buffer's own cells
  const b = s.bufferW(args[p]!);
  const index = args[p + 1]!;
  if (index >= 0 && index < rowLength(b, b)) b.cells.set(index, written(s, tasks, lo, hi, AtomicsOp.Write, agentId, i));
}

/** A plain write of one element's bytes (SharedStore, v3). */
export function applySharedStore(s: WorkState, tasks: TaskIndex, agentId: number, args: Int32Array, p: number, i: number): void {
  const type = args[p + 1]!;
  if (!TYPED_ARRAY_TYPES[type]) return;
  const b = s.bufferW(args[p]!);
  rowOf(b, type, b.elementType < 0); // the write's view was not announced to this state (it always is by the runtime)
  // Every row (view type) of the buffer sees the bytes the write covers.
  storeInRows(b, null, type, args[p + 2]!, [args[p + 3]!, args[p + 4]!], written(s, tasks, 0, 0, AtomicsOp.Write, agentId, i));
}

/** A cell `agent` wrote at `step` with `op`, holding these words. */
function written(s: WorkState, tasks: TaskIndex, lo: number, hi: number, op: number, agent: number, step: number): CellEntry {
  return { lo, hi, op, agent, step, writer: agent, writerTask: runningTask(s, tasks, agent), writerStep: step };
}

/** The number of cells of a row of `b` (elements of its type in the buffer), a large bound while the size is unknown. */
function rowLength(b: BufferWork, row: ViewRowWork): number {
  if (b.byteLength < 0) return MAX_UNSIZED_CELL;
  return Math.floor(b.byteLength / (row.elementType < 0 ? b.elementSize : elementSize(row.elementType)));
}

/**
 * The row of (writable) buffer `b` whose cells are elements of `type`. When `add`, a type not seen yet gets one: the
 * buffer's own cells when it had no type (cells seen before in unknown units are dropped), else a new row (while
 * there is room, MAX_VIEW_ROWS) that starts with the bytes the other rows hold, each with the writer of its bytes.
 */
function rowOf(b: BufferWork, type: number, add: boolean): ViewRowWork | undefined {
  if (b.elementType === type) return b;
  for (const r of b.others) if (r.elementType === type) return r;
  const t = TYPED_ARRAY_TYPES[type];
  if (!add || !t) return undefined;
  if (b.elementType < 0) {
    b.elementType = type;
    b.elementSize = t.size;
    if (b.cells.size > 0) b.cells = new Map(); // cells seen through an unknown view: the index unit changed
    return b;
  }
  if (b.others.length >= MAX_VIEW_ROWS - 1) return undefined;
  const row: ViewRowWork = { elementType: type, viewNames: [], cells: new Map(), waiters: [] };
  b.others = [...b.others, row];
  // The bytes written so far, from the row with the smallest elements (each row holds every byte any write covered;
  // the finest one marks no more of them written than were), in the order of their steps.
  let from: ViewRowWork = b;
  for (const r of b.others) if (r !== row && elementSize(r.elementType) < elementSize(from.elementType)) from = r;
  const known = [...from.cells].sort((x, y) => x[1].step - y[1].step);
  for (const [index, c] of known) storeInRows(b, null, from.elementType, index, [c.lo, c.hi], c, row);
  return row;
}

/**
 * A write of one element of `type` at `index` (in elements of `type` from the buffer's start) holding `words`: every
 * row of `b` but `skip` (or only `only`) gets the bytes it covers merged into its cells, as `entry` says (who, when,
 * which op; its words replaced).
 */
function storeInRows(b: BufferWork, skip: ViewRowWork | null, type: number, index: number, words: Words, entry: CellEntry, only?: ViewRowWork): void {
  for (const row of only ? [only] : [b, ...b.others]) {
    if (row === skip || row.elementType < 0) continue;
    const length = rowLength(b, row);
    const old = (cell: number): Words | undefined => { const c = row.cells.get(cell); return c && [c.lo, c.hi]; };
    for (const c of storeBytes(row.elementType, type, index, words[0], words[1], old)) {
      if (c.cell >= 0 && c.cell < length) row.cells.set(c.cell, { ...entry, lo: c.lo, hi: c.hi });
    }
  }
}

/** The id of the task the agent is running now, -1 when none (its main script before any task, or unknown). */
function runningTask(s: WorkState, tasks: TaskIndex, agent: number): number {
  const a = s.agents[agent];
  const top = a?.tasks[a.tasks.length - 1];
  return top ? tasks.taskIdOf(top.row) : -1;
}

/**
 * An Atomics event. With an AtomicsElement before it (v4) the element is known by the view the program used (its type,
 * its index from the buffer's start) and its values exactly (64-bit words); without one (older traces) the index
 * counts the buffer's first view's cells and the values are int32s.
 */
export function applyAtomics(s: WorkState, tasks: TaskIndex, agent: number, args: Int32Array, p: number, i: number): void {
  const a = s.agent(agent);
  const e = a.atomicsElementAt;
  a.atomicsElementAt = -1;
  const op = args[p]!;
  const bufferId = args[p + 1]!;
  const exact = e >= 0 && TYPED_ARRAY_TYPES[args[e]!] !== undefined;
  const known = s.buffers.get(bufferId);
  const type = exact ? args[e]! : known?.elementType ?? -1;
  const index = exact ? args[e + 1]! : args[p + 2]!;
  const size = type >= 0 ? elementSize(type) : known?.elementSize ?? 4;
  const length = !known || known.byteLength < 0 ? MAX_UNSIZED_CELL : Math.floor(known.byteLength / size);
  if (index < 0 || index >= length) return;
  const b = s.bufferW(bufferId);
  const row = exact ? rowOf(b, type, true) : b;
  if (row && op === AtomicsOp.Wait) row.waiters.push({ agent, index, step: i });
  else if (row && op === AtomicsOp.WaitDone) {
    let at = row.waiters.findIndex((w) => w.agent === agent && w.index === index);
    if (at < 0) at = row.waiters.findIndex((w) => w.agent === agent);
    if (at >= 0) row.waiters.splice(at, 1);
  }
  // The element's words: an 8-byte element's high words come with the AtomicsElement, a smaller one's sign-extend.
  const wordsOf = (lo: number, at: number): Words => (exact && size === 8 ? [lo, args[e + at]!] : int32Words(lo));
  const value = wordsOf(args[p + 3]!, 2);
  const found = wordsOf(args[p + 4]!, 3); // a read-modify-write's result: the value it found
  const expected = wordsOf(args[p + 5]!, 4);
  const old = row?.cells.get(index);
  let next: Words = old ? [old.lo, old.hi] : [0, 0];
  if (op === AtomicsOp.Load) next = found;
  else if (op === AtomicsOp.Store || op === AtomicsOp.Exchange) next = value;
  else if (op >= AtomicsOp.Add && op <= AtomicsOp.Xor) next = atomicsArith(op - AtomicsOp.Add, found, value);
  else if (op === AtomicsOp.CompareExchange) next = sameWords(size, found, expected) ? value : found;
  // wait, wait returned, notify, waitAsync: no memory effect
  // Agents' events arrive in the order their batches were sent, not always in the order the operations happened: two
  // workers' Atomics.add on one counter (0 → 1, then 1 → 2) can arrive the other way round. An operation from another
  // agent that did not read the value the cell holds, and whose outcome is what the cell's own operation read, came
  // before it: the cell keeps its value (the stage showed the counter go back to 1).
  if (op > AtomicsOp.Store && op < AtomicsOp.Wait && old && old.agent !== agent && !sameWords(size, found, [old.lo, old.hi])
    && old.before === next[0]) return;
  // A write changes who last wrote the cell; a load, a wait or a compareExchange that did not swap only reads it.
  const wrote = op >= AtomicsOp.Store && op <= AtomicsOp.Exchange || (op === AtomicsOp.CompareExchange && sameWords(size, found, expected));
  // Without the element's high words, an unchanged value keeps them (a BigInt64 cell read by Atomics.load keeps its
  // upper 32 bits).
  if (!exact && old && next[0] === old.lo) next = [old.lo, old.hi];
  const entry: CellEntry = wrote
    ? { ...written(s, tasks, next[0], next[1], op, agent, i), before: found[0] }
    : {
      lo: next[0], hi: next[1], op, agent, step: i, writer: old?.writer ?? -1, writerTask: old?.writerTask ?? -1, writerStep: old?.writerStep ?? -1,
      // A read that saw the value the last write left keeps what that write read: a late operation is still told apart.
      ...(old?.before !== undefined && old.lo === next[0] && old.hi === next[1] ? { before: old.before } : {}),
    };
  row?.cells.set(index, entry);
  // The views of other types see the bytes it wrote.
  if (wrote && type >= 0) storeInRows(b, row ?? null, type, index, next, written(s, tasks, next[0], next[1], op, agent, i));
}
