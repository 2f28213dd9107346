/**
 * Small storage helpers for the trace indices: growable typed columns and an int → int map that is a dense
 * array for the small sequential ids the runtime hands out (task 1, 2, 3 …) and falls back to a Map for ids an
 * untrusted trace makes up (huge or negative), so a hostile id cannot make us allocate gigabytes.
 */

type Column = Int8Array | Uint8Array | Int32Array | Uint32Array | Float64Array;

/** `col` with room for at least `need` entries (a new, larger array holding the old values, or `col`). */
export function ensure<T extends Column>(col: T, need: number, fill = 0): T {
  if (need <= col.length) return col;
  let cap = Math.max(col.length, 16);
  while (cap < need) cap *= 2;
  const next = new (col.constructor as new (n: number) => T)(cap);
  (next as Int32Array).set(col as Int32Array);
  if (fill !== 0) next.fill(fill, col.length);
  return next;
}

const DENSE_SLACK = 4096;

/** Non-negative int values by int key; `get` answers -1 for a missing key. */
export class IdMap {
  #dense = new Int32Array(0);
  #sparse: Map<number, number> | null = null;
  #size = 0;

  get(key: number): number {
    if (key >= 0 && key < this.#dense.length) {
      const v = this.#dense[key]!;
      if (v !== -1 || this.#sparse === null) return v;
    }
    return this.#sparse?.get(key) ?? -1;
  }

  set(key: number, value: number): void {
    if (key >= 0 && key < this.#dense.length + DENSE_SLACK && key <= this.#size * 4 + DENSE_SLACK) {
      if (key >= this.#dense.length) this.#dense = ensure(this.#dense, key + 1, -1);
      if (this.#dense[key] === -1 && !this.#sparse?.delete(key)) this.#size++;
      this.#dense[key] = value;
      return;
    }
    this.#sparse ??= new Map();
    if (!this.#sparse.has(key)) this.#size++;
    this.#sparse.set(key, value);
  }

  /** Memory held, roughly (a Map entry counted as two doubles). */
  get byteLength(): number {
    return this.#dense.byteLength + (this.#sparse?.size ?? 0) * 16;
  }
}

/** One IdMap per agent. */
export class AgentIdMap {
  readonly #maps: (IdMap | undefined)[] = [];

  get(agent: number, key: number): number {
    return this.#maps[agent]?.get(key) ?? -1;
  }

  set(agent: number, key: number, value: number): void {
    (this.#maps[agent] ??= new IdMap()).set(key, value);
  }

  get byteLength(): number {
    let n = 0;
    for (const m of this.#maps) if (m) n += m.byteLength;
    return n;
  }
}
