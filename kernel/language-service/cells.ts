/**
 * The cell history as a chain of virtual modules, so that later cells see earlier cells' names with
 * their types while a name declared again (re-running `const p = …`) simply shadows the old one:
 *
 *   cell k:  import { <names visible before k, minus k's own> } from "<the cell that declared each last>";
 *            <cell k's source>
 *            ;export { <k's top-level names> };
 *
 * Concatenating cells into one script would instead make a redeclared `const` a "cannot redeclare"
 * conflict whose symbol keeps the first declaration's type. Each module is immutable once added, so
 * the language service re-checks only the cell being edited. (How the imports are laid out so that
 * TypeScript can keep its program between requests: see CellHistory.)
 */
import path from "node:path";
import type * as TS from "typescript";
import { ts } from "./typescript.js";

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

function bindingNames(name: TS.BindingName): string[] {
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

/** Cells are laid out in blocks of this many slots. */
const BLOCK = 32;

/**
 * The cell modules, in the notebook's folder (so relative imports resolve from there).
 *
 * TypeScript keeps its whole program (~1000 library files) from one request to the next only while no
 * file's list of import specifiers changes; re-walking it costs ~100 ms. So cells are laid out ahead
 * of time in blocks of BLOCK slots whose import specifiers are fixed when the block starts: slot k
 * imports from the block's scope module (re-exporting, from their owners, the names visible when the
 * block started) and from every earlier slot of its block; the edited cell imports from the scope and
 * from all slots of the block. Running a cell then only changes file texts (a placeholder becomes the
 * real cell); the import graph changes once per block. Every name is imported straight from the cell
 * that declared it last (or through one scope re-export), so alias chains stay short however long the
 * session.
 */
export class CellHistory {
  readonly #dir: string;
  #count = 0;
  /** name → index of the cell that declared it last. */
  readonly #owner = new Map<string, number>();

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** The first block's files, to put in the project before any cell. */
  initialFiles(): VirtualCell[] {
    return this.#startBlock(0);
  }

  /** Appends a cell that ran; returns the virtual files to (re)write: its module, and a new block when full. */
  add(source: string): VirtualCell[] {
    const index = this.#count++;
    const names = topLevelNames(source);
    const header = this.#header(Math.floor(index / BLOCK), index, names.declared);
    const own = [...names.declared].filter((n) => !names.exported.has(n));
    const cell = { fileName: this.fileName(index), text: `${header}${source}\n;export { ${own.join(", ")} };\n`, sourceStart: header.length };
    for (const n of names.declared) this.#owner.set(n, index);
    return this.#count % BLOCK === 0 ? [cell, ...this.#startBlock(this.#count / BLOCK)] : [cell];
  }

  /** The module for the cell being edited (not part of the history), in the file `label` names. */
  current(source: string, label = "current"): VirtualCell {
    const block = Math.floor(this.#count / BLOCK);
    const header = this.#header(block, (block + 1) * BLOCK, topLevelNames(source).declared);
    // No footer: the code may end mid-expression (`p.`); `moduleDetection: force` makes it a module anyway.
    return { fileName: this.fileName(label), text: header + source, sourceStart: header.length };
  }

  /** How many cells the history holds (what the header of a module for the edited cell depends on). */
  get length(): number {
    return this.#count;
  }

  fileName(index: number | string): string {
    return path.join(this.#dir, `${CELL_PREFIX}${index}.ts`);
  }

  #scopeName(block: number): string {
    return `${CELL_PREFIX}scope${block}`;
  }

  /**
   * Imports of a module in `block` that sees slots before `upto`: the names declared before the block
   * from its scope, then each earlier slot's names from that slot — one line per slot even when empty,
   * so the specifiers are the same before and after the slot's cell runs.
   */
  #header(block: number, upto: number, ownNames: ReadonlySet<string>): string {
    const first = block * BLOCK;
    const fromScope: string[] = [];
    const fromSlot = new Map<number, string[]>();
    for (const [name, owner] of this.#owner) {
      if (ownNames.has(name) || owner >= upto) continue;
      if (owner < first) fromScope.push(name);
      else {
        let list = fromSlot.get(owner);
        if (!list) fromSlot.set(owner, (list = []));
        list.push(name);
      }
    }
    let header = `import { ${fromScope.join(", ")} } from "./${this.#scopeName(block)}";`;
    for (let j = first; j < upto; j++) header += ` import { ${(fromSlot.get(j) ?? []).join(", ")} } from "./${CELL_PREFIX}${j}";`;
    return header + "\n";
  }

  /** A block's scope module (names visible at its start, re-exported from their owners) and its placeholder slots. */
  #startBlock(block: number): VirtualCell[] {
    const byOwner = new Map<number, string[]>();
    for (const [name, owner] of this.#owner) {
      let list = byOwner.get(owner);
      if (!list) byOwner.set(owner, (list = []));
      list.push(name);
    }
    let scope = "export {};\n";
    for (const [owner, list] of byOwner) scope += `export { ${list.join(", ")} } from "./${CELL_PREFIX}${owner}";\n`;
    const files: VirtualCell[] = [{ fileName: path.join(this.#dir, `${this.#scopeName(block)}.ts`), text: scope, sourceStart: 0 }];
    for (let k = block * BLOCK; k < (block + 1) * BLOCK; k++) {
      files.push({ fileName: this.fileName(k), text: `${this.#header(block, k, new Set())}export {};\n`, sourceStart: 0 });
    }
    return files;
  }
}
