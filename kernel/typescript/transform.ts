/**
 * Compiles a TypeScript cell into a script that runs in the kernel's global scope:
 *
 *   var a, f, A;                                   ← every top-level name, as a global (redeclarable)
 *   (async (require) => {                          ← top-level await works
 *     f = function f() {…};                        ← functions first (hoisting)
 *     const $m0 = await __statarb__.import("x");   ← imports become dynamic
 *     a = $m0.a; A = class A {…};
 *     return { value: <last expression> };         ← wrapped so a promise value is not adopted
 *   })(__statarb__.require)
 *
 * `let`/`const`/`class`/`function` become assignments to globals, so re-running a cell that declares
 * them works and later cells see them by name (shorthand properties `({ q })` included). Types are
 * stripped, not checked (ts.transpileModule with a `before` transformer); the source map maps the
 * script back to the cell's own lines for tracebacks.
 */
import type * as TS from "typescript";
import { typescript } from "./load-typescript.js";

/** The global the compiled cells call into (imports, require). */
export const RUNTIME_GLOBAL = "__statarb__";

export interface CompiledCell {
  js: string;
  /** Source map (v3) of `js` → the cell. */
  map: string;
  /** Top-level names the cell declares (values, not types). */
  declared: string[];
  /** Whether the last statement is an expression whose value is shown. */
  hasValue: boolean;
  /** Syntax errors: message and 0-based line/column in the cell. */
  syntaxErrors: { message: string; line: number; column: number }[];
}

const cache = new Map<string, CompiledCell>();

export function compileCell(source: string): CompiledCell {
  const hit = cache.get(source);
  if (hit) return hit;
  const compiled = compile(source);
  if (cache.size > 500) cache.clear();
  cache.set(source, compiled);
  return compiled;
}

/**
 * Gives the cache the compilation of `source` made elsewhere by this same function (the kernel process
 * compiles for engines started after a reset: kernel/executor/client.ts), so `compileCell(source)` here
 * returns it without loading the compiler.
 */
export function seedCompiled(source: string, compiled: CompiledCell): void {
  if (cache.size > 500) cache.clear();
  cache.set(source, compiled);
}

function compile(source: string): CompiledCell {
  const ts = typescript();
  const declared = new Set<string>();
  let hasValue = false;
  const out = ts.transpileModule(source, {
    fileName: "cell.ts",
    reportDiagnostics: true,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleDetection: ts.ModuleDetectionKind.Force,
      sourceMap: true,
      inlineSources: false,
      experimentalDecorators: false,
      useDefineForClassFields: true,
      jsx: ts.JsxEmit.React,
      removeComments: false,
    },
    transformers: {
      before: [
        (context) => (file) => {
          const r = rewriteCell(ts, context, file);
          r.declared.forEach((n) => declared.add(n));
          hasValue = r.hasValue;
          return r.file;
        },
      ],
    },
  });
  const syntaxErrors = (out.diagnostics ?? [])
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => {
      const pos = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : { line: 0, character: 0 };
      return { message: ts.flattenDiagnosticMessageText(d.messageText, "\n"), line: pos.line, column: pos.character };
    });
  const js = out.outputText.replace(/^export \{\};\s*$/m, "").replace(/\/\/# sourceMappingURL=.*$/m, "");
  return { js, map: out.sourceMapText ?? "", declared: [...declared], hasValue, syntaxErrors };
}

interface Rewritten {
  file: TS.SourceFile;
  declared: string[];
  hasValue: boolean;
}

/** What the rewriting steps of one cell share: the compiler API, the node factory and what was found so far. */
interface Rewrite {
  readonly ts: typeof TS;
  readonly f: TS.NodeFactory;
  readonly context: TS.TransformationContext;
  /** Top-level names the cell declares. */
  readonly declared: Set<string>;
  /** Function declarations, moved to the top of the wrapper (hoisting). */
  readonly hoisted: TS.Statement[];
  /** The wrapper's statements, in order. */
  readonly body: TS.Statement[];
  /** The last statement that runs (its value is the cell's). */
  readonly lastRuntime: TS.Statement | undefined;
  /** Numbers the temporaries of imports. */
  importIndex: number;
  /** Rewrites `var` inside top-level blocks and loops into assignments to globals. */
  readonly nestedVars: (node: TS.Node) => TS.Node;
}

