/**
 * lib/execution: transaction-cost models (each documented with its formula and units), the
 * participation cap and latency, integer prices/quantities, orders driven by one transition
 * table (as objects, or as columns for many orders a day), the order manager, clocks and a simulated
 * venue shared by the daily backtester and the event engine.
 */
export * from "./almgren-impact.js";
export * from "./clock.js";
export * from "./close-fills.js";
export * from "./columns.js";
export * from "./commission.js";
export { COST_KINDS, costKindIndex } from "./cost-model.js";
export type { CostKind, CostModel } from "./cost-model.js";
export * from "./latency.js";
export * from "./order.js";
export * from "./order-columns.js";
export * from "./order-manager.js";
export * from "./participation.js";
export * from "./precision.js";
export * from "./spread.js";
export * from "./sqrt-impact.js";
export * from "./venue.js";
export * from "./native-adapter.js";
export * from "./intraday-fill.js";
