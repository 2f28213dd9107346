/**
 * Loopscope's own trace file: a versioned JSON document holding the header, the string table, the run's end and
 * the five columns as base64 of their little-endian bytes.
 *
 *   {"format":"loopscope-trace","version":1,"header":{…},"strings":[…],"end":{…}|null,
 *    "columns":{"kind":"…","agent":"…","timeUs":"…","argStart":"…","args":"…"}}
 *
 * Invariants: `parseTrace` trusts nothing in the file. It checks the format name and version (a newer version
 * gets a "made by a newer Loopscope" message), every header field, column lengths, that every kind is known,
 * that argStart advances by exactly each kind's arity, that string args are in range and times are finite, and
 * throws an Error with a specific message otherwise. A parsed trace is as safe as one built from batches.
 * A trace file is something a user opens from anywhere, so it is also held to `TRACE_FILE_LIMITS` — checked
 * before the work they bound (the text before JSON.parse, a column's base64 length before decoding it) — and
 * read strictly: unknown fields are errors, file paths must be lesson paths, the entry must be one of the files.
 */
import type { RunEnd } from '../run/contract.ts';
import { fromBase64, fromLittleEndian, littleEndianBytes, toBase64 } from './base64.ts';
import type { Trace } from './builder.ts';
import { END_REASON_NAMES, EVENT_SPECS, EventKind, TRACE_FORMAT_VERSION, type EndReason, type Frame, type TraceHeader } from './schema.ts';

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

const TOP_KEYS = new Set(['format', 'version', 'header', 'strings', 'end', 'columns']);
const HEADER_KEYS = new Set(['version', 'runId', 'mode', 'startedAtMs', 'frames', 'files', 'entry']);
const FRAME_KEYS = new Set(['id', 'kind', 'name', 'file', 'line', 'column', 'endLine', 'endColumn', 'flavor']);
const END_KEYS = new Set(['reason', 'message', 'exitCode', 'events', 'durationMs', 'hostMemory', 'layers']);
const COLUMN_KEYS = new Set(['kind', 'agent', 'timeUs', 'argStart', 'args']);
/** A lesson file path (src/shared/run/contract.ts). */
const FILE_PATH_RE = /^(?!\/)(?!.*(?:^|\/)\.\.?(?:\/|$))[\w.\-/ ]{1,200}$/;

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

