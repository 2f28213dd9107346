// The tracer's value functions (values.ts): previews are short and never run lesson code (getters, proxies,
// toString), and element writes reach the program exactly as written while writes to shared views are recorded.
import { describe, expect, it } from 'vitest';
import { EventKind as K, TYPED_ARRAY_TYPES } from '../../shared/trace/schema.ts';
import type { Agent } from './agent.ts';
import { startLocks } from './locks.ts';
import { PREVIEW_CHARS, preview, previewArgs } from './preview.ts';
import { startValues } from './values.ts';

const type = (name: string): number => TYPED_ARRAY_TYPES.findIndex((t) => t.name === name);
const INT32 = type('Int32Array');

function fakeAgent(): { agent: Agent; events: unknown[][] } {
  const events: unknown[][] = [];
  const bufs: object[] = []; // no Map: a test may replace its methods
  const agent = {
    writer: { emit: (...args: unknown[]) => { events[events.length] = args; } }, // no push: a test may replace it
    sharedBufferId: (buf: object) => { if (bufs.indexOf(buf) < 0) bufs[bufs.length] = buf; return bufs.indexOf(buf) + 1; },
  } as unknown as Agent;
  return { agent, events };
}

describe('previewArgs (a lock caller’s arguments)', () => {
  it('joins the previews of the arguments and a rest parameter’s, at most six, in a short text', () => {
    expect(previewArgs(['bob', 100])).toBe("'bob', 100");
    expect(previewArgs([3], ['x', 'y'])).toBe("3, 'x', 'y'");
    expect(previewArgs([])).toBe('');
    expect(previewArgs([1, 2, 3, 4, 5, 6, 7])).toBe('1, 2, 3, 4, 5, 6, …');
    expect(previewArgs(['a'.repeat(100)])).toHaveLength(48);
  });

  it('runs no lesson code: an accessor shows as …, and replaced array methods are not called', () => {
    const args: unknown[] = [1];
    Object.defineProperty(args, 1, { get() { throw new Error('getter ran'); }, enumerable: true });
    const saved = { push: Array.prototype.push, join: Array.prototype.join, iterator: Array.prototype[Symbol.iterator] };
    const trap = () => { throw new Error('a replaced built-in ran'); };
    let shown: unknown;
    try {
      Object.assign(Array.prototype, { push: trap, join: trap });
      Array.prototype[Symbol.iterator] = trap as never;
      shown = previewArgs(args);
    } catch (err) {
      shown = err;
    } finally {
      Object.assign(Array.prototype, { push: saved.push, join: saved.join });
      Array.prototype[Symbol.iterator] = saved.iterator;
    }
    expect(shown).toBe('1, …');
  });
});

describe('preview', () => {
  it('shows primitives and common objects briefly', () => {
    expect([0, -0, 1.5, 10n, true, undefined, null, 'bob', Symbol('s')].map(preview)).toEqual(['0', '-0', '1.5', '10n', 'true', 'undefined', 'null', "'bob'", 'Symbol(s)']);
    expect(preview([1, 'a', [2], { b: 1 }])).toBe("[1, 'a', […], {…}]");
    expect(preview(Array.from({ length: 9 }, (_, i) => i))).toBe('[0, 1, 2, 3, 4, 5, … 9 items]');
    expect(preview(new Map([[1, 2]]))).toBe('Map(1)');
    expect(preview(new Int32Array(4))).toBe('Int32Array(4)');
    class Account {}
    expect(preview(new Account())).toBe('Account {…}');
    expect(preview(function deposit() {})).toBe('ƒ deposit');
    expect(preview('x'.repeat(500))).toHaveLength(PREVIEW_CHARS);
  });

  it('never runs lesson code: getters, proxies, toString, replaced built-in getters', () => {
    const trap = (): never => { throw new Error('lesson code ran'); };
    const withGetter = Object.defineProperty([1], 1, { get: trap, enumerable: true });
    expect(preview(withGetter)).toBe('[1, (getter)]');
    expect(preview(new Proxy({}, { get: trap, getPrototypeOf: trap, ownKeys: trap, getOwnPropertyDescriptor: trap }))).toBe('Proxy');
    expect(preview(new Proxy([], { get: trap, getOwnPropertyDescriptor: trap }))).toBe('Proxy');
    const sneaky = Object.create(Object.defineProperty({}, 'constructor', { get: trap }), { toString: { value: trap } });
    expect(preview(sneaky)).toBe('{…}');
    const realSize = Object.getOwnPropertyDescriptor(Map.prototype, 'size')!;
    Object.defineProperty(Map.prototype, 'size', { get: trap, configurable: true });
    try { expect(preview(new Map())).toBe('Map(0)'); } finally { Object.defineProperty(Map.prototype, 'size', realSize); }
  });
});

