/**
 * The debugger's side on the engine's main thread (which runs cells): while a debugger is attached,
 * each TypeScript part of a cell is compiled under its cell file's name and the cell's code written
 * there (what `dumpCell` writes, so frames of cells JupyterLab never dumped still map to their lines);
 * and a hidden global the adapter evaluates in: the names cells defined (the variable explorer) and a
 * value's rich display bundle (`richInspectVariables`). With no debugger attached a cell pays one
 * shared-memory read.
 */
import { formatValueSync } from "../display/format.js";
import { HOOKS_GLOBAL } from "./dap.js";
import { CellFiles } from "./cell-files.js";

export { HOOKS_GLOBAL };

/** Script names for a cell's parts while `attached()`, else undefined (the kernel's own names). */
export function debugScriptNames(attached: () => boolean, files = new CellFiles()): (code: string) => ((part: number) => string) | undefined {
  return (code) => {
    if (!attached()) return undefined;
    const cellPath = files.dump(code);
    return (part) => files.fileOf(cellPath, part);
  };
}

export interface DebugHooks {
  /** Names the cells defined that exist now. */
  names(): string[];
  /** The display bundle of a value, as JSON (`{ data, metadata }`); synchronous, so it works while paused. */
  rich(value: unknown): string;
  /** A name copyToGlobals defined. */
  declare(name: string): void;
}

export function installDebugHooks(g: Record<string, unknown>, userNames: () => Iterable<string>, declare: (name: string) => void): void {
  const hooks: DebugHooks = {
    names: () => [...userNames()].filter((n) => n in g).sort(),
    rich: (value) => {
      const f = formatValueSync(value);
      const done = f instanceof Promise ? { data: { "text/plain": "(its display is asynchronous: run the cell to see it)" }, metadata: {} } : f;
      return JSON.stringify(done);
    },
    declare,
  };
  Object.defineProperty(g, HOOKS_GLOBAL, { value: hooks, writable: true, configurable: true, enumerable: false });
}
