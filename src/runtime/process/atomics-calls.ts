/**
 * Atomics calls as the trace records them (runtime v2), around the lesson's own call of the real method
 * (instrument/values.ts `atomicsCall`): `__ls$Y(Atomics.add(__ls$y(v, 9, 0), __ls$y(i, 9, 1), __ls$y(1, 9, 2)), 9, "add")`.
 * `y` keeps each argument, `Y` records the operation with its result: an AtomicsElement (the element by the view the
 * program used — its type, its index from the buffer's start — and the high words of 64-bit values) and an Atomics
 * event (the values' low words, as the element holds them). `Atomics.wait` is recorded, and sent, before the thread
 * blocks.
 *
 * Boundary: the arguments come from lesson code and are untrusted; nothing here calls lesson code or a built-in the
 * lesson can replace (captured at start-up, read by index).
 */
import { types } from 'node:util';
import { AtomicsOp, EventKind as K, TYPED_ARRAY_TYPES } from '../../shared/trace/schema.ts';
import type { Agent } from './agent.ts';
import { call, taBuffer, taOffset, taTag } from './preview.ts';

const { isTypedArray } = types;
const Num = Number;
const Str = String;
const { asIntN } = BigInt;
const TYPE_NAMES: readonly string[] = TYPED_ARRAY_TYPES.map((t) => t.name);
/** Calls a throw in their arguments left unmatched are dropped beyond this many. */
const MAX_PENDING_CALLS = 64;

/** The TYPED_ARRAY_TYPES index of a typed array's toStringTag, -1 for any other value (no Map: its get is the lesson's). */
export function typeIndex(tag: unknown): number {
  for (let i = 0; i < TYPE_NAMES.length; i++) if (TYPE_NAMES[i] === tag) return i;
  return -1;
}

/** `Atomics` methods the trace records, by their code in the Atomics event (ATOMICS_OP_NAMES' order). */
const ATOMICS_METHODS: readonly string[] = [
  'load', 'store', 'add', 'sub', 'and', 'or', 'xor', 'exchange', 'compareExchange', 'wait', '', 'notify', 'waitAsync',
];
/** The code of an `Atomics` method the trace records, -1 for any other name (no Map: its get is the lesson's). */
function atomicsCode(name: string): number {
  for (let i = 0; i < ATOMICS_METHODS.length; i++) if (name !== '' && ATOMICS_METHODS[i] === name) return i;
  return -1;
}
/** `emitAtomics`' plainExtra when the extra is an element (compareExchange's expected value), not a count or a time. */
const NO_PLAIN = -0x80000000;
/** An Atomics call whose arguments are being evaluated: its site and the arguments so far. */
interface AtomicsCall { readonly site: number; readonly args: unknown[] }

/** A number as the event's int32 (a BigInt's low 32 bits), without calling lesson code (no valueOf). */
function toInt(v: unknown): number {
  if (typeof v === 'bigint') return Num(asIntN(32, v));
  return v !== null && (typeof v === 'object' || typeof v === 'function' || typeof v === 'symbol') ? 0 : Num(v) | 0;
}
function toIndex(v: unknown): number {
  return typeof v === 'number' ? v | 0 : typeof v === 'string' && Str(Num(v)) === v ? Num(v) | 0 : 0;
}
/** A BigInt's bits 32–63 (the high word of a 64-bit element), 0 for anything else. */
function highWord(v: unknown): number {
  return typeof v === 'bigint' ? Num(asIntN(32, v >> 32n)) : 0;
}
/**
 * An Atomics operand or result as the low word of the element of `type` it is (or is compared with): an integer
 * converted the way the element stores it (`Atomics.store(i8, 0, 200)` stores -56, a Uint32's 4294967295 is the word
 * -1), a BigInt's low 32 bits.
 */
function elementWord(type: number, v: unknown): number {
  const x = toInt(v);
  switch (TYPE_NAMES[type]) {
    case 'Int8Array': return (x << 24) >> 24;
    case 'Uint8Array': return x & 0xff;
    case 'Int16Array': return (x << 16) >> 16;
    case 'Uint16Array': return x & 0xffff;
    default: return x;
  }
}

/** What the tracer knows of a shared view: its buffer's id, element type and element 0's index in the buffer. */
export interface SharedViewInfo { readonly bufferId: number; readonly type: number; readonly base: number }

export interface AtomicsCalls {
  readonly y: (arg: unknown, site: unknown, k: unknown, last?: unknown) => unknown;
  readonly Y: (result: unknown, site: unknown, op: unknown) => unknown;
}

