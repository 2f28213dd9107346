// The model's values: watched bindings with their history, shared memory by the typed view in use (plain writes
// included), lock parties named by the lesson function that asked, and messages lost when their port closes.
import { describe, expect, it } from 'vitest';
import { replayFromStart, TraceModel } from './model.ts';
import { AtomicsOp, EventKind as K, LockOp, Phase, portMessageId, TaskKind as T, TYPED_ARRAY_TYPES } from './schema.ts';
import { TaskIndex } from './task-index.ts';
import { batch, buildTrace, type EventRow, userFrame, withClock, stepAfter as after } from './test-support.ts';

const INT32 = TYPED_ARRAY_TYPES.findIndex((t) => t.name === 'Int32Array');
const UINT8 = TYPED_ARRAY_TYPES.findIndex((t) => t.name === 'Uint8Array');

describe('TraceModel: watched values', () => {
  const rows = withClock([
    [K.Value, 'balance', '0'],
    [K.Value, 'who', "'alice'"],
    [K.Value, 'balance', '100'],
    [K.Value, 'balance', '200'],
    [K.Value, 'balance', '300'],
  ]);
  const trace = buildTrace(rows);
  const model = new TraceModel(trace, { snapshotEvery: 2 });

  it('shows each watched value at the current step, with the values it held before', () => {
    expect(model.stateAt(0).values).toEqual([]);
    expect(model.stateAt(after(rows, (r) => r[0] === K.Value)).values).toEqual([{ name: 'balance', value: '0', agent: 0, step: 0, history: [] }]);
    const end = model.stateAt(trace.count).values;
    expect(end.map((v) => [v.name, v.value, v.history])).toEqual([['balance', '300', ['0', '100', '200']], ['who', "'alice'", []]]);
  });

  it('scrubbing backward shows the older value (the same state as a replay from the start)', () => {
    const at200 = after(rows, (r) => r[0] === K.Value && r[2] === '200');
    model.stateAt(trace.count);
    expect(model.stateAt(at200).values[0]).toMatchObject({ value: '200', history: ['0', '100'] });
    expect(model.stateAt(at200)).toEqual(replayFromStart(trace, at200));
  });

  it('keeps a bounded history', () => {
    const many = withClock(Array.from({ length: 40 }, (_, i): EventRow => [K.Value, 'n', String(i)]));
    const v = new TraceModel(buildTrace(many)).stateAt(Infinity).values[0]!;
    expect(v.value).toBe('39');
    expect(v.history).toEqual(['31', '32', '33', '34', '35', '36', '37', '38']);
  });
});