describe('value functions', () => {
  it('v records a watched value and returns it; p returns the update’s result and records the new value', () => {
    const { agent, events } = fakeAgent();
    const t = startValues(agent, startLocks(agent));
    expect(t.v('balance', 100)).toBe(100);
    expect(t.p('balance', 100, 101)).toBe(100);
    expect(events).toEqual([[K.Value, 'balance', '100'], [K.Value, 'balance', '101']]);
  });

  it('w writes exactly as the program would and records writes to shared views (announced once, by name)', () => {
    const { agent, events } = fakeAgent();
    const t = startValues(agent, startLocks(agent));
    const view = new Int32Array(new SharedArrayBuffer(16), 4, 2);
    expect(t.w(view, 1, 7.9, 'view')).toBe(7.9);
    expect(view[1]).toBe(7);
    t.w(view, '0', 3, 'view');
    t.w(view, 5, 1, 'view'); // outside the view: the write does nothing, nothing is recorded
    const plain = new Int32Array(2);
    t.w(plain, 0, 1, 'plain');
    const arr: number[] = [];
    t.w(arr, 0, 1, 'arr');
    expect(arr).toEqual([1]);
    expect(events).toEqual([
      [K.SharedView, 1, 'view', INT32, 4, 2],
      [K.SharedStore, 1, INT32, 2, 7, 0], // element index from the buffer's start: byteOffset 4 = one Int32 element
      [K.SharedStore, 1, INT32, 1, 3, 0],
    ]);
  });

  it('c updates and compounds as JavaScript does, and records the element it wrote', () => {
    const { agent, events } = fakeAgent();
    const t = startValues(agent, startLocks(agent));
    const view = new Int32Array(new SharedArrayBuffer(8));
    expect(t.c(view, 0, 'x++', 0, 'view')).toBe(0);
    expect(t.c(view, 0, '++x', 0, 'view')).toBe(2);
    expect(t.c(view, 1, '+=', () => 40, 'view')).toBe(40);
    expect(t.c(view, 1, '>>=', () => 2, 'view')).toBe(10);
    const big = [5n];
    expect(t.C(big, 0, 'x--', 0, 'big')).toBe(5n);
    expect(big[0]).toBe(4n);
    let toStringCalls = 0;
    const key = { toString: () => { toStringCalls++; return '0'; } };
    t.c(view, key, 'x++', 0, 'view');
    expect(toStringCalls).toBe(1); // the key is converted once, as o[k]++ does
    expect(events.filter((e) => e[0] === K.SharedStore).map((e) => e.slice(3, 5))).toEqual([[0, 1], [0, 2], [1, 40], [1, 10], [0, 3]]);
  });

  it('records any element type exactly, as the bytes of the element written by the writing view', () => {
    const { agent, events } = fakeAgent();
    const t = startValues(agent, startLocks(agent));
    const sab = new SharedArrayBuffer(16);
    t.w(new Float64Array(sab), 1, 1.5, 'doubles');
    t.w(new BigInt64Array(sab), 0, -3n, 'bigs');
    t.w(new Uint8Array(sab), 9, 255, 'bytes');
    t.w(new Uint32Array(sab), 3, 4294967295, 'words');
    expect(events.filter((e) => e[0] === K.SharedStore)).toEqual([
      [K.SharedStore, 1, type('Float64Array'), 1, 0, 0x3ff80000], // 1.5: not cut to the int32 1
      [K.SharedStore, 1, type('BigInt64Array'), 0, -3, -1],
      [K.SharedStore, 1, type('Uint8Array'), 9, 255, 0],
      [K.SharedStore, 1, type('Uint32Array'), 3, -1, 0],
    ]);
  });
});

