/**
 * The value sites of one lesson file (runtime v2), rewritten by the walker to call the tracer's value functions
 * (src/runtime/process/values.ts):
 * - watched bindings: a comment `// @watch balance, total` in the file names bindings whose every assignment is
 *   recorded: `balance = x` → `__ls$v("balance", (balance = x))`, `let balance = 0` → `let balance = __ls$v("balance", (0))`,
 *   `balance++` → `__ls$p("balance", (balance++), balance)`;
 * - named creations: `const accountLock = new Mutex()` / `const view = new Int32Array(sab)` →
 *   `… = __ls$n("accountLock", (new Mutex()))`, so locks and shared views are named by their variable;
 * - element writes that may hit shared memory: `view[i] = x` → `__ls$w(view, (i), (x), "view")`, only in files that
 *   mention SharedArrayBuffer, Atomics or workerData, and only on a plain identifier not bound to an array or object
 *   literal in the file (so hot paths of other lessons pay nothing).
 * Every wrapper returns what the original expression evaluated to, and evaluates its parts once, in source order.
 */
import type MagicString from 'magic-string';
import type { AnyNode, AssignmentExpression, Program, UpdateExpression, VariableDeclarator } from 'acorn';
import { watchedNames } from '../../shared/lesson/watch-markers.ts';
import { skipTrivia } from './scan.ts';

const SHARED_HINT_RE = /\b(?:SharedArrayBuffer|Atomics|workerData)\b/;
const NAMED_NEW_RE = /^(?:(?:Big)?(?:Int|Uint|Float)(?:8|16|32|64)(?:Clamped)?Array|\w*(?:Mutex|Semaphore|Lock)\w*)$/;

export class ValueRewriter {
  private readonly s: MagicString;
  private readonly code: string;
  private readonly watched: Set<string>;
  private readonly sharedWrites: boolean;
  private readonly plain = new Set<string>();
  private readonly write: string;

  constructor(s: MagicString, code: string, original: string, program: Program, strict: boolean) {
    this.s = s;
    this.code = code;
    this.watched = watchedNames(original);
    this.sharedWrites = SHARED_HINT_RE.test(original);
    this.write = strict ? '__ls$w' : '__ls$W';
    if (this.sharedWrites) collectLiteralBindings(program, this.plain);
  }

  /** Wraps before the walker visits an assignment's parts; returns what to close after them (or null). */
  assignment(node: AssignmentExpression): (() => void) | null {
    const left = node.left;
    if (left.type === 'Identifier' && this.watched.has(left.name)) {
      this.s.appendRight(node.start, `__ls$v(${JSON.stringify(left.name)}, (`);
      return () => this.s.appendLeft(node.end, '))');
    }
    if (!this.sharedWrites || node.operator !== '=' || left.type !== 'MemberExpression' || !left.computed || left.optional) return null;
    const obj = left.object;
    if (obj.type !== 'Identifier' || this.plain.has(obj.name) || left.property.type === 'PrivateIdentifier') return null;
    // The key and the value keep their own text, parentheses included (`v[(a, b)] = (c, d)`): only the `[`, the
    // `] =` between them are replaced.
    const open = skipTrivia(this.code, obj.end);
    const close = left.end - 1;
    const eq = skipTrivia(this.code, left.end);
    if (this.code[open] !== '[' || this.code[close] !== ']' || this.code[eq] !== '=') return null;
    this.s.appendRight(node.start, `${this.write}(`);
    this.s.overwrite(obj.end, open + 1, ', (', { contentOnly: true });
    this.s.overwrite(close, eq + 1, '), (', { contentOnly: true });
    return () => this.s.appendLeft(node.end, `), ${JSON.stringify(obj.name)})`);
  }

  update(node: UpdateExpression): (() => void) | null {
    if (node.argument.type !== 'Identifier' || !this.watched.has(node.argument.name)) return null;
    const name = node.argument.name;
    this.s.appendRight(node.start, `__ls$p(${JSON.stringify(name)}, (`);
    return () => this.s.appendLeft(node.end, `), ${name})`);
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
export const VALUE_FUNCTIONS = ['v', 'p', 'n', 'w', 'W'] as const;

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
