/**
 * Loopscope's one way to describe and validate untrusted input: IPC messages, run requests, lesson.json, the
 * settings file and trace files are each described once with these combinators, and that one description both
 * validates (here) and produces the JSON Schema editors use (`toJsonSchema`, see scripts/gen-schemas.ts).
 * Pure (no DOM, no Node) and free of eval / `new Function`, so it runs under the renderer's strict CSP too.
 *
 * Why our own and not a library: every boundary needs messages an author can act on — the field's path and what
 * was expected ("checkpoints[2].marker: "Bad Id" is not kebab-case …") — and a lesson needs every problem at
 * once plus cross-field rules (the entry is files[0], a checkpoint's console line is printed). Those rules are
 * `refine` steps on the same description; the schema keywords they can be partly expressed with ride along.
 *
 * Invariants:
 * - A `Schema<T>` is callable: `schema(value, path)` returns a fresh, checked copy typed T or throws
 *   `SchemaError` naming the first problem's path. `validate` collects every problem instead (up to `maxIssues`).
 * - Objects are strict: unknown keys are errors, so a payload cannot smuggle fields a handler might later read.
 * - Size caps (string length, array length, depth) are checked before the work they bound.
 * - Refinements see a best-effort value (`Loose<T>`: the fields that passed, invalid array items as undefined)
 *   so cross-field rules still report while other fields are broken; they must treat every field as optional.
 */

export interface Issue {
  /** Where: `checkpoints[2].marker`, `call.files[0].path`; '' for the document itself. */
  readonly path: string;
  readonly message: string;
}

export class SchemaError extends Error {
  override name = 'SchemaError';
  readonly issues: readonly Issue[];
  constructor(issues: readonly Issue[], prefix = '') {
    const shown = issues.slice(0, 8).map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
    const more = issues.length > 8 ? `; and ${issues.length - 8} more` : '';
    super(`${prefix}${shown.join('; ')}${more}`);
    this.issues = issues;
  }
}

export type JsonSchema = { readonly [keyword: string]: unknown };

/** Best-effort value a refinement sees: fields that passed their checks; invalid array items as undefined. */
export type Loose<T> = T extends readonly (infer I)[] ? readonly (Loose<I> | undefined)[] : T extends object ? { readonly [K in keyof T]?: Loose<T[K]> } : T;

/** Reports a problem at the refined node (`at` omitted) or below it (`at`: `entry`, `files[0]`, `[2].name`). */
export type Report = (message: string, at?: string) => void;
/** `raw` is the input as given (for rules about which keys are present, whatever their values). */
export type Rule<T> = (value: Loose<T>, report: Report, context: unknown, raw: unknown) => void;

const INVALID: unique symbol = Symbol('invalid');

class Stop {}

interface Run {
  readonly issues: Issue[];
  readonly maxIssues: number;
  readonly context: unknown;
}

function report(run: Run, path: string, message: string): void {
  run.issues.push({ path, message });
  if (run.issues.length >= run.maxIssues) throw new Stop();
}

export interface Schema<T> {
  /** Validates and returns a checked copy, or throws SchemaError naming the first problem. */
  (value: unknown, path?: string): T;
  /** @internal the walk: reports problems to `run`, returns a best-effort value or INVALID. */
  readonly check: (value: unknown, path: string, run: Run) => unknown;
  /** The JSON Schema (draft 2020-12) of this node; what refinements check is not in it unless they say so. */
  toJsonSchema(): JsonSchema;
  /** A copy carrying a description (shown by editors and in the generated field table). */
  describe(text: string): Schema<T>;
  /** A copy with extra JSON Schema keywords (examples, or a keyword expressing a refinement). */
  meta(keywords: JsonSchema): Schema<T>;
  /**
   * A copy that also runs `rule` (a cross-field or context rule) once the node's own checks pass; a node the rule
   * reports on counts as invalid for its parent's rules. `json` adds the keywords that express the rule, if any.
   */
  refine(rule: Rule<T>, json?: JsonSchema): Schema<T>;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

function make<T>(check: Schema<T>['check'], json: () => JsonSchema): Schema<T> {
  const schema = ((value: unknown, path = '') => {
    const result = validate(schema, value, { path, maxIssues: 1 });
    if (!result.ok) throw new SchemaError(result.issues);
    return result.value;
  }) as Schema<T>;
  Object.defineProperty(schema, 'check', { value: check });
  schema.toJsonSchema = json;
  schema.describe = (text) => make<T>(check, () => ({ ...json(), description: text }));
  schema.meta = (keywords) => make<T>(check, () => ({ ...json(), ...keywords }));
  schema.refine = (rule, extra) =>
    make<T>(
      (value, path, run) => {
        const out = check(value, path, run);
        if (out === INVALID) return INVALID;
        const before = run.issues.length;
        rule(out as Loose<T>, (message, at) => report(run, at === undefined ? path : joinPath(path, at), message), run.context, value);
        return run.issues.length > before ? INVALID : out; // a parent's rules see only what passed
      },
      () => ({ ...json(), ...extra }),
    );
  return schema;
}

export type Validated<T> = { readonly ok: true; readonly value: T; readonly issues: readonly [] } | { readonly ok: false; readonly issues: readonly Issue[] };

/** Runs `schema` over `value`, collecting up to `maxIssues` problems (default 200). `context` reaches refinements. */
export function validate<T>(schema: Schema<T>, value: unknown, options: { path?: string; maxIssues?: number; context?: unknown } = {}): Validated<T> {
  const run: Run = { issues: [], maxIssues: options.maxIssues ?? 200, context: options.context };
  let out: unknown;
  try {
    out = schema.check(value, options.path ?? '', run);
  } catch (err) {
    if (!(err instanceof Stop)) throw err;
  }
  if (run.issues.length > 0) return { ok: false, issues: run.issues };
  return { ok: true, value: out as T, issues: [] };
}

/** `a` + `b` as a field path: `x` + `y` → `x.y`, `x` + `[2]` → `x[2]`, '' + `y` → `y`. */
export function joinPath(path: string, key: string): string {
  if (path === '') return key.startsWith('.') ? key.slice(1) : key;
  return key.startsWith('[') || key.startsWith('.') ? `${path}${key}` : `${path}.${key}`;
}

/** A key as it appears in a path: `name`, or `["odd key"]` for anything that is not a plain identifier. */
function keyPath(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]{0,59}$/.test(key) ? joinPath(path, key) : `${path}[${JSON.stringify(key.slice(0, 60))}]`;
}

