/**
 * `%typecheck on|strict`: type-checks a cell against the cells that ran before it, with the
 * TypeScript compiler (loaded only when type checking is switched on).
 *
 * Each earlier cell is a virtual module that imports the names visible before it (from the cell that
 * declared each one last) and exports its own, so a name declared again simply shadows the old one
 * instead of being a "cannot redeclare" conflict. The imports and exports go on the module's last line
 * (ES imports are hoisted), so diagnostics keep the cell's own line numbers. Source files of the
 * libraries are parsed once and reused by every check.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type * as TS from "typescript";
import { DISPLAY_DTS } from "../display/display-api.js";
import { typescript } from "./load-typescript.js";

export interface TypeProblem {
  code: number;
  message: string;
  /** 0-based, in the cell. */
  line: number;
  column: number;
}

interface CellModule {
  fileName: string;
  text: string;
}

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

export class TypeChecker {
  readonly #ts = typescript();
  readonly #dir: string;
  readonly #cells: CellModule[] = [];
  /** Name → index of the cell that declared it last. */
  readonly #owner = new Map<string, number>();
  readonly #sourceCache = new Map<string, TS.SourceFile>();
  readonly #options: TS.CompilerOptions;
  #program: TS.Program | undefined;
  readonly #globalsFile: string;

  constructor(cwd: string) {
    const ts = this.#ts;
    this.#dir = join(resolve(cwd), "__statarb_cells__");
    this.#globalsFile = join(this.#dir, "statarb-kernel-globals.d.ts");
    const statarbTypes = join(REPO_ROOT, "dist", "lib", "index.d.ts");
    this.#options = {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      esModuleInterop: true,
      allowImportingTsExtensions: true,
      resolveJsonModule: true,
      types: ["node"],
      typeRoots: [join(REPO_ROOT, "node_modules", "@types")],
      // Packages resolve from the notebook's folder, then from the kernel's own node_modules (so
      // Plot, danfojs, … type-check in notebooks anywhere), and `statarb` is this package.
      paths: {
        ...(existsSync(statarbTypes) ? { statarb: [statarbTypes] } : {}),
        "*": [join(resolve(cwd), "node_modules", "*"), join(REPO_ROOT, "node_modules", "*"), join(REPO_ROOT, "node_modules", "@types", "*")],
      },
    };
  }

  /** Records a cell that ran (its TypeScript, magics blanked). */
  addCell(source: string): void {
    const index = this.#cells.length;
    const names = this.#names(source);
    this.#cells.push({ fileName: join(this.#dir, `cell-${index + 1}.ts`), text: this.#moduleText(source, names, true) });
    for (const n of names) this.#owner.set(n, index);
  }

  /** The type errors of `source` as the next cell. */
  check(source: string): TypeProblem[] {
    const ts = this.#ts;
    const names = this.#names(source);
    const current = join(this.#dir, `current-${this.#cells.length + 1}.ts`);
    const files = new Map<string, string>([[this.#globalsFile, DISPLAY_DTS], ...this.#cells.map((c) => [c.fileName, c.text] as [string, string]), [current, this.#moduleText(source, names, false)]]);
    const host = ts.createCompilerHost(this.#options, true);
    const readFile = host.readFile.bind(host);
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (f) => files.has(f) || fileExists(f);
    const directoryExists = host.directoryExists?.bind(host);
    host.directoryExists = (d) => d === this.#dir || (directoryExists ? directoryExists(d) : true);
    host.readFile = (f) => files.get(f) ?? readFile(f);
    host.getSourceFile = (f, languageVersion) => {
      const text = files.get(f);
      if (text !== undefined) {
        const cached = this.#sourceCache.get(f);
        if (cached && cached.text === text) return cached;
        const sf = ts.createSourceFile(f, text, languageVersion, true);
        if (!f.startsWith(join(this.#dir, "current-"))) this.#sourceCache.set(f, sf);
        return sf;
      }
      const cached = this.#sourceCache.get(f);
      if (cached) return cached;
      const content = readFile(f);
      if (content === undefined) return undefined;
      const sf = ts.createSourceFile(f, content, languageVersion, true);
      this.#sourceCache.set(f, sf);
      return sf;
    };
    this.#program = ts.createProgram([...files.keys()], this.#options, host, this.#program);
    const sf = this.#program.getSourceFile(current);
    if (!sf) return [];
    const diagnostics = [...this.#program.getSyntacticDiagnostics(sf), ...this.#program.getSemanticDiagnostics(sf)];
    const lines = source.split("\n").length;
    return diagnostics
      .filter((d) => d.category === ts.DiagnosticCategory.Error && d.start !== undefined)
      .map((d) => {
        const pos = sf.getLineAndCharacterOfPosition(d.start as number);
        return { code: d.code, message: ts.flattenDiagnosticMessageText(d.messageText, "\n"), line: Math.min(pos.line, lines - 1), column: pos.character };
      });
  }

  /** `source` + one last line importing the visible names it does not declare and exporting its own. */
  #moduleText(source: string, own: Set<string>, exportOwn: boolean): string {
    const byOwner = new Map<number, string[]>();
    for (const [name, owner] of this.#owner) {
      if (own.has(name)) continue;
      let list = byOwner.get(owner);
      if (!list) byOwner.set(owner, (list = []));
      list.push(name);
    }
    const imports = [...byOwner].map(([owner, names]) => `import { ${names.join(", ")} } from "./cell-${owner + 1}.ts";`).join(" ");
    const exports = exportOwn && own.size > 0 ? `export { ${[...own].join(", ")} };` : "export {};";
    return `${source}\n;${imports} ${exports}\n`;
  }

  #names(source: string): Set<string> {
    const ts = this.#ts;
    const sf = ts.createSourceFile("cell.ts", source, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
    const out = new Set<string>();
    const bind = (n: TS.BindingName) => {
      if (ts.isIdentifier(n)) out.add(n.text);
      else for (const e of n.elements) if (!ts.isOmittedExpression(e)) bind(e.name);
    };
    for (const s of sf.statements) {
      if (ts.isVariableStatement(s)) s.declarationList.declarations.forEach((d) => bind(d.name));
      else if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s) || ts.isEnumDeclaration(s)) && s.name) out.add(s.name.text);
      else if (ts.isModuleDeclaration(s) && ts.isIdentifier(s.name)) out.add(s.name.text);
      else if (ts.isImportEqualsDeclaration(s)) out.add(s.name.text);
      else if (ts.isImportDeclaration(s) && s.importClause) {
        const c = s.importClause;
        if (c.name) out.add(c.name.text);
        if (c.namedBindings && ts.isNamespaceImport(c.namedBindings)) out.add(c.namedBindings.name.text);
        else if (c.namedBindings) c.namedBindings.elements.forEach((e) => out.add(e.name.text));
      }
    }
    return out;
  }
}
