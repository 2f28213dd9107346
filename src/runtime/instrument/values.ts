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
 *   mention SharedArrayBuffer, Atomics or workerData (so hot paths of other lessons pay nothing). The target is an
 *   identifier not bound to an array or object literal in the file, or a member chain written without spaces
 *   (`this.view[i]`, `obj.arr[i]++`, `grid[i][j] = x`, `this.#cells[k]`): its text goes into the call unchanged,
 *   evaluated once, and uninstrument.ts can find it again;
 * - calls of the TypedArray methods that write, in the same files: `view.fill(0, 1)` →
 *   `__ls$O(view.fill(__ls$o(view, "view", 0, 7), __ls$a(1, 7, 1)), 7, "fill")` (7: where the call ends in the file,
 *   pairing the hooks; `__ls$q` for `this.view.fill(…)` and longer chains, `__ls$g` for `X.fill.call(view, …)`, only
 *   `__ls$a` for `getView().fill(…)`; see `call`). The call stays the lesson's own, callee text included (the tracer only
 *   looks before and after it, and at the arguments), so a method on anything else (`map.set(k, v)`) behaves exactly
 *   as written;
 * - `Atomics` calls, in the same files: `Atomics.add(v, i, 1)` → `__ls$Y(Atomics.add(__ls$y(v, 9, 0), …), 9, "add")`
 *   (see `atomicsCall`): recorded around the lesson's own call of the real method.
 * Every wrapper returns what the original expression evaluated to, and evaluates its parts once, in source order.
 */
import type MagicString from 'magic-string';
import type { AnyNode, AssignmentExpression, CallExpression, Expression, Pattern, Program, Super, UpdateExpression, VariableDeclarator } from 'acorn';
import { watchedNames } from '../../shared/lesson/watch-markers.ts';
import { skipTrivia } from './scan.ts';

