import { describe, expect, it } from 'vitest';
import { fromBase64, toBase64 } from './base64.ts';
import { TraceBuilder, type Trace } from './builder.ts';
import { parseTrace, serializeTrace, TRACE_FILE_LIMITS } from './file.ts';
import { TraceModel } from './model.ts';
import { EndReason, EventKind as K, Phase, TaskKind as T, TRACE_FORMAT_VERSION } from './schema.ts';
import { batch, COMPLETED, testHeader, userFrame, withClock } from './test-support.ts';

function sample(): Trace {
  const b = new TraceBuilder({ ...testHeader([userFrame(100, 'main', 1), userFrame(101, 'fib', 4)]), files: [{ path: 'main.ts', text: 'console.log("héllo ✓")\n' }] });
  b.append(batch(0, withClock([
    [K.AgentStart, 0, -1, 'main', 'main.ts'],
    [K.TaskSchedule, 1, T.Script, 0, -1, 0], [K.TaskStart, 1, Phase.Main],
    [K.Enter, 100, 1], [K.Enter, 101, 2], [K.Exit, 2],
    [K.Console, 0, 'héllo ✓ — unicode survives'],
    [K.Exit, 1], [K.TaskEnd, 1, 0],
  ], 0, 0.5)));
  b.append(batch(1, withClock([[K.AgentStart, 1, 0, 'worker 1', 'w.ts'], [K.Console, 1, 'from the worker']], 3)));
  return b.finish({ ...COMPLETED, events: 11, hostMemory: { baselineRssBytes: 50e6, peakRssBytes: 80e6 }, layers: ['os-sandbox: bubblewrap (no network)', 'node permission model', 'limits', 'empty environment'] });
}

/** A valid file as an object, for editing into broken ones. */
interface Columns { kind: string; agent: string; timeUs: string; argStart: string; args: string }
function doc(): Record<string, unknown> & { columns: Columns; header: Record<string, unknown> } {
  return JSON.parse(serializeTrace(sample())) as ReturnType<typeof doc>;
}

function int32Base64(values: number[]): string {
  return toBase64(new Uint8Array(Int32Array.from(values).buffer));
}

