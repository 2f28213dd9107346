/** Which statements statement mode marks, and where a statement may stand without braces. */
import type { AnyNode, ModuleDeclaration, Statement } from 'acorn';

/** Whether a statement of a list gets a statement-mode marker. */
export function shouldMark(st: Statement | ModuleDeclaration): boolean {
  switch (st.type) {
    case 'FunctionDeclaration':
    case 'ImportDeclaration':
    case 'ExportAllDeclaration':
    case 'EmptyStatement':
      return false;
    case 'ExpressionStatement':
      return st.directive === undefined;
    case 'ExportNamedDeclaration':
      // `export { a }` and `export … from` have nothing to run; an exported function declaration is hoisted
      return !!st.declaration && st.declaration.type !== 'FunctionDeclaration';
    case 'ExportDefaultDeclaration':
      return !(st.declaration.type === 'FunctionDeclaration' && st.declaration.id);
    default:
      return true;
  }
}

export function isStatementList(container: AnyNode, child: AnyNode): boolean {
  switch (container.type) {
    case 'Program':
    case 'BlockStatement':
    case 'StaticBlock':
      return (container.body as AnyNode[]).includes(child);
    case 'SwitchCase':
      return (container.consequent as AnyNode[]).includes(child);
    default:
      return false;
  }
}
