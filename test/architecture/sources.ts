/**
 * What the architecture tests read: the TypeScript sources of the shipped folders (parsed with the
 * `typescript` package, no type-checking), their relative imports resolved to files, and the length
 * of every function and method.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Repository-relative path with forward slashes. */
export function rel(path: string): string {
  return relative(ROOT, path).split(sep).join("/");
}

/** Files under `dir` (repository-relative) whose names end with one of `exts`, skipping build output. */
export function listFiles(dir: string, exts: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d)) {
      if (entry === "node_modules" || entry === "build" || entry === "dist" || entry.startsWith(".")) continue;
      const p = join(d, entry);
      if (statSync(p).isDirectory()) walk(p);
      else if (exts.some((e) => entry.endsWith(e)) && !entry.endsWith(".d.ts")) out.push(rel(p));
    }
  };
  const abs = join(ROOT, dir);
  if (existsSync(abs)) walk(abs);
  return out.sort();
}

const parsed = new Map<string, ts.SourceFile>();

export function parse(file: string): ts.SourceFile {
  let sf = parsed.get(file);
  if (sf === undefined) {
    sf = ts.createSourceFile(file, readFileSync(join(ROOT, file), "utf8"), ts.ScriptTarget.Latest, true);
    parsed.set(file, sf);
  }
  return sf;
}

export interface ImportEdge {
  /** Importing file (repository-relative). */
  readonly from: string;
  /** Imported file (repository-relative), resolved from a relative specifier. */
  readonly to: string;
  readonly line: number;
  /** `import type`, `export type`, or an `import("…")` type: no runtime edge. */
  readonly typeOnly: boolean;
}

/** Relative imports and re-exports of `file` (static, dynamic `import()` and `import("…")` types). */
export function importsOf(file: string): ImportEdge[] {
  const sf = parse(file);
  const edges: ImportEdge[] = [];
  const add = (spec: ts.Expression | undefined, node: ts.Node, typeOnly: boolean): void => {
    if (spec === undefined || !ts.isStringLiteralLike(spec) || !spec.text.startsWith(".")) return;
    const to = resolveSpecifier(file, spec.text);
    edges.push({ from: file, to, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, typeOnly });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier, node, typeOnly);
    } else if (ts.isExportDeclaration(node)) {
      const typeOnly = node.isTypeOnly || (node.exportClause !== undefined && ts.isNamedExports(node.exportClause) && node.exportClause.elements.every((e) => e.isTypeOnly));
      add(node.moduleSpecifier, node, typeOnly);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node.arguments[0], node, false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal, node, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return edges;
}

function resolveSpecifier(from: string, spec: string): string {
  const base = join(ROOT, dirname(from), spec);
  const candidates = [base.replace(/\.js$/, ".ts"), base.replace(/\.mjs$/, ".mts"), base, `${base}.ts`, join(base, "index.ts")];
  for (const c of candidates) if (existsSync(c) && statSync(c).isFile()) return rel(c);
  return rel(base);
}

export interface FunctionLength {
  readonly file: string;
  /** `name`, `Class.method`, `Class.#private`, the variable or property an arrow is assigned to, or `<anonymous>`. */
  readonly name: string;
  readonly line: number;
  readonly lines: number;
}

/**
 * Every function-like with a body in `file`: declarations, methods, constructors, accessors, function
 * expressions and arrows. Length = lines from its first token (modifiers included, doc comment not) to
 * its closing brace, inclusive. Nested functions are measured on their own and also inside their parent.
 */
export function functionLengths(file: string): FunctionLength[] {
  const sf = parse(file);
  const out: FunctionLength[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && "body" in node && node.body !== undefined) {
      const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
      const end = sf.getLineAndCharacterOfPosition(node.end).line;
      out.push({ file, name: functionName(node), line: start + 1, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

function functionName(node: ts.SignatureDeclaration): string {
  const parent = node.parent;
  const owner = parent !== undefined && (ts.isClassDeclaration(parent) || ts.isClassExpression(parent)) ? (parent.name?.text ?? "<class>") : undefined;
  if (ts.isConstructorDeclaration(node)) return `${owner ?? "<class>"}.constructor`;
  const own = node.name?.getText();
  if (ts.isMethodDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node)) {
    return owner === undefined ? (own ?? "<anonymous>") : `${owner}.${own ?? "<anonymous>"}`;
  }
  if (own !== undefined) return own;
  if (parent !== undefined && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent))) return parent.name.getText();
  if (parent !== undefined && ts.isPropertyDeclaration(parent)) {
    const cls = parent.parent;
    const clsName = ts.isClassDeclaration(cls) || ts.isClassExpression(cls) ? (cls.name?.text ?? "<class>") : "<class>";
    return `${clsName}.${parent.name.getText()}`;
  }
  return "<anonymous>";
}