describe('trace file', () => {
  it('round-trips a trace exactly: header, strings, end and every column', () => {
    const trace = sample();
    const text = serializeTrace(trace);
    expect(JSON.parse(text)).toMatchObject({ format: 'loopscope-trace', version: 1 });
    const back = parseTrace(text);
    expect(back.count).toBe(trace.count);
    expect(back.header).toEqual(trace.header);
    expect(back.strings).toEqual(trace.strings);
    expect(back.end).toEqual(trace.end);
    for (const col of ['kind', 'agent', 'timeUs', 'argStart', 'args'] as const) expect(Array.from(back[col])).toEqual(Array.from(trace[col]));
    expect(new TraceModel(back).stateAt(back.count)).toEqual(new TraceModel(trace).stateAt(trace.count));
  });

  it('opens traces of every event schema version: v2 changed how stack events travel, v3 added a kind (SharedStore)', () => {
    for (const version of [1, 2, 3]) {
      const back = parseTrace(JSON.stringify({ ...doc(), header: { ...doc().header, version } }));
      expect(back.header.version).toBe(version);
      expect(back.count).toBe(sample().count);
    }
  });

  it('round-trips a trace that is still streaming (no end yet, spare capacity in the columns)', () => {
    const b = new TraceBuilder(testHeader());
    b.append(batch(0, withClock([[K.Console, 0, 'a'], [K.Enter, 3, 1]])));
    const back = parseTrace(serializeTrace(b.trace));
    expect(back.count).toBe(2);
    expect(back.end).toBeNull();
    expect(back.args.length).toBe(4);
  });

  it('round-trips an empty trace', () => {
    const back = parseTrace(serializeTrace(new TraceBuilder(testHeader()).finish({ ...COMPLETED, reason: EndReason.SyntaxError })));
    expect(back.count).toBe(0);
    expect(back.end?.reason).toBe(EndReason.SyntaxError);
  });

  const broken: [string, () => string, RegExp][] = [
    ['text that is not JSON', () => '{"format": "loopscope-trace", ', /not a valid Loopscope trace: it is not JSON/],
    ['another format', () => JSON.stringify({ ...doc(), format: 'chrome-trace' }), /its format is "chrome-trace", not "loopscope-trace"/],
    ['no format at all', () => JSON.stringify([1, 2]), /the file is not a JSON object/],
    ['a newer file version', () => JSON.stringify({ ...doc(), version: 7 }), /made by a newer Loopscope \(trace file version 7; this Loopscope reads up to version 1\)\. Update Loopscope/],
    ['a newer event schema', () => JSON.stringify({ ...doc(), header: { ...doc().header, version: TRACE_FORMAT_VERSION + 1 } }), new RegExp(`made by a newer Loopscope \\(event schema version ${TRACE_FORMAT_VERSION + 1}`)],
    ['a version that is not a number', () => JSON.stringify({ ...doc(), version: '1' }), /version is not a positive whole number/],
    ['a header without a run id', () => JSON.stringify({ ...doc(), header: { ...doc().header, runId: 5 } }), /not a valid Loopscope trace: header.runId: must be a string, not 5\./],
    ['a bad frame', () => JSON.stringify({ ...doc(), header: { ...doc().header, frames: [{ id: 1, kind: 'alien' }] } }), /header.frames\[0\].kind: must be one of "function", "host", "statement", "script", not "alien"/],
    ['strings that are not strings', () => JSON.stringify({ ...doc(), strings: ['a', 3] }), /strings\[1\]: must be a string, not 3/],
    ['an unknown end reason', () => JSON.stringify({ ...doc(), end: { ...COMPLETED, reason: 99 } }), /end.reason: must be a known end reason from 0 to \d+, not 99/],
    ['a bad host memory report', () => JSON.stringify({ ...doc(), end: { ...COMPLETED, hostMemory: { baselineRssBytes: 'lots' } } }), /end.hostMemory.baselineRssBytes: must be a number, not "lots"/],
    ['a missing column', () => { const d = doc(); delete (d.columns as Partial<Columns>).timeUs; return JSON.stringify(d); }, /columns.timeUs: is required/],
    ['layers that are not strings', () => JSON.stringify({ ...doc(), end: { ...COMPLETED, layers: ['node permission model', 7] } }), /end.layers\[1\]: must be a string, not 7/],
    ['damaged base64', () => { const d = doc(); d.columns.args = 'AAAA$AAA'; return JSON.stringify(d); }, /column "args" is damaged \(base64 has an invalid character at 4\)/],
    ['columns of different lengths', () => { const d = doc(); d.columns.agent = toBase64(new Uint8Array(3)); return JSON.stringify(d); }, /column "agent" holds 3 values for 11 events/],
    ['an unknown event kind', () => { const d = doc(); const k = fromBase64(d.columns.kind); k[2] = 200; d.columns.kind = toBase64(k); return JSON.stringify(d); }, /event 2 has unknown kind 200/],
    ['a stored Time event', () => { const d = doc(); const k = fromBase64(d.columns.kind); k[0] = K.Time; d.columns.kind = toBase64(k); return JSON.stringify(d); }, /event 0 has unknown kind 0/],
    ['args that do not match the kinds', () => { const d = doc(); const k = fromBase64(d.columns.kind); k[3] = K.Exit; d.columns.kind = toBase64(k); return JSON.stringify(d); }, /event 4 \(.*\) has its args at \d+, expected \d+/],
    ['a string id out of range', () => { const d = doc(); d.columns.args = int32Base64([0, -1, 999, 0]); d.columns.kind = toBase64(Uint8Array.of(K.AgentStart)); d.columns.agent = toBase64(Uint8Array.of(0)); d.columns.timeUs = toBase64(new Uint8Array(8)); d.columns.argStart = int32Base64([0]); return JSON.stringify(d); }, /event 0 \(AgentStart.name\) refers to string 999/],
    ['args left over', () => { const d = doc(); d.columns.args = toBase64(new Uint8Array([...fromBase64(d.columns.args), 0, 0, 0, 0])); return JSON.stringify(d); }, /the args column has 1 ints no event uses/],
    ['args cut short', () => { const d = doc(); d.columns.args = toBase64(fromBase64(d.columns.args).subarray(0, 8)); return JSON.stringify(d); }, /needs \d+ args but the args column ends/],
    ['a time that is not a number', () => { const d = doc(); const t = new Float64Array(fromBase64(d.columns.timeUs).buffer); t[1] = Number.NaN; d.columns.timeUs = toBase64(new Uint8Array(t.buffer)); return JSON.stringify(d); }, /event 1 has no valid time/],
    // hostile files: strict reading
    ['an unknown top-level field', () => JSON.stringify({ ...doc(), script: '<img onerror=alert(1)>' }), /: script: unknown field \(allowed: format, version, header, strings, end, columns\)/],
    ['an unknown header field', () => JSON.stringify({ ...doc(), header: { ...doc().header, cwd: '/home/me' } }), /header.cwd: unknown field \(allowed: version, runId, mode, startedAtMs, frames, files, entry\)/],
    ['a file path that climbs out', () => JSON.stringify({ ...doc(), header: { ...doc().header, files: [{ path: '../../.ssh/id_rsa', text: '' }], entry: '../../.ssh/id_rsa' } }), /header.files\[0\].path: "..\/..\/.ssh\/id_rsa" is not a relative path inside the lesson/],
    ['an entry that is not one of the files', () => JSON.stringify({ ...doc(), header: { ...doc().header, entry: 'elsewhere.ts' } }), /header.entry: "elsewhere.ts" is not one of the files/],
    ['a negative frame line', () => JSON.stringify({ ...doc(), header: { ...doc().header, frames: [{ ...(doc().header.frames as object[])[0], line: -5 }] } }), /header.frames\[0\].line: must be a whole number ≥ 0, not -5/],
  ];
  for (const [what, make, message] of broken) {
    it(`rejects ${what} with a specific message`, () => {
      expect(() => parseTrace(make())).toThrow(message);
    });
  }
});

