/**
 * Where a cell's code lives for the debugger: JupyterLab computes a cell's file itself, as
 * `tmpFilePrefix + Murmur2(code, hashSeed) + tmpFileSuffix` (all three reported by `debugInfo`), and
 * sends breakpoints for that path; `dumpCell` writes the code there. While a debugger is attached the
 * engine names each compiled TypeScript part of a cell by the file URL of that path (a cell with line
 * magics has several parts: the first is the path itself, the others `…-<n>.ts`), so V8 applies the
 * breakpoints set by URL when the part is compiled and stack frames name the cell's file.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { murmur2 } from "./murmur2.js";
import { makeDirsSync } from "../../lib/fs/index.js";

/** The seed of the hash (any fixed number: JupyterLab takes it from debugInfo). */
export const HASH_SEED = 0xc70f6907;
export const TMP_FILE_SUFFIX = ".ts";

/** The folder cells are dumped to: one per engine process. */
export function tmpFilePrefix(pid = process.pid): string {
  return path.join(tmpdir(), `statarb_debug_${pid}`) + path.sep;
}

export class CellFiles {
  readonly prefix: string;
  readonly seed = HASH_SEED;
  readonly suffix = TMP_FILE_SUFFIX;

  constructor(prefix = tmpFilePrefix()) {
    this.prefix = prefix;
  }

  /** The path JupyterLab computes for a cell's code. */
  pathOf(code: string): string {
    return `${this.prefix}${murmur2(code, this.seed)}${this.suffix}`;
  }

  /** The script name of the `part`-th TypeScript part of the cell stored at `cellPath`. */
  fileOf(cellPath: string, part: number): string {
    return part === 0 ? cellPath : `${cellPath.slice(0, -this.suffix.length)}-${part}${this.suffix}`;
  }

  /** Its script URL (Node names a script compiled from an absolute path by its file URL). */
  urlOf(cellPath: string, part: number): string {
    return pathToFileURL(this.fileOf(cellPath, part)).href;
  }

  /** The cell path and part of a script URL, or undefined when the URL is not a dumped cell's. */
  parseUrl(url: string): { path: string; part: number } | undefined {
    if (!url.startsWith("file:")) return undefined;
    const file = fileURLToPath(url);
    if (!file.startsWith(this.prefix) || !file.endsWith(this.suffix)) return undefined;
    const m = /^(\d+)(?:-(\d+))?$/.exec(file.slice(this.prefix.length, -this.suffix.length));
    if (!m) return undefined;
    return { path: `${this.prefix}${m[1]}${this.suffix}`, part: m[2] === undefined ? 0 : Number(m[2]) };
  }

  /** Writes the cell's code to its path (dumpCell); returns the path. */
  dump(code: string): string {
    const file = this.pathOf(code);
    try {
      writeFileSync(file, code);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
      makeDirsSync(this.prefix);
      writeFileSync(file, code);
    }
    return file;
  }

  /** The code of a dumped cell, or undefined when the file is not there. */
  read(cellPath: string): string | undefined {
    try {
      return readFileSync(cellPath, "utf8");
    } catch {
      return undefined;
    }
  }
}
