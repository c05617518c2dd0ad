/**
 * statarb: the public API. Each folder's `index.ts` is its face; names are unique across folders.
 */
export * from "./data/index.js";
export * from "./stats/index.js";
export * from "./features/index.js";
export * from "./signals/index.js";
export * from "./portfolio/index.js";
export * from "./analytics/index.js";
export * from "./plot/index.js";
export * from "./risk/index.js";
export * from "./execution/index.js";
export * from "./backtest/index.js";
export * from "./ticks/index.js";
