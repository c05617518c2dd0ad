/**
 * What the statarb kernel says it is in kernel_info_reply: one copy for the kernel process's executor
 * client and the engine's TypeScript language, which must report the same thing.
 */
import type { LanguageInfo } from "../impl.js";
import { typescriptVersion } from "./load-typescript.js";

export const KERNEL_IMPLEMENTATION = "statarb";
export const KERNEL_IMPLEMENTATION_VERSION = "0.1.0";
export const KERNEL_BANNER = "statarb — a TypeScript kernel for equity stat-arb research";
export const KERNEL_HELP_LINKS = [{ text: "statarb", url: "https://github.com/statarb/statarb" }];

export function typescriptLanguageInfo(): LanguageInfo {
  return {
    name: "typescript",
    version: typescriptVersion(),
    mimetype: "text/typescript",
    file_extension: ".ts",
    // the plain string form: clients built on runtimed's protocol library refuse an object here
    codemirror_mode: "typescript",
    pygments_lexer: "typescript",
    nbconvert_exporter: "script",
  };
}
