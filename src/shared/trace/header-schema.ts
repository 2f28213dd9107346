/**
 * The trace header and its frames, described once (src/shared/schema) for both places a header arrives from
 * outside: the `run.header` IPC event and a trace file someone opens. A trace file passes its own caps
 * (`TRACE_FILE_LIMITS`); the IPC uses the same defaults.
 */
import { lessonFilesSchema, MAX_RUN_FILES, MAX_RUN_FILES_CHARS } from '../run/contract.ts';
import { arr, int, literal, num, obj, opt, show, str, type Schema } from '../schema/schema.ts';
import type { Frame, TraceHeader } from './schema.ts';

export interface HeaderLimits {
  readonly frames: number;
  readonly frameNameChars: number;
  readonly files: number;
  readonly filesChars: number;
}

export const HEADER_LIMITS: HeaderLimits = { frames: 10_000_000, frameNameChars: 10_000, files: MAX_RUN_FILES, filesChars: MAX_RUN_FILES_CHARS };

export function frameSchema(limits: Pick<HeaderLimits, 'frameNameChars'> = HEADER_LIMITS): Schema<Frame> {
  return obj({
    id: int({ min: 0 }),
    kind: literal('function', 'host', 'statement', 'script'),
    name: str({ max: limits.frameNameChars }),
    file: str({ max: 1000 }),
    line: int({ min: 0 }),
    column: int({ min: 0 }),
    endLine: int({ min: 0 }),
    endColumn: int({ min: 0 }),
    flavor: opt(literal('sync', 'async', 'generator', 'async-generator')),
  });
}

/** A header; `maxVersion` is checked by the caller first, so a newer one gets its own message. */
export function traceHeaderSchema(limits: HeaderLimits = HEADER_LIMITS): Schema<TraceHeader> {
  return obj({
    version: int({ min: 1 }),
    runId: str({ max: 100 }),
    mode: literal('function', 'statement'),
    startedAtMs: num(),
    frames: arr(frameSchema(limits), { max: limits.frames, noun: 'frames' }),
    files: lessonFilesSchema(limits.files, limits.filesChars),
    entry: str({ max: 200 }),
  }).refine((h, report) => {
    const files = h.files;
    if (h.entry !== undefined && files && files.length > 0 && !files.some((f) => f?.path === h.entry)) report(`${show(h.entry)} is not one of the files`, 'entry');
  });
}