describe('TraceModel: shared memory by its typed view', () => {
  it('counts cells by the view’s element type and shows plain writes as the cell’s last op (a v2 trace’s SharedWrite)', () => {
    const rows = withClock([
      // announced as bytes first (a worker that only received the buffer), then the program's Int32Array view
      [K.SharedBuffer, 5, 16, 1],
      [K.SharedView, 5, 'shared', INT32, 0, 4],
      [K.SharedWrite, 5, 0, 10],
      [K.SharedWrite, 5, 3, 40],
      [K.Atomics, AtomicsOp.Add, 5, 1, 2, 0, 0],
      [K.SharedWrite, 5, 9, 1], // outside the view: ignored
    ]);
    const m = new TraceModel(buildTrace(rows));
    const b = m.stateAt(Infinity).sharedBuffers[0]!;
    expect(b).toMatchObject({ bufferId: 5, byteLength: 16, elementSize: 4, length: 4, elementType: 'Int32Array', viewNames: ['shared'] });
    expect(b.cells.map((c) => [c.index, c.value, c.op])).toEqual([[0, 10, AtomicsOp.Write], [1, 2, AtomicsOp.Add], [3, 40, AtomicsOp.Write]]);
    const afterFirst = m.stateAt(after(rows, (r) => r[0] === K.SharedWrite)).sharedBuffers[0]!;
    expect(afterFirst.cells).toEqual([{ index: 0, value: 10, text: '10', op: AtomicsOp.Write, agent: 0, step: 2, writer: 0, writerTask: -1, writerStep: 2 }]);
  });

  it('the first view decides the buffer’s first row; a view of another type gets a row of its own', () => {
    const rows = withClock([[K.SharedBuffer, 1, 8, 4], [K.SharedView, 1, 'words', INT32, 0, 2], [K.SharedView, 1, 'bytes', UINT8, 0, 8], [K.SharedView, 1, '', INT32, 4, 1]]);
    const rowsOf = new TraceModel(buildTrace(rows)).stateAt(Infinity).sharedBuffers;
    expect(rowsOf.map((b) => [b.bufferId, b.elementType, b.length, b.elementSize, b.viewNames])).toEqual([[1, 'Int32Array', 2, 4, ['words']], [1, 'Uint8Array', 8, 1, ['bytes']]]);
  });

  it('every row shows each write in its own type, with its writer, whichever view wrote it', () => {
    const main: EventRow[] = [
      [K.SharedBuffer, 1, 8, 4],
      [K.SharedView, 1, 'words', INT32, 0, 2],
      [K.SharedStore, 1, INT32, 0, 0x01020304, 0], // before the byte view exists
    ];
    const worker: EventRow[] = [[K.SharedView, 1, 'bytes', UINT8, 0, 8], [K.SharedStore, 1, UINT8, 5, 0xff, 0]]; // byte 1 of word 1
    const m = new TraceModel(buildTrace([batch(0, withClock(main)), batch(1, withClock(worker, 100))]));
    const [words, bytes] = m.stateAt(Infinity).sharedBuffers;
    expect(words!.cells.map((c) => [c.index, c.text, c.writer])).toEqual([[0, String(0x01020304), 0], [1, String(0xff00), 1]]);
    expect(bytes!.cells.map((c) => [c.index, c.text, c.writer])).toEqual([[0, '4', 0], [1, '3', 0], [2, '2', 0], [3, '1', 0], [5, '255', 1]]);
    // scrubbing back before the byte view was announced: one row
    expect(m.stateAt(3).sharedBuffers.map((b) => b.elementType)).toEqual(['Int32Array']);
  });
});