describe('writing TypedArray methods (o / q … O)', () => {
  const stores = (events: unknown[][]): unknown[][] => events.filter((e) => e[0] === K.SharedStore).map((e) => [e[3], e[4]]);

  it('records the elements a call changed, passes the first argument through and returns the call’s result', () => {
    const { agent, events } = fakeAgent();
    const t = startValues(agent, startLocks(agent));
    const view = new Int32Array(new SharedArrayBuffer(16));
    view[3] = 9;
    // view.set(__ls$o(view, "view", [7, 8], 20), 1) inside __ls$O(…, 20)
    expect(t.O(view.set(t.o(view, 'view', [7, 8], 20) as number[], 1), 20)).toBeUndefined();
    expect(stores(events)).toEqual([[1, 7], [2, 8]]);
    events.length = 0;
    expect(t.O(view.fill(t.o(view, 'view', 9, 30) as number, t.a(2, 30, 1) as number), 30, 'fill')).toBe(view);
    expect(stores(events)).toEqual([[2, 9], [3, 9]]); // [3] already held 9: rewritten all the same, by its arguments
    events.length = 0;
    t.O(view.copyWithin(t.o(view, 'view', 0, 31) as number, t.a(2, 31, 1) as number), 31, 'copyWithin');
    t.O(view.set(t.o(view, 'view', 'ab', 32) as unknown as number[], t.a(-0, 32, 1) as number), 32, 'set'); // "ab": NaN, NaN
    expect(stores(events)).toEqual([[0, 9], [1, 9], [0, 0], [1, 0]]);
    events.length = 0;
    // without the method's name (a spread), what changed: the same-value rewrite of [1] is not seen
    t.O(view.set(t.o(view, 'view', [5, 0], 33) as number[]), 33, '');
    expect(stores(events)).toEqual([[0, 5]]);
  });

  it('records what the arguments say on views of any size, at most 4096 elements a call (the trace stays bounded)', () => {
    const { agent, events } = fakeAgent();
    const t = startValues(agent, startLocks(agent));
    const big = new Uint8Array(new SharedArrayBuffer(1 << 20)); // 1 MiB: not copied around the call
    t.O(big.fill(t.o(big, 'big', 3, 40) as number, t.a(70000, 40, 1) as number, t.a(70002, 40, 2) as number), 40, 'fill');
    expect(stores(events)).toEqual([[70000, 3], [70001, 3]]);
    events.length = 0;
    t.O(big.fill(t.o(big, 'big', 1, 41) as number), 41, 'fill');
    expect(stores(events)).toHaveLength(4096);
    expect(stores(events)[4095]).toEqual([4095, 1]);
  });

  it('finds the view of a call on a call’s result by what it returned, and of a borrowed method by its this', () => {
    const { agent, events } = fakeAgent();
    const t = startValues(agent, startLocks(agent));
    const view = new Int16Array(new SharedArrayBuffer(8));
    const getView = (): Int16Array => view;
    // getView().fill(__ls$a(4, s, 0), __ls$a(1, s, 1), __ls$a(3, s, 2))
    t.O(getView().fill(t.a(4, 50, 0) as number, t.a(1, 50, 1) as number, t.a(3, 50, 2) as number), 50, 'fill');
    expect(stores(events)).toEqual([[1, 4], [2, 4]]);
    events.length = 0;
    // Int16Array.prototype.set.call(__ls$g(view, s), __ls$a([7], s, 0), __ls$a(3, s, 1))
    Int16Array.prototype.set.call(t.g(view, 51) as Int16Array, t.a([7], 51, 0) as number[], t.a(3, 51, 1) as number);
    t.O(undefined, 51, 'set');
    expect(stores(events)).toEqual([[3, 7]]);
    events.length = 0;
    // Int16Array.prototype.fill.apply(__ls$g(view, s, 1), __ls$a([5, 0, 2], s, 0)): [0] and [1], the same value included
    view.fill(5, 0, 1);
    t.O(Int16Array.prototype.fill.apply(t.g(view, 52, 1) as Int16Array, t.a([5, 0, 2], 52, 0) as [number, number, number]), 52, 'fill');
    expect(stores(events)).toEqual([[0, 5], [1, 5]]);
  });

  it('a method the lesson replaced is not read by its arguments: what changed is recorded', () => {
    const { agent, events } = fakeAgent();
    const t = startValues(agent, startLocks(agent));
    const view = new Int32Array(new SharedArrayBuffer(16));
    Object.defineProperty(view, 'fill', { value(this: Int32Array, v: number) { this[3] = v; return this; } });
    t.O(view.fill(t.o(view, 'view', 8, 52) as number, t.a(0, 52, 1) as unknown as undefined), 52, 'fill');
    expect(stores(events)).toEqual([[3, 8]]);
  });

  it('a call without arguments (sort, reverse) wrote every element of the view it returned', () => {
    const { agent, events } = fakeAgent();
    const t = startValues(agent, startLocks(agent));
    const view = new Int16Array(new SharedArrayBuffer(8), 2, 3);
    view.set([3, 1, 2]);
    expect(t.A(view.sort())).toBe(view);
    expect(events.filter((e) => e[0] === K.SharedStore)).toEqual([[K.SharedStore, 1, type('Int16Array'), 1, 1, 0], [K.SharedStore, 1, type('Int16Array'), 2, 2, 0], [K.SharedStore, 1, type('Int16Array'), 3, 3, 0]]);
  });

  it('a call that threw (its O never ran) does not disturb the calls after it', () => {
    const { agent, events } = fakeAgent();
    const t = startValues(agent, startLocks(agent));
    const view = new Uint8Array(new SharedArrayBuffer(4));
    const source = { length: 3, 0: 1, get 1(): number { throw new Error('source broke'); } };
    expect(() => view.set(t.o(view, 'view', source, 40) as ArrayLike<number>)).toThrow('source broke'); // O never runs
    t.O(view.fill(t.o(view, 'view', 5, 50) as number, 3), 50);
    expect(stores(events)).toEqual([[3, 5]]);
    events.length = 0;
    t.O(view.fill(t.o(view, 'view', 6, 40) as number, 2, 3), 40);
    t.O(view.fill(t.o(view, 'view', 7, 40) as number, 1, 2), 40);
    expect(stores(events)).toEqual([[2, 6], [1, 7]]); // each call its own elements: the broken set's copy is gone
  });

  it('records nothing for calls on other objects and never runs lesson code (q reads data properties only)', () => {
    const { agent, events } = fakeAgent();
    const t = startValues(agent, startLocks(agent));
    const map = new Map<string, number>();
    expect(t.O(map.set(t.o(map, 'map', 'a', 60) as string, 1), 60)).toBe(map);
    const plain = new Int32Array(2);
    t.O(plain.fill(t.o(plain, 'plain', 1, 61) as number), 61);
    let getterRuns = 0;
    const shared = new Int32Array(new SharedArrayBuffer(8));
    const holder = { get view(): Int32Array { getterRuns++; return shared; } };
    t.O(holder.view.fill(t.q(holder, 'view', 'view', 4, 62) as number), 62);
    expect(getterRuns).toBe(1); // only the lesson's own read: q does not read an accessor again
    const trap = (): never => { throw new Error('lesson code ran'); };
    const proxied = new Proxy({ view: shared }, { get: trap, getOwnPropertyDescriptor: trap, getPrototypeOf: trap });
    expect(t.q(proxied, 'view', 'view', 7, 63)).toBe(7);
    expect(t.q({ view: shared }, { toString: trap }, 'view', 8, 64)).toBe(8);
    expect(events.filter((e) => e[0] === K.SharedStore)).toEqual([]);
  });
});

