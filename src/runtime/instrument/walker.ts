/**
 * The single walk over a parsed lesson file that adds the tracer calls (see index.ts for the contract). ES module
 * syntax, `import()` and `import.meta` are left as written: Node loads the file as a real module.
 *
 * Edit discipline, which keeps nested insertions in the right order without re-printing anything:
 * - text that opens a construct is inserted with `appendRight` while going down (pre-order), so an outer opener at
 *   the same offset comes before an inner one;
 * - text that closes a construct is inserted with `appendLeft` on the way back up (post-order), so an inner closer
 *   at the same offset comes before an outer one;
 * - at any one offset, closers (left of it) always print before openers (right of it).
 * Replacements use `update`/`remove`, which keep text inserted at their edges.
 */
import type MagicString from 'magic-string';
import type {
  AnonymousClassDeclaration, AnonymousFunctionDeclaration, AnyNode, ArrowFunctionExpression, AssignmentExpression, AssignmentProperty,
  ClassDeclaration, ClassExpression, ForOfStatement, FunctionDeclaration, FunctionExpression, MethodDefinition, ModuleDeclaration, Program,
  Property, PropertyDefinition, Statement,
} from 'acorn';
import type { Frame } from '../../shared/trace/schema.ts';
import { bindingNames, isNameable, keyName } from './names.ts';
import { findTokenEnd, oneLine } from './scan.ts';
import { isStatementList, shouldMark } from './statements.ts';
import { ValueRewriter } from './values.ts';

type FunctionNode = FunctionDeclaration | AnonymousFunctionDeclaration | FunctionExpression | ArrowFunctionExpression;
type ListStatement = Statement | ModuleDeclaration;

export interface WalkerOptions {
  readonly path: string;
  /** The file as the learner wrote it (frame names and statement labels are taken from it). */
  readonly original: string;
  /** The JavaScript that was parsed: `original` with types blanked, same offsets. */
  readonly code: string;
  readonly s: MagicString;
  readonly traced: boolean;
  readonly statements: boolean;
  /**
   * Lines (1-based, original file) whose statements get a marker in every mode: the lines `// @checkpoint` comments
   * point at, so a checkpoint's step is exactly where its comment is, not where the enclosing function was entered.
   */
  readonly checkpointLines?: ReadonlySet<number>;
  readonly frameIdBase: number;
  readonly isModule: boolean;
}

interface FunctionScope {
  /** `var` names declared anywhere in the function (not in nested functions). */
  readonly varNames: Set<string>;
  readonly node: FunctionNode;
  /** Where the function node is in `parents`. */
  readonly depth: number;
}

const STATEMENT_LABEL_CHARS = 40;

export class Walker {
  readonly frames: Frame[] = [];

  private readonly o: WalkerOptions;
  private readonly s: MagicString;
  private readonly code: string;
  private readonly traced: boolean;
  private readonly markStatements: boolean;
  private readonly checkpointLines: ReadonlySet<number>;
  /** Ancestors of the node being visited, the node itself last. */
  private readonly parents: AnyNode[] = [];
  /** Inferred names (and the node whose span the frame should cover) set by a parent for a function/class child. */
  private readonly hints = new Map<AnyNode, { name: string; span?: AnyNode }>();
  private readonly classNames: string[] = [];
  private readonly scopes: FunctionScope[] = [];
  private fnDepth = 0;
  private values: ValueRewriter | null = null;

  constructor(options: WalkerOptions) {
    this.o = options;
    this.s = options.s;
    this.code = options.code;
    this.traced = options.traced;
    this.markStatements = options.traced && options.statements;
    this.checkpointLines = options.traced ? options.checkpointLines ?? new Set() : new Set();
  }

  run(program: Program): void {
    const lines = this.o.original.split(/\r\n|[\n\r\u2028\u2029]/);
    this.frames.push({
      id: this.o.frameIdBase, kind: 'script', name: `(main) ${this.o.path}`, file: this.o.path, line: 1, column: 1,
      endLine: lines.length, endColumn: (lines[lines.length - 1] ?? '').length + 1,
    });
    // Value sites (watched bindings, named locks and views, shared element writes; values.ts).
    if (this.traced) {
      const strict = this.o.isModule || program.body.some((st) => st.type === 'ExpressionStatement' && st.directive === 'use strict');
      this.values = new ValueRewriter(this.s, this.code, this.o.original, program, strict);
    }
    this.parents.push(program);
    for (const st of program.body) {
      // Top-level statements are marked in every mode: they run once, so they cost nothing, and they are the only
      // way to show where the script is (function mode has no frame for top-level code but the whole-file script).
      if (this.traced && shouldMark(st)) this.marker(st);
      this.visit(st);
    }
    this.parents.pop();
  }

