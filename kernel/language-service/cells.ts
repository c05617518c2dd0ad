/**
 * The cell history as a chain of virtual modules, so that later cells see earlier cells' names with
 * their types while a name declared again (re-running `const p = …`) simply shadows the old one:
 *
 *   cell k:  import { <names visible before k, minus k's own> } from "./__statarb_cell_<k-1>";
 *            <cell k's source>
 *            export * from "./__statarb_cell_<k-1>"; export { <k's top-level names> };
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

/** Placeholder slots are added this many at a time. */
const SLOT_BLOCK = 32;

/**
 * The chain of cell modules, rooted in the notebook's folder (so relative imports resolve from there).
 *
 * Cell k imports what it uses from cell k−1 only and re-exports it (`export *`, which its own exports
 * override), so the edited cell needs a single import from the end of the chain. The chain is laid out
 * ahead of time as placeholder slots whose import specifiers already are the ones the real cell will
 * have; when a cell runs, only file texts change, never the import graph, and TypeScript keeps its whole
 * program structure (re-walking ~1000 library files otherwise costs ~100 ms after every cell).
 */
export class CellHistory {
  readonly #dir: string;
  #count = 0;
  #slots = 0;
  /** Every name declared by a cell that ran. */
  readonly #visible = new Set<string>();

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** The placeholder slots to put in the project before the first cell. */
  initialFiles(): VirtualCell[] {
    return this.#grow();
  }

  /** Appends a cell that ran; returns the virtual files to (re)write (its module, and new slots when full). */
  add(source: string): VirtualCell[] {
    const index = this.#count++;
    const names = topLevelNames(source);
    const header = index === 0 ? "" : `import { ${this.#importable(names).join(", ")} } from "./${CELL_PREFIX}${index - 1}";\n`;
    const own = [...names.declared].filter((n) => !names.exported.has(n));
    const reexport = index === 0 ? "" : `export * from "./${CELL_PREFIX}${index - 1}"; `;
    const cell = { fileName: this.fileName(index), text: `${header}${source}\n;${reexport}export { ${own.join(", ")} };\n`, sourceStart: header.length };
    for (const n of names.declared) this.#visible.add(n);
    return [cell, ...(this.#count === this.#slots ? this.#grow() : [])];
  }

  /** The module for the cell being edited (not part of the chain). */
  current(source: string): VirtualCell {
    const names = topLevelNames(source);
    const header = `import { ${this.#importable(names).join(", ")} } from "./${CELL_PREFIX}${this.#slots - 1}";\n`;
    // No footer: the code may end mid-expression (`p.`); `moduleDetection: force` makes it a module anyway.
    return { fileName: this.fileName("current"), text: header + source, sourceStart: header.length };
  }

  fileName(index: number | "current"): string {
    return path.join(this.#dir, `${CELL_PREFIX}${index}.ts`);
  }

  /** Names visible from earlier cells that `names` does not declare itself. */
  #importable(names: TopLevelNames): string[] {
    return [...this.#visible].filter((n) => !names.declared.has(n));
  }

  /** SLOT_BLOCK more placeholder slots, each importing from and re-exporting its predecessor as a real cell will. */
  #grow(): VirtualCell[] {
    const added: VirtualCell[] = [];
    for (let k = this.#slots; k < this.#slots + SLOT_BLOCK; k++) {
      const text = k === 0 ? "export {};\n" : `import {} from "./${CELL_PREFIX}${k - 1}";\n;export * from "./${CELL_PREFIX}${k - 1}";\n`;
      added.push({ fileName: this.fileName(k), text, sourceStart: 0 });
    }
    this.#slots += SLOT_BLOCK;
    return added;
  }
}
