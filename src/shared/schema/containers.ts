/** Container schemas: arrays, objects, records, unions, tagged objects, JSON data, binary (src/shared/schema; import from schema.ts). */
import { INVALID, isPlainObject, joinPath, keyPath, make, put, report, show, validate, type JsonSchema, type Run, type Schema } from './core.ts';

export interface ArrOptions {
  readonly min?: number;
  readonly max?: number;
  /** Items are unique (compared as JSON); `true` says "<item> is listed twice", a string or function says what instead. */
  readonly unique?: boolean | string | ((item: unknown) => string);
  /** The items, plural, for messages: "a non-empty array of file paths", "has 17 files; at most 16". */
  readonly noun?: string;
  /** Appended to the wrong-type message: `, entry first`, ` like ["node:crypto"]`. */
  readonly hint?: string;
}

export function arr<T>(item: Schema<T>, maxOrOptions: number | ArrOptions = 100_000): Schema<T[]> {
  const o: ArrOptions = typeof maxOrOptions === 'number' ? { max: maxOrOptions } : maxOrOptions;
  const max = o.max ?? 100_000;
  const min = o.min ?? 0;
  const noun = o.noun ?? 'items';
  const kind = min > 1 ? `an array of at least ${min} ${noun}` : `${min === 1 ? 'a non-empty array' : 'an array'}${o.noun ? ` of ${noun}` : ''}`;
  const expected = `must be ${kind}${o.hint ?? ''}`;
  return make(
    (v, path, run) => {
      if (!Array.isArray(v)) return report(run, path, `${expected}, not ${show(v)}`), INVALID;
      if (v.length > max) return report(run, path, `has ${v.length} ${noun}; at most ${max}`), INVALID;
      if (v.length < min) return report(run, path, `${expected}; it has ${v.length}`), INVALID;
      const seen = o.unique ? new Set<string>() : null;
      const out = v.map((x, i) => {
        const at = `${path}[${i}]`;
        const checked = item.check(x, at, run);
        if (checked === INVALID) return undefined;
        if (seen) {
          const key = typeof checked === 'string' ? checked : JSON.stringify(checked);
          if (seen.has(key)) report(run, at, typeof o.unique === 'string' ? o.unique : typeof o.unique === 'function' ? o.unique(checked) : `${show(checked)} is listed twice`);
          seen.add(key);
        }
        return checked;
      });
      return out;
    },
    () => ({ type: 'array', items: item.toJsonSchema(), ...(min > 0 ? { minItems: min } : {}), maxItems: max, ...(o.unique ? { uniqueItems: true } : {}) }),
  );
}

export function nullable<T>(inner: Schema<T>): Schema<T | null> {
  return make(
    (v, path, run) => (v === null ? null : inner.check(v, path, run)),
    () => ({ anyOf: [inner.toJsonSchema(), { type: 'null' }] }),
  );
}

/** Optional fields are written `field: opt(schema)`; an absent or undefined field stays absent. */
export interface Optional<T> {
  readonly optional: Schema<T>;
}
export function opt<T>(inner: Schema<T>): Optional<T> {
  return { optional: inner };
}

export type Shape = Record<string, Schema<unknown> | Optional<unknown>>;
type RequiredPart<S extends Shape> = { [K in keyof S as S[K] extends Schema<unknown> ? K : never]: S[K] extends Schema<infer T> ? T : never };
type OptionalPart<S extends Shape> = { [K in keyof S as S[K] extends Optional<unknown> ? K : never]?: S[K] extends Optional<infer T> ? T : never };
export type InferShape<S extends Shape> = RequiredPart<S> & OptionalPart<S>;

export interface ObjOptions {
  /** What the object is, for the wrong-type message: `an object like { "stdout": [lines] }`. */
  readonly what?: string;
  /** What a key is, for the unknown-key message: `unknown expectation (allowed: …)`. Default `field`. */
  readonly keyNoun?: string;
  /** 'drop': unknown keys are left out of the copy instead of being errors (files read leniently). Default 'error'. */
  readonly unknownKeys?: 'error' | 'drop';
}

/** A strict object: every required key in `shape`, no others. Returns a fresh object (never the caller's). */
export function obj<S extends Shape>(shape: S, options: ObjOptions = {}): Schema<InferShape<S>> {
  const keys = Object.keys(shape);
  const allowed = `unknown ${options.keyNoun ?? 'field'} (allowed: ${keys.join(', ')})`;
  return make(
    (v, path, run) => {
      if (!isPlainObject(v)) return report(run, path, `must be ${options.what ?? 'an object'}, not ${show(v)}`), INVALID;
      if (options.unknownKeys !== 'drop') for (const k of Object.keys(v)) if (!Object.hasOwn(shape, k)) report(run, keyPath(path, k), keys.length ? allowed : 'unknown field (none are allowed here)');
      const out: Record<string, unknown> = {};
      for (const k of keys) {
        const s = shape[k]!;
        const value = Object.hasOwn(v, k) ? v[k] : undefined;
        const at = keyPath(path, k);
        if (typeof s === 'function') {
          if (value === undefined) report(run, at, 'is required');
          else {
            const checked = s.check(value, at, run);
            if (checked !== INVALID) put(out, k, checked);
          }
        } else if (value !== undefined) {
          const checked = s.optional.check(value, at, run);
          if (checked !== INVALID) put(out, k, checked);
        }
      }
      return out;
    },
    () => {
      const required = keys.filter((k) => typeof shape[k] === 'function');
      const properties: Record<string, JsonSchema> = {};
      for (const k of keys) {
        const s = shape[k]!;
        properties[k] = (typeof s === 'function' ? s : s.optional).toJsonSchema();
      }
      return { type: 'object', ...(options.unknownKeys === 'drop' ? {} : { additionalProperties: false }), ...(required.length ? { required } : {}), properties };
    },
  );
}