describe('TraceModel: Atomics by the view the program used (AtomicsElement, v4)', () => {
  const INT8 = TYPED_ARRAY_TYPES.findIndex((t) => t.name === 'Int8Array');
  const BIGINT64 = TYPED_ARRAY_TYPES.findIndex((t) => t.name === 'BigInt64Array');
  const BIGUINT64 = TYPED_ARRAY_TYPES.findIndex((t) => t.name === 'BigUint64Array');
  const words = (v: bigint): [number, number] => [Number(BigInt.asIntN(32, v)), Number(BigInt.asIntN(32, v >> 32n))];
  const stateOf = (rows: EventRow[]) => new TraceModel(buildTrace(withClock(rows))).stateAt(Infinity).sharedBuffers;

  it('keeps all 64 bits of a BigInt64Array’s Atomics (the stage showed the low 32 bits)', () => {
    const big = 2n ** 53n + 1n;
    const [vLo, vHi] = words(big);
    const [oLo, oHi] = words(-(2n ** 40n));
    const b = stateOf([
      [K.SharedBuffer, 1, 24, 8],
      [K.SharedView, 1, 'bigs', BIGINT64, 0, 3],
      [K.AtomicsElement, BIGINT64, 0, vHi, vHi, 0], [K.Atomics, AtomicsOp.Store, 1, 0, vLo, vLo, 0],
      [K.AtomicsElement, BIGINT64, 1, oHi, 0, 0], [K.Atomics, AtomicsOp.Add, 1, 1, oLo, 0, 0], // 0 + -(2^40)
      // compareExchange(bigs, 0, 1n, 5n): expected 1n has big's low word, not its high one: no swap
      [K.AtomicsElement, BIGINT64, 0, 0, vHi, 0], [K.Atomics, AtomicsOp.CompareExchange, 1, 0, 5, vLo, 1],
    ])[0]!;
    expect(b.cells.map((c) => [c.index, c.text, c.op, c.writer])).toEqual([[0, '9007199254740993n', AtomicsOp.CompareExchange, 0], [1, '-1099511627776n', AtomicsOp.Add, 0]]);
    // an unsigned view reads the same bits as a number past 2^63
    const u = stateOf([[K.SharedBuffer, 2, 8, 8], [K.SharedView, 2, 'u', BIGUINT64, 0, 1], [K.AtomicsElement, BIGUINT64, 0, 0, 0, 0], [K.Atomics, AtomicsOp.Sub, 2, 0, 1, 0, 0]])[0]!;
    expect(u.cells[0]!.text).toBe('18446744073709551615n');
  });

  it('an Atomics call through a view of another type lands on the element of that view (not the first view’s)', () => {
    // Atomics.add(i8, 5, 1) over a buffer first seen as an Int32Array: byte 5 is byte 1 of word 1
    const rows = stateOf([
      [K.SharedBuffer, 1, 8, 4],
      [K.SharedView, 1, 'words', INT32, 0, 2],
      [K.SharedView, 1, 'i8', INT8, 0, 8],
      [K.AtomicsElement, INT8, 5, 0, 0, 0], [K.Atomics, AtomicsOp.Add, 1, 5, 1, 0, 0],
      [K.AtomicsElement, INT8, 7, 0, 0, 0], [K.Atomics, AtomicsOp.Store, 1, 3, -1, -1, 0], // a view at byteOffset 4: its [3]
    ]);
    expect(rows.map((b) => [b.elementType, b.cells.map((c) => [c.index, c.text, c.op])])).toEqual([
      ['Int32Array', [[1, String(0xff000100 | 0), AtomicsOp.Store]]],
      ['Int8Array', [[5, '1', AtomicsOp.Add], [7, '-1', AtomicsOp.Store]]],
    ]);
  });

  it('a wait is shown on the row of the view it waited through', () => {
    const rows = stateOf([
      [K.SharedBuffer, 1, 16, 1],
      [K.SharedView, 1, 'bytes', UINT8, 0, 16],
      [K.SharedView, 1, 'flags', INT32, 0, 4],
      [K.AtomicsElement, INT32, 2, 0, 0, 0], [K.Atomics, AtomicsOp.Wait, 1, 2, 0, 0, -1],
    ]);
    expect(rows.map((b) => [b.elementType, b.waiters.map((w) => w.index)])).toEqual([['Uint8Array', []], ['Int32Array', [2]]]);
  });
});

