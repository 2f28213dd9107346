/**
 * The learner's source text from instrumented source text: undoes exactly the insertions the instrumentation makes
 * (instrument/walker.ts), innermost first. Used for `Function.prototype.toString` of lesson functions, so a lesson
 * that prints a function sees what it wrote.
 */
const ARROW = / \{ const __ls\$s = __ls\$e\(\d+\); try \{ return \(((?:(?! \{ const __ls\$s = )[\s\S])*?)\); \} finally \{ __ls\$x\(__ls\$s\); \} \}/;
const SUSPEND = /__ls\$r\((__ls\$s|0), (await|yield\*?) __ls\$u\(\1, ((?:(?!__ls\$[ru]\()[\s\S])*?), ([01])\), \4\)/;

export function uninstrument(src: string): string {
  if (typeof src !== 'string' || !src.includes('__ls$')) return src;
  let out = src
    .replace(/__ls\$r\(__ls\$s, yield __ls\$u\(__ls\$s, undefined, 1\), 1\)/g, 'yield')
    .replace(/__ls\$t\(\d+\); /g, '')
    .replace(/\{ __ls\$r\((?:__ls\$s|0), undefined, 0\); try \{ /g, '')
    .replace(/ \} finally \{ __ls\$u\((?:__ls\$s|0), undefined, 2\); \} \}/g, '')
    .replace(/(?:\{ )?__ls\$u\((?:__ls\$s|0), undefined, 2\); /g, '')
    .replace(/ __ls\$r\((?:__ls\$s|0), undefined, 0\);(?: \})?/g, '');
  for (let guard = 0; guard < 10000; guard++) {
    const next = out.replace(SUSPEND, '$2$3').replace(ARROW, '$1');
    if (next === out) break;
    out = next;
  }
  return out.replace(/ const __ls\$s = __ls\$e\(\d+\); try \{/g, '').replace(/ \} finally \{ __ls\$x\(__ls\$s\); \}/g, '');
}