function rewriteCell(ts: typeof TS, context: TS.TransformationContext, file: TS.SourceFile): Rewritten {
  const statements = file.statements.map((s) => ts.visitNode(s, dynamicImports(ts, context)) as TS.Statement);
  const declared = new Set<string>();
  const r: Rewrite = {
    ts,
    f: context.factory,
    context,
    declared,
    hoisted: [],
    body: [],
    lastRuntime: [...statements].reverse().find((s) => !isTypeOnly(ts, s)),
    importIndex: 0,
    nestedVars: nestedVarsVisitor(ts, context, declared),
  };
  for (const stmt of statements) rewriteStatement(r, stmt);
  const last = r.lastRuntime;
  const hasValue = last !== undefined && (ts.isExpressionStatement(last) || ts.isExportAssignment(last));
  return { file: r.f.updateSourceFile(file, wrapCell(r)), declared: [...declared], hasValue };
}

/** `var a, b;` for every declared name, then `(async (require) => { …hoisted, …body })(__statarb__.require)`. */
function wrapCell(r: Rewrite): TS.Statement[] {
  const { ts, f } = r;
  const out: TS.Statement[] = [];
  if (r.declared.size > 0) {
    out.push(f.createVariableStatement(undefined, f.createVariableDeclarationList([...r.declared].map((n) => f.createVariableDeclaration(n)), ts.NodeFlags.None)));
  }
  const wrapper = f.createArrowFunction(
    [f.createModifier(ts.SyntaxKind.AsyncKeyword)],
    undefined,
    [f.createParameterDeclaration(undefined, undefined, "require")],
    undefined,
    undefined,
    f.createBlock([...r.hoisted, ...r.body], true),
  );
  out.push(f.createExpressionStatement(f.createCallExpression(f.createParenthesizedExpression(wrapper), undefined, [runtime(r.f, "require")])));
  return out;
}

/** `__statarb__.member`. */
function runtime(f: TS.NodeFactory, member: string): TS.Expression {
  return f.createPropertyAccessExpression(f.createIdentifier(RUNTIME_GLOBAL), member);
}

/** `name = value;` over the range of the statement it replaces. */
function assign(r: Rewrite, name: string, value: TS.Expression, range: TS.TextRange): TS.Statement {
  const f = r.f;
  return r.ts.setTextRange(f.createExpressionStatement(f.createAssignment(f.createIdentifier(name), value)), range);
}

function hasModifier(ts: typeof TS, node: TS.Node, kind: TS.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) ? (ts.getModifiers(node) ?? []).some((m) => m.kind === kind) : false;
}

/** `import("x")` anywhere in the cell → the kernel's resolver (from the notebook's folder). */
function dynamicImports(ts: typeof TS, context: TS.TransformationContext): (node: TS.Node) => TS.Node {
  const f = context.factory;
  const visit = (node: TS.Node): TS.Node => {
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      return ts.setTextRange(f.createCallExpression(runtime(f, "import"), undefined, ts.visitNodes(node.arguments, visit) as TS.NodeArray<TS.Expression>), node);
    }
    return ts.visitEachChild(node, visit, context);
  };
  return visit;
}

/**
 * `var` inside top-level blocks and loops (`for (var i = 0; …)`) is global in a script: keep it so,
 * rather than local to the wrapper. Functions and classes have their own scope: not entered.
 */
