/**
 * The cell history as a chain of virtual modules, so that later cells see earlier cells' names with
 * their types while a name declared again (re-running `const p = …`) simply shadows the old one:
 *
 *   cell k:  import { <names visible before k, minus k's own> } from "./<cell that declared each last>";
 *            <cell k's source>
 *            export { <k's top-level names> };
 *
 * Concatenating cells into one script would instead make a redeclared `const` a "cannot redeclare"
 * conflict whose symbol keeps the first declaration's type. Each module is immutable once added, so
 * the language service re-checks only the cell being edited.
 */
import path from "node:path";
import ts from "typescript";

/** The names a cell declares at its top level, and which of them it already exports itself. */
export interface TopLevelNames {
  declared: Set<string>;
  exported: Set<string>;
}

const PARSE_TARGET = ts.ScriptTarget.ES2022;

/** Parses a cell on its own (cheap, no binding) and lists its top-level declarations. */
export function topLevelNames(source: string): TopLevelNames {
  const file = ts.createSourceFile("cell.ts", source, PARSE_TARGET, false, ts.ScriptKind.TS);
  const declared = new Set<string>();
  const exported = new Set<string>();
  const add = (name: string, isExported: boolean): void => {
    declared.add(name);
    if (isExported) exported.add(name);
  };
  for (const statement of file.statements) {
    const isExported = ts.canHaveModifiers(statement) && (ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false);
    if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) for (const n of bindingNames(d.name)) add(n, isExported);
    } else if (
      (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name
    ) {
      add(statement.name.text, isExported);
    } else if (ts.isModuleDeclaration(statement) && ts.isIdentifier(statement.name)) {
      add(statement.name.text, isExported);
    } else if (ts.isImportDeclaration(statement) && statement.importClause) {
      const clause = statement.importClause;
      if (clause.name) add(clause.name.text, false);
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) add(bindings.name.text, false);
      else if (bindings) for (const e of bindings.elements) add(e.name.text, false);
    } else if (ts.isImportEqualsDeclaration(statement)) {
      add(statement.name.text, isExported);
    }
  }
  return { declared, exported };
}

function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  const out: string[] = [];
  for (const element of name.elements) if (!ts.isOmittedExpression(element)) out.push(...bindingNames(element.name));
  return out;
}

/** One virtual module's text and where the user's source starts in it. */
export interface VirtualCell {
  fileName: string;
  text: string;
  /** UTF-16 offset of the user's source in `text`. */
  sourceStart: number;
}

const CELL_PREFIX = "__statarb_cell_";

/** Whether a module specifier or file name is one of the virtual cells. */
export function isVirtualCellName(name: string): boolean {
  return path.basename(name).startsWith(CELL_PREFIX);
}

/** The growing chain of cell modules, rooted in the notebook's folder (so relative imports resolve from there). */
export class CellHistory {
  readonly #dir: string;
  readonly #cells: VirtualCell[] = [];
  /** name → index of the cell that declared it last. */
  readonly #owner = new Map<string, number>();

  constructor(dir: string) {
    this.#dir = dir;
  }

  get cells(): readonly VirtualCell[] {
    return this.#cells;
  }

  /** Appends a cell that ran; returns its virtual module. */
  add(source: string): VirtualCell {
    const index = this.#cells.length;
    const names = topLevelNames(source);
    const cell = this.#build(this.fileName(index), source, names, true);
    this.#cells.push(cell);
    for (const n of names.declared) this.#owner.set(n, index);
    return cell;
  }

  /** The module for the cell being edited (not added to the chain). */
  current(source: string): VirtualCell {
    return this.#build(this.fileName("current"), source, topLevelNames(source), false);
  }

  fileName(index: number | "current"): string {
    return path.join(this.#dir, `${CELL_PREFIX}${index}.ts`);
  }

  #build(fileName: string, source: string, names: TopLevelNames, withExports: boolean): VirtualCell {
    const bySource = new Map<number, string[]>();
    for (const [name, owner] of this.#owner) {
      if (names.declared.has(name)) continue;
      let list = bySource.get(owner);
      if (!list) bySource.set(owner, (list = []));
      list.push(name);
    }
    let header = "";
    for (const [owner, list] of bySource) header += `import { ${list.join(", ")} } from "./${CELL_PREFIX}${owner}";\n`;
    const exported = [...names.declared].filter((n) => !names.exported.has(n));
    // The cell being edited gets no footer: its code may end mid-expression (`p.`), and
    // `moduleDetection: force` already makes every virtual cell a module.
    const footer = withExports ? `\n;export { ${exported.join(", ")} };\n` : "";
    return { fileName, text: header + source + footer, sourceStart: header.length };
  }
}
