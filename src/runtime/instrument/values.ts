/**
 * The value sites of one lesson file (runtime v2), rewritten by the walker to call the tracer's value functions
 * (src/runtime/process/values.ts):
 * - watched bindings: a comment `// @watch balance, total` in the file names bindings whose every assignment is
 *   recorded: `balance = x` → `__ls$v("balance", (balance = x))`, `let balance = 0` → `let balance = __ls$v("balance", (0))`,
 *   `balance++` → `__ls$p("balance", (balance++), balance)`;
 * - named creations: `const accountLock = new Mutex()` / `const view = new Int32Array(sab)` →
 *   `… = __ls$n("accountLock", (new Mutex()))`, so locks and shared views are named by their variable;
 * - lock calls: `mutex.runExclusive(cb)` / `.acquire()` inside a function `f(who, amount)` →
 *   `__ls$K(__ls$k([who, amount]), mutex.runExclusive(cb))`, so the lock's waiter and holder read `f('bob', 100)`
 *   (locks.ts): `k` hands the tracer the enclosing function's arguments for the Request this call makes, `K` drops
 *   them after the call. Only functions whose parameters are plain names (a default or a rest allowed) are named so,
 *   and not where a block declares one of those names again;
 * - element writes that may hit shared memory: `view[i] = x` → `__ls$w(view, (i), (x), "view")`, only in files that
 *   mention SharedArrayBuffer, Atomics or workerData, and only on a plain identifier not bound to an array or object
 *   literal in the file (so hot paths of other lessons pay nothing).
 * Every wrapper returns what the original expression evaluated to, and evaluates its parts once, in source order.
 */
import type MagicString from 'magic-string';
import type { AnyNode, AssignmentExpression, CallExpression, Pattern, Program, UpdateExpression, VariableDeclarator } from 'acorn';
import { watchedNames } from '../../shared/lesson/watch-markers.ts';
import { skipTrivia } from './scan.ts';

const SHARED_HINT_RE = /\b(?:SharedArrayBuffer|Atomics|workerData)\b/;
const NAMED_NEW_RE = /^(?:(?:Big)?(?:Int|Uint|Float)(?:8|16|32|64)(?:Clamped)?Array|\w*(?:Mutex|Semaphore|Lock)\w*)$/;
/** The methods of async-mutex's and the kit's locks that ask for the lock (a Lock Request). */
const LOCK_METHODS = new Set(['acquire', 'runExclusive']);

export class ValueRewriter {
  private readonly s: MagicString;
  private readonly code: string;
  private readonly watched: Set<string>;
  private readonly sharedWrites: boolean;
  private readonly plain = new Set<string>();
  private readonly write: string;
  private readonly compound: string;

  constructor(s: MagicString, code: string, original: string, program: Program, strict: boolean) {
    this.s = s;
    this.code = code;
    this.watched = watchedNames(original);
    this.sharedWrites = SHARED_HINT_RE.test(original);
    this.write = strict ? '__ls$w' : '__ls$W';
    this.compound = strict ? '__ls$c' : '__ls$C';
    if (this.sharedWrites) collectLiteralBindings(program, this.plain);
  }

  /** Wraps before the walker visits an assignment's parts; returns what to close after them (or null). */
  assignment(node: AssignmentExpression): (() => void) | null {
    const left = node.left;
    if (left.type === 'Identifier' && this.watched.has(left.name)) {
      this.s.appendRight(node.start, `__ls$v(${JSON.stringify(left.name)}, (`);
      return () => this.s.appendLeft(node.end, '))');
    }
    const element = this.sharedElement(left);
    if (!element || LOGICAL.has(node.operator)) return null;
    const { obj, open, close } = element;
    // The key and the value keep their own text, parentheses included (`v[(a, b)] = (c, d)`): only the `[`, the
    // `] =` between them are replaced.
    const op = skipTrivia(this.code, left.end);
    if (!this.code.startsWith(node.operator, op)) return null;
    const compound = node.operator !== '=';
    // `v[k] += x` reads v[k] before x runs: x becomes a closure, which cannot hold an await or a yield
    if (compound && suspends(node.right)) return null;
    this.s.appendRight(node.start, `${compound ? this.compound : this.write}(`);
    this.s.overwrite(obj.end, open + 1, ', (', { contentOnly: true });
    this.s.overwrite(close, op + node.operator.length, compound ? `), ${JSON.stringify(node.operator)}, () => (` : '), (', { contentOnly: true });
    return () => this.s.appendLeft(node.end, `), ${JSON.stringify(obj.name)})`);
  }

  /** `v[k]` in a shared-memory file, on a plain identifier not bound to a literal: where `[` and `]` are. */
  private sharedElement(left: AnyNode): { obj: { name: string; end: number }; open: number; close: number } | null {
    if (!this.sharedWrites || left.type !== 'MemberExpression' || !left.computed || left.optional) return null;
    const obj = left.object;
    if (obj.type !== 'Identifier' || this.plain.has(obj.name) || left.property.type === 'PrivateIdentifier') return null;
    const open = skipTrivia(this.code, obj.end);
    const close = left.end - 1;
    if (this.code[open] !== '[' || this.code[close] !== ']') return null;
    return { obj, open, close };
  }