describe('TraceModel: shared memory of any element type (SharedStore)', () => {
  const FLOAT64 = TYPED_ARRAY_TYPES.findIndex((t) => t.name === 'Float64Array');
  const BIGINT64 = TYPED_ARRAY_TYPES.findIndex((t) => t.name === 'BigInt64Array');
  const UINT32 = TYPED_ARRAY_TYPES.findIndex((t) => t.name === 'Uint32Array');
  const bits = (fill: (d: DataView) => void): [number, number] => {
    const d = new DataView(new ArrayBuffer(8));
    fill(d);
    return [d.getInt32(0, true), d.getInt32(4, true)];
  };
  const cellsOf = (rows: EventRow[]): [number, string, number][] =>
    new TraceModel(buildTrace(withClock(rows))).stateAt(Infinity).sharedBuffers[0]!.cells.map((c) => [c.index, c.text, c.writer]);

  it('shows Float64 and BigInt64 values as the program reads them, not as int32s', () => {
    expect(cellsOf([
      [K.SharedBuffer, 1, 32, 8],
      [K.SharedView, 1, 'doubles', FLOAT64, 0, 4],
      [K.SharedStore, 1, FLOAT64, 0, ...bits((d) => d.setFloat64(0, 1.5, true))],
      [K.SharedStore, 1, FLOAT64, 1, ...bits((d) => d.setFloat64(0, -0, true))],
      [K.SharedStore, 1, FLOAT64, 2, ...bits((d) => d.setFloat64(0, 0.1, true))],
    ])).toEqual([[0, '1.5', 0], [1, '-0', 0], [2, '0.1', 0]]);
    expect(cellsOf([
      [K.SharedBuffer, 2, 16, 8],
      [K.SharedView, 2, 'bigs', BIGINT64, 0, 2],
      [K.SharedStore, 2, BIGINT64, 0, ...bits((d) => d.setBigInt64(0, -3n, true))],
      [K.SharedStore, 2, BIGINT64, 1, ...bits((d) => d.setBigInt64(0, 2n ** 53n + 1n, true))],
    ])).toEqual([[0, '-3n', 0], [1, '9007199254740993n', 0]]);
    expect(cellsOf([[K.SharedBuffer, 3, 4, 4], [K.SharedView, 3, 'u', UINT32, 0, 1], [K.SharedStore, 3, UINT32, 0, -1, 0]])).toEqual([[0, '4294967295', 0]]);
  });

  it('a write through a view of another type lands on the bytes it covers, in the cells of the buffer’s view', () => {
    const rows: EventRow[] = [
      [K.SharedBuffer, 1, 16, 4],
      [K.SharedView, 1, 'words', INT32, 0, 4],
      [K.SharedView, 1, 'bytes', UINT8, 0, 16],
      [K.SharedView, 1, 'doubles', FLOAT64, 0, 2],
      [K.SharedStore, 1, INT32, 0, 0x01020304, 0],
      [K.SharedStore, 1, UINT8, 1, 0xff, 0], // byte 1 of word 0
      [K.SharedStore, 1, FLOAT64, 1, ...bits((d) => d.setFloat64(0, 1.5, true))], // words 2 and 3
    ];
    expect(cellsOf(rows)).toEqual([[0, String(0x0102ff04), 0], [2, '0', 0], [3, String(0x3ff80000), 0]]);
    // drawn as bytes, a Float64 write is its eight bytes
    const asBytes: EventRow[] = [[K.SharedBuffer, 2, 8, 1], [K.SharedView, 2, 'bytes', UINT8, 0, 8], [K.SharedStore, 2, FLOAT64, 0, ...bits((d) => d.setFloat64(0, 1.5, true))]];
    expect(cellsOf(asBytes).map((c) => c[1])).toEqual(['0', '0', '0', '0', '0', '0', '248', '63']);
  });

  it('the writer of a cell is the agent whose store reached it; Atomics on it keep reading the same bytes', () => {
    const rows = withClock([
      [K.SharedBuffer, 1, 8, 4],
      [K.SharedView, 1, 'words', INT32, 0, 2],
      [K.SharedStore, 1, INT32, 1, 41, 0],
    ]);
    const worker = batch(1, withClock([[K.SharedStore, 1, INT32, 0, 7, 0], [K.Atomics, AtomicsOp.Load, 1, 0, 0, 7, 0]]));
    const m = new TraceModel(buildTrace([batch(0, rows), worker]));
    const cells = m.stateAt(Infinity).sharedBuffers[0]!.cells;
    expect(cells.map((c) => [c.index, c.text, c.writer, c.op])).toEqual([[0, '7', 1, AtomicsOp.Load], [1, '41', 0, AtomicsOp.Write]]);
  });
});

