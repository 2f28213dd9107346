/**
 * Parsing lesson JavaScript with acorn, deciding script versus module the way Node does: `.mjs/.mts` are modules,
 * `.cjs/.cts` scripts, anything else is tried as a script first and re-parsed as a module when that fails (module
 * syntax or top-level await). Parse errors become `InstrumentError`s at the original line/column.
 */
import { parse, type Options, type Program } from 'acorn';
import { InstrumentError } from './errors.ts';

export interface Parsed {
  readonly program: Program;
  readonly isModule: boolean;
}

interface AcornSyntaxError extends SyntaxError {
  pos: number;
  loc: { line: number; column: number };
}

function parseAs(code: string, module: boolean): Program {
  const options: Options = {
    ecmaVersion: 'latest',
    sourceType: module ? 'module' : 'script',
    locations: true,
    allowHashBang: true,
    allowAwaitOutsideFunction: module,
    allowReturnOutsideFunction: false,
  };
  return parse(code, options);
}

function isAcornError(err: unknown): err is AcornSyntaxError {
  return err instanceof SyntaxError && typeof (err as Partial<AcornSyntaxError>).pos === 'number';
}

function toInstrumentError(path: string, code: string, err: AcornSyntaxError): InstrumentError {
  let reason = err.message.replace(/ \(\d+:\d+\)$/, '');
  if (code[err.pos] === '@') reason = 'decorators are not supported in lessons';
  return new InstrumentError(path, err.loc.line, err.loc.column + 1, reason);
}

/** `asModule`: how Node already decided to run the file (runtime v2's load hook knows); otherwise decided here. */
export function parseCode(path: string, code: string, asModule?: boolean): Parsed {
  const forced = asModule ?? (/\.m[jt]s$/i.test(path) ? true : /\.c[jt]s$/i.test(path) ? false : null);
  try {
    return { program: parseAs(code, forced ?? false), isModule: forced ?? false };
  } catch (scriptError) {
    if (!isAcornError(scriptError)) throw scriptError;
    if (forced !== null) throw toInstrumentError(path, code, scriptError);
    try {
      return { program: parseAs(code, true), isModule: true };
    } catch (moduleError) {
      if (!isAcornError(moduleError)) throw moduleError;
      // Neither parses: report the error that got furthest (the script one unless module syntax got us past it).
      throw toInstrumentError(path, code, moduleError.pos > scriptError.pos ? moduleError : scriptError);
    }
  }
}