function onlyKeys(v: Obj, known: ReadonlySet<string>, what: string): void {
  for (const key of Object.keys(v)) if (!known.has(key)) fail(`${what} has an unknown field ${JSON.stringify(key.slice(0, 60))}`);
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
  onlyKeys(doc, TOP_KEYS, 'the file');
  const header = parseHeader(doc.header, limits);
  if (!Array.isArray(doc.strings) || !doc.strings.every((s) => typeof s === 'string')) fail('"strings" must be an array of strings');
  const strings = doc.strings as string[];
  if (strings.length > limits.strings) fail(`it has ${strings.length} strings; at most ${limits.strings}`);
  if (strings.some((s) => s.length > limits.stringChars)) fail(`a string is longer than ${limits.stringChars} characters`);
  const end = parseEnd(doc.end);
  if (!isObj(doc.columns)) fail('it has no "columns" object');
  const cols = doc.columns;
  onlyKeys(cols, COLUMN_KEYS, '"columns"');
  // the widest column is timeUs (8 bytes per event) or args (4 per arg, at most 6 args per event)
  const maxBase64 = Math.ceil((limits.events * 24) / 3) * 4 + 4;
  const bytes = (name: string): Uint8Array => {
    const v = cols[name];
    if (typeof v !== 'string') fail(`column "${name}" is missing`);
    if (v.length > maxBase64) fail(`column "${name}" holds more than ${limits.events} events`);
    try {
      return fromBase64(v);
    } catch (err) {
      fail(`column "${name}" is damaged (${(err as Error).message})`);
    }
  };
  const kindBytes = bytes('kind');
  const count = kindBytes.length;
  if (count > limits.events) fail(`it has ${count} events; at most ${limits.events}`);
  const sized = (name: string, elementSize: number): Uint8Array => {
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

function str(v: unknown, what: string, max = 100_000): string {
  if (typeof v !== 'string') fail(`${what} must be a string`);
  if (v.length > max) fail(`${what} is longer than ${max} characters`);
  return v;
}

function nat(v: unknown, what: string): number {
  const n = int(v, what);
  if (n < 0) fail(`${what} must not be negative`);
  return n;
}

function int(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) fail(`${what} must be a whole number`);
  return v;
}

function num(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${what} must be a number`);
  return v;
}

const FRAME_KINDS = new Set(['function', 'host', 'statement', 'script']);
const FLAVORS = new Set(['sync', 'async', 'generator', 'async-generator']);

function parseHeader(v: unknown, limits: TraceFileLimits): TraceHeader {
  if (!isObj(v)) fail('it has no "header" object');
  onlyKeys(v, HEADER_KEYS, 'header');
  const version = int(v.version, 'header.version');
  if (version < 1) fail('header.version must be at least 1');
  if (version > TRACE_FORMAT_VERSION) {
    throw new TraceFileError(`This trace was made by a newer Loopscope (event schema version ${version}; this Loopscope reads up to version ${TRACE_FORMAT_VERSION}). Update Loopscope to open it.`);
  }
  if (v.mode !== 'function' && v.mode !== 'statement') fail('header.mode must be "function" or "statement"');
  if (!Array.isArray(v.frames)) fail('header.frames must be an array');
  if (v.frames.length > limits.frames) fail(`header.frames has ${v.frames.length} frames; at most ${limits.frames}`);
  const frames: Frame[] = v.frames.map((f: unknown, i: number) => {
    const w = `header.frames[${i}]`;
    if (!isObj(f)) fail(`${w} is not an object`);
    onlyKeys(f, FRAME_KEYS, w);
    if (typeof f.kind !== 'string' || !FRAME_KINDS.has(f.kind)) fail(`${w}.kind must be one of ${[...FRAME_KINDS].join(', ')}`);
    if (f.flavor !== undefined && (typeof f.flavor !== 'string' || !FLAVORS.has(f.flavor))) fail(`${w}.flavor must be one of ${[...FLAVORS].join(', ')}`);
    const frame: Frame = {
      id: int(f.id, `${w}.id`),
      kind: f.kind as Frame['kind'],
      name: str(f.name, `${w}.name`, limits.frameNameChars),
      file: str(f.file, `${w}.file`, 200),
      line: nat(f.line, `${w}.line`),
      column: nat(f.column, `${w}.column`),
      endLine: nat(f.endLine, `${w}.endLine`),
      endColumn: nat(f.endColumn, `${w}.endColumn`),
      ...(f.flavor === undefined ? {} : { flavor: f.flavor as Frame['flavor'] }),
    };
    return frame;
  });
  if (!Array.isArray(v.files)) fail('header.files must be an array');
  if (v.files.length > limits.files) fail(`header.files has ${v.files.length} files; at most ${limits.files}`);
  let filesChars = 0;
  const files = v.files.map((f: unknown, i: number) => {
    if (!isObj(f)) fail(`header.files[${i}] is not an object`);
    onlyKeys(f, new Set(['path', 'text']), `header.files[${i}]`);
    const path = str(f.path, `header.files[${i}].path`, 200);
    if (!FILE_PATH_RE.test(path)) fail(`header.files[${i}].path ${JSON.stringify(path.slice(0, 80))} is not a relative path inside a lesson`);
    const text = str(f.text, `header.files[${i}].text`, limits.filesChars);
    filesChars += text.length;
    if (filesChars > limits.filesChars) fail(`the lesson files in header.files are larger than ${limits.filesChars} characters together`);
    return { path, text };
  });
  const entry = str(v.entry, 'header.entry', 200);
  if (files.length > 0 && !files.some((f) => f.path === entry)) fail(`header.entry ${JSON.stringify(entry.slice(0, 80))} is not one of header.files`);
  return {
    version,
    runId: str(v.runId, 'header.runId', 100),
    mode: v.mode,
    startedAtMs: num(v.startedAtMs, 'header.startedAtMs'),
    frames,
    files,
    entry,
  };
}

function parseEnd(v: unknown): RunEnd | null {
  if (v === null || v === undefined) return null;
  if (!isObj(v)) fail('"end" must be an object or null');
  onlyKeys(v, END_KEYS, '"end"');
  const reason = int(v.reason, 'end.reason');
  if (reason < 0 || reason >= END_REASON_NAMES.length) fail(`end.reason ${reason} is not a known end reason`);
  let hostMemory: RunEnd['hostMemory'];
  if (v.hostMemory !== undefined) {
    if (!isObj(v.hostMemory)) fail('end.hostMemory must be an object');
    hostMemory = { baselineRssBytes: num(v.hostMemory.baselineRssBytes, 'end.hostMemory.baselineRssBytes'), peakRssBytes: num(v.hostMemory.peakRssBytes, 'end.hostMemory.peakRssBytes') };
  }
  let layers: string[] | undefined;
  if (v.layers !== undefined) {
    if (!Array.isArray(v.layers) || v.layers.length > 32) fail('end.layers must be a list of at most 32 strings');
    layers = (v.layers as unknown[]).map((l, i) => str(l, `end.layers[${i}]`).slice(0, 1000));
  }
  return {
    reason: reason as EndReason,
    message: str(v.message, 'end.message'),
    exitCode: num(v.exitCode, 'end.exitCode'),
    events: num(v.events, 'end.events'),
    durationMs: num(v.durationMs, 'end.durationMs'),
    ...(hostMemory ? { hostMemory } : {}),
    ...(layers ? { layers } : {}),
  };
}
