/** The TypeScript compiler, loaded on first use (it is 9 MB of JavaScript; kernel start must stay fast). */
import { createRequire } from "node:module";
import type * as TS from "typescript";

const require = createRequire(import.meta.url);
let loaded: typeof TS | undefined;

export function typescript(): typeof TS {
  return (loaded ??= require("typescript") as typeof TS);
}

export function typescriptLoaded(): boolean {
  return loaded !== undefined;
}

/** The installed TypeScript's version without loading the compiler. */
export function typescriptVersion(): string {
  try {
    return (require("typescript/package.json") as { version: string }).version;
  } catch {
    return "unknown";
  }
}
