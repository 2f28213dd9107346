/** The one error type `instrument` throws for problems in the lesson's own text (syntax, unsupported TypeScript). */
export class InstrumentError extends Error {
  /** Lesson-relative path, as given to `instrument`. */
  readonly file: string;
  /** 1-based line and column in the original file. */
  readonly line: number;
  readonly column: number;
  /** The message without the `file:line:column ` prefix. */
  readonly reason: string;

  constructor(file: string, line: number, column: number, reason: string) {
    super(`${file}:${line}:${column} ${reason}`);
    this.name = 'InstrumentError';
    this.file = file;
    this.line = line;
    this.column = column;
    this.reason = reason;
  }
}

/** 1-based line and column of a UTF-16 offset. */
export function lineColumnOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || ((c === 0x2028 || c === 0x2029 || c === 13) && !(c === 13 && text.charCodeAt(i + 1) === 10))) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}
