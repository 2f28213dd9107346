/**
 * ES module syntax → calls on the sandbox's module loader, applied to the top level of a module in the same walk
 * as the instrumentation (traced or not):
 *
 *   import d, { a, b as c } from 'm'   →  const { default: d, a, b: c } = __ls$imp('m');   (hoisted to the top)
 *   import * as ns from 'm'            →  const ns = __ls$imp('m');
 *   export const x = 1                 →  const x = 1; __ls$exp.x = x;
 *   export function f() {}             →  function f() {}   + `__ls$exp.f = f;` at the top (functions are hoisted)
 *   export { a, b as c }               →  __ls$exp.a = a; __ls$exp.c = b;   (after the declaration if it comes later)
 *   export default EXPR                →  __ls$exp.default = (EXPR);
 *   export * from 'm'                  →  Object.assign(__ls$exp, __ls$imp('m'));
 *   export { x } from 'm'              →  __ls$exp.x = __ls$imp('m').x;
 *
 * Invariants: replacements keep the line count of what they replace (V8 line numbers stay the original ones);
 * imports and re-exports that follow other code are moved before it, in source order, as ES hoists them.
 * Bindings are snapshots, not live bindings.
 */
import type MagicString from 'magic-string';
import type { AnyNode, ExportNamedDeclaration, ExportSpecifier, ImportDeclaration, Literal, Identifier, Program, Statement, ModuleDeclaration } from 'acorn';
import { bindingNames, isNameable, member } from './names.ts';
import { findTokenEnd } from './scan.ts';

export interface ModuleEditContext {
  readonly s: MagicString;
  readonly code: string;
  addImport(specifier: string): void;
  nameHint(node: AnyNode, name: string): void;
}

type TopStatement = Statement | ModuleDeclaration;
type BindingKind = 'function' | 'var' | 'lexical';

/** The wrapper's CommonJS-style parameters, which a module's own top-level `const`/`import` may shadow. */

export function isHoistedModuleStatement(st: TopStatement): boolean {
  return st.type === 'ImportDeclaration' || st.type === 'ExportAllDeclaration' || (st.type === 'ExportNamedDeclaration' && !!st.source);
}

function nameOf(n: Identifier | Literal): string {
  return n.type === 'Identifier' ? n.name : String(n.value);
}

export class ModuleRewriter {
  /** Statements for the top of the body: exports of hoisted function declarations. */
  readonly hoisted: string[] = [];
  private readonly ctx: ModuleEditContext;
  private readonly topLevel = new Map<string, { stmt: TopStatement; kind: BindingKind }>();
  /** Text to append after a top-level statement once it has been walked (post-order keeps closers in order). */
  private readonly pending = new Map<TopStatement, { at: number; text: string }[]>();

  constructor(ctx: ModuleEditContext) {
    this.ctx = ctx;
  }

  begin(program: Program): void {
    for (const st of program.body) {
      const d = st.type === 'ExportNamedDeclaration' || st.type === 'ExportDefaultDeclaration' ? st.declaration : st;
      if (!d) continue;
      if (d.type === 'FunctionDeclaration' && d.id) this.topLevel.set(d.id.name, { stmt: st, kind: 'function' });
      else if (d.type === 'ClassDeclaration' && d.id) this.topLevel.set(d.id.name, { stmt: st, kind: 'lexical' });
      else if (d.type === 'VariableDeclaration') {
        for (const decl of d.declarations) for (const n of bindingNames(decl.id)) this.topLevel.set(n, { stmt: st, kind: d.kind === 'var' ? 'var' : 'lexical' });
      } else if (d.type === 'ImportDeclaration') {
        for (const sp of d.specifiers) this.topLevel.set(sp.local.name, { stmt: st, kind: 'lexical' });
      }
    }
  }