  // ---------------------------------------------------------------- dispatch
  private visit(node: AnyNode | null | undefined): void {
    if (!node) return;
    this.parents.push(node);
    switch (node.type) {
      case 'BlockStatement':
      case 'StaticBlock':
        this.list(node.body);
        break;
      case 'SwitchCase':
        this.visit(node.test);
        this.list(node.consequent);
        break;
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        this.fn(node);
        break;
      case 'ClassDeclaration':
      case 'ClassExpression':
        this.cls(node);
        break;
      case 'MethodDefinition':
        this.method(node);
        break;
      case 'PropertyDefinition':
        this.field(node);
        break;
      case 'Property':
        this.property(node);
        break;
      case 'VariableDeclaration':
        if (node.kind === 'var') {
          const scope = this.scopes[this.scopes.length - 1];
          if (scope) for (const d of node.declarations) for (const n of bindingNames(d.id)) scope.varNames.add(n);
        }
        this.children(node);
        break;
      case 'VariableDeclarator': {
        if (node.id.type === 'Identifier' && isNameable(node.init)) this.hint(node.init, node.id.name);
        this.visit(node.id);
        const close = this.values?.declarator(node, isNameable(node.init));
        this.visit(node.init);
        close?.();
        break;
      }
      case 'UpdateExpression': {
        const close = this.values?.update(node);
        this.children(node);
        close?.();
        break;
      }
      case 'AssignmentExpression':
        this.assignment(node);
        break;
      case 'AssignmentPattern':
        if (node.left.type === 'Identifier' && isNameable(node.right)) this.hint(node.right, node.left.name);
        this.visit(node.left);
        this.visit(node.right);
        break;
      case 'AwaitExpression':
        this.await(node.start, node.end, () => this.visit(node.argument));
        break;
      case 'YieldExpression':
        this.yield(node.start, node.end, node.delegate, node.argument ?? null);
        break;
      case 'ForOfStatement':
        if (node.await) this.forAwait(node);
        else this.children(node);
        break;
      case 'CallExpression': {
        const scope = this.scopes[this.scopes.length - 1];
        // In the body only: in a parameter's default the later parameters are not initialized yet.
        const inBody = scope !== undefined && node.start >= scope.node.body.start;
        const closeLock = inBody ? this.values?.lockCall(node, scope.node.params, (names) => this.shadowed(names, scope.depth)) : null;
        const close = this.values?.call(node);
        this.children(node);
        close?.();
        closeLock?.();
        break;
      }
      default:
        this.children(node);
    }
    this.parents.pop();
  }

  /** Visits every child node in source order (acorn creates node properties in source order). */
  private children(node: AnyNode): void {
    const record = node as unknown as Record<string, unknown>;
    for (const key in record) {
      if (key === 'loc' || key === 'type') continue;
      const value = record[key];
      if (value === null || typeof value !== 'object') continue;
      if (Array.isArray(value)) {
        for (const child of value) if (child !== null && typeof (child as AnyNode).type === 'string') this.visit(child as AnyNode);
      } else if (typeof (value as AnyNode).type === 'string') {
        this.visit(value as AnyNode);
      }
    }
  }

  private list(statements: ListStatement[]): void {
    for (const st of statements) {
      if ((this.markStatements || this.checkpointLines.has(st.loc?.start.line ?? 0)) && shouldMark(st)) this.marker(st);
      this.visit(st);
    }
  }

  // ---------------------------------------------------------------- functions
  private fn(node: FunctionNode): void {
    const hint = this.hints.get(node);
    const name = node.id?.name ?? hint?.name ?? '(anonymous)';
    const body = node.body;
    const scope: FunctionScope = { varNames: new Set(), node, depth: this.parents.length - 1 };
    let openAt = -1;
    let opener = '';
    if (this.traced) {
      const flavor = node.async ? (node.generator ? 'async-generator' : 'async') : node.generator ? 'generator' : 'sync';
      const id = this.frame('function', name, hint?.span ?? node, flavor);
      if (body.type === 'BlockStatement') {
        openAt = body.start + 1;
        for (const st of body.body) {
          if (st.type !== 'ExpressionStatement' || st.directive === undefined) break;
          openAt = st.end;
        }
        if (openAt !== body.start + 1 && this.code[openAt - 1] !== ';') this.s.appendLeft(openAt, ';');
        opener = ` const __ls$s = __ls$e(${id}); try {`;
        // An empty body has no offset between opener and closer: both go in at the end, in order.
        if (openAt !== body.end - 1) this.s.appendRight(openAt, opener);
      } else {
        const last = node.params[node.params.length - 1];
        this.s.appendRight(findTokenEnd(this.code, last ? last.end : node.start, '=>'), ` { const __ls$s = __ls$e(${id}); try { return (`);
      }
    }
    this.scopes.push(scope);
    this.fnDepth++;
    for (const p of node.params) this.visit(p);
    this.visit(body);
    this.fnDepth--;
    this.scopes.pop();
    if (!this.traced) return;
    if (body.type === 'BlockStatement') {
      this.hoistConflictingDeclarations(body.body, scope, openAt);
      this.s.appendLeft(body.end - 1, `${openAt === body.end - 1 ? opener : ''} } finally { __ls$x(__ls$s); }`);
    } else {
      this.s.appendLeft(node.end, '); } finally { __ls$x(__ls$s); } }');
    }
  }

