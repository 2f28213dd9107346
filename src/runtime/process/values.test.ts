// The tracer's value functions (values.ts): previews are short and never run lesson code (getters, proxies,
// toString), and element writes reach the program exactly as written while writes to shared views are recorded.
import { describe, expect, it } from 'vitest';
import { EventKind as K } from '../../shared/trace/schema.ts';
import type { Agent } from './agent.ts';
import { startLocks } from './locks.ts';
import { PREVIEW_CHARS, preview, previewArgs } from './preview.ts';
import { startValues } from './values.ts';

function fakeAgent(): { agent: Agent; events: unknown[][] } {
  const events: unknown[][] = [];
  const ids = new Map<object, number>();
  const agent = {
    writer: { emit: (...args: unknown[]) => events.push(args) },
    sharedBufferId: (buf: object) => { if (!ids.has(buf)) ids.set(buf, ids.size + 1); return ids.get(buf)!; },
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
      [K.SharedView, 1, 'view', 5, 4, 2],
      [K.SharedWrite, 1, 2, 7], // cell index from the buffer's start: byteOffset 4 = one Int32 cell
      [K.SharedWrite, 1, 1, 3],
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
    expect(events.filter((e) => e[0] === K.SharedWrite).map((e) => e.slice(2))).toEqual([[0, 1], [0, 2], [1, 40], [1, 10], [0, 3]]);
  });

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
