/**
 * Loopscope's own trace file: a versioned JSON document holding the header, the string table, the run's end and
 * the five columns as base64 of their little-endian bytes.
 *
 *   {"format":"loopscope-trace","version":1,"header":{…},"strings":[…],"end":{…}|null,
 *    "columns":{"kind":"…","agent":"…","timeUs":"…","argStart":"…","args":"…"}}
 *
 * Invariants: `parseTrace` trusts nothing in the file. It checks the format name and version (a newer version
 * gets a "made by a newer Loopscope" message), every header field (described once with src/shared/schema, shared
 * with the IPC's `run.header`; a problem is named by its path, `header.frames[0].kind: must be …`), column lengths, that every kind is known,
 * that argStart advances by exactly each kind's arity, that string args are in range and times are finite, and
 * throws an Error with a specific message otherwise. A parsed trace is as safe as one built from batches.
 * A trace file is something a user opens from anywhere, so it is also held to `TRACE_FILE_LIMITS` — checked
 * before the work they bound (the text before JSON.parse, a column's base64 length before decoding it) — and
 * read strictly: unknown fields are errors, file paths must be lesson paths, the entry must be one of the files.
 */
import { runEndSchema, type RunEnd } from '../run/contract.ts';
import { arr, int, literal, nullable, obj, opt, str, validate, type Schema } from '../schema/schema.ts';
import { fromBase64, fromLittleEndian, littleEndianBytes, toBase64 } from './base64.ts';
import type { Trace } from './builder.ts';
import { traceHeaderSchema } from './header-schema.ts';
import { EVENT_SPECS, EventKind, TRACE_FORMAT_VERSION, type TraceHeader } from './schema.ts';

export const TRACE_FILE_FORMAT = 'loopscope-trace';
/** The version of the file document (the event schema has its own, `header.version`). */
export const TRACE_FILE_VERSION = 1;

export function serializeTrace(trace: Trace): string {
  const n = trace.count;
  const argCount = n === 0 ? 0 : trace.argStart[n - 1]! + (EVENT_SPECS[trace.kind[n - 1]!]?.args.length ?? 0);
  return JSON.stringify({
    format: TRACE_FILE_FORMAT,
    version: TRACE_FILE_VERSION,
    header: trace.header,
    strings: trace.strings,
    end: trace.end,
    columns: {
      kind: toBase64(littleEndianBytes(trace.kind.subarray(0, n))),
      agent: toBase64(littleEndianBytes(trace.agent.subarray(0, n))),
      timeUs: toBase64(littleEndianBytes(trace.timeUs.subarray(0, n))),
      argStart: toBase64(littleEndianBytes(trace.argStart.subarray(0, n))),
      args: toBase64(littleEndianBytes(trace.args.subarray(0, argCount))),
    },
  });
}

/** Caps on a trace file (a live run is capped by its RunLimits; these are a little above what a run can produce). */
export const TRACE_FILE_LIMITS = {
  /** characters of the whole document (the export contract carries at most 512 Mi characters) */
  textChars: 512 * 1024 * 1024,
  events: 20_000_000,
  strings: 10_000_000,
  stringChars: 10_000_000,
  frames: 10_000_000,
  frameNameChars: 10_000,
  /** header.files: a run request's own caps */
  files: 64,
  filesChars: 2_000_000,
} as const;

class TraceFileError extends Error {
  override name = 'TraceFileError';
}

