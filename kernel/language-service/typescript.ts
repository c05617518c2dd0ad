/**
 * The TypeScript compiler, through `require`: an ESM `import` of its 9 MB CommonJS bundle makes Node
 * scan the whole file for named exports (≈ 1 s here) even when the kernel has already loaded it.
 * With `require` the language service shares the kernel's loaded instance; loaded with V8's code cache
 * (kernel/typescript/load-typescript.ts), as the engine's main thread loads it.
 */
import type * as TS from "typescript";
import { typescript } from "../typescript/load-typescript.js";

export const ts: typeof TS = typescript();
