/**
 * Append-only typed columns that double their capacity: the timeline index grows while a run streams and must
 * not allocate per event. Two concrete classes (int32 and float64) rather than one generic one, so every push
 * site stays monomorphic: a generic column over six typed-array kinds made the index build 5× slower.
 */

/** Doubles a capacity until it holds `min` (by half again past a million, to spare memory). */
function grownCapacity(cap: number, min: number): number {
  while (cap < min) cap = cap < 1 << 20 ? cap * 2 : Math.ceil(cap * 1.5);
  return cap;
}

export class IntColumn {
  private data: Int32Array;
  length = 0;

  constructor(initialCapacity = 64) {
    this.data = new Int32Array(Math.max(4, initialCapacity));
  }

  push(v: number): number {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length] = v;
    return this.length++;
  }

  get(i: number): number {
    return this.data[i]!;
  }

  set(i: number, v: number): void {
    if (i >= this.data.length) this.grow(i + 1);
    this.data[i] = v;
    if (i >= this.length) this.length = i + 1;
  }

  /** Raw storage; only indices below `length` are meaningful. Do not keep it across pushes. */
  get raw(): Int32Array {
    return this.data;
  }

  get byteLength(): number {
    return this.data.byteLength;
  }

  /** Shrinks storage to fit once a run has ended. */
  trim(): void {
    if (this.data.length === this.length) return;
    this.data = this.data.slice(0, Math.max(4, this.length));
  }

  private grow(min: number): void {
    const next = new Int32Array(grownCapacity(this.data.length, min));
    next.set(this.data);
    this.data = next;
  }
}

export class FloatColumn {
  private data: Float64Array;
  length = 0;

  constructor(initialCapacity = 64) {
    this.data = new Float64Array(Math.max(4, initialCapacity));
  }

  push(v: number): number {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length] = v;
    return this.length++;
  }

  get(i: number): number {
    return this.data[i]!;
  }

  set(i: number, v: number): void {
    if (i >= this.data.length) this.grow(i + 1);
    this.data[i] = v;
    if (i >= this.length) this.length = i + 1;
  }

  get raw(): Float64Array {
    return this.data;
  }

  get byteLength(): number {
    return this.data.byteLength;
  }

  trim(): void {
    if (this.data.length === this.length) return;
    this.data = this.data.slice(0, Math.max(4, this.length));
  }

  private grow(min: number): void {
    const next = new Float64Array(grownCapacity(this.data.length, min));
    next.set(this.data);
    this.data = next;
  }
}
