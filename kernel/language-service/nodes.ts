/** AST lookups the public TypeScript API does not offer. */
import type * as TS from "typescript";
import { ts } from "./typescript.js";

/** The deepest node whose full range holds `position` (the source file itself when none does). */
export function findInnermostNode(file: TS.SourceFile, position: number): TS.Node {
  let found: TS.Node = file;
  const visit = (node: TS.Node): void => {
    if (position >= node.getStart(file) && position < node.getEnd()) {
      found = node;
      ts.forEachChild(node, visit);
    }
  };
  ts.forEachChild(file, visit);
  return found;
}