describe('TraceModel: locks named by the function that asked', () => {
  it('records the innermost lesson function on the stack as each party', () => {
    const frames = [userFrame(100, 'depositSafe', 21), userFrame(101, 'audit', 40)];
    const rows = withClock([
      [K.LockDefine, 1, 'mutex', 1],
      [K.TaskStart, 10, Phase.Main], [K.Enter, 100, 1], [K.Enter, 8, 2] /* console.log, a host frame */, [K.Lock, 1, LockOp.Request, 0, 1], [K.Lock, 1, LockOp.Acquired, 1, 0], [K.Exit, 2], [K.Exit, 1], [K.TaskEnd, 10, 0],
      [K.TaskStart, 11, Phase.Main], [K.Enter, 101, 3], [K.Lock, 1, LockOp.Request, 1, 1], [K.Exit, 3], [K.TaskEnd, 11, 0],
      [K.TaskStart, 12, Phase.Main], [K.Lock, 1, LockOp.Request, 1, 2], [K.TaskEnd, 12, 0],
    ]);
    const l = new TraceModel(buildTrace(rows, frames)).stateAt(Infinity).locks[0]!;
    expect(l.holders.map((p) => [p.name, p.frameId, p.taskId])).toEqual([['depositSafe', 100, 10]]);
    expect(l.waiters.map((p) => [p.name, p.frameId, p.taskId])).toEqual([['audit', 101, 11], ['', -1, 12]]);
  });

  it('names a party by the call that asked when a LockCaller announced its arguments, the holder keeping that name', () => {
    const frames = [userFrame(100, 'depositSafe', 21)];
    const rows = withClock([
      [K.LockDefine, 1, 'mutex', 1], [K.LockDefine, 2, 'other', 1],
      [K.TaskStart, 10, Phase.Main],
      [K.Enter, 100, 1], [K.LockCaller, 1, "'alice', 100"], [K.Lock, 1, LockOp.Request, 0, 1], [K.Lock, 1, LockOp.Acquired, 1, 0], [K.Exit, 1],
      [K.Enter, 100, 2], [K.LockCaller, 1, "'bob', 100"], [K.Lock, 1, LockOp.Request, 1, 1], [K.Exit, 2],
      // announced for another lock: the Request of `mutex` that follows is named by its function alone
      [K.Enter, 100, 3], [K.LockCaller, 2, "'x'"], [K.Lock, 1, LockOp.Request, 1, 2], [K.Exit, 3],
      // a LockCaller names one Request only
      [K.Enter, 100, 4], [K.LockCaller, 1, ''], [K.Lock, 1, LockOp.Request, 1, 3], [K.Lock, 1, LockOp.Request, 1, 4], [K.Exit, 4],
      [K.TaskEnd, 10, 0],
    ]);
    const model = new TraceModel(buildTrace(rows, frames));
    const lock = (step: number) => model.stateAt(step).locks.find((l) => l.name === 'mutex')!;
    const end = lock(Infinity);
    expect(end.holders.map((p) => p.label)).toEqual(["depositSafe('alice', 100)"]);
    expect(end.waiters.map((p) => p.label)).toEqual(["depositSafe('bob', 100)", 'depositSafe', 'depositSafe()', 'depositSafe']);
    expect(end.waiters.map((p) => p.name)).toEqual(['depositSafe', 'depositSafe', 'depositSafe', 'depositSafe']);
    // Released: bob's call is granted and holds it under the same name
    const released = new TraceModel(buildTrace([...rows, ...withClock([[K.Lock, 1, LockOp.Release, 0, 4], [K.Lock, 1, LockOp.Acquired, 1, 3]])], frames));
    expect(released.stateAt(Infinity).locks.find((l) => l.name === 'mutex')!.holders.map((p) => p.label)).toEqual(["depositSafe('bob', 100)"]);
  });

  it('a LockReleasing says which holder leaves: a semaphore’s second holder can give it back first', () => {
    const frames = [userFrame(100, 'job', 5)];
    const ask = (inst: number, args: string): EventRow[] => [[K.Enter, 100, inst], [K.LockCaller, 1, args], [K.Lock, 1, LockOp.Request, inst - 1, 1], [K.Lock, 1, LockOp.Acquired, inst, 0], [K.Exit, inst]];
    const rows = withClock([
      [K.LockDefine, 1, 'pool', 2], [K.TaskStart, 10, Phase.Main], ...ask(1, "'slow'"), ...ask(2, "'fast'"), [K.TaskEnd, 10, 0],
      [K.TaskStart, 11, Phase.Timers], [K.LockReleasing, 1, 2], [K.Lock, 1, LockOp.Release, 1, 0], [K.TaskEnd, 11, 0],
    ]);
    const l = new TraceModel(buildTrace(rows, frames)).stateAt(Infinity).locks[0]!;
    expect(l.holders.map((p) => p.label)).toEqual(["job('slow')"]);
    // without it the model can only guess (the agent's first holder)
    const guessed = new TraceModel(buildTrace(rows.filter((r) => r[0] !== K.LockReleasing), frames)).stateAt(Infinity).locks[0]!;
    expect(guessed.holders.map((p) => p.label)).toEqual(["job('fast')"]);
  });

  it('a direct release() names no holder: the oldest is shown leaving and the state says it is not known; a Mutex’s is exact', () => {
    const frames = [userFrame(100, 'job', 5)];
    const ask = (inst: number, args: string): EventRow[] => [[K.Enter, 100, inst], [K.LockCaller, 1, args], [K.Lock, 1, LockOp.Request, inst - 1, 1], [K.Lock, 1, LockOp.Acquired, inst, 0], [K.Exit, inst]];
    const rows = withClock([
      [K.LockDefine, 1, 'pool', 2], [K.TaskStart, 10, Phase.Main], ...ask(1, "'slow'"), ...ask(2, "'fast'"), [K.TaskEnd, 10, 0],
      [K.TaskStart, 11, Phase.Timers], [K.LockReleasing, 1, 0], [K.Lock, 1, LockOp.Release, 1, 0], [K.TaskEnd, 11, 0],
    ]);
    const trace = buildTrace(rows, frames);
    const model = new TraceModel(trace);
    const l = model.stateAt(Infinity).locks[0]!;
    expect(l.holders.map((p) => p.label)).toEqual(["job('fast')"]);
    expect(l.direct?.shown.label).toBe("job('slow')");
    const at = trace.kind.indexOf(K.LockReleasing);
    expect(l.direct?.step).toBe(at + 1); // the Release after it
    expect(model.stateAt(at + 1).locks[0]!.direct).toBeNull(); // not before it
    // slow's own releaser later gives back its grant: nobody else is taken off, the count empties the lock
    const later = new TraceModel(buildTrace([...rows, ...withClock([[K.LockReleasing, 1, 1], [K.Lock, 1, LockOp.Release, 0, 0]])], frames)).stateAt(Infinity).locks[0]!;
    expect(later.holders).toEqual([]);
    // one holder: no doubt, no note
    const one = withClock([[K.LockDefine, 2, 'mutex', 1], [K.TaskStart, 10, Phase.Main], [K.Lock, 2, LockOp.Request, 0, 1], [K.Lock, 2, LockOp.Acquired, 1, 0], [K.LockReleasing, 2, 0], [K.Lock, 2, LockOp.Release, 0, 0], [K.TaskEnd, 10, 0]]);
    const m = new TraceModel(buildTrace(one, frames)).stateAt(Infinity).locks[0]!;
    expect([m.holders.length, m.direct]).toEqual([0, null]);
  });

  it('a second LockDefine renames the lock and keeps its holders', () => {
    const rows = withClock([[K.LockDefine, 70000, 'Mutex #1', 1], [K.Lock, 70000, LockOp.Request, 0, 1], [K.Lock, 70000, LockOp.Acquired, 1, 0], [K.LockDefine, 70000, 'accountLock', 1]]);
    const l = new TraceModel(buildTrace(rows)).stateAt(Infinity).locks[0]!;
    expect([l.name, l.holders.length]).toEqual(['accountLock', 1]);
  });
});

