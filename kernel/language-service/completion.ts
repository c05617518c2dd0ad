/**
 * Turns TypeScript completion entries into a Jupyter complete_reply: one replacement range, the
 * matches that fit the typed prefix, and JupyterLab's `_jupyter_types_experimental` (type and a
 * call signature per match).
 */
import type * as TS from "typescript";
import { ts } from "./typescript.js";
import { findInnermostNode } from "./nodes.js";

/** One match as JupyterLab's completer reads it (offsets in the caller's units). */
export interface TypedMatch {
  text: string;
  type: string;
  start: number;
  end: number;
  signature: string;
}

/** Jedi-style completion types, which JupyterLab knows how to label. */
const JUPYTER_TYPE: Partial<Record<string, string>> = {
  [ts.ScriptElementKind.functionElement]: "function",
  [ts.ScriptElementKind.localFunctionElement]: "function",
  [ts.ScriptElementKind.memberFunctionElement]: "method",
  [ts.ScriptElementKind.constructSignatureElement]: "method",
  [ts.ScriptElementKind.callSignatureElement]: "method",
  [ts.ScriptElementKind.classElement]: "class",
  [ts.ScriptElementKind.localClassElement]: "class",
  [ts.ScriptElementKind.interfaceElement]: "interface",
  [ts.ScriptElementKind.typeElement]: "type",
  [ts.ScriptElementKind.enumElement]: "enum",
  [ts.ScriptElementKind.enumMemberElement]: "property",
  [ts.ScriptElementKind.moduleElement]: "module",
  [ts.ScriptElementKind.externalModuleName]: "module",
  [ts.ScriptElementKind.keyword]: "keyword",
  [ts.ScriptElementKind.memberVariableElement]: "property",
  [ts.ScriptElementKind.memberGetAccessorElement]: "property",
  [ts.ScriptElementKind.memberSetAccessorElement]: "property",
  [ts.ScriptElementKind.variableElement]: "instance",
  [ts.ScriptElementKind.letElement]: "instance",
  [ts.ScriptElementKind.constElement]: "instance",
  [ts.ScriptElementKind.localVariableElement]: "instance",
  [ts.ScriptElementKind.parameterElement]: "param",
  [ts.ScriptElementKind.typeParameterElement]: "type",
  [ts.ScriptElementKind.string]: "path",
  [ts.ScriptElementKind.directory]: "path",
  [ts.ScriptElementKind.scriptElement]: "path",
};

/** Signatures are looked up for at most this many matches, to keep a broad completion fast. */
const MAX_SIGNATURES = 200;

export const COMPLETION_OPTIONS: TS.GetCompletionsAtPositionOptions = {
  includeCompletionsForModuleExports: false,
  includeCompletionsWithInsertText: false,
  includeAutomaticOptionalChainCompletions: false,
  includeCompletionsForImportStatements: false,
  includeCompletionsWithSnippetText: false,
  includeCompletionsWithClassMemberSnippets: false,
  includeCompletionsWithObjectLiteralMethodSnippets: false,
  useLabelDetailsInCompletionEntries: false,
};

export interface SelectedCompletions {
  /** UTF-16 range in the file that each match replaces. */
  start: number;
  end: number;
  entries: TS.CompletionEntry[];
}

/**
 * Keeps the entries that share the dominant replacement range and start with the typed prefix
 * (case-insensitively, exact-case first), in TypeScript's relevance order.
 */