  update(node: UpdateExpression): (() => void) | null {
    const element = this.sharedElement(node.argument);
    if (element) {
      // `v[k]++` → `__ls$c(v, (k), "x++", 0, "v")`; `++v[k]` → `__ls$c(v, (k), "++x", 0, "v")`
      const { obj, open, close } = element;
      const how = node.prefix ? `${node.operator}x` : `x${node.operator}`;
      if (node.prefix) this.s.overwrite(node.start, node.argument.start, `${this.compound}(`, { contentOnly: true });
      else this.s.appendRight(node.start, `${this.compound}(`);
      this.s.overwrite(obj.end, open + 1, ', (', { contentOnly: true });
      this.s.overwrite(close, node.prefix ? node.argument.end : node.end, `), ${JSON.stringify(how)}, 0, ${JSON.stringify(obj.name)})`, { contentOnly: true });
      return null;
    }
    if (node.argument.type !== 'Identifier' || !this.watched.has(node.argument.name)) return null;
    const name = node.argument.name;
    this.s.appendRight(node.start, `__ls$p(${JSON.stringify(name)}, (`);
    return () => this.s.appendLeft(node.end, `), ${name})`);
  }

  /**
   * `x.acquire(…)` / `x.runExclusive(…)` inside a function: passes the function's arguments to the tracer around the
   * call. `params` are the function's; `shadowed(names)` says whether one of them means something else at the call.
   */
  lockCall(node: CallExpression, params: readonly Pattern[], shadowed: (names: readonly string[]) => boolean): (() => void) | null {
    const callee = node.callee;
    if (node.optional || callee.type !== 'MemberExpression' || callee.computed || callee.optional || callee.property.type !== 'Identifier' || !LOCK_METHODS.has(callee.property.name)) return null;
    const names: string[] = [];
    let rest = '';
    for (const p of params) {
      const id = p.type === 'AssignmentPattern' ? p.left : p;
      if (id.type === 'Identifier') names.push(id.name);
      else if (id.type === 'RestElement' && id.argument.type === 'Identifier') rest = id.argument.name;
      else return null; // a destructured parameter: its argument is gone
    }
    if (shadowed(rest ? [...names, rest] : names)) return null;
    this.s.appendRight(node.start, `__ls$K(__ls$k([${names.join(', ')}]${rest ? `, ${rest}` : ''}), `);
    return () => this.s.appendLeft(node.end, ')');
  }

  declarator(node: VariableDeclarator, nameable: boolean): (() => void) | null {
    const init = node.init;
    if (!init || node.id.type !== 'Identifier') return null;
    const name = node.id.name;
    const named = init.type === 'NewExpression' && init.callee.type === 'Identifier' && NAMED_NEW_RE.test(init.callee.name);
    const watched = this.watched.has(name) && !nameable;
    if (!named && !watched) return null;
    const open = `${watched ? `__ls$v(${JSON.stringify(name)}, (` : ''}${named ? `__ls$n(${JSON.stringify(name)}, (` : ''}`;
    this.s.appendRight(init.start, open);
    return () => this.s.appendLeft(init.end, named && watched ? '))))' : '))');
  }

}

/** The tracer functions rewritten value sites call (`__ls$v` …), for the file's prologue. */
export const VALUE_FUNCTIONS = ['v', 'p', 'n', 'w', 'W', 'c', 'C', 'k', 'K'] as const;

const LOGICAL = new Set(['&&=', '||=', '??=']);

/** True when an await or a yield (of this function) is inside `node`. */
function suspends(node: AnyNode): boolean {
  let found = false;
  const walk = (n: AnyNode): void => {
    if (found) return;
    if (n.type === 'AwaitExpression' || n.type === 'YieldExpression') { found = true; return; }
    if (n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression' || n.type === 'FunctionDeclaration') return;
    for (const key in n) {
      if (key === 'loc' || key === 'type') continue;
      const v = (n as unknown as Record<string, unknown>)[key];
      if (Array.isArray(v)) { for (const c of v) if (c && typeof (c as AnyNode).type === 'string') walk(c as AnyNode); }
      else if (v && typeof (v as AnyNode).type === 'string') walk(v as AnyNode);
    }
  };
  walk(node);
  return found;
}

/** Names bound (anywhere in the file) to an array or object literal: element writes to them are not shared memory. */
function collectLiteralBindings(program: Program, out: Set<string>): void {
  const walk = (node: AnyNode | null | undefined): void => {
    if (!node || typeof node !== 'object') return;
    if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && (node.init?.type === 'ArrayExpression' || node.init?.type === 'ObjectExpression')) out.add(node.id.name);
    for (const key in node) {
      if (key === 'loc' || key === 'type') continue;
      const v = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(v)) for (const c of v) { if (c && typeof (c as AnyNode).type === 'string') walk(c as AnyNode); }
      else if (v && typeof (v as AnyNode).type === 'string') walk(v as AnyNode);
    }
  };
  walk(program);
}
