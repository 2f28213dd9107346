/**
 * The core of src/shared/schema: what a schema is (`Schema<T>`: callable, walkable, describable as JSON Schema),
 * how a validation pass collects problems, and how paths and values are written in messages. The combinators
 * are in scalars.ts and containers.ts; import everything from schema.ts.
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

/** @internal what a walk returns for a value that failed (its problems are already reported). */
export const INVALID: unique symbol = Symbol('invalid');

class Stop {}


/** @internal one validation pass: the problems so far, the cap, the caller's context. */
export interface Run {
  readonly issues: Issue[];
  readonly maxIssues: number;
  readonly context: unknown;
}

/** @internal */
export function report(run: Run, path: string, message: string): void {
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

/** @internal builds a callable Schema from its walk and its JSON Schema. */
export function make<T>(check: Schema<T>['check'], json: () => JsonSchema): Schema<T> {
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
export function keyPath(path: string, key: string): string {
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
export function choices(values: readonly unknown[]): string {
  const q = values.map((v) => JSON.stringify(v));
  return q.length === 1 ? q[0]! : q.length === 2 ? `${q[0]} or ${q[1]}` : `one of ${q.join(', ')}`;
}


export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Sets a key on a fresh object without ever touching its prototype (`__proto__` from JSON is just a key). */
export function put(out: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}

