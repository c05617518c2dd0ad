/** AST lookups the public TypeScript API does not offer. */
import ts from "typescript";

/** The deepest node whose full range holds `position` (the source file itself when none does). */
export function findInnermostNode(file: ts.SourceFile, position: number): ts.Node {
  let found: ts.Node = file;
  const visit = (node: ts.Node): void => {
    if (position >= node.getStart(file) && position < node.getEnd()) {
      found = node;
      ts.forEachChild(node, visit);
    }
  };
  ts.forEachChild(file, visit);
  return found;
}
