/**
 * The TypeScript compiler, through `require`: an ESM `import` of its 9 MB CommonJS bundle makes Node
 * scan the whole file for named exports (≈ 1 s here) even when the kernel has already loaded it.
 * With `require` the language service shares the kernel's loaded instance.
 */
import { createRequire } from "node:module";
import type * as TS from "typescript";

export const ts = createRequire(import.meta.url)("typescript") as typeof TS;
