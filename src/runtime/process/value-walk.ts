/**
 * What a lesson value carries, found without running lesson code: the MessagePorts a post or a Worker's workerData
 * transfers (ports.ts) and the SharedArrayBuffers a Worker's workerData shares (preload.ts), in a fixed walk order
 * that both ends of a transfer repeat, so the n-th found on one side is the n-th on the other.
 *
 * Boundary: the value is the lesson's. The walk reads only own data properties — an array's elements, a Map's
 * values, a plain object's own keys — skips proxies, goes 4 levels deep and 64 entries per container, and calls no
 * built-in a lesson can replace (each is captured when this module loads; a write past an array's end would run a
 * setter a lesson put on Array.prototype, so results are defined as own properties of a null-prototype list).
 */
import { types } from 'node:util';
import { SafeWeakSet } from './safe-collections.ts';

const apply = Reflect.apply;
const { isArray } = Array;
const { defineProperty, getOwnPropertyDescriptor, getPrototypeOf, keys } = Object;
const ObjectProto = Object.prototype;
const mapForEach = Map.prototype.forEach;

/** A data property's value (never an accessor's), else undefined. */
export function ownData(o: object, key: PropertyKey): unknown {
  const d = getOwnPropertyDescriptor(o, key);
  return d && 'value' in d ? d.value : undefined;
}

/** Appends to a list the tracer made (a defined own property: no setter of the lesson's runs). */
export function append<T>(list: T[], value: T): void {
  defineProperty(list, list.length, { __proto__: null, value, writable: true, enumerable: true, configurable: true } as PropertyDescriptor);
}

/**
 * Each object inside `value` that `pick` maps to a result (ports, buffers), at most `limit`, in walk order. A picked
 * object is not looked into.
 */
export function collect<T>(value: unknown, pick: (o: object) => T | null, limit: number): T[] {
  const out: T[] = [];
  const seen = new SafeWeakSet<object>();
  const walk = (v: unknown, depth: number): void => {
    if (v === null || typeof v !== 'object' || depth > 4 || out.length >= limit || seen.has(v) || types.isProxy(v)) return;
    seen.add(v);
    const found = pick(v);
    if (found !== null) { append(out, found); return; }
    if (isArray(v)) {
      const n = ownData(v, 'length') as number;
      for (let i = 0; i < n && i < 64; i++) walk(ownData(v, i), depth + 1);
    } else if (types.isMap(v)) {
      let i = 0;
      apply(mapForEach, v, [(entry: unknown) => { if (i++ < 64) walk(entry, depth + 1); }]);
    } else if (getPrototypeOf(v) === ObjectProto) {
      const names = keys(v);
      for (let i = 0; i < names.length && i < 64; i++) walk(ownData(v, names[i]!), depth + 1);
    }
  };
  walk(value, 0);
  return out;
}