describe('TraceModel: messages lost', () => {
  it('a worker that closes its parentPort loses the messages its parent sent that are still in flight', () => {
    const trace = buildTrace([
      batch(0, withClock([[K.WorkerSpawn, 1, 'w.ts'], [K.MessagePost, 1, 1], [K.MessagePost, 2, 1], [K.MessagePost, 3, 1]])),
      batch(1, withClock([[K.AgentStart, 1, 0, 'worker 1', 'w.ts'], [K.TaskSchedule, 2, T.Message, 0, -1, 0], [K.MessageReceive, 1, 2], [K.PortClose, 0]])),
    ]);
    const m = new TraceModel(trace);
    const end = m.stateAt(Infinity);
    expect(end.messagesInFlight).toEqual([]);
    expect(end.messagesLost.map((x) => [x.messageId, x.from, x.target, x.why])).toEqual([[2, 0, 1, 'port closed'], [3, 0, 1, 'port closed']]);
    // before the close they were in flight
    expect(m.stateAt(trace.count - 1).messagesInFlight.map((x) => x.messageId)).toEqual([2, 3]);
  });

  it('messages to a receiver that ended are lost, not silently dropped', () => {
    const trace = buildTrace([batch(0, withClock([[K.WorkerSpawn, 1, 'w.ts'], [K.MessagePost, 9, 1], [K.AgentEnd, 1, 0]]))]);
    const end = new TraceModel(trace).stateAt(Infinity);
    expect(end.messagesInFlight).toEqual([]);
    expect(end.messagesLost).toMatchObject([{ messageId: 9, target: 1, why: 'receiver ended' }]);
    // posted after it ended (a BroadcastChannel post that counted its instance just before its exit was seen)
    const late = buildTrace([batch(0, withClock([[K.WorkerSpawn, 1, 'w.ts'], [K.AgentEnd, 1, 0], [K.MessagePost, portMessageId(3, 1), 1]]))]);
    const after = new TraceModel(late).stateAt(Infinity);
    expect(after.messagesInFlight).toEqual([]);
    expect(after.messagesLost).toMatchObject([{ messageId: portMessageId(3, 1), target: 1, why: 'receiver ended' }]);
  });

  it('closing a MessageChannel’s port loses the messages posted to it, not the ones it posted nor another channel’s', () => {
    const toEnd0 = portMessageId(1, 1);
    const fromEnd0 = portMessageId(0, 1);
    const otherChannel = portMessageId(3, 1);
    const trace = buildTrace(withClock([[K.MessagePost, toEnd0, 0], [K.MessagePost, fromEnd0, 0], [K.MessagePost, otherChannel, 0], [K.ChannelClose, 0]]));
    const m = new TraceModel(trace);
    expect(m.stateAt(trace.count - 1).messagesInFlight.map((x) => x.messageId)).toEqual([toEnd0, fromEnd0, otherChannel]);
    const end = m.stateAt(Infinity);
    expect(end.messagesInFlight.map((x) => x.messageId)).toEqual([fromEnd0, otherChannel]);
    expect(end.messagesLost.map((x) => [x.messageId, x.why])).toEqual([[toEnd0, 'port closed']]);
  });

  it('a worker closing its parentPort leaves the MessageChannel messages sent to it in flight', () => {
    const viaChannel = portMessageId(0, 1);
    const trace = buildTrace([
      batch(0, withClock([[K.WorkerSpawn, 1, 'w.ts'], [K.MessagePost, 1, 1], [K.MessagePost, viaChannel, 1]])),
      batch(1, withClock([[K.AgentStart, 1, 0, 'worker 1', 'w.ts'], [K.PortClose, 0]])),
    ]);
    const end = new TraceModel(trace).stateAt(Infinity);
    expect(end.messagesInFlight.map((x) => x.messageId)).toEqual([viaChannel]);
    expect(end.messagesLost.map((x) => x.messageId)).toEqual([1]);
  });

  it('a message taken without a task (receiveMessageOnPort) leaves flight and makes no task', () => {
    const id = portMessageId(0, 1);
    const trace = buildTrace(withClock([[K.MessagePost, id, 0], [K.MessageReceive, id, -1]]));
    const m = new TraceModel(trace);
    expect(m.stateAt(trace.count - 1).messagesInFlight).toHaveLength(1);
    expect(m.stateAt(Infinity).messagesInFlight).toEqual([]);
    expect(m.stateAt(Infinity).messagesLost).toEqual([]);
    expect(TaskIndex.of(trace).get(0, -1)).toBeUndefined();
  });

  it('closing a MessageChannel port loses this agent’s own posts to channel ports', () => {
    const end = new TraceModel(buildTrace(withClock([[K.MessagePost, -1, -1], [K.PortClose, -1]]))).stateAt(Infinity);
    expect(end.messagesInFlight).toEqual([]);
    expect(end.messagesLost).toHaveLength(1);
  });
});