function nestedVarsVisitor(ts: typeof TS, context: TS.TransformationContext, declared: Set<string>): (node: TS.Node) => TS.Node {
  const f = context.factory;
  const varToTarget = (list: TS.VariableDeclarationList): TS.Expression | undefined => {
    const parts: TS.Expression[] = [];
    for (const d of list.declarations) {
      collectNames(ts, d.name, declared);
      if (d.initializer) parts.push(ts.setTextRange(f.createAssignment(bindingToTarget(ts, f, d.name), ts.visitNode(d.initializer, nestedVars) as TS.Expression), d));
    }
    if (parts.length === 0) return undefined;
    return parts.length === 1 ? parts[0] : f.createCommaListExpression(parts);
  };
  const isVarList = (n: TS.Node | undefined): n is TS.VariableDeclarationList =>
    n !== undefined && ts.isVariableDeclarationList(n) && (n.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const | ts.NodeFlags.Using | ts.NodeFlags.AwaitUsing)) === 0;
  const forInOf = (node: TS.ForInStatement | TS.ForOfStatement, list: TS.VariableDeclarationList): TS.Node | undefined => {
    const d = list.declarations[0];
    if (!d || list.declarations.length !== 1) return undefined;
    collectNames(ts, d.name, declared);
    const target = bindingToTarget(ts, f, d.name);
    const stmt = ts.visitNode(node.statement, nestedVars) as TS.Statement;
    const expr = ts.visitNode(node.expression, nestedVars) as TS.Expression;
    return ts.isForInStatement(node) ? f.updateForInStatement(node, target, expr, stmt) : f.updateForOfStatement(node, node.awaitModifier, target, expr, stmt);
  };
  const nestedVars = (node: TS.Node): TS.Node => {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return node;
    if (ts.isVariableStatement(node) && isVarList(node.declarationList) && !hasModifier(ts, node, ts.SyntaxKind.DeclareKeyword)) {
      const e = varToTarget(node.declarationList);
      return e ? ts.setTextRange(f.createExpressionStatement(e), node) : f.createEmptyStatement();
    }
    if ((ts.isForInStatement(node) || ts.isForOfStatement(node)) && isVarList(node.initializer)) {
      const done = forInOf(node, node.initializer);
      if (done) return done;
    }
    if (ts.isForStatement(node) && isVarList(node.initializer)) {
      const init = varToTarget(node.initializer);
      return f.updateForStatement(node, init, ts.visitNode(node.condition, nestedVars) as TS.Expression | undefined, ts.visitNode(node.incrementor, nestedVars) as TS.Expression | undefined, ts.visitNode(node.statement, nestedVars) as TS.Statement);
    }
    return ts.visitEachChild(node, nestedVars, context);
  };
  return nestedVars;
}

/** Rewrites one top-level statement into `r.body` (or `r.hoisted`). */
function rewriteStatement(r: Rewrite, stmt: TS.Statement): void {
  const { ts } = r;
  if (ts.isImportDeclaration(stmt)) return rewriteImport(r, stmt);
  if (ts.isImportEqualsDeclaration(stmt)) return rewriteImportEquals(r, stmt);
  if (ts.isExportDeclaration(stmt)) return;
  if (ts.isExportAssignment(stmt)) {
    r.body.push(stmt === r.lastRuntime ? valueReturn(ts, r.f, stmt.expression, stmt) : ts.setTextRange(r.f.createExpressionStatement(stmt.expression), stmt));
    return;
  }
  if (ts.isVariableStatement(stmt)) return rewriteVariables(r, stmt);
  if (ts.isFunctionDeclaration(stmt)) return rewriteFunction(r, stmt);
  if (ts.isClassDeclaration(stmt)) return rewriteClass(r, stmt);
  if ((ts.isEnumDeclaration(stmt) || ts.isModuleDeclaration(stmt)) && ts.isIdentifier(stmt.name)) return rewriteEnumOrNamespace(r, stmt);
  if (ts.isExpressionStatement(stmt) && stmt === r.lastRuntime) {
    r.body.push(valueReturn(ts, r.f, stmt.expression, stmt));
    return;
  }
  r.body.push(ts.visitNode(stmt, r.nestedVars) as TS.Statement);
}

/** `import x, { a as b } from "m"` → `const $import0 = await __statarb__.import("m"); x = $import0.default; b = $import0["a"];`. */
function rewriteImport(r: Rewrite, stmt: TS.ImportDeclaration): void {
  const { ts, f } = r;
  const clause = stmt.importClause;
  if (clause?.isTypeOnly) return;
  const load = f.createAwaitExpression(f.createCallExpression(runtime(f, "import"), undefined, [stmt.moduleSpecifier as TS.Expression]));
  if (!clause) {
    r.body.push(ts.setTextRange(f.createExpressionStatement(load), stmt));
    return;
  }
  const tmp = f.createUniqueName(`$import${r.importIndex++}`);
  r.body.push(ts.setTextRange(f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(tmp, undefined, undefined, load)], ts.NodeFlags.Const)), stmt));
  if (clause.name) {
    r.declared.add(clause.name.text);
    r.body.push(assign(r, clause.name.text, f.createPropertyAccessExpression(tmp, "default"), stmt));
  }
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) {
    r.declared.add(bindings.name.text);
    r.body.push(assign(r, bindings.name.text, tmp, stmt));
  } else if (bindings) {
    for (const el of bindings.elements) {
      if (el.isTypeOnly) continue;
      r.declared.add(el.name.text);
      const from = el.propertyName ? (ts.isIdentifier(el.propertyName) ? el.propertyName.text : el.propertyName.text) : el.name.text;
      r.body.push(assign(r, el.name.text, f.createElementAccessExpression(tmp, f.createStringLiteral(from)), el));
    }
  }
}