  /**
   * Inside `try { }` a function declaration is block-scoped, and a block may not declare the same name as a `var`
   * (or, in strict code, as another function). Such declarations are moved before the `try`: hoisting makes their
   * position irrelevant, and the source map follows the move.
   */
  private hoistConflictingDeclarations(statements: Statement[], scope: FunctionScope, openAt: number): void {
    const seen = new Set<string>();
    const conflicting = new Set<string>();
    for (const st of statements) {
      if (st.type !== 'FunctionDeclaration') continue;
      if (scope.varNames.has(st.id.name) || seen.has(st.id.name)) conflicting.add(st.id.name);
      seen.add(st.id.name);
    }
    if (conflicting.size === 0) return;
    for (const st of statements) if (st.type === 'FunctionDeclaration' && conflicting.has(st.id.name)) this.s.move(st.start, st.end, openAt);
  }

  private cls(node: ClassDeclaration | AnonymousClassDeclaration | ClassExpression): void {
    const name = node.id?.name ?? this.hints.get(node)?.name ?? '(anonymous)';
    this.visit(node.superClass);
    this.classNames.push(name);
    this.visit(node.body);
    this.classNames.pop();
  }

  private method(node: MethodDefinition): void {
    const cls = this.classNames[this.classNames.length - 1] ?? '(anonymous)';
    const key = keyName(this.code, node.key, node.computed);
    const name = node.kind === 'constructor' ? `new ${cls}` : node.kind === 'get' ? `get ${cls}.${key}` : node.kind === 'set' ? `set ${cls}.${key}` : `${cls}.${key}`;
    this.hints.set(node.value, { name, span: node });
    if (node.computed) this.visit(node.key);
    this.visit(node.value);
  }

  private field(node: PropertyDefinition): void {
    if (node.computed) this.visit(node.key);
    if (isNameable(node.value)) this.hint(node.value, `${this.classNames[this.classNames.length - 1] ?? '(anonymous)'}.${keyName(this.code, node.key, node.computed)}`);
    this.visit(node.value);
  }

  private property(node: Property | AssignmentProperty): void {
    if (node.computed) this.visit(node.key);
    const key = keyName(this.code, node.key, node.computed);
    if (node.kind !== 'init' || node.method) this.hints.set(node.value, { name: node.kind === 'init' ? key : `${node.kind} ${key}`, span: node });
    else if (isNameable(node.value)) this.hint(node.value, key);
    this.visit(node.value);
  }

  private assignment(node: AssignmentExpression): void {
    if (isNameable(node.right) && (node.operator === '=' || node.operator === '||=' || node.operator === '&&=' || node.operator === '??=')) {
      this.hint(node.right, node.left.type === 'Identifier' ? node.left.name : oneLine(this.code.slice(node.left.start, node.left.end), 60));
    }
    const close = this.values?.assignment(node);
    this.visit(node.left);
    this.visit(node.right);
    close?.();
  }