function fail(why: string): never {
  throw new TraceFileError(`This is not a valid Loopscope trace: ${why}.`);
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export type TraceFileLimits = { readonly [K in keyof typeof TRACE_FILE_LIMITS]: number };

export function parseTrace(text: string, limits: TraceFileLimits = TRACE_FILE_LIMITS): Trace {
  if (typeof text !== 'string') fail('it is not text');
  if (text.length > limits.textChars) fail(`it is larger than ${limits.textChars / (1024 * 1024)} MB`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    fail(`it is not JSON (${(err as Error).message})`);
  }
  if (!isObj(doc)) fail('the file is not a JSON object');
  if (doc.format !== TRACE_FILE_FORMAT) {
    fail(typeof doc.format === 'string' ? `its format is "${doc.format.slice(0, 60)}", not "${TRACE_FILE_FORMAT}"` : `it has no "format": "${TRACE_FILE_FORMAT}" field`);
  }
  const version = doc.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) fail('its version is not a positive whole number');
  if (version > TRACE_FILE_VERSION) {
    throw new TraceFileError(`This trace was made by a newer Loopscope (trace file version ${version}; this Loopscope reads up to version ${TRACE_FILE_VERSION}). Update Loopscope to open it.`);
  }
  const headerVersion = isObj(doc.header) ? doc.header.version : undefined;
  if (typeof headerVersion === 'number' && headerVersion > TRACE_FORMAT_VERSION) {
    throw new TraceFileError(`This trace was made by a newer Loopscope (event schema version ${headerVersion}; this Loopscope reads up to version ${TRACE_FORMAT_VERSION}). Update Loopscope to open it.`);
  }
  const checked = validate(traceDocumentSchema(limits), doc, { maxIssues: 1 });
  if (!checked.ok) fail(`${checked.issues[0]!.path}: ${checked.issues[0]!.message}`);
  const { header, strings, columns } = checked.value;
  const end = checked.value.end ?? null;
  const bytes = (name: keyof TraceColumns): Uint8Array => {
    try {
      return fromBase64(columns[name]);
    } catch (err) {
      fail(`column "${name}" is damaged (${(err as Error).message})`);
    }
  };
  const kindBytes = bytes('kind');
  const count = kindBytes.length;
  if (count > limits.events) fail(`it has ${count} events; at most ${limits.events}`);
  const sized = (name: keyof TraceColumns, elementSize: number): Uint8Array => {
    const b = bytes(name);
    if (b.length !== count * elementSize) fail(`column "${name}" holds ${b.length / elementSize} values for ${count} events`);
    return b;
  };
  const kind = kindBytes;
  const agent = sized('agent', 1);
  const timeUs = fromLittleEndian(sized('timeUs', 8), Float64Array, 8);
  const argStart = fromLittleEndian(sized('argStart', 4), Uint32Array, 4);
  const argBytes = bytes('args');
  if (argBytes.length % 4 !== 0) fail('column "args" is not a whole number of ints');
  const args = fromLittleEndian(argBytes, Int32Array, 4);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const spec = EVENT_SPECS[kind[i]!];
    if (spec === undefined || kind[i] === EventKind.Time) fail(`event ${i} has unknown kind ${kind[i]}`);
    if (argStart[i] !== at) fail(`event ${i} (${spec.name}) has its args at ${argStart[i]}, expected ${at}`);
    at += spec.args.length;
    if (at > args.length) fail(`event ${i} (${spec.name}) needs ${spec.args.length} args but the args column ends`);
    for (const k of spec.strings) {
      const s = args[argStart[i]! + k]!;
      if (s < 0 || s >= strings.length) fail(`event ${i} (${spec.name}.${spec.args[k]}) refers to string ${s}; there are ${strings.length}`);
    }
    if (!Number.isFinite(timeUs[i]!)) fail(`event ${i} has no valid time`);
  }
  if (at !== args.length) fail(`the args column has ${args.length - at} ints no event uses`);
  return { header, count, kind, agent, timeUs, argStart, args, strings, end };
}

interface TraceColumns {
  readonly kind: string;
  readonly agent: string;
  readonly timeUs: string;
  readonly argStart: string;
  readonly args: string;
}

/** The document, described once (src/shared/schema); the columns' contents are checked after decoding. */
function traceDocumentSchema(limits: TraceFileLimits): Schema<{ version: number; header: TraceHeader; strings: string[]; end?: RunEnd | null; columns: TraceColumns; format: string }> {
  // the widest column is timeUs (8 bytes per event) or args (4 per arg, at most 6 args per event)
  const column = str({ max: Math.ceil((limits.events * 24) / 3) * 4 + 4 });
  return obj({
    format: literal(TRACE_FILE_FORMAT),
    version: int({ min: 1, max: TRACE_FILE_VERSION }),
    header: traceHeaderSchema(limits),
    strings: arr(str({ max: limits.stringChars }), { max: limits.strings, noun: 'strings' }),
    end: opt(nullable(runEndSchema)),
    columns: obj({ kind: column, agent: column, timeUs: column, argStart: column, args: column }),
  });
}
