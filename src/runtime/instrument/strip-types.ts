/**
 * TypeScript → JavaScript by Node's own type stripper (`module.stripTypeScriptTypes`, strip mode).
 *
 * Invariants:
 * - The output has exactly the input's length and every character of JavaScript stays at its offset (types become
 *   spaces, line breaks are kept), so positions in the stripped text ARE positions in the original file and no source
 *   map composition is needed.
 * - Errors come back as `InstrumentError` with the original line/column and, for syntax that strip mode cannot
 *   erase (enum, namespace, parameter properties, …), a sentence saying what to write instead.
 */
import { stripTypeScriptTypes } from 'node:module';
import { InstrumentError, lineColumnOf } from './errors.ts';

export function isTypeScriptPath(path: string): boolean {
  return /\.[cm]?ts$/i.test(path);
}

let warningSilenced = false;

/** Calls the stripper; the first call runs with its one-time ExperimentalWarning filtered out. */
function strip(text: string): string {
  if (warningSilenced) return stripTypeScriptTypes(text, { mode: 'strip' });
  const original = process.emitWarning;
  process.emitWarning = function (this: unknown, warning: string | Error, ...rest: unknown[]): void {
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
    const text = typeof warning === 'string' ? warning : warning.message;
    if (type === 'ExperimentalWarning' && text.includes('stripTypeScriptTypes')) return;
    (original as (...args: unknown[]) => void).call(process, warning, ...rest);
  } as typeof process.emitWarning;
  try {
    const out = stripTypeScriptTypes(text, { mode: 'strip' });
    warningSilenced = true;
    return out;
  } finally {
    process.emitWarning = original;
  }
}

export function stripTypes(path: string, text: string): string {
  try {
    return strip(text);
  } catch (err) {
    const { code, message, stack } = err as { code?: string; message?: string; stack?: string };
    if (code !== 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX' && code !== 'ERR_INVALID_TYPESCRIPT_SYNTAX') throw err;
    const raw = message ?? 'invalid TypeScript';
    const offset = locateStripError(text, raw, stack ?? '', code === 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX');
    const { line, column } = lineColumnOf(text, offset);
    throw new InstrumentError(path, line, column, explain(raw));
  }
}

// ---------------------------------------------------------------- locating an error the stripper reports without a position
/** Offset in `text` of the error the stripper reported with `message` and `stack`. */
export function locateStripError(text: string, message: string, stack: string, unsupported: boolean): number {
  return locateFromStack(text, stack) ?? locateByPrefix(text, message, unsupported);
}

/**
 * Node decorates the stripper's error stack with the offending line and a caret under it (`:LINE\n<line>\n   ^^^`).
 * The caret is in display columns (tab = 4, wide characters = 2), so walk the real line to find the offset.
 * Returns null when the decoration is missing or does not match the text (then the prefix search decides).
 */
function locateFromStack(text: string, stack: string): number | null {
  const lines = stack.split('\n');
  const lineNo = /^:(\d+)$/.exec(lines[0] ?? '')?.[1];
  const caretAt = lines.findIndex((l, i) => i > 1 && /^ *\^+ *$/.test(l));
  if (!lineNo || caretAt < 0) return null;
  const textLines = text.split('\n');
  const n = Number(lineNo);
  const line = (textLines[n - 1] ?? '').replace(/\r$/, '');
  if (line.replace(/\t/g, '    ') !== lines[caretAt - 1]) return null;
  const caretColumn = (lines[caretAt] ?? '').indexOf('^');
  let width = 0;
  let i = 0;
  while (i < line.length && width < caretColumn) {
    const cp = line.codePointAt(i) ?? 0;
    width += cp === 9 ? 4 : displayWidth(cp);
    i += cp > 0xffff ? 2 : 1;
  }
  if (width !== caretColumn) return null;
  let offset = 0;
  for (let k = 0; k < n - 1; k++) offset += (textLines[k] ?? '').length + 1;
  return offset + i;
}

/** Terminal width of a code point, the way the stripper's error snippet lays it out (close enough for carets). */
function displayWidth(cp: number): number {
  if ((cp >= 0x300 && cp <= 0x36f) || cp === 0x200b || cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  const wide =
    (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) || (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) || (cp >= 0x1f900 && cp <= 0x1f9ff) || (cp >= 0x20000 && cp <= 0x3fffd);
  return wide ? 2 : 1;
}

/**
 * The stripper stops at the first error, so every prefix of the text that contains the offending token fails with the
 * same message and (almost always) shorter prefixes do not: binary search for the shortest failing prefix. For syntax
 * strip mode cannot erase, the failure needs the whole construct, so the search finds its end and a pattern finds
 * its start.
 */
function locateByPrefix(text: string, message: string, unsupported: boolean): number {
  const failsAlike = (length: number): boolean => {
    try {
      strip(text.slice(0, length));
      return false;
    } catch (err) {
      return (err as Error).message === message;
    }
  };
  let lo = 0;
  let hi = text.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (failsAlike(mid)) hi = mid;
    else lo = mid;
  }
  const end = hi; // the error is inside text[0, end)
  if (unsupported) {
    const pattern = constructPattern(message);
    if (pattern) {
      let found = -1;
      for (const m of text.slice(0, end).matchAll(pattern)) found = m.index + (m[1] ? m[0].indexOf(m[1]) : 0);
      if (found >= 0) return found;
    }
  }
  const token = /^Unexpected token `([^`]+)`/.exec(message)?.[1];
  if (token && text.slice(end - token.length, end) === token) return end - token.length;
  let start = end - 1;
  while (start > 0 && /[\w$]/.test(text[start - 1] ?? '') && /[\w$]/.test(text[start] ?? '')) start--;
  return Math.max(start, 0);
}

function constructPattern(message: string): RegExp | null {
  if (/\benum\b/i.test(message)) return /\benum\s+[\w$]/g;
  if (/namespace|module declaration/i.test(message)) return /\b(?:namespace|module)\s+[\w$'"]/g;
  if (/parameter propert/i.test(message)) return /\bconstructor\s*\([^]*?\b(public|private|protected|readonly|override)\s+[\w$]/g;
  if (/import equals/i.test(message)) return /\bimport\s+(?:type\s+)?[\w$]+\s*=/g;
  if (/export assignment|export =/i.test(message)) return /\bexport\s*=/g;
  if (/angle-bracket/i.test(message)) return /<[\w$][\w$.,\s<>[\]]*>\s*(?=[\w$([{'"`])/g;
  return null;
}

/** The stripper's message, or what to write instead for syntax lessons cannot use. */
function explain(message: string): string {
  if (/\benum\b/i.test(message)) return 'enum is not supported in lessons: use a const object instead, e.g. const Color = { Red: 0, Green: 1 } as const';
  if (/namespace|module declaration/i.test(message)) return 'namespace is not supported in lessons: use a separate module file with exports, or a plain object';
  if (/parameter propert/i.test(message)) return 'parameter properties (constructor(private x: T)) are not supported in lessons: declare the field in the class body and assign it in the constructor';
  if (/import equals/i.test(message)) return "import x = require('…') is not supported in lessons: use import x from '…'";
  if (/export assignment|export =/i.test(message)) return 'export = is not supported in lessons: use export default';
  if (/angle-bracket/i.test(message)) return 'the <T>value type assertion is not supported in lessons: write value as T';
  if (/not supported in strip-only mode/i.test(message)) return `${message}: lessons run with TypeScript type stripping, so only syntax that can be erased is allowed`;
  return message;
}