/** `sharedView`: the view a typed array over shared memory is (announced on first sight), undefined for others. */
export function startAtomicsCalls(agent: Agent, sharedView: (ta: unknown) => SharedViewInfo | undefined): AtomicsCalls {
  const w = agent.writer;
  const atomics: AtomicsCall[] = [];

  /**
   * The element an Atomics call took: the id of the buffer under its typed array (shared or not; a shared view is
   * announced, SharedView), the array's element type and its element 0's index from the buffer's start. Undefined for
   * anything else.
   */
  function atomicsElement(ta: unknown): { id: number; type: number; base: number } | undefined {
    if (!isTypedArray(ta)) return undefined;
    const view = sharedView(ta);
    if (view !== undefined) return { id: view.bufferId, type: view.type, base: view.base };
    const type = typeIndex(call(taTag, ta));
    if (type < 0) return undefined;
    const size = TYPED_ARRAY_TYPES[type]!.size;
    return { id: agent.sharedBufferId(call(taBuffer, ta) as object, size), type, base: (call(taOffset, ta) as number) / size };
  }

  /**
   * One Atomics operation on element `index` of the array `el` describes: its AtomicsElement (the element by the view
   * used; the high words of 64-bit values), then the Atomics event with the values' low words.
   */
  function emitAtomics(op: number, el: { id: number; type: number; base: number }, index: unknown, value: unknown, result: unknown, extra: unknown, plainExtra: number): void {
    const at = toIndex(index);
    const exactExtra = plainExtra === NO_PLAIN;
    w.emit(K.AtomicsElement, el.type, el.base + at, highWord(value), highWord(result), exactExtra ? highWord(extra) : 0);
    w.emit(K.Atomics, op, el.id, at, elementWord(el.type, value), typeof result === 'string' ? 0 : elementWord(el.type, result), exactExtra ? elementWord(el.type, extra) : plainExtra);
  }

  return {
    y(arg, site, k, last) {
      // An argument of `Atomics.op(…)` (instrument/values.ts `atomicsCall`): the first opens the call's record.
      if (typeof site !== 'number' || typeof k !== 'number') return arg;
      if (k === 0) {
        if (atomics.length >= MAX_PENDING_CALLS) atomics.length = 0; // left by throws in the arguments: stale
        atomics[atomics.length] = { site, args: [arg] };
      } else {
        const top = atomics[atomics.length - 1];
        if (top !== undefined && top.site === site && top.args.length === k) top.args[k] = arg;
      }
      // `Atomics.wait` blocks this thread: the wait is recorded, and sent, before the call (the call stays the lesson's).
      if (last === 1) {
        const top = atomics[atomics.length - 1];
        const args = top?.site === site ? top.args : [];
        const el = atomicsElement(args[0]);
        if (el !== undefined) {
          const timeout = args[3];
          emitAtomics(AtomicsOp.Wait, el, args[1], args[2], 0, 0, typeof timeout === 'number' && timeout >= 0 && timeout < 2 ** 31 ? timeout | 0 : -1);
          w.flush();
          w.beforeBlocking();
        }
      }
      return arg;
    },
    Y(result, site, op) {
      // The innermost record of this site; records above it were left by calls that threw (their Y never ran).
      let at = atomics.length - 1;
      while (at >= 0 && atomics[at]!.site !== site) at--;
      if (at < 0) return result;
      const args = atomics[at]!.args; // read by index: a lesson may replace Array.prototype[Symbol.iterator]
      const ta = args[0];
      const index = args[1];
      const a = args[2];
      const b = args[3];
      const more = args.length - 2;
      atomics.length = at;
      const code = typeof op === 'string' ? atomicsCode(op) : -1;
      const el = code < 0 ? undefined : atomicsElement(ta);
      if (el === undefined) return result; // `Atomics` is the lesson's own object here, or the call did not take a typed array
      if (code === AtomicsOp.Wait) {
        // the outcome is a code, not an element
        w.emit(K.AtomicsElement, el.type, el.base + toIndex(index), highWord(a), 0, 0);
        w.emit(K.Atomics, AtomicsOp.WaitDone, el.id, toIndex(index), elementWord(el.type, a), result === 'ok' ? 0 : result === 'not-equal' ? 1 : 2, 0);
      } else if (code === AtomicsOp.Notify) {
        w.emit(K.AtomicsElement, el.type, el.base + toIndex(index), 0, 0, 0);
        w.emit(K.Atomics, code, el.id, toIndex(index), a === undefined ? -1 : toInt(a), 0, toInt(result));
        w.flush();
      } else {
        const value = more <= 0 ? result : more === 1 ? a : b;
        emitAtomics(code, el, index, value, code === AtomicsOp.WaitAsync ? 0 : result, a, more === 2 ? NO_PLAIN : 0);
      }
      return result;
    },
  };
}
