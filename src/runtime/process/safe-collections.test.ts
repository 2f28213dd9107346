/** The tracer's maps and sets keep working, and call nothing of the lesson's, once a lesson replaced the built-ins' methods. */
import { afterEach, describe, expect, it } from 'vitest';
import { IntStack, SafeMap, SafeSet, SafeWeakMap, SafeWeakSet } from './safe-collections.ts';

const restore: (() => void)[] = [];
const putBack = (): void => { while (restore.length) restore.pop()!(); };
afterEach(putBack);

/**
 * Replaces every listed method (and `size`, and the iterators' `next`) with one that records its call and throws, as
 * a lesson could; `restore` puts them back (before anything else, vitest included, runs).
 */
function hijack(calls: string[]): void {
  const targets: [object, string][] = [];
  for (const proto of [Map.prototype, Set.prototype, WeakMap.prototype, WeakSet.prototype]) {
    for (const key of ['get', 'set', 'has', 'add', 'delete', 'entries', 'values', 'size']) if (Object.getOwnPropertyDescriptor(proto, key)) targets.push([proto, key]);
  }
  targets.push([Object.getPrototypeOf(new Map().entries()) as object, 'next'], [Object.getPrototypeOf(new Set().values()) as object, 'next']);
  for (const [proto, key] of targets) {
    const original = Object.getOwnPropertyDescriptor(proto, key)!;
    Object.defineProperty(proto, key, { configurable: true, get() { calls.push(key); throw new Error(`lesson's ${key}`); } });
    restore.push(() => Object.defineProperty(proto, key, original));
  }
}

describe('safe collections', () => {
  it('answer as the built-ins do without calling a replaced method, size or iterator', () => {
    const map = new SafeMap<string, number>([['a', 1]]);
    const set = new SafeSet<number>();
    const weakMap = new SafeWeakMap<object, number>();
    const weakSet = new SafeWeakSet<object>();
    const key = {};
    const calls: string[] = [];
    hijack(calls);
    let got: unknown[][];
    try {
      map.set('b', 2);
      set.add(3).add(4);
      weakMap.set(key, 5);
      weakSet.add(key);
      const entries: unknown[] = [];
      for (const e of map) entries[entries.length] = e; // spread would use Array's own iteration, replaced or not
      const values: unknown[] = [];
      for (const v of set) values[values.length] = v;
      got = [
        [map.get('a'), map.has('b'), map.size, entries, map.delete('a'), map.size],
        [set.has(3), set.size, values, set.delete(3), set.size],
        [weakMap.get(key), weakMap.has(key), weakMap.delete(key), weakMap.has(key)],
        [weakSet.has(key), weakSet.delete(key), weakSet.has(key)],
      ];
    } finally {
      putBack();
    }
    expect(calls).toEqual([]);
    expect(got).toEqual([[1, true, 2, [['a', 1], ['b', 2]], true, 1], [true, 2, [3, 4], true, 1], [5, true, true, false], [true, true, false]]);
  });
});

describe('IntStack', () => {
  it('pushes past its first capacity and pops in order, 0 once empty, calling no array or typed-array method', () => {
    const real = { push: Array.prototype.push, pop: Array.prototype.pop, set: Int32Array.prototype.set };
    let called = 0;
    const out: number[] = [];
    const s = new IntStack();
    // Replaced only around the stack's own operations (synchronous: nothing else runs meanwhile)
    Array.prototype.push = function (this: unknown[], ...items: unknown[]) { called++; return Reflect.apply(real.push, this, items) as number; };
    Array.prototype.pop = function (this: unknown[]) { called++; return Reflect.apply(real.pop, this, []) as unknown; };
    Int32Array.prototype.set = function (this: Int32Array, ...args: unknown[]) { called++; return Reflect.apply(real.set, this, args) as undefined; };
    try {
      for (let i = 1; i <= 40; i++) s.push(i * 3);
      while (s.length > 1) out[out.length] = s.pop();
    } finally {
      Array.prototype.push = real.push; Array.prototype.pop = real.pop; Int32Array.prototype.set = real.set;
    }
    expect(called).toBe(0);
    expect(out).toHaveLength(39);
    expect(out[0]).toBe(120);
    expect(s.top()).toBe(3);
    expect(s.at(0)).toBe(3);
    expect(s.pop()).toBe(3);
    expect(s.pop()).toBe(0);
    expect(s.top()).toBe(0);
  });
});