describe('trace file caps (checked before the work they bound)', () => {
  const small = { ...TRACE_FILE_LIMITS, textChars: 200_000, events: 5, strings: 3, stringChars: 10, frames: 2, files: 1, filesChars: 50 };
  it.each([
    ['a document over the size cap', () => 'x'.repeat(200_001), /it is larger than 0.19/],
    ['more events than the cap', () => JSON.stringify({ ...doc(), strings: [] }), /column "kind" holds more than 5 events|it has 11 events; at most 5/],
    ['too many strings', () => JSON.stringify({ ...doc(), strings: ['a', 'b', 'c', 'd'] }), /strings: has 4 strings; at most 3/],
    ['an overlong string', () => JSON.stringify({ ...doc(), strings: ['x'.repeat(11)] }), /strings\[0\]: must be at most 10 characters \(it has 11\)/],
    ['too many frames', () => JSON.stringify({ ...doc(), header: { ...doc().header, frames: [1, 2, 3] } }), /header.frames: has 3 frames; at most 2/],
    ['too many files', () => JSON.stringify({ ...doc(), header: { ...doc().header, files: [{ path: 'a.ts', text: '' }, { path: 'b.ts', text: '' }] } }), /header.files: has 2 files; at most 1/],
    ['lesson files over the character cap', () => JSON.stringify({ ...doc(), header: { ...doc().header, files: [{ path: 'main.ts', text: 'x'.repeat(60) }], entry: 'main.ts' } }), /header.files: the files hold 60 characters together; at most 50/],
  ])('refuses %s', (_what, make, message) => {
    expect(() => parseTrace(make(), small)).toThrow(message);
  });
});

describe('base64', () => {
  it('encodes and decodes every length and byte value like the platform does', () => {
    for (let n = 0; n < 300; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 255);
      const text = toBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect(Array.from(fromBase64(text))).toEqual(Array.from(bytes));
    }
    const big = Uint8Array.from({ length: 100_003 }, (_, i) => (i * 7) & 255);
    expect(toBase64(big)).toBe(Buffer.from(big).toString('base64'));
  });

  it('rejects text that is not base64', () => {
    expect(() => fromBase64('abc')).toThrow(/multiple of 4/);
    expect(() => fromBase64('ab=c')).toThrow(/invalid character at 2/);
    expect(() => fromBase64('aé==')).toThrow(/invalid character at 1/);
  });
});
