/**
 * Maps and sets for the tracer (runtime v2) that never call what a lesson can replace: Map, Set, WeakMap and WeakSet
 * whose methods call the built-ins captured when this module loads (before any lesson code), as Node's own
 * primordials (`SafeMap`…) do. A lesson may replace `Map.prototype.get` or `WeakSet.prototype.add` with its own
 * (instrumented) function: the tracer calling it would run lesson code plain node never runs — it would print,
 * count or throw there, and its instrumented body would enter the tracer again.
 *
 * The classes are the built-ins underneath (`new Map(entries)` calls the subclass's own `set`); iteration goes through
 * the captured iterator methods too.
 */
const apply = Reflect.apply;
const { get: mapGet, set: mapSet, has: mapHas, delete: mapDelete, entries: mapEntries } = Map.prototype;
const mapSize = Object.getOwnPropertyDescriptor(Map.prototype, 'size')!.get!;
const { add: setAdd, has: setHas, delete: setDelete, values: setValues } = Set.prototype;
const setSize = Object.getOwnPropertyDescriptor(Set.prototype, 'size')!.get!;
const { get: weakMapGet, set: weakMapSet, has: weakMapHas, delete: weakMapDelete } = WeakMap.prototype;
const { add: weakSetAdd, has: weakSetHas, delete: weakSetDelete } = WeakSet.prototype;
const mapIteratorNext = Object.getPrototypeOf(new Map().entries()).next as (this: unknown) => IteratorResult<unknown>;
const setIteratorNext = Object.getPrototypeOf(new Set().values()).next as (this: unknown) => IteratorResult<unknown>;

/** An iterator over a built-in iterator whose `next` is the captured one (the shared prototype's is the lesson's). */
function safeIterator<T>(inner: object, next: (this: unknown) => IteratorResult<unknown>): IterableIterator<T> {
  const it = {
    next: (): IteratorResult<T> => apply(next, inner, []) as IteratorResult<T>,
    [Symbol.iterator]: (): IterableIterator<T> => it,
  };
  return it as IterableIterator<T>;
}

export class SafeMap<K, V> extends Map<K, V> {
  override get(key: K): V | undefined { return apply(mapGet, this, [key]) as V | undefined; }
  override set(key: K, value: V): this { apply(mapSet, this, [key, value]); return this; }
  override has(key: K): boolean { return apply(mapHas, this, [key]) as boolean; }
  override delete(key: K): boolean { return apply(mapDelete, this, [key]) as boolean; }
  override get size(): number { return apply(mapSize, this, []) as number; }
  override [Symbol.iterator](): MapIterator<[K, V]> {
    return safeIterator<[K, V]>(apply(mapEntries, this, []) as object, mapIteratorNext) as unknown as MapIterator<[K, V]>;
  }
}

export class SafeSet<T> extends Set<T> {
  override add(value: T): this { apply(setAdd, this, [value]); return this; }
  override has(value: T): boolean { return apply(setHas, this, [value]) as boolean; }
  override delete(value: T): boolean { return apply(setDelete, this, [value]) as boolean; }
  override get size(): number { return apply(setSize, this, []) as number; }
  override [Symbol.iterator](): SetIterator<T> {
    return safeIterator<T>(apply(setValues, this, []) as object, setIteratorNext) as unknown as SetIterator<T>;
  }
}

export class SafeWeakMap<K extends WeakKey, V> extends WeakMap<K, V> {
  override get(key: K): V | undefined { return apply(weakMapGet, this, [key]) as V | undefined; }
  override set(key: K, value: V): this { apply(weakMapSet, this, [key, value]); return this; }
  override has(key: K): boolean { return apply(weakMapHas, this, [key]) as boolean; }
  override delete(key: K): boolean { return apply(weakMapDelete, this, [key]) as boolean; }
}

export class SafeWeakSet<T extends WeakKey> extends WeakSet<T> {
  override add(value: T): this { apply(weakSetAdd, this, [value]); return this; }
  override has(value: T): boolean { return apply(weakSetHas, this, [value]) as boolean; }
  override delete(value: T): boolean { return apply(weakSetDelete, this, [value]) as boolean; }
}

const I32 = Int32Array;
/**
 * A stack (or list) of ints for the tracer: `Array.prototype.push`/`pop` are the lesson's to replace, and even an index
 * write past an array's end runs a setter a lesson put on `Array.prototype` — a typed array's elements have neither.
 * Grows by copying, element by element (TypedArray.prototype.set is the lesson's too).
 */
export class IntStack {
  #items = new I32(16);
  #length = 0;
  get length(): number { return this.#length; }
  push(v: number): void {
    if (this.#length === this.#items.length) {
      const grown = new I32(this.#items.length * 2);
      for (let i = 0; i < this.#length; i++) grown[i] = this.#items[i]!;
      this.#items = grown;
    }
    this.#items[this.#length++] = v;
  }
  /** The top, removed (0 when empty). */
  pop(): number { return this.#length ? this.#items[--this.#length]! : 0; }
  /** The top (0 when empty). */
  top(): number { return this.#length ? this.#items[this.#length - 1]! : 0; }
  at(i: number): number { return this.#items[i]!; }
}