/** `import x = require("m")` / `import E = ns.E`. */
function rewriteImportEquals(r: Rewrite, stmt: TS.ImportEqualsDeclaration): void {
  const { ts, f } = r;
  if (stmt.isTypeOnly) return;
  r.declared.add(stmt.name.text);
  const ref = stmt.moduleReference;
  const value = ts.isExternalModuleReference(ref) ? f.createCallExpression(f.createIdentifier("require"), undefined, [ref.expression]) : entityToExpression(ts, f, ref);
  r.body.push(assign(r, stmt.name.text, value, stmt));
}

/** `let`/`const`/`var` → assignments to globals (`let a;` → `a = void 0`). */
function rewriteVariables(r: Rewrite, stmt: TS.VariableStatement): void {
  const { ts, f } = r;
  if (hasModifier(ts, stmt, ts.SyntaxKind.DeclareKeyword)) return;
  const blockScoped = (stmt.declarationList.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)) !== 0;
  const parts: TS.Expression[] = [];
  for (const d of stmt.declarationList.declarations) {
    collectNames(ts, d.name, r.declared);
    if (d.initializer) parts.push(ts.setTextRange(f.createAssignment(bindingToTarget(ts, f, d.name), d.initializer), d));
    else if (blockScoped && ts.isIdentifier(d.name)) parts.push(ts.setTextRange(f.createAssignment(f.createIdentifier(d.name.text), f.createVoidZero()), d));
  }
  if (parts.length > 0) r.body.push(ts.setTextRange(f.createExpressionStatement(parts.length === 1 ? (parts[0] as TS.Expression) : f.createCommaListExpression(parts)), stmt));
}

/** `function f() {}` → `f = function f() {}`, hoisted to the top of the wrapper. */
function rewriteFunction(r: Rewrite, stmt: TS.FunctionDeclaration): void {
  const { ts, f } = r;
  if (!stmt.body || hasModifier(ts, stmt, ts.SyntaxKind.DeclareKeyword)) return;
  if (!stmt.name) {
    r.body.push(ts.setTextRange(f.createExpressionStatement(toFunctionExpression(ts, f, stmt)), stmt));
    return;
  }
  r.declared.add(stmt.name.text);
  r.hoisted.push(assign(r, stmt.name.text, toFunctionExpression(ts, f, stmt), stmt));
}

/** `class A {}` → `A = class A {}`. */
function rewriteClass(r: Rewrite, stmt: TS.ClassDeclaration): void {
  const { ts, f } = r;
  if (hasModifier(ts, stmt, ts.SyntaxKind.DeclareKeyword)) return;
  const modifiers = (ts.getModifiers(stmt) ?? []).filter((m) => (m.kind === ts.SyntaxKind.AbstractKeyword ? false : m.kind !== ts.SyntaxKind.ExportKeyword && m.kind !== ts.SyntaxKind.DefaultKeyword));
  const decorators = ts.getDecorators(stmt) ?? [];
  const expr = ts.setTextRange(f.createClassExpression([...decorators, ...modifiers], stmt.name, stmt.typeParameters, stmt.heritageClauses, stmt.members), stmt);
  if (!stmt.name) {
    r.body.push(ts.setTextRange(f.createExpressionStatement(expr), stmt));
    return;
  }
  r.declared.add(stmt.name.text);
  r.body.push(assign(r, stmt.name.text, expr, stmt));
}

