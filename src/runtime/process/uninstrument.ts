/**
 * The learner's source text from instrumented source text: undoes exactly the insertions the instrumentation makes
 * (instrument/walker.ts), innermost first. Used for `Function.prototype.toString` of lesson functions, so a lesson
 * that prints a function sees what it wrote.
 */
const ARROW = / \{ const __ls\$s = __ls\$e\(\d+\); try \{ return \(((?:(?! \{ const __ls\$s = )[\s\S])*?)\); \} finally \{ __ls\$x\(__ls\$s\); \} \}/;
const SUSPEND = /__ls\$r\((__ls\$s|0), (await|yield\*?) __ls\$u\(\1, ((?:(?!__ls\$[ru]\()[\s\S])*?), ([01])\), \4\)/;
// instrument/values.ts: value sites (innermost first: no other value call inside the captured parts)
const INNER = '((?:(?!__ls\\$[vpnwWcCoqgaOAyYkK]\\()[\\s\\S])*?)';
// An element write's target: an identifier or a member chain without spaces (instrument/values.ts: CHAIN_TEXT_RE)
const OBJECT = '([\\w$#.[\\]]+)';
const VALUE = new RegExp(`__ls\\$[vn]\\("[\\w$]+", \\(${INNER}\\)\\)`);
const UPDATE = new RegExp(`__ls\\$p\\("[\\w$]+", \\(${INNER}\\), [\\w$]+\\)`);
const WRITE = new RegExp(`__ls\\$[wW]\\(${OBJECT}, \\(${INNER}\\), \\(${INNER}\\), "[\\w$]+"\\)`);
const STEP = new RegExp(`__ls\\$[cC]\\(${OBJECT}, \\(${INNER}\\), "(x\\+\\+|x--|\\+\\+x|--x)", 0, "[\\w$]+"\\)`);
const LOCK_CALL = new RegExp(`__ls\\$K\\(__ls\\$k\\(\\[[\\w$, ]*\\](?:, [\\w$]+)?\\), ${INNER}\\)`);
const COMPOUND = new RegExp(`__ls\\$[cC]\\(${OBJECT}, \\(${INNER}\\), "([^"]+)", \\(\\) => \\(${INNER}\\), "[\\w$]+"\\)`);
// A writing TypedArray method call (instrument/values.ts `call`): `__ls$O(view.fill(__ls$o(view, "view", A, 7), B), 7, "fill")`
// or `__ls$q(this, "view", "view", A, 7)` (keys `["b",i]` for a longer chain) around the first argument, paired with
// `O` by the site (7); `__ls$g(view, 7)` around the view of `X.fill.call(view, …)` (`, 1` for apply); each further argument `__ls$a(B, 7, 1)`
// (undone first); `__ls$O(getView().fill(A), 7, "fill")` once they are; `__ls$A(view.sort())`.
const METHOD_TAIL = ', \\3(?:, "\\w*")?\\)';
const METHOD_CALL = new RegExp(`__ls\\$O\\(${INNER}__ls\\$[oq]\\([^\\s,()"]+, (?:(?:"[^"]*"|[^\\s,()"]+|\\[[^\\s()]*\\]), )?"[^"]*", ${INNER}, (\\d+)\\)${INNER}${METHOD_TAIL}`);
const BORROWED_CALL = new RegExp(`__ls\\$O\\(${INNER}__ls\\$g\\(${INNER}, (\\d+)(?:, 1)?\\)${INNER}${METHOD_TAIL}`);
const METHOD_ARG = new RegExp(`__ls\\$a\\(${INNER}, \\d+, \\d+\\)`);
const METHOD_RESULT = new RegExp(`__ls\\$O\\(${INNER}, \\d+, "\\w*"\\)`);
const METHOD_CALL_BARE = new RegExp(`__ls\\$A\\((${INNER.slice(1, -1)}\\.(?:set|fill|copyWithin|reverse|sort)\\([^()]*\\))\\)`);

// An Atomics call (instrument/values.ts `atomicsCall`): `__ls$Y(Atomics.add(__ls$y(v, 9, 0), …), 9, "add")`.
const ATOMICS_ARG = new RegExp(`__ls\\$y\\(${INNER}, \\d+, \\d+(?:, 1)?\\)`);
const ATOMICS_CALL = new RegExp(`__ls\\$Y\\(${INNER}, \\d+, "\\w+"\\)`);

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
    const next = out.replace(SUSPEND, '$2$3').replace(ARROW, '$1').replace(VALUE, '$1').replace(UPDATE, '$1').replace(WRITE, "$1[$2] =$3")
      .replace(STEP, (_m, o: string, k: string, how: string) => (how[0] === 'x' ? `${o}[${k}]${how.slice(1)}` : `${how.slice(0, 2)}${o}[${k}]`))
      .replace(COMPOUND, '$1[$2] $3$4').replace(LOCK_CALL, '$1')
      .replace(METHOD_ARG, '$1').replace(METHOD_CALL, '$1$2$4').replace(BORROWED_CALL, '$1$2$4').replace(METHOD_RESULT, '$1')
      .replace(METHOD_CALL_BARE, '$1')
      .replace(ATOMICS_ARG, '$1').replace(ATOMICS_CALL, '$1');
    if (next === out) break;
    out = next;
  }
  return out.replace(/ const __ls\$s = __ls\$e\(\d+\); try \{/g, '').replace(/ \} finally \{ __ls\$x\(__ls\$s\); \}/g, '');
}