describe('writing TypedArray methods: built-ins the lesson replaced', () => {
  it('o and O use none of Array.prototype’s methods (a lesson may replace them)', () => {
    const { agent, events } = fakeAgent();
    const t = startValues(agent, startLocks(agent));
    const view = new Int32Array(new SharedArrayBuffer(8));
    const saved = { push: Array.prototype.push, shift: Array.prototype.shift, splice: Array.prototype.splice };
    const trap = (): never => { throw new Error('lesson code ran'); };
    Object.assign(Array.prototype, { push: trap, shift: trap, splice: trap });
    try {
      for (let i = 0; i < 70; i++) view.set(t.o(view, 'view', [i], 90 + (i % 2)) as number[]); // left pending: past the cap
      t.O(view.fill(t.o(view, 'view', 5, 91) as number), 91);
    } finally { Object.assign(Array.prototype, saved); }
    expect(events.filter((e) => e[0] === K.SharedStore).map((e) => [e[3], e[4]])).toEqual([[0, 5], [1, 5]]);
  });
});

describe('Atomics calls (y … Y)', () => {
  /** `Atomics.op(…args)` as the rewrite calls it: each argument through y, the result through Y. */
  const atomics = (t: ReturnType<typeof startValues>, op: string, ...args: unknown[]): unknown => {
    const site = 70;
    const through = args.map((a, k) => t.y(a, site, k));
    // Reflect.apply, not a spread: a test may replace array iteration
    return t.Y(Reflect.apply((Atomics as unknown as Record<string, (...a: unknown[]) => unknown>)[op]!, Atomics, through), site, op);
  };
  const recorded = (events: unknown[][]): unknown[][] => events.filter((e) => e[0] === K.AtomicsElement || e[0] === K.Atomics).map((e) => e.slice(0, 7));

  it('records a BigInt64Array’s values with their high words (AtomicsElement), not cut to 32 bits', () => {
    const { agent, events } = fakeAgent();
    const t = startValues(agent, startLocks(agent));
    const bigs = new BigInt64Array(new SharedArrayBuffer(16));
    expect(atomics(t, 'store', bigs, 1, 2n ** 53n + 1n)).toBe(2n ** 53n + 1n);
    expect(atomics(t, 'add', bigs, 1, -(2n ** 33n))).toBe(2n ** 53n + 1n);
    expect(atomics(t, 'compareExchange', bigs, 1, 2n ** 53n - 2n ** 33n + 1n, 5n)).toBe(2n ** 53n - 2n ** 33n + 1n);
    const B = type('BigInt64Array');
    expect(recorded(events)).toEqual([
      [K.AtomicsElement, B, 1, 0x200000, 0x200000, 0], [K.Atomics, 1, 1, 1, 1, 1, 0],
      [K.AtomicsElement, B, 1, -2, 0x200000, 0], [K.Atomics, 2, 1, 1, 0, 1, 0],
      [K.AtomicsElement, B, 1, 0, 0x1ffffe, 0x1ffffe], [K.Atomics, 8, 1, 1, 5, 1, 1],
    ]);
  });

  it('counts the element by the view used: its type and its byteOffset (Atomics.add(i8, 5, 1) is byte 5)', () => {
    const { agent, events } = fakeAgent();
    const t = startValues(agent, startLocks(agent));
    const sab = new SharedArrayBuffer(16);
    t.n('words', new Int32Array(sab));
    atomics(t, 'add', new Int8Array(sab), 5, 1);
    atomics(t, 'store', new Int16Array(sab, 4), 1, 70000); // bytes 6–7: element 3 of the buffer as Int16, holds 4464
    atomics(t, 'sub', new Uint8Array(sab, 8), 0, 1); // 0 - 1 in a byte: 255, the word -1 as the Atomics event has it
    const ops = recorded(events);
    expect(ops).toEqual([
      [K.AtomicsElement, type('Int8Array'), 5, 0, 0, 0], [K.Atomics, 2, 1, 5, 1, 0, 0],
      [K.AtomicsElement, type('Int16Array'), 3, 0, 0, 0], [K.Atomics, 1, 1, 1, 4464, 4464, 0],
      [K.AtomicsElement, type('Uint8Array'), 8, 0, 0, 0], [K.Atomics, 3, 1, 0, 1, 0, 0],
    ]);
    // each view is announced once (SharedView) so the stage can give its type a row
    expect(events.filter((e) => e[0] === K.SharedView).map((e) => [e[3], e[4]])).toEqual([[INT32, 0], [type('Int8Array'), 0], [type('Int16Array'), 4], [type('Uint8Array'), 8]]);
  });

  it('calls none of the built-ins a lesson can replace (Map and WeakMap get, BigInt.asIntN, array iteration)', () => {
    const { agent, events } = fakeAgent();
    const t = startValues(agent, startLocks(agent));
    const bigs = new BigInt64Array(new SharedArrayBuffer(8));
    const trap = (): never => { throw new Error('lesson code ran'); };
    const saved = { mapGet: Map.prototype.get, weakGet: WeakMap.prototype.get, weakSet: WeakMap.prototype.set, has: WeakSet.prototype.has, add: WeakSet.prototype.add, asIntN: BigInt.asIntN, iter: Array.prototype[Symbol.iterator] };
    Object.assign(Map.prototype, { get: trap });
    Object.assign(WeakMap.prototype, { get: trap, set: trap });
    Object.assign(WeakSet.prototype, { has: trap, add: trap });
    Object.assign(BigInt, { asIntN: trap });
    Array.prototype[Symbol.iterator] = trap;
    let result: unknown;
    try { result = atomics(t, 'exchange', bigs, 0, -1n); } finally {
      Array.prototype[Symbol.iterator] = saved.iter;
      Object.assign(Map.prototype, { get: saved.mapGet });
      Object.assign(WeakMap.prototype, { get: saved.weakGet, set: saved.weakSet });
      Object.assign(WeakSet.prototype, { has: saved.has, add: saved.add });
      Object.assign(BigInt, { asIntN: saved.asIntN });
    }
    expect(result).toBe(0n);
    expect(recorded(events)).toEqual([[K.AtomicsElement, type('BigInt64Array'), 0, -1, 0, 0], [K.Atomics, 7, 1, 0, -1, 0, 0]]);
  });
});

describe('value functions: failures', () => {
  it('w throws where strict code throws; W fails silently where sloppy code does', () => {
    const { agent } = fakeAgent();
    const t = startValues(agent, startLocks(agent));
    const frozen = Object.freeze([1]);
    expect(() => t.w(frozen, 0, 2, 'frozen')).toThrow(TypeError);
    expect(t.W(frozen, 0, 2, 'frozen')).toBe(2);
    expect(frozen[0]).toBe(1);
    expect(() => t.w(undefined, 0, 1, 'missing')).toThrow(/Cannot set properties of undefined/);
  });
});
