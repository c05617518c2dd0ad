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

function rewriteCell(ts: typeof TS, context: TS.TransformationContext, file: TS.SourceFile): Rewritten {
  const f = context.factory;
  const declared = new Set<string>();
  const hoistedFunctions: TS.Statement[] = [];
  const body: TS.Statement[] = [];
  let importIndex = 0;
  const runtime = (member: string) => f.createPropertyAccessExpression(f.createIdentifier(RUNTIME_GLOBAL), member);
  const assign = (name: string, value: TS.Expression, range: TS.TextRange) =>
    ts.setTextRange(f.createExpressionStatement(f.createAssignment(f.createIdentifier(name), value)), range);
  const hasModifier = (node: TS.Node, kind: TS.SyntaxKind) => (ts.canHaveModifiers(node) ? (ts.getModifiers(node) ?? []).some((m) => m.kind === kind) : false);

  // `import("x")` anywhere in the cell → the kernel's resolver (from the notebook's folder).
  const dynamicImports = (node: TS.Node): TS.Node => {
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      return ts.setTextRange(f.createCallExpression(runtime("import"), undefined, ts.visitNodes(node.arguments, dynamicImports) as TS.NodeArray<TS.Expression>), node);
    }
    return ts.visitEachChild(node, dynamicImports, context);
  };

  const statements = file.statements.map((s) => ts.visitNode(s, dynamicImports) as TS.Statement);

  // `var` inside top-level blocks and loops (`for (var i = 0; …)`) is global in a script: keep it so,
  // rather than local to the wrapper. Functions and classes have their own scope: not entered.
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
  const nestedVars = (node: TS.Node): TS.Node => {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return node;
    if (ts.isVariableStatement(node) && isVarList(node.declarationList) && !hasModifier(node, ts.SyntaxKind.DeclareKeyword)) {
      const e = varToTarget(node.declarationList);
      return e ? ts.setTextRange(f.createExpressionStatement(e), node) : f.createEmptyStatement();
    }
    if ((ts.isForInStatement(node) || ts.isForOfStatement(node)) && isVarList(node.initializer)) {
      const d = node.initializer.declarations[0];
      if (d && node.initializer.declarations.length === 1) {
        collectNames(ts, d.name, declared);
        const target = bindingToTarget(ts, f, d.name);
        const stmt = ts.visitNode(node.statement, nestedVars) as TS.Statement;
        const expr = ts.visitNode(node.expression, nestedVars) as TS.Expression;
        return ts.isForInStatement(node) ? f.updateForInStatement(node, target, expr, stmt) : f.updateForOfStatement(node, node.awaitModifier, target, expr, stmt);
      }
    }
    if (ts.isForStatement(node) && isVarList(node.initializer)) {
      const init = varToTarget(node.initializer);
      return f.updateForStatement(node, init, ts.visitNode(node.condition, nestedVars) as TS.Expression | undefined, ts.visitNode(node.incrementor, nestedVars) as TS.Expression | undefined, ts.visitNode(node.statement, nestedVars) as TS.Statement);
    }
    return ts.visitEachChild(node, nestedVars, context);
  };
  const lastRuntime = [...statements].reverse().find((s) => !isTypeOnly(ts, s));

  for (const stmt of statements) {
    if (ts.isImportDeclaration(stmt)) {
      const clause = stmt.importClause;
      if (clause?.isTypeOnly) continue;
      const load = f.createAwaitExpression(f.createCallExpression(runtime("import"), undefined, [stmt.moduleSpecifier as TS.Expression]));
      if (!clause) {
        body.push(ts.setTextRange(f.createExpressionStatement(load), stmt));
        continue;
      }
      const tmp = f.createUniqueName(`$import${importIndex++}`);
      body.push(ts.setTextRange(f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(tmp, undefined, undefined, load)], ts.NodeFlags.Const)), stmt));
      if (clause.name) {
        declared.add(clause.name.text);
        body.push(assign(clause.name.text, f.createPropertyAccessExpression(tmp, "default"), stmt));
      }
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) {
        declared.add(bindings.name.text);
        body.push(assign(bindings.name.text, tmp, stmt));
      } else if (bindings) {
        for (const el of bindings.elements) {
          if (el.isTypeOnly) continue;
          declared.add(el.name.text);
          const from = el.propertyName ? (ts.isIdentifier(el.propertyName) ? el.propertyName.text : el.propertyName.text) : el.name.text;
          body.push(assign(el.name.text, f.createElementAccessExpression(tmp, f.createStringLiteral(from)), el));
        }
      }
      continue;
    }
    if (ts.isImportEqualsDeclaration(stmt)) {
      if (stmt.isTypeOnly) continue;
      declared.add(stmt.name.text);
      const ref = stmt.moduleReference;
      const value = ts.isExternalModuleReference(ref)
        ? f.createCallExpression(f.createIdentifier("require"), undefined, [ref.expression])
        : entityToExpression(ts, f, ref);
      body.push(assign(stmt.name.text, value, stmt));
      continue;
    }
    if (ts.isExportDeclaration(stmt)) continue;
    if (ts.isExportAssignment(stmt)) {
      const e = ts.setTextRange(f.createExpressionStatement(stmt.expression), stmt);
      body.push(stmt === lastRuntime ? valueReturn(ts, f, stmt.expression, stmt) : e);
      continue;
    }
    if (ts.isVariableStatement(stmt)) {
      if (hasModifier(stmt, ts.SyntaxKind.DeclareKeyword)) continue;
      const blockScoped = (stmt.declarationList.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)) !== 0;
      const parts: TS.Expression[] = [];
      for (const d of stmt.declarationList.declarations) {
        collectNames(ts, d.name, declared);
        if (d.initializer) parts.push(ts.setTextRange(f.createAssignment(bindingToTarget(ts, f, d.name), d.initializer), d));
        else if (blockScoped && ts.isIdentifier(d.name)) parts.push(ts.setTextRange(f.createAssignment(f.createIdentifier(d.name.text), f.createVoidZero()), d));
      }
      if (parts.length > 0) body.push(ts.setTextRange(f.createExpressionStatement(parts.length === 1 ? (parts[0] as TS.Expression) : f.createCommaListExpression(parts)), stmt));
      continue;
    }
    if (ts.isFunctionDeclaration(stmt)) {
      if (!stmt.body || hasModifier(stmt, ts.SyntaxKind.DeclareKeyword)) continue;
      if (!stmt.name) {
        body.push(ts.setTextRange(f.createExpressionStatement(toFunctionExpression(ts, f, stmt)), stmt));
        continue;
      }
      declared.add(stmt.name.text);
      hoistedFunctions.push(assign(stmt.name.text, toFunctionExpression(ts, f, stmt), stmt));
      continue;
    }
    if (ts.isClassDeclaration(stmt)) {
      if (hasModifier(stmt, ts.SyntaxKind.DeclareKeyword)) continue;
      const modifiers = (ts.getModifiers(stmt) ?? []).filter((m) => m.kind === ts.SyntaxKind.AbstractKeyword ? false : m.kind !== ts.SyntaxKind.ExportKeyword && m.kind !== ts.SyntaxKind.DefaultKeyword);
      const decorators = ts.getDecorators(stmt) ?? [];
      const expr = ts.setTextRange(
        f.createClassExpression([...decorators, ...modifiers], stmt.name, stmt.typeParameters, stmt.heritageClauses, stmt.members),
        stmt,
      );
      if (!stmt.name) {
        body.push(ts.setTextRange(f.createExpressionStatement(expr), stmt));
        continue;
      }
      declared.add(stmt.name.text);
      body.push(assign(stmt.name.text, expr, stmt));
      continue;
    }
    if ((ts.isEnumDeclaration(stmt) || ts.isModuleDeclaration(stmt)) && ts.isIdentifier(stmt.name)) {
      if (hasModifier(stmt, ts.SyntaxKind.DeclareKeyword)) continue;
      if (ts.isModuleDeclaration(stmt) && !isInstantiated(ts, stmt)) {
        body.push(stmt);
        continue;
      }
      const name = stmt.name.text;
      declared.add(name);
      const modifiers = (ts.getModifiers(stmt) ?? []).filter((m) => m.kind !== ts.SyntaxKind.ExportKeyword && m.kind !== ts.SyntaxKind.DefaultKeyword);
      const withoutExport = ts.isEnumDeclaration(stmt)
        ? f.updateEnumDeclaration(stmt, modifiers, stmt.name, stmt.members)
        : f.updateModuleDeclaration(stmt, modifiers, stmt.name, stmt.body);
      const iife = f.createCallExpression(
        f.createParenthesizedExpression(
          f.createArrowFunction(undefined, undefined, [], undefined, undefined, f.createBlock([withoutExport, f.createReturnStatement(f.createIdentifier(name))], true)),
        ),
        undefined,
        [],
      );
      body.push(assign(name, iife, stmt));
      continue;
    }
    if (ts.isExpressionStatement(stmt) && stmt === lastRuntime) {
      body.push(valueReturn(ts, f, stmt.expression, stmt));
      continue;
    }
    body.push(ts.visitNode(stmt, nestedVars) as TS.Statement);
  }

  const hasValue = lastRuntime !== undefined && (ts.isExpressionStatement(lastRuntime) || ts.isExportAssignment(lastRuntime));
  const out: TS.Statement[] = [];
  if (declared.size > 0) {
    out.push(f.createVariableStatement(undefined, f.createVariableDeclarationList([...declared].map((n) => f.createVariableDeclaration(n)), ts.NodeFlags.None)));
  }
  const wrapper = f.createArrowFunction(
    [f.createModifier(ts.SyntaxKind.AsyncKeyword)],
    undefined,
    [f.createParameterDeclaration(undefined, undefined, "require")],
    undefined,
    undefined,
    f.createBlock([...hoistedFunctions, ...body], true),
  );
  out.push(f.createExpressionStatement(f.createCallExpression(f.createParenthesizedExpression(wrapper), undefined, [runtime("require")])));
  return { file: f.updateSourceFile(file, out), declared: [...declared], hasValue };
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
