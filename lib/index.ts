/**
 * statarb: the public API. Each folder's `index.ts` is its face; names are unique across folders.
 */
export * from "./data/index.js";
