/**
 * The option helper (`readOptions`, `checkKeys`, the `opt.*` rules and single-value checkers), in a
 * folder of its own with no imports so that a light caller — the kernel's widgets, loaded at engine
 * start — need not load lib/data (and apache-arrow with it). lib/data/index.ts re-exports the same
 * face, so `import { opt, readOptions } from "../data/index.js"` keeps working.
 */
export * from "./options.js";
/** Option rules and single-value checkers: `readOptions(where, options, { window: opt.integer(60, { min: 1 }) })`. */
export * as opt from "./options.js";