const SHARED_HINT_RE = /\b(?:SharedArrayBuffer|Atomics|workerData)\b/;
/** TypedArray methods that write the array they are called on (`set`, `fill`, … ; not the copying `toSorted`). */
const WRITING_METHODS = new Set(['set', 'fill', 'copyWithin', 'reverse', 'sort']);
/** A member chain's text as uninstrument.ts matches it (process/uninstrument.ts: OBJECT): no spaces, no comments. */
const CHAIN_TEXT_RE = /^[\w$#.[\]]+$/;
/** The `Atomics` methods whose calls are recorded (process/values.ts `Y`). */
const ATOMICS_METHODS = new Set(['load', 'store', 'add', 'sub', 'and', 'or', 'xor', 'exchange', 'compareExchange', 'wait', 'notify', 'waitAsync']);
const NAMED_NEW_RE = /^(?:(?:Big)?(?:Int|Uint|Float)(?:8|16|32|64)(?:Clamped)?Array|\w*(?:Mutex|Semaphore|Lock)\w*)$/;
/** The methods of async-mutex's and the kit's locks that ask for the lock (a Lock Request). */
const LOCK_METHODS = new Set(['acquire', 'runExclusive']);

export class ValueRewriter {
  private readonly s: MagicString;
  private readonly code: string;
  private readonly watched: Set<string>;
  private readonly sharedWrites: boolean;
  private readonly plain = new Set<string>();
  /** Private names declared only as fields in this file (`#cells = …`): reading `this.#cells` again runs nothing. */
  private readonly privateFields = new Set<string>();
  private readonly write: string;
  private readonly compound: string;

  constructor(s: MagicString, code: string, original: string, program: Program, strict: boolean) {
    this.s = s;
    this.code = code;
    this.watched = watchedNames(original);
    this.sharedWrites = SHARED_HINT_RE.test(original);
    this.write = strict ? '__ls$w' : '__ls$W';
    this.compound = strict ? '__ls$c' : '__ls$C';
    if (this.sharedWrites) collectLiteralBindings(program, this.plain, this.privateFields);
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

  /** `v[k]` in a shared-memory file, on a target shape we rewrite (see the header): where `[` and `]` are. */
  private sharedElement(left: AnyNode): { obj: { name: string; end: number }; open: number; close: number } | null {
    if (!this.sharedWrites || left.type !== 'MemberExpression' || !left.computed || left.optional) return null;
    const obj = left.object;
    if (left.property.type === 'PrivateIdentifier' || (obj.type === 'Identifier' && this.plain.has(obj.name))) return null;
    const name = this.chainName(obj);
    if (name === null) return null;
    const open = skipTrivia(this.code, obj.end);
    const close = left.end - 1;
    if (this.code[open] !== '[' || this.code[close] !== ']') return null;
    return { obj: { name, end: obj.end }, open, close };
  }

  /**
   * The name a view reached through `node` is shown by (`view`, `this.view` → `view`, `grid[i]` → `grid`), when
   * `node` is an identifier or a member chain of names, private names and identifier or number keys written without
   * spaces or comments; null for any other expression.
   */
  private chainName(node: Expression | Super): string | null {
    if (node.type === 'Identifier') return node.name;
    if (node.type !== 'MemberExpression' || node.optional || !CHAIN_TEXT_RE.test(this.code.slice(node.start, node.end))) return null;
    let part: AnyNode = node;
    let name: string | null = null;
    while (part.type === 'MemberExpression') {
      const key = part.property;
      if (!part.computed && (key.type === 'Identifier' || key.type === 'PrivateIdentifier')) name ??= key.name;
      else if (!(part.computed && (key.type === 'Identifier' || (key.type === 'Literal' && typeof key.value === 'number')))) return null;
      part = part.object;
    }
    if (part.type !== 'Identifier' && part.type !== 'ThisExpression') return null;
    return name ?? (part.type === 'Identifier' ? part.name : null);
  }

  /**
   * `x.fill(…)` and the other writing TypedArray methods in a shared-memory file:
   * `__ls$O(view.fill(__ls$o(view, "view", 0, 7), __ls$a(1, 7, 1)), 7, "fill")` (7: where the call ends, pairing the
   * hooks). The target is read again by the tracer only where that runs nothing of the lesson: `view`, or a chain of
   * names and identifier or number keys from a name or `this` (`this.view`, `a.b.c`, `grid[i][j]`), which `__ls$q`
   * walks as data properties only (no getter runs twice). The callee keeps its text (V8 quotes it in
   * `view.fill is not a function`); the first argument passes through `o`/`q`, which looks at the view before the
   * call, the others through `a`, and `O` records after it the elements the method wrote (by its arguments: a
   * rewrite with the value an element held is a write too). On any other target (`getView().fill(0)`), the arguments
   * alone go through `a` and `O` finds the view in the call's result (fill, copyWithin, sort and reverse return it).
   * `X.fill.call(view, …)` passes the view through `g` (`.apply` too, its arguments unread). A call without
   * arguments (`view.sort()`) becomes `__ls$A(view.sort())`: it wrote every element of the view it returns.
   * Returns what to close after the call's parts are visited.
   */
  call(node: CallExpression): (() => void) | null {
    const callee = node.callee;
    if (!this.sharedWrites || node.optional || callee.type !== 'MemberExpression' || callee.computed || callee.optional) return null;
    if (callee.object.type === 'Identifier' && callee.object.name === 'Atomics') return this.atomicsCall(node, callee.property);
    if (callee.property.type !== 'Identifier') return null;
    const invoked = callee.property.name;
    const via = callee.object;
    if ((invoked === 'call' || invoked === 'apply') && via.type === 'MemberExpression' && !via.computed && !via.optional
      && via.property.type === 'Identifier' && WRITING_METHODS.has(via.property.name)) return this.borrowedCall(node, via.property.name, invoked === 'apply');
    if (!WRITING_METHODS.has(invoked)) return null;
    const obj = callee.object;
    const site = node.end; // unique: nested calls (`v.fill(1).sort()`) may share a start, never an end
    const args = node.arguments;
    const first = args[0];
    if (!first) { // no argument: `A` records the whole view the call returned, on any target (`v.subarray(2).sort()`)
      if (obj.type === 'Super') return null;
      this.s.appendRight(node.start, '__ls$A(');
      return () => this.s.appendLeft(node.end, ')');
    }
    if (obj.type === 'Super' || (obj.type === 'Identifier' && this.plain.has(obj.name))) return null;
    // A spread hides which argument is which: the tracer then compares the view's bytes before and after ("" method).
    const spread = args.some((a) => a.type === 'SpreadElement');
    const method = spread ? '' : invoked;
    const hook = this.targetHook(obj);
    if (hook === null && (spread || invoked === 'set')) return null; // nothing to learn the view or what it wrote from
    this.s.appendRight(node.start, '__ls$O(');
    if (hook === null) { // another target: the arguments alone, the view from the result
      args.forEach((a) => this.s.appendRight(a.start, '__ls$a('));
      return () => {
        args.forEach((a, k) => this.s.appendLeft(a.end, `, ${site}, ${k})`));
        this.s.appendLeft(node.end, `, ${site}, ${JSON.stringify(method)})`);
      };
    }
    const arg = first.type === 'SpreadElement' ? first.argument : first;
    const rest = spread ? [] : args.slice(1);
    this.s.appendRight(arg.start, hook);
    rest.forEach((a) => this.s.appendRight(a.start, '__ls$a('));
    return () => {
      this.s.appendLeft(arg.end, `, ${site})`);
      rest.forEach((a, k) => this.s.appendLeft(a.end, `, ${site}, ${k + 1})`));
      this.s.appendLeft(node.end, `, ${site}, ${JSON.stringify(method)})`);
    };
  }

  /**
   * The hook a writing method's first argument passes through, naming a target the tracer can read again without
   * running lesson code: `__ls$o(view, "view", ` for a name, `__ls$q(base, keys, "name", ` for a chain of names and
   * identifier or number keys from a name or `this` (keys one string or identifier, or an array of them written
   * without spaces: `["b","c"]`, `[i,j]`); null for any other target.
   */
  private targetHook(obj: Expression): string | null {
    const text = (n: AnyNode): string => this.code.slice(n.start, n.end);
    // Identifiers go in as written (`v\u0061lue` stays an identifier), names as strings.
    if (obj.type === 'Identifier') return this.plain.has(obj.name) ? null : `__ls$o(${text(obj)}, ${JSON.stringify(obj.name)}, `;
    if (obj.type !== 'MemberExpression') return null;
    // `this.#cells` (a private field: no getter can run) is read again as written
    if (!obj.computed && !obj.optional && obj.property.type === 'PrivateIdentifier' && this.privateFields.has(obj.property.name)
      && (obj.object.type === 'ThisExpression' || obj.object.type === 'Identifier')) return `__ls$o(${text(obj)}, ${JSON.stringify(obj.property.name)}, `;
    const keys: string[] = [];
    let part: AnyNode = obj;
    let name: string | null = null;
    while (part.type === 'MemberExpression') {
      if (part.optional) return null;
      const key: AnyNode = part.property;
      if (!part.computed && key.type === 'Identifier') { keys.unshift(JSON.stringify(key.name)); name ??= key.name; }
      else if (part.computed && key.type === 'Identifier') keys.unshift(text(key));
      else if (part.computed && key.type === 'Literal' && typeof key.value === 'number' && /^\d+$/.test(key.raw ?? '')) keys.unshift(key.raw!);
      else return null;
      part = part.object;
    }
    if (part.type !== 'Identifier' && part.type !== 'ThisExpression') return null;
    if (keys.length > 8) return null;
    const baseName = part.type === 'Identifier' ? part.name : 'this';
    return `__ls$q(${text(part)}, ${keys.length === 1 ? keys[0] : `[${keys.join(',')}]`}, ${JSON.stringify(name ?? baseName)}, `;
  }

  /**
   * `Int32Array.prototype.fill.call(view, 1)` (a writing method borrowed by call or apply): the view passes through
   * `g`, the arguments of `call` through `a`: `__ls$O(X.fill.call(__ls$g(view, 7), __ls$a(1, 7, 0)), 7, "fill")`;
   * `apply`'s array of arguments is one `a`, and `g` is told so (`__ls$g(view, 7, 1)`); with a spread, `O` compares
   * the view's bytes instead ("").
   */
  private borrowedCall(node: CallExpression, method: string, apply: boolean): (() => void) | null {
    const [self, ...given] = node.arguments;
    if (!self || self.type === 'SpreadElement') return null;
    const site = node.end;
    const args = apply ? given.slice(0, 1) : given;
    const known = !args.some((a) => a.type === 'SpreadElement');
    this.s.appendRight(node.start, '__ls$O(');
    this.s.appendRight(self.start, '__ls$g(');
    if (known) args.forEach((a) => this.s.appendRight(a.start, '__ls$a('));
    return () => {
      this.s.appendLeft(self.end, `, ${site}${apply && known ? ', 1' : ''})`);
      if (known) args.forEach((a, k) => this.s.appendLeft(a.end, `, ${site}, ${k})`));
      this.s.appendLeft(node.end, `, ${site}, ${JSON.stringify(known ? method : '')})`);
    };
  }

  /**
   * `Atomics.add(view, i, 1)` → `__ls$Y(Atomics.add(__ls$y(view, 9, 0), __ls$y(i, 9, 1), __ls$y(1, 9, 2)), 9, "add")`
   * (9: where the call ends in the file). Every argument passes through `y`, which keeps it for the record, and `Y`
   * records the operation with its result. The call is the lesson's own: `Atomics` is not replaced, so its methods
   * are native (`Atomics.add.length`, their source text) and an error they throw has the lesson's frame right below
   * V8's, as in plain node. The last argument of `Atomics.wait` also records the wait before the thread blocks
   * (`, 1`). A call with spread arguments or none, or `Atomics` reached another way (`const { add } = Atomics`), is
   * not recorded.
   */
  private atomicsCall(node: CallExpression, property: AnyNode): (() => void) | null {
    if (property.type !== 'Identifier' || !ATOMICS_METHODS.has(property.name)) return null;
    const args = node.arguments;
    if (args.length === 0 || args.some((a) => a.type === 'SpreadElement')) return null;
    const site = node.end;
    const blocks = property.name === 'wait';
    this.s.appendRight(node.start, '__ls$Y(');
    for (const arg of args) this.s.appendRight(arg.start, '__ls$y(');
    return () => {
      args.forEach((arg, k) => this.s.appendLeft(arg.end, `, ${site}, ${k}${blocks && k === args.length - 1 ? ', 1' : ''})`));
      this.s.appendLeft(node.end, `, ${site}, ${JSON.stringify(property.name)})`);
    };
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
export const VALUE_FUNCTIONS = ['v', 'p', 'n', 'w', 'W', 'c', 'C', 'o', 'q', 'g', 'a', 'O', 'A', 'y', 'Y', 'k', 'K'] as const;

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

/**
 * Names bound (anywhere in the file) to an array or object literal: element writes to them are not shared memory.
 * And the private names declared only as fields, never as a method or accessor (`privateFields`).
 */
function collectLiteralBindings(program: Program, out: Set<string>, privateFields: Set<string>): void {
  const accessors = new Set<string>();
  const walk = (node: AnyNode | null | undefined): void => {
    if (!node || typeof node !== 'object') return;
    if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && (node.init?.type === 'ArrayExpression' || node.init?.type === 'ObjectExpression')) out.add(node.id.name);
    if (node.type === 'PropertyDefinition' && node.key.type === 'PrivateIdentifier') privateFields.add(node.key.name);
    if (node.type === 'MethodDefinition' && node.key.type === 'PrivateIdentifier') accessors.add(node.key.name);
    for (const key in node) {
      if (key === 'loc' || key === 'type') continue;
      const v = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(v)) for (const c of v) { if (c && typeof (c as AnyNode).type === 'string') walk(c as AnyNode); }
      else if (v && typeof (v as AnyNode).type === 'string') walk(v as AnyNode);
    }
  };
  walk(program);
  for (const name of accessors) privateFields.delete(name);
}
