/**
 * The language-service host of the cell project: the virtual cells live in memory, everything else
 * (lib.*.d.ts, node_modules, statarb's declarations) is read once and cached for the session.
 * Module resolution looks first from the notebook's folder, then — so a notebook outside the repo
 * still gets types — from the statarb package's own folder (its node_modules and its self-name).
 */
import { existsSync, readFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type * as TS from "typescript";
import { ts } from "./typescript.js";
import { isVirtualCellName } from "./cells.js";

/** The folder of the installed statarb package (the one holding this module), found by its package.json. */
export function statarbRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown }).name === "statarb") return dir;
      } catch {
        // an unreadable package.json on the way up is not ours; keep climbing
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("language service: cannot find the statarb package.json above " + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/** Compiler options of the cell project: ESM with top-level await, strict like the library, never emitting. */
export function cellCompilerOptions(cwd: string, root: string): TS.CompilerOptions {
  const typeRoots = [path.join(cwd, "node_modules", "@types"), path.join(root, "node_modules", "@types")].filter((d, i, all) => all.indexOf(d) === i && existsSync(d));
  const hasNodeTypes = typeRoots.some((d) => existsSync(path.join(d, "node", "package.json")));
  return {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    moduleDetection: ts.ModuleDetectionKind.Force,
    lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
    strict: true,
    noUncheckedIndexedAccess: true,
    esModuleInterop: true,
    allowSyntheticDefaultImports: true,
    resolveJsonModule: true,
    allowImportingTsExtensions: true,
    skipLibCheck: true,
    noEmit: true,
    typeRoots,
    types: hasNodeTypes ? ["node"] : [],
  };
}

/** The cached, in-memory host. `setFile` replaces a virtual file; everything on disk is read once. */
export class CellProjectHost implements TS.LanguageServiceHost {
  readonly #cwd: string;
  readonly #root: string;
  readonly #options: TS.CompilerOptions;
  readonly #virtual = new Map<string, { text: string; version: number; snapshot: TS.IScriptSnapshot }>();
  readonly #diskSnapshots = new Map<string, TS.IScriptSnapshot | undefined>();
  readonly #exists = new Map<string, boolean>();
  #fileNames: string[] = [];
  /** Unresolved imports already retried without caches since the last cell ran. */
  readonly #retried = new Set<string>();
  #projectVersion = 0;
  readonly #resolutionCache: TS.ModuleResolutionCache;
  /** A file inside the statarb package from which its self-name and its own dependencies resolve. */
  readonly #rootAnchor: string;

  constructor(cwd: string, root: string) {
    this.#cwd = cwd;
    this.#root = root;
    this.#options = cellCompilerOptions(cwd, root);
    this.#resolutionCache = ts.createModuleResolutionCache(cwd, (s) => s, this.#options);
    this.#rootAnchor = path.join(root, "__statarb_resolve__.ts");
  }

  /**
   * Sets the text of a virtual file, bumping its version only when it changed. Roots are the files
   * the program starts from; the other virtual files (earlier cells) join through imports, so
   * adding a cell leaves the root list — and with it TypeScript's program reuse — intact.
   */
  setFile(fileName: string, text: string, root: boolean): void {
    const old = this.#virtual.get(fileName);
    if (old?.text === text) return;
    this.#virtual.set(fileName, { text, version: (old?.version ?? 0) + 1, snapshot: ts.ScriptSnapshot.fromString(text) });
    if (root && !this.#fileNames.includes(fileName)) this.#fileNames = [...this.#fileNames, fileName];
    this.#projectVersion++;
  }

  /** A cell ran: what it installed or wrote may now resolve, so unresolved imports get one more look. */
  cellRan(): void {
    this.#retried.clear();
    this.#exists.clear();
  }

  /** Shared with the program so package.json scopes are not re-read for every file on every request. */
  getModuleResolutionCache(): TS.ModuleResolutionCache {
    return this.#resolutionCache;
  }
  getProjectVersion(): string {
    return String(this.#projectVersion);
  }
  getCompilationSettings(): TS.CompilerOptions {
    return this.#options;
  }
  getScriptFileNames(): string[] {
    return this.#fileNames;
  }
  getScriptVersion(fileName: string): string {
    return String(this.#virtual.get(fileName)?.version ?? 0);
  }
  getScriptSnapshot(fileName: string): TS.IScriptSnapshot | undefined {
    const v = this.#virtual.get(fileName);
    if (v) return v.snapshot;
    if (this.#diskSnapshots.has(fileName)) return this.#diskSnapshots.get(fileName);
    const text = ts.sys.readFile(fileName);
    const snapshot = text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    this.#diskSnapshots.set(fileName, snapshot);
    return snapshot;
  }
  getCurrentDirectory(): string {
    return this.#cwd;
  }
  getDefaultLibFileName(options: TS.CompilerOptions): string {
    return ts.getDefaultLibFilePath(options);
  }
  useCaseSensitiveFileNames(): boolean {
    return ts.sys.useCaseSensitiveFileNames;
  }
  fileExists(fileName: string): boolean {
    if (this.#virtual.has(fileName)) return true;
    let known = this.#exists.get(fileName);
    if (known === undefined) this.#exists.set(fileName, (known = ts.sys.fileExists(fileName)));
    return known;
  }
  readFile(fileName: string): string | undefined {
    const v = this.#virtual.get(fileName);
    if (v) return v.text;
    const snapshot = this.getScriptSnapshot(fileName);
    return snapshot?.getText(0, snapshot.getLength());
  }
  directoryExists(dir: string): boolean {
    return ts.sys.directoryExists(dir);
  }
  getDirectories(dir: string): string[] {
    return ts.sys.getDirectories(dir);
  }
  readDirectory(dir: string, extensions?: readonly string[], exclude?: readonly string[], include?: readonly string[], depth?: number): string[] {
    return ts.sys.readDirectory(dir, extensions, exclude, include, depth);
  }
  realpath(p: string): string {
    return ts.sys.realpath?.(p) ?? p;
  }

  resolveModuleNameLiterals(
    literals: readonly TS.StringLiteralLike[],
    containingFile: string,
    redirectedReference: TS.ResolvedProjectReference | undefined,
    options: TS.CompilerOptions,
    containingSourceFile: TS.SourceFile,
  ): readonly TS.ResolvedModuleWithFailedLookupLocations[] {
    return literals.map((literal) => {
      const name = literal.text;
      if (name.startsWith("./") && isVirtualCellName(name)) {
        return { resolvedModule: { resolvedFileName: path.join(path.dirname(containingFile), `${name.slice(2)}.ts`), extension: ts.Extension.Ts, isExternalLibraryImport: false } };
      }
      const mode = ts.getModeForUsageLocation(containingSourceFile, literal, options);
      const resolve = (from: string, host: TS.ModuleResolutionHost, cache?: TS.ModuleResolutionCache): TS.ResolvedModuleWithFailedLookupLocations =>
        ts.resolveModuleName(name, from, options, host, cache, redirectedReference, mode);
      const found = (r: TS.ResolvedModuleWithFailedLookupLocations): boolean => r.resolvedModule !== undefined;
      const bare = !name.startsWith(".") && !path.isAbsolute(name);
      let result = resolve(containingFile, this, this.#resolutionCache);
      // Node's built-ins are ambient `declare module "fs"` in @types/node: not files to look for.
      if (found(result) || isBuiltin(name)) return result;
      if (bare) result = pick(result, resolve(this.#rootAnchor, this, this.#resolutionCache));
      if (found(result)) return result;
      // A failure may be stale (a package installed since, e.g. by a `%%sh npm install` cell): retry
      // once per ran cell against the disk itself, bypassing every cache.
      const key = `${name}\0${path.dirname(containingFile)}`;
      if (!this.#retried.has(key)) {
        this.#retried.add(key);
        result = resolve(containingFile, ts.sys);
        if (!found(result) && bare) result = pick(result, resolve(this.#rootAnchor, ts.sys));
        if (found(result)) return result;
      }
      return this.#statarbSourceFallback(name) ?? result;
    });
  }

  /** Before `npm run build` there are no declarations in dist/: point `statarb` at the library's sources. */
  #statarbSourceFallback(name: string): TS.ResolvedModuleWithFailedLookupLocations | undefined {
    if (name !== "statarb") return undefined;
    const source = path.join(this.#root, "lib", "index.ts");
    if (!this.fileExists(source)) return undefined;
    return { resolvedModule: { resolvedFileName: source, extension: ts.Extension.Ts, isExternalLibraryImport: false } };
  }
}

function pick(first: TS.ResolvedModuleWithFailedLookupLocations, second: TS.ResolvedModuleWithFailedLookupLocations): TS.ResolvedModuleWithFailedLookupLocations {
  return second.resolvedModule ? second : first;
}
