/**
 * Tiny runtime validators for IPC payloads. Pure (no DOM, no Node): used by the Electron main process, the
 * browser-mode server, the preload and the renderer.
 *
 * A `Check<T>` returns the value typed as T or throws `PayloadError` naming the offending path
 * ("call.files[2].path: expected a string"), so a malformed message is answered with a precise error and
 * never reaches a handler. Objects are checked strictly: unknown keys are rejected, so a payload cannot
 * smuggle fields a handler might later start reading.
 */

export class PayloadError extends Error {
  override readonly name = 'PayloadError';
}

export type Check<T> = (value: unknown, path: string) => T;

function fail(path: string, why: string): never {
  throw new PayloadError(`${path}: ${why}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}

export function str(options: { max?: number; min?: number; pattern?: RegExp } = {}): Check<string> {
  const max = options.max ?? 10_000;
  const min = options.min ?? 0;
  return (v, path) => {
    if (typeof v !== 'string') fail(path, `expected a string, got ${describe(v)}`);
    if (v.length > max) fail(path, `string longer than ${max} characters`);
    if (v.length < min) fail(path, `string shorter than ${min} characters`);
    if (options.pattern && !options.pattern.test(v)) fail(path, `string ${JSON.stringify(v.slice(0, 80))} is not allowed here`);
    return v;
  };
}

export function int(options: { min?: number; max?: number } = {}): Check<number> {
  const min = options.min ?? Number.MIN_SAFE_INTEGER;
  const max = options.max ?? Number.MAX_SAFE_INTEGER;
  return (v, path) => {
    if (typeof v !== 'number' || !Number.isInteger(v)) fail(path, `expected an integer, got ${describe(v)}`);
    if (v < min || v > max) fail(path, `integer ${v} outside ${min}..${max}`);
    return v;
  };
}

export function num(): Check<number> {
  return (v, path) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, `expected a finite number, got ${describe(v)}`);
    return v;
  };
}

export const bool: Check<boolean> = (v, path) => {
  if (typeof v !== 'boolean') fail(path, `expected a boolean, got ${describe(v)}`);
  return v;
};

export function literal<const L extends readonly (string | number | boolean)[]>(...allowed: L): Check<L[number]> {
  return (v, path) => {
    if (!allowed.includes(v as L[number])) fail(path, `expected one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
    return v as L[number];
  };
}

export function arr<T>(item: Check<T>, max = 100_000): Check<T[]> {
  return (v, path) => {
    if (!Array.isArray(v)) fail(path, `expected an array, got ${describe(v)}`);
    if (v.length > max) fail(path, `array longer than ${max}`);
    return v.map((x, i) => item(x, `${path}[${i}]`));
  };
}

export function nullable<T>(inner: Check<T>): Check<T | null> {
  return (v, path) => (v === null ? null : inner(v, path));
}

/** Optional fields are written `field: opt(check)`; an absent or undefined field stays absent. */
export interface Optional<T> {
  readonly optional: Check<T>;
}
export function opt<T>(inner: Check<T>): Optional<T> {
  return { optional: inner };
}

type Shape = Record<string, Check<unknown> | Optional<unknown>>;
type Required<S extends Shape> = { [K in keyof S as S[K] extends Check<unknown> ? K : never]: S[K] extends Check<infer T> ? T : never };
type Optionals<S extends Shape> = { [K in keyof S as S[K] extends Optional<unknown> ? K : never]?: S[K] extends Optional<infer T> ? T : never };
export type Infer<S extends Shape> = Required<S> & Optionals<S>;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A strict object: every key in `shape`, no others. Returns a fresh object (never the caller's). */
export function obj<S extends Shape>(shape: S): Check<Infer<S>> {
  const keys = Object.keys(shape);
  return (v, path) => {
    if (!isPlainObject(v)) fail(path, `expected an object, got ${describe(v)}`);
    for (const k of Object.keys(v)) if (!Object.hasOwn(shape, k)) fail(path, `unexpected field "${k}"`);
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      const c = shape[k]!;
      const value = v[k];
      if (typeof c === 'function') out[k] = c(value, `${path}.${k}`);
      else if (value !== undefined) out[k] = c.optional(value, `${path}.${k}`);
    }
    return out as Infer<S>;
  };
}

/** An object whose values are passed through untouched after checking they are JSON-like (no functions, bounded depth). */
export function json(maxDepth = 16): Check<unknown> {
  const walk = (v: unknown, path: string, depth: number): unknown => {
    if (depth > maxDepth) fail(path, 'nested too deeply');
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) fail(path, 'expected a finite number');
      return v;
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, `${path}[${i}]`, depth + 1));
    if (isPlainObject(v)) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x, `${path}.${k}`, depth + 1);
      return out;
    }
    return fail(path, `expected JSON data, got ${describe(v)}`);
  };
  return (v, path) => walk(v, path, 0);
}

export function int32Array(maxLength = 64 * 1024 * 1024): Check<Int32Array> {
  return (v, path) => {
    if (!(v instanceof Int32Array)) fail(path, `expected an Int32Array, got ${describe(v)}`);
    if (v.length > maxLength) fail(path, `Int32Array longer than ${maxLength}`);
    return v;
  };
}

/** Runs `check` and converts any thrown error into a PayloadError (for validators written elsewhere, e.g. validateRunRequest). */
export function from<T>(check: (v: unknown) => T): Check<T> {
  return (v, path) => {
    try {
      return check(v);
    } catch (e) {
      return fail(path, e instanceof Error ? e.message : String(e));
    }
  };
}