export function selectEntries(info: TS.CompletionInfo, text: string, position: number): SelectedCompletions {
  const wordStart = identifierStart(text, position);
  const spanOf = (e: TS.CompletionEntry): TS.TextSpan => e.replacementSpan ?? info.optionalReplacementSpan ?? { start: wordStart, length: position - wordStart };
  const counts = new Map<string, number>();
  for (const e of info.entries) {
    const s = spanOf(e);
    const key = `${s.start}:${s.length}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let best = `${wordStart}:${position - wordStart}`;
  let bestCount = -1;
  for (const [key, n] of counts) if (n > bestCount) [best, bestCount] = [key, n];
  const [startText, lengthText] = best.split(":");
  const start = Number(startText);
  const end = Math.max(position, start + Number(lengthText));
  const prefix = text.slice(start, Math.max(start, position));
  const lower = prefix.toLowerCase();
  const entries = info.entries.filter((e) => {
    if (e.source !== undefined || e.hasAction) return false;
    const s = spanOf(e);
    return s.start === start && e.name.toLowerCase().startsWith(lower);
  });
  const exact = (e: TS.CompletionEntry): number => (e.name.startsWith(prefix) ? 0 : 1);
  entries.sort((a, b) => exact(a) - exact(b) || a.sortText.localeCompare(b.sortText) || a.name.localeCompare(b.name));
  return { start, end, entries: dedupeByName(entries) };
}

function dedupeByName(entries: TS.CompletionEntry[]): TS.CompletionEntry[] {
  const seen = new Set<string>();
  return entries.filter((e) => (seen.has(e.name) ? false : (seen.add(e.name), true)));
}

function isIdentifierChar(code: number): boolean {
  return ts.isIdentifierPart(code, ts.ScriptTarget.ES2022);
}

/** Start of the identifier that ends at `position` (UTF-16, surrogate-pair aware). */
export function identifierStart(text: string, position: number): number {
  let i = position;
  while (i > 0) {
    const cp = text.codePointAt(i - 1) ?? 0;
    if (cp >= 0xdc00 && cp <= 0xdfff && i >= 2) {
      const full = text.codePointAt(i - 2) ?? 0;
      if (!isIdentifierChar(full)) break;
      i -= 2;
    } else {
      if (!isIdentifierChar(cp)) break;
      i -= 1;
    }
  }
  return i;
}

/**
 * Jupyter type and call signature of each entry. Entries that are aliases (names imported from
 * earlier cells or packages) take the type of what they alias.
 */
export function describeEntries(program: TS.Program, fileName: string, position: number, info: TS.CompletionInfo, entries: readonly TS.CompletionEntry[]): Array<{ type: string; signature: string }> {
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(fileName);
  const node = file ? findInnermostNode(file, Math.max(0, position - 1)) : undefined;
  const lookup = file && node ? symbolLookup(checker, file, node, info) : () => undefined;
  return entries.map((entry, i) => {
    let type = JUPYTER_TYPE[entry.kind] ?? entry.kind;
    let signature = "";
    const wanted = entry.kind !== ts.ScriptElementKind.keyword && (i < MAX_SIGNATURES || entry.kind === ts.ScriptElementKind.alias);
    const symbol = wanted ? lookup(entry.name) : undefined;
    if (symbol && node) {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      if (entry.kind === ts.ScriptElementKind.alias) type = typeOfSymbolFlags(target.flags) ?? type;
      if (i < MAX_SIGNATURES) signature = signatureOf(checker, target, node);
    }
    return { type, signature };
  });
}

function typeOfSymbolFlags(flags: TS.SymbolFlags): string | undefined {
  if (flags & ts.SymbolFlags.Function) return "function";
  if (flags & ts.SymbolFlags.Method) return "method";
  if (flags & ts.SymbolFlags.Class) return "class";
  if (flags & ts.SymbolFlags.Enum) return "enum";
  if (flags & ts.SymbolFlags.Interface) return "interface";
  if (flags & ts.SymbolFlags.TypeAlias) return "type";
  if (flags & (ts.SymbolFlags.ValueModule | ts.SymbolFlags.NamespaceModule)) return "module";
  if (flags & ts.SymbolFlags.Property) return "property";
  if (flags & ts.SymbolFlags.Variable) return "instance";
  return undefined;
}

/**
 * Finds an entry's symbol: among the members of the left-hand side, or by name resolution from the
 * cursor (one lookup per shown entry, rather than listing the ~1000 globals in scope).
 */
function symbolLookup(checker: TS.TypeChecker, file: TS.SourceFile, node: TS.Node, info: TS.CompletionInfo): (name: string) => TS.Symbol | undefined {
  if (info.isMemberCompletion) {
    const members = new Map<string, TS.Symbol>();
    const left = leftOfDot(node);
    if (!left) return () => undefined;
    const type = checker.getApparentType(checker.getNonNullableType(checker.getTypeAtLocation(left)));
    for (const p of checker.getPropertiesOfType(type)) members.set(p.name, p);
    if (isNamespaceLike(checker, left)) {
      const s = checker.getSymbolAtLocation(left);
      const target = s && s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
      if (target) for (const e of checker.getExportsOfModule(target)) if (!members.has(e.name)) members.set(e.name, e);
    }
    return (name) => members.get(name);
  }
  const location = node.kind === ts.SyntaxKind.SourceFile ? file : node;
  const meaning = ts.SymbolFlags.Value | ts.SymbolFlags.Type | ts.SymbolFlags.Alias | ts.SymbolFlags.Namespace;
  return (name) => checker.resolveName(name, location, meaning, false);
}

function isNamespaceLike(checker: TS.TypeChecker, expression: TS.Node): boolean {
  const s = checker.getSymbolAtLocation(expression);
  const target = s && s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
  return !!target && (target.flags & (ts.SymbolFlags.ValueModule | ts.SymbolFlags.NamespaceModule)) !== 0;
}

/** The object of the member access the cursor is in (`p` in `p.ret|`, `Plot` in `Plot.Mark|`). */
function leftOfDot(node: TS.Node): TS.Node | undefined {
  for (let n: TS.Node | undefined = node; n; n = n.parent) {
    if (ts.isPropertyAccessExpression(n)) return n.expression;
    if (ts.isQualifiedName(n)) return n.left;
    if (ts.isStatement(n)) return undefined;
  }
  return undefined;
}

/** `(a: number, b?: string) => number`-style signature of a callable symbol ("" when not callable). */
export function signatureOf(checker: TS.TypeChecker, symbol: TS.Symbol, location: TS.Node): string {
  if (!(symbol.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Method | ts.SymbolFlags.Class | ts.SymbolFlags.Variable | ts.SymbolFlags.Property))) return "";
  const type = checker.getTypeOfSymbolAtLocation(symbol, location);
  const kind = symbol.flags & ts.SymbolFlags.Class ? ts.SignatureKind.Construct : ts.SignatureKind.Call;
  const signatures = checker.getSignaturesOfType(type, kind);
  const first = signatures[0];
  if (!first) return "";
  // Printed from where the symbol is declared, so its types read `Panel`, not `import("…/dist/lib/index").Panel`.
  const enclosing = symbol.valueDeclaration ?? symbol.declarations?.[0] ?? location;
  const text = checker.signatureToString(first, enclosing, ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.WriteArrowStyleSignature, kind);
  const more = signatures.length > 1 ? ` (+${signatures.length - 1} overload${signatures.length > 2 ? "s" : ""})` : "";
  return (kind === ts.SignatureKind.Construct ? "new " : "") + text + more;
}