describe('TraceModel: Atomics from two agents that arrive out of order', () => {
  const BUF = (1 << 20) | 3;
  it('keeps the counter two workers incremented when the first increment arrives last (the stage showed 1, not 2)', () => {
    const buffer: EventRow[] = [[K.SharedBuffer, BUF, 8, 4], [K.SharedView, BUF, 'cells', INT32, 0, 2]];
    const w2: EventRow[] = [[K.Atomics, AtomicsOp.Add, BUF, 1, 1, 1, 0]]; // found 1 (worker 1's add came first): 2
    const w1: EventRow[] = [[K.Atomics, AtomicsOp.Add, BUF, 1, 1, 0, 0]]; // found 0: 1, but its batch came second
    const cell = (rows: ReturnType<typeof batch>[]) => new TraceModel(buildTrace(rows)).stateAt(Infinity).sharedBuffers[0]!.cells.find((c) => c.index === 1)!;
    expect([cell([batch(0, withClock(buffer)), batch(2, withClock(w2, 100)), batch(1, withClock(w1, 200))]).value]).toEqual([2]);
    expect([cell([batch(0, withClock(buffer)), batch(1, withClock(w1, 100)), batch(2, withClock(w2, 200))]).value]).toEqual([2]);
    // …also when a third agent read the counter in between (main's Atomics.load(cells, READY) waiting for 2: the
    // atomics lesson's stage showed 1 once in CI).
    const load: EventRow[] = [[K.Atomics, AtomicsOp.Load, BUF, 1, 0, 2, 0]];
    expect([cell([batch(0, withClock(buffer)), batch(2, withClock(w2, 100)), batch(0, withClock(load, 150)), batch(1, withClock(w1, 200))]).value]).toEqual([2]);
    // In order, one agent counting down after another counted up is not taken for a late arrival.
    const down: EventRow[] = [[K.Atomics, AtomicsOp.Sub, BUF, 1, 1, 1, 0]]; // found 1: 0
    expect(cell([batch(0, withClock(buffer)), batch(1, withClock(w1, 100)), batch(2, withClock(down, 200))]).value).toBe(0);
  });
});

