/** Names for frames and bindings: what a learner sees on the stage for a function, and what a pattern declares. */
import type { AnyNode, Expression, Pattern, PrivateIdentifier } from 'acorn';
import { oneLine } from './scan.ts';

/** How a property or class member key reads in a frame name: `increment`, `#count`, `[Symbol.iterator]`. */
export function keyName(code: string, key: Expression | PrivateIdentifier, computed: boolean): string {
  if (!computed) {
    if (key.type === 'Identifier') return key.name;
    if (key.type === 'PrivateIdentifier') return `#${key.name}`;
    if (key.type === 'Literal') return String(key.value);
  }
  return `[${oneLine(code.slice(key.start, key.end), 40)}]`;
}

/** True for the expressions JavaScript gives an inferred name to (`const f = () => …`). */
export function isNameable(node: AnyNode | null | undefined): boolean {
  return !!node && (node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression' || node.type === 'ClassExpression');
}

/** Every identifier a declaration pattern binds, in source order. */
export function bindingNames(pattern: Pattern | null | undefined, out: string[] = []): string[] {
  if (!pattern) return out;
  switch (pattern.type) {
    case 'Identifier':
      out.push(pattern.name);
      break;
    case 'ObjectPattern':
      for (const p of pattern.properties) bindingNames(p.type === 'RestElement' ? p.argument : p.value, out);
      break;
    case 'ArrayPattern':
      for (const e of pattern.elements) bindingNames(e, out);
      break;
    case 'RestElement':
      bindingNames(pattern.argument, out);
      break;
    case 'AssignmentPattern':
      bindingNames(pattern.left, out);
      break;
    case 'MemberExpression':
      break; // only in assignment targets, never in declarations
  }
  return out;
}