  /**
   * True when one of `names` is declared again (let, const, class, a block's function, a catch parameter) in a block
   * between the function at `parents[fnDepth]` and the node being visited: there the name is not the parameter.
   */
  private shadowed(names: readonly string[], fnDepth: number): boolean {
    const declared = new Set<string>();
    const lexical = (st: AnyNode): void => {
      if (st.type === 'VariableDeclaration' && st.kind !== 'var') for (const d of st.declarations) bindingNames(d.id, []).forEach((n) => declared.add(n));
      else if ((st.type === 'ClassDeclaration' || st.type === 'FunctionDeclaration') && st.id) declared.add(st.id.name);
    };
    for (let k = fnDepth + 1; k < this.parents.length; k++) {
      const n = this.parents[k]!;
      if (n.type === 'BlockStatement' || n.type === 'StaticBlock') n.body.forEach(lexical);
      else if (n.type === 'SwitchStatement') for (const c of n.cases) c.consequent.forEach(lexical);
      else if (n.type === 'ForStatement' && n.init) lexical(n.init);
      else if ((n.type === 'ForInStatement' || n.type === 'ForOfStatement')) lexical(n.left);
      else if (n.type === 'CatchClause' && n.param) bindingNames(n.param, []).forEach((x) => declared.add(x));
      else if (n.type === 'ClassExpression' && n.id) declared.add(n.id.name);
    }
    return names.some((n) => declared.has(n));
  }

  private hint(node: AnyNode | null | undefined, name: string): void {
    if (node && !this.hints.has(node)) this.hints.set(node, { name });
  }

  // ---------------------------------------------------------------- suspension points
  /** The instance id expression for the innermost function; `0` at top level (top-level await). */
  private instance(): string {
    return this.fnDepth > 0 ? '__ls$s' : '0';
  }

  /** `await X` → `__ls$r(s, await __ls$u(s, X, 0), 0)`. */
  private await(start: number, end: number, visitArgument: () => void): void {
    if (!this.traced) return visitArgument();
    const s = this.instance();
    this.s.appendRight(start, `__ls$r(${s}, `);
    this.s.appendRight(start + 'await'.length, ` __ls$u(${s}, `);
    visitArgument();
    this.s.appendLeft(end, ', 0), 0)');
  }

  /** `yield X` → `__ls$r(s, yield __ls$u(s, X, 1), 1)`; `yield* X` likewise; bare `yield` yields `undefined`. */
  private yield(start: number, end: number, delegate: boolean, argument: AnyNode | null): void {
    if (!this.traced) return this.visit(argument);
    this.s.appendRight(start, '__ls$r(__ls$s, ');
    if (!argument) {
      this.s.appendLeft(end, ' __ls$u(__ls$s, undefined, 1), 1)');
      return;
    }
    const keywordEnd = start + 'yield'.length;
    this.s.appendRight(delegate ? findTokenEnd(this.code, keywordEnd, '*') : keywordEnd, ' __ls$u(__ls$s, ');
    this.visit(argument);
    this.s.appendLeft(end, ', 1), 1)');
  }

  /**
   * `for await (H of I) B` → `u; for await (H of I) { r; try { B } finally { u; } } r;` where u/r are suspend/resume
   * with `undefined`: the loop's hidden awaits happen between a suspend and the next resume.
   */
  private forAwait(node: ForOfStatement): void {
    if (!this.traced) return this.children(node);
    const s = this.instance();
    // The statement as a whole includes its labels; node itself is parents[length - 1].
    let i = this.parents.length - 1;
    while (i > 0 && this.parents[i - 1]?.type === 'LabeledStatement') i--;
    const outer = this.parents[i] as AnyNode;
    const container = this.parents[i - 1];
    const braces = !(container && isStatementList(container, outer));
    this.s.appendRight(outer.start, `${braces ? '{ ' : ''}__ls$u(${s}, undefined, 2); `);
    this.s.appendRight(node.body.start, `{ __ls$r(${s}, undefined, 0); try { `);
    this.visit(node.left);
    this.visit(node.right);
    this.visit(node.body);
    this.s.appendLeft(node.body.end, ` } finally { __ls$u(${s}, undefined, 2); } }`);
    this.s.appendLeft(outer.end, ` __ls$r(${s}, undefined, 0);${braces ? ' }' : ''}`);
  }

  // ---------------------------------------------------------------- statements and frames
  private marker(st: ListStatement): void {
    const label = oneLine(this.o.original.slice(st.start, Math.min(st.end, st.start + STATEMENT_LABEL_CHARS * 4)), STATEMENT_LABEL_CHARS);
    this.s.appendRight(st.start, `__ls$t(${this.frame('statement', label, st)}); `);
  }

  private frame(kind: Frame['kind'], name: string, node: AnyNode, flavor?: Frame['flavor']): number {
    const id = this.o.frameIdBase + this.frames.length;
    const loc = node.loc;
    if (!loc) throw new Error('instrument: parser locations are required');
    this.frames.push({
      id, kind, name, file: this.o.path, line: loc.start.line, column: loc.start.column + 1, endLine: loc.end.line, endColumn: loc.end.column + 1,
      ...(flavor ? { flavor } : {}),
    });
    return id;
  }
}