/** A value as a message shows it: short strings quoted, containers by kind. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  return typeof value === 'object' ? 'an object' : typeof value === 'function' ? 'a function' : String(value);
}

/** `"a"`, `"a" or "b"`, `one of "a", "b", "c"`. */
function choices(values: readonly unknown[]): string {
  const q = values.map((v) => JSON.stringify(v));
  return q.length === 1 ? q[0]! : q.length === 2 ? `${q[0]} or ${q[1]}` : `one of ${q.join(', ')}`;
}

// ------------------------------------------------------------------------------------------------ scalars

export interface StrOptions {
  readonly max?: number;
  readonly min?: number;
  /** Refuse a string of only whitespace ("must not be empty"). */
  readonly nonBlank?: boolean;
  readonly pattern?: RegExp;
  /** What a string matching `pattern` is, for the message: `"x" is not <hint>`. */
  readonly hint?: string;
}

export function str(options: StrOptions = {}): Schema<string> {
  const max = options.max ?? 10_000;
  const min = options.min ?? 0;
  return make(
    (v, path, run) => {
      if (typeof v !== 'string') return report(run, path, `must be a string, not ${show(v)}`), INVALID;
      if (v.length > max) return report(run, path, `must be at most ${max} characters (it has ${v.length})`), INVALID;
      if (options.nonBlank && v.trim() === '') return report(run, path, 'must not be empty'), INVALID;
      if (v.length < min) return report(run, path, min === 1 ? 'must not be empty' : `must be at least ${min} characters`), INVALID;
      if (options.pattern && !options.pattern.test(v)) return report(run, path, `${show(v)} is not ${options.hint ?? 'allowed here'}`), INVALID;
      return v;
    },
    () => ({
      type: 'string',
      ...(min > 0 || options.nonBlank ? { minLength: Math.max(min, 1) } : {}),
      maxLength: max,
      ...(options.pattern ? { pattern: options.pattern.source } : options.nonBlank ? { pattern: '\\S' } : {}),
    }),
  );
}

export interface NumOptions {
  readonly min?: number;
  readonly max?: number;
  /** Exclusive lower bound (`gt: 0`: positive). */
  readonly gt?: number;
  /** What the number is, for the message: "must be <what> from 1 to 43". */
  readonly what?: string;
}

function range(o: NumOptions): string {
  const lo = o.gt !== undefined ? `> ${o.gt}` : o.min !== undefined ? `≥ ${o.min}` : '';
  if (o.max !== undefined && o.min !== undefined) return ` from ${o.min} to ${o.max}`;
  return [lo, o.max !== undefined ? `≤ ${o.max}` : ''].filter(Boolean).map((s) => ` ${s}`).join(' and');
}

function numeric(integer: boolean, o: NumOptions): Schema<number> {
  const what = o.what ?? (integer ? 'a whole number' : 'a number');
  const message = (v: unknown): string => `must be ${what}${range(o)}, not ${show(v)}`;
  return make(
    (v, path, run) => {
      if (typeof v !== 'number' || !Number.isFinite(v) || (integer && !Number.isSafeInteger(v))) return report(run, path, message(v)), INVALID;
      if ((o.min !== undefined && v < o.min) || (o.max !== undefined && v > o.max) || (o.gt !== undefined && v <= o.gt)) return report(run, path, message(v)), INVALID;
      return v;
    },
    () => ({
      type: integer ? 'integer' : 'number',
      ...(o.min !== undefined ? { minimum: o.min } : {}),
      ...(o.gt !== undefined ? { exclusiveMinimum: o.gt } : {}),
      ...(o.max !== undefined ? { maximum: o.max } : {}),
    }),
  );
}

/** A whole number (a safe integer). */
export function int(options: NumOptions = {}): Schema<number> {
  return numeric(true, options);
}

/** A finite number. */
export function num(options: NumOptions = {}): Schema<number> {
  return numeric(false, options);
}

export const bool: Schema<boolean> = make(
  (v, path, run) => (typeof v === 'boolean' ? v : (report(run, path, `must be true or false, not ${show(v)}`), INVALID)),
  () => ({ type: 'boolean' }),
);

export function literal<const L extends readonly (string | number | boolean)[]>(...allowed: L): Schema<L[number]> {
  return make(
    (v, path, run) => (allowed.includes(v as L[number]) ? v : (report(run, path, `must be ${choices(allowed)}, not ${show(v)}`), INVALID)),
    () => (allowed.length === 1 ? { const: allowed[0] } : { enum: [...allowed] }),
  );
}

// ------------------------------------------------------------------------------------------------ containers

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

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Sets a key on a fresh object without ever touching its prototype (`__proto__` from JSON is just a key). */
function put(out: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
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