export interface RecordOptions {
  /** What keys must look like, and what to say when one does not: "cell indices are whole numbers". */
  readonly key: { readonly pattern: RegExp; readonly message: string };
  readonly maxKeys?: number;
  readonly what?: string;
}

/** An object used as a map: keys matching a pattern, each value checked by `value`. */
export function record<T>(value: Schema<T>, options: RecordOptions): Schema<Record<string, T>> {
  const maxKeys = options.maxKeys ?? 10_000;
  return make(
    (v, path, run) => {
      if (!isPlainObject(v)) return report(run, path, `must be ${options.what ?? 'an object'}, not ${show(v)}`), INVALID;
      const entries = Object.keys(v);
      if (entries.length > maxKeys) return report(run, path, `has ${entries.length} keys; at most ${maxKeys}`), INVALID;
      const out: Record<string, unknown> = {};
      for (const k of entries) {
        const at = keyPath(path, k);
        if (!options.key.pattern.test(k)) {
          report(run, at, options.key.message);
          continue;
        }
        const checked = value.check(v[k], at, run);
        if (checked !== INVALID) put(out, k, checked);
      }
      return out;
    },
    () => ({ type: 'object', patternProperties: { [options.key.pattern.source]: value.toJsonSchema() }, additionalProperties: false, maxProperties: maxKeys }),
  );
}

/** The first of `options` that accepts the value; otherwise one problem: "must be <what>". */
export function union<A, B>(options: readonly [Schema<A>, Schema<B>], what: string): Schema<A | B> {
  return make(
    (v, path, run) => {
      for (const s of options) {
        const result = validate(s as Schema<unknown>, v, { path, maxIssues: 1, context: run.context });
        if (result.ok) return result.value;
      }
      return report(run, path, `must be ${what}, not ${show(v)}`), INVALID;
    },
    () => ({ oneOf: options.map((s) => s.toJsonSchema()) }),
  );
}

/** Any JSON data (no functions, finite numbers, bounded depth), copied; its shape is someone else's to check. */
export function json(maxDepth = 16): Schema<unknown> {
  const walk = (v: unknown, path: string, depth: number, run: Run): unknown => {
    if (depth > maxDepth) return report(run, path, `is nested more than ${maxDepth} levels deep`), INVALID;
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
    if (typeof v === 'number') return Number.isFinite(v) ? v : (report(run, path, `must be a finite number, not ${show(v)}`), INVALID);
    if (Array.isArray(v)) return v.map((x, i) => walk(x, `${path}[${i}]`, depth + 1, run));
    if (isPlainObject(v)) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) put(out, k, walk(x, keyPath(path, k), depth + 1, run));
      return out;
    }
    return report(run, path, `must be JSON data, not ${show(v)}`), INVALID;
  };
  return make((v, path, run) => walk(v, path, 0, run), () => ({}));
}

/** Binary data in IPC messages (never in a JSON document, so its JSON Schema only says so). */
export function int32Array(maxLength = 64 * 1024 * 1024): Schema<Int32Array> {
  return make(
    (v, path, run) => {
      if (!(v instanceof Int32Array)) return report(run, path, `must be an Int32Array, not ${show(v)}`), INVALID;
      if (v.length > maxLength) return report(run, path, `must hold at most ${maxLength} ints (it has ${v.length})`), INVALID;
      return v;
    },
    () => ({ $comment: 'an Int32Array: binary, carried only by IPC' }),
  );
}

/**
 * An object whose `key` field picks the shape of the rest (IPC calls and events by `type`, answers by `ok`).
 * The rest is checked at the path named by the tag (`lessons.save.files`), which is how IPC messages read.
 */
export function tagged<T>(key: string, table: { readonly [tag: string]: Schema<unknown> }, noun: string): Schema<T> {
  return make(
    (v, path, run) => {
      if (!isPlainObject(v)) return report(run, path, `must be an object, not ${show(v)}`), INVALID;
      const { [key]: tag, ...rest } = v;
      const name = typeof tag === 'boolean' ? String(tag) : tag;
      if (typeof name !== 'string' || !Object.hasOwn(table, name)) return report(run, joinPath(path, key), `unknown ${noun} ${show(tag)}`), INVALID;
      const checked = table[name]!.check(rest, name, run);
      return checked === INVALID ? INVALID : { [key]: tag, ...(checked as object) };
    },
    () => ({ oneOf: Object.entries(table).map(([tag, s]) => ({ ...s.toJsonSchema(), required: [key, ...((s.toJsonSchema().required as string[] | undefined) ?? [])], properties: { [key]: { const: tag }, ...(s.toJsonSchema().properties as object) } })) }),
  );
}
