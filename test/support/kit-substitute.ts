/**
 * The one difference allowed between a conformance snippet and its plain-node twin: `@loopscope/kit`'s
 * readLessonFile (real asynchronous file I/O whose callback runs in the poll phase) becomes `fs.readFile` of the
 * snippet's own file. Each form is one line, replaced by one line, so line numbers (and stack traces) match.
 */
export const KIT_IMPORT_ESM = "import { readLessonFile } from '@loopscope/kit';";
export const KIT_IMPORT_CJS = "const { readLessonFile } = require('@loopscope/kit');";

// Both forms of readLessonFile: with a callback, and returning a promise (like the kit).
const PLAIN_ESM = "import { readFile as fsReadFile } from 'node:fs'; const readLessonFile = (_path, callback) => callback ? fsReadFile(import.meta.filename, 'utf8', callback) : new Promise((resolve, reject) => fsReadFile(import.meta.filename, 'utf8', (error, text) => (error ? reject(error) : resolve(text))));";
const PLAIN_CJS = "const readLessonFile = (_path, callback) => callback ? require('node:fs').readFile(__filename, 'utf8', callback) : new Promise((resolve, reject) => require('node:fs').readFile(__filename, 'utf8', (error, text) => (error ? reject(error) : resolve(text))));";

/** The plain-node version of `code`; identical when it does not import the kit. */
export function toPlainNode(code: string): string {
  const out = code.split('\n').map((line) => (line === KIT_IMPORT_ESM ? PLAIN_ESM : line === KIT_IMPORT_CJS ? PLAIN_CJS : line));
  const plain = out.join('\n');
  if (plain.includes('@loopscope/kit')) {
    throw new Error(`a snippet may import @loopscope/kit only with exactly:\n  ${KIT_IMPORT_ESM}\nor\n  ${KIT_IMPORT_CJS}`);
  }
  return plain;
}

/** Lines that differ between the two versions (for the "differs only in that import" assertion). */
export function changedLines(a: string, b: string): string[] {
  const al = a.split('\n');
  const bl = b.split('\n');
  const out: string[] = [];
  for (let i = 0; i < Math.max(al.length, bl.length); i++) if (al[i] !== bl[i]) out.push(al[i] ?? '');
  return out;
}
