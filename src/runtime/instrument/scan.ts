/**
 * Tiny text scanners over already-parsed source: they only ever look at the gaps between AST nodes, where the
 * grammar allows nothing but punctuation, keywords, whitespace and comments (TypeScript types are already blanked).
 */

/** Index of the first character at or after `pos` that is neither whitespace nor inside a comment. */
export function skipTrivia(src: string, pos: number): number {
  let i = pos;
  while (i < src.length) {
    const c = src.charCodeAt(i);
    if (c === 47 /* / */ && src.charCodeAt(i + 1) === 47) {
      while (i < src.length && !isLineBreak(src.charCodeAt(i))) i++;
    } else if (c === 47 && src.charCodeAt(i + 1) === 42 /* * */) {
      const close = src.indexOf('*/', i + 2);
      i = close < 0 ? src.length : close + 2;
    } else if (c === 32 || c === 9 || c === 11 || c === 12 || c === 0xa0 || c === 0xfeff || isLineBreak(c) || (c > 127 && /\s/.test(src[i] ?? ''))) {
      i++;
    } else {
      return i;
    }
  }
  return i;
}

/** Index just after the first `token` found at or after `from`, skipping comments; -1 when absent. */
export function findTokenEnd(src: string, from: number, token: string): number {
  let i = from;
  while (i < src.length) {
    i = skipTrivia(src, i);
    if (src.startsWith(token, i)) return i + token.length;
    i++;
  }
  return -1;
}

function isLineBreak(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

/** `text` on one line (whitespace runs collapsed), at most `max` characters. */
export function oneLine(text: string, max: number): string {
  const flat = text.slice(0, max * 4).replace(/\s+/g, ' ').trim();
  return flat.length > max ? flat.slice(0, max) : flat;
}