/** `enum E {}` / `namespace N {}` → `E = (() => { enum E {}; return E; })()` (type-only namespaces stay as they are). */
function rewriteEnumOrNamespace(r: Rewrite, stmt: TS.EnumDeclaration | TS.ModuleDeclaration): void {
  const { ts, f } = r;
  if (hasModifier(ts, stmt, ts.SyntaxKind.DeclareKeyword)) return;
  if (ts.isModuleDeclaration(stmt) && !isInstantiated(ts, stmt)) {
    r.body.push(stmt);
    return;
  }
  const name = (stmt.name as TS.Identifier).text;
  r.declared.add(name);
  const modifiers = (ts.getModifiers(stmt) ?? []).filter((m) => m.kind !== ts.SyntaxKind.ExportKeyword && m.kind !== ts.SyntaxKind.DefaultKeyword);
  const withoutExport = ts.isEnumDeclaration(stmt) ? f.updateEnumDeclaration(stmt, modifiers, stmt.name, stmt.members) : f.updateModuleDeclaration(stmt, modifiers, stmt.name, stmt.body);
  const iife = f.createCallExpression(
    f.createParenthesizedExpression(f.createArrowFunction(undefined, undefined, [], undefined, undefined, f.createBlock([withoutExport, f.createReturnStatement(f.createIdentifier(name))], true))),
    undefined,
    [],
  );
  r.body.push(assign(r, name, iife, stmt));
}

function valueReturn(ts: typeof TS, f: TS.NodeFactory, expr: TS.Expression, range: TS.TextRange): TS.Statement {
  return ts.setTextRange(f.createReturnStatement(f.createObjectLiteralExpression([f.createPropertyAssignment("value", expr)])), range);
}

function isTypeOnly(ts: typeof TS, s: TS.Statement): boolean {
  if (ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s)) return true;
  if (ts.isImportDeclaration(s) && s.importClause?.isTypeOnly) return true;
  if (ts.isFunctionDeclaration(s) && !s.body) return true;
  if (ts.canHaveModifiers(s) && (ts.getModifiers(s) ?? []).some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)) return true;
  if (ts.isModuleDeclaration(s) && !isInstantiated(ts, s)) return true;
  return ts.isEmptyStatement(s);
}

/** Whether a namespace holds values (TypeScript emits only those). */
function isInstantiated(ts: typeof TS, m: TS.ModuleDeclaration): boolean {
  const body = m.body;
  if (!body) return false;
  if (ts.isModuleDeclaration(body)) return isInstantiated(ts, body);
  if (!ts.isModuleBlock(body)) return false;
  return body.statements.some((s) => !isTypeOnly(ts, s));
}

function collectNames(ts: typeof TS, name: TS.BindingName, into: Set<string>): void {
  if (ts.isIdentifier(name)) {
    into.add(name.text);
    return;
  }
  for (const el of name.elements) if (!ts.isOmittedExpression(el)) collectNames(ts, el.name, into);
}

/** A binding pattern as the equivalent assignment target (`const {a, b: [c]} = x` → `({a, b: [c]} = x)`). */
function bindingToTarget(ts: typeof TS, f: TS.NodeFactory, name: TS.BindingName): TS.Expression {
  if (ts.isIdentifier(name)) return f.createIdentifier(name.text);
  if (ts.isObjectBindingPattern(name)) {
    return f.createObjectLiteralExpression(
      name.elements.map((el) => {
        if (el.dotDotDotToken) return f.createSpreadAssignment(bindingToTarget(ts, f, el.name));
        if (!el.propertyName && ts.isIdentifier(el.name)) return f.createShorthandPropertyAssignment(el.name.text, el.initializer);
        const key = el.propertyName ?? (el.name as TS.Identifier);
        const target = bindingToTarget(ts, f, el.name);
        return f.createPropertyAssignment(key as TS.PropertyName, el.initializer ? f.createAssignment(target, el.initializer) : target);
      }),
    );
  }
  return f.createArrayLiteralExpression(
    name.elements.map((el) => {
      if (ts.isOmittedExpression(el)) return f.createOmittedExpression();
      const target = bindingToTarget(ts, f, el.name);
      if (el.dotDotDotToken) return f.createSpreadElement(target);
      return el.initializer ? f.createAssignment(target, el.initializer) : target;
    }),
  );
}

function toFunctionExpression(ts: typeof TS, f: TS.NodeFactory, fn: TS.FunctionDeclaration): TS.FunctionExpression {
  const modifiers = (ts.getModifiers(fn) ?? []).filter((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
  return ts.setTextRange(f.createFunctionExpression(modifiers, fn.asteriskToken, fn.name, fn.typeParameters, fn.parameters, fn.type, fn.body ?? f.createBlock([])), fn);
}

function entityToExpression(ts: typeof TS, f: TS.NodeFactory, e: TS.EntityName): TS.Expression {
  return ts.isIdentifier(e) ? f.createIdentifier(e.text) : f.createPropertyAccessExpression(entityToExpression(ts, f, e.left), e.right.text);
}