describe('TraceModel: the last writer of a shared cell', () => {
  const BUF = (1 << 20) | 2;
  const rows0a: EventRow[] = [[K.SharedBuffer, BUF, 8, 4], [K.SharedView, BUF, 'shared', INT32, 0, 2], [K.SharedWrite, BUF, 0, 1]];
  const rows1: EventRow[] = [
    [K.SharedBuffer, BUF, 8, 4],
    [K.TaskSchedule, 14, T.Message, 0, -1, 0], [K.TaskRunnable, 14], [K.TaskStart, 14, Phase.Poll],
    [K.Atomics, AtomicsOp.Add, BUF, 0, 5, 1, 0], // worker 2 adds 5 in task 14: 6
    [K.TaskEnd, 14, 0],
  ];
  const rows0b: EventRow[] = [
    [K.Atomics, AtomicsOp.Load, BUF, 0, 0, 6, 0], // main only reads: worker 2 is still the last writer
    [K.Atomics, AtomicsOp.CompareExchange, BUF, 0, 9, 6, 1], // expected 1, found 6: no swap, no write
    [K.Atomics, AtomicsOp.Store, BUF, 0, 7, 7, 0], // main writes
  ];
  const trace = buildTrace([batch(0, withClock(rows0a)), batch(2, withClock(rows1, 100)), batch(0, withClock(rows0b, 200))]);
  const writerAt = (m: TraceModel, step: number) => {
    const c = m.stateAt(step).sharedBuffers[0]?.cells.find((x) => x.index === 0);
    return c ? [c.value, c.writer, c.writerTask, c.writerStep] : null;
  };
  // steps: 1 buffer, 2 view, 3 main's write, 4 buffer (w2), 5..7 task 14 scheduled/runnable/started, 8 add, 9 task end,
  // 10 load, 11 failed compareExchange, 12 store
  const want: Record<number, unknown> = {
    // (writerStep is the index of the writing event, like a cell's `step`: the event taken to reach step N is N - 1)
    2: null, 3: [1, 0, -1, 2], 7: [1, 0, -1, 2], 8: [6, 2, 14, 7], 9: [6, 2, 14, 7], 10: [6, 2, 14, 7], 11: [6, 2, 14, 7], 12: [7, 0, -1, 11],
  };

  it('is the agent (and task) whose write last changed it; reads and a failed compareExchange leave it', () => {
    const m = new TraceModel(trace);
    expect(trace.count).toBe(12);
    for (const [step, w] of Object.entries(want)) expect(writerAt(m, Number(step)), `step ${step}`).toEqual(w);
  });

  it('seeking backward shows the older writer', () => {
    const m = new TraceModel(trace, { snapshotEvery: 3 });
    expect(writerAt(m, 12)).toEqual([7, 0, -1, 11]);
    for (const step of [11, 8, 7, 3, 12, 9, 3]) expect(writerAt(m, step), `back to ${step}`).toEqual(want[step]);
  });
});
