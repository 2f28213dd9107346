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

export { joinPath, SchemaError, show, validate, type Infer, type Issue, type JsonSchema, type Loose, type Report, type Rule, type Schema, type Validated } from './core.ts';
export { bool, int, literal, num, str, type NumOptions, type StrOptions } from './scalars.ts';
export {
  arr,
  int32Array,
  json,
  nullable,
  obj,
  opt,
  record,
  tagged,
  union,
  type ArrOptions,
  type InferShape,
  type ObjOptions,
  type Optional,
  type RecordOptions,
  type Shape,
} from './containers.ts';