  /** Rewrites one top-level statement before it is walked. */
  before(st: TopStatement): void {
    const { s, code } = this.ctx;
    switch (st.type) {
      case 'ImportDeclaration':
        this.ctx.addImport(String(st.source.value));
        this.replace(st, importText(st));
        return;
      case 'ExportAllDeclaration': {
        this.ctx.addImport(String(st.source.value));
        const load = `__ls$imp(${quote(st.source)})`;
        this.replace(st, st.exported ? `${member('__ls$exp', nameOf(st.exported))} = ${load};` : `Object.assign(__ls$exp, ${load});`);
        return;
      }
      case 'ExportNamedDeclaration':
        if (st.source) {
          this.ctx.addImport(String(st.source.value));
          this.replace(st, reexportText(st, st.source));
        } else if (st.declaration) {
          const d = st.declaration;
          s.remove(st.start, d.start);
          if (d.type === 'FunctionDeclaration') this.hoisted.push(`${member('__ls$exp', d.id.name)} = ${d.id.name};`);
          else {
            const names = d.type === 'ClassDeclaration' ? [d.id.name] : d.declarations.flatMap((decl) => bindingNames(decl.id));
            this.after(st, names.map((n) => `${member('__ls$exp', n)} = ${n};`).join(' '));
          }
        } else {
          this.replace(st, this.specifierExports(st, st.specifiers));
        }
        return;
      case 'ExportDefaultDeclaration': {
        const d = st.declaration;
        if ((d.type === 'FunctionDeclaration' || d.type === 'ClassDeclaration') && d.id) {
          s.remove(st.start, d.start);
          const text = `__ls$exp.default = ${d.id.name};`;
          if (d.type === 'FunctionDeclaration') this.hoisted.push(text);
          else this.after(st, text);
          return;
        }
        if (d.type === 'FunctionDeclaration' || d.type === 'ClassDeclaration' || isNameable(d)) this.ctx.nameHint(d, 'default');
        s.update(st.start, findTokenEnd(code, st.start + 'export'.length, 'default'), '__ls$exp.default = (');
        const semicolon = code[st.end - 1] === ';';
        this.pendingAt(st, semicolon ? st.end - 1 : st.end, semicolon ? ')' : ');');
        return;
      }
      default:
        return;
    }
  }

  /** Appends what `before` queued for this statement; call after walking it. */
  finish(st: TopStatement): void {
    const list = this.pending.get(st);
    if (!list) return;
    for (const { at, text } of list) this.ctx.s.appendLeft(at, text);
  }

  /** Moves imports and re-exports that follow other code to before it. */
  end(program: Program): void {
    const first = program.body.find((st) => !isHoistedModuleStatement(st));
    if (!first) return;
    for (const st of program.body) if (st.start > first.start && isHoistedModuleStatement(st)) this.ctx.s.move(st.start, st.end, first.start);
  }

  private specifierExports(st: ExportNamedDeclaration, specifiers: ExportSpecifier[]): string {
    const here: string[] = [];
    for (const sp of specifiers) {
      const local = nameOf(sp.local);
      const text = `${member('__ls$exp', nameOf(sp.exported))} = ${local};`;
      const decl = this.topLevel.get(local);
      if (decl?.kind === 'function') this.hoisted.push(text);
      else if (decl && decl.stmt.start > st.start) this.after(decl.stmt, text); // declared later: export once it exists
      else here.push(text);
    }
    return here.join(' ');
  }

  /** Queues `text` as a statement after `stmt` (adding the `;` its declaration may lack). */
  private after(stmt: TopStatement, text: string): void {
    const last = this.ctx.code[stmt.end - 1];
    this.pendingAt(stmt, stmt.end, `${last === ';' ? '' : ';'} ${text}`);
  }

  private pendingAt(key: TopStatement, at: number, text: string): void {
    const list = this.pending.get(key);
    if (list) list.push({ at, text });
    else this.pending.set(key, [{ at, text }]);
  }

  /** Replaces a whole statement, keeping its line count. */
  private replace(st: TopStatement, text: string): void {
    const source = this.ctx.code.slice(st.start, st.end);
    let newlines = '';
    for (const m of source.matchAll(/\r\n|[\n\r\u2028\u2029]/g)) newlines += m[0];
    this.ctx.s.update(st.start, st.end, text + newlines);
  }
}

function importText(st: ImportDeclaration): string {
  const load = `__ls$imp(${quote(st.source)})`;
  const ns = st.specifiers.find((sp) => sp.type === 'ImportNamespaceSpecifier');
  const fields: string[] = [];
  for (const sp of st.specifiers) {
    if (sp.type === 'ImportDefaultSpecifier') fields.push(`default: ${sp.local.name}`);
    else if (sp.type === 'ImportSpecifier') {
      const imported = nameOf(sp.imported);
      fields.push(imported === sp.local.name ? imported : `${/^[A-Za-z_$][\w$]*$/.test(imported) ? imported : JSON.stringify(imported)}: ${sp.local.name}`);
    }
  }
  if (ns) return `const ${ns.local.name} = ${load};${fields.length ? ` const { ${fields.join(', ')} } = ${ns.local.name};` : ''}`;
  if (st.specifiers.length === 0) return `${load};`;
  return `const { ${fields.join(', ')} } = ${load};`;
}

function reexportText(st: ExportNamedDeclaration, source: Literal): string {
  const load = `__ls$imp(${quote(source)})`;
  if (st.specifiers.length === 0) return `${load};`;
  return st.specifiers.map((sp) => `${member('__ls$exp', nameOf(sp.exported))} = ${member(load, nameOf(sp.local))};`).join(' ');
}

function quote(source: Literal): string {
  return JSON.stringify(String(source.value));
}
