/** Scalar schemas: strings, numbers, booleans, literals (src/shared/schema; import from schema.ts). */
import { choices, INVALID, make, report, show, type Schema } from './core.ts';

export interface StrOptions {
  readonly max?: number;
  readonly min?: number;
  /** Refuse a string of only whitespace ("must not be empty"). */
  readonly nonBlank?: boolean;
  readonly pattern?: RegExp;
  /** What a string matching `pattern` is, for the message: `"x" is not <hint>`. */
  readonly hint?: string;
  /** What the value is, for the wrong-type message: `must be <what>, not 7` (default `a string`). */
  readonly what?: string;
}

export function str(options: StrOptions = {}): Schema<string> {
  const max = options.max ?? 10_000;
  const min = options.min ?? 0;
  return make(
    (v, path, run) => {
      if (typeof v !== 'string') return report(run, path, `must be ${options.what ?? 'a string'}, not ${show(v)}`), INVALID;
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

