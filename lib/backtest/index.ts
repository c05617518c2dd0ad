/**
 * lib/backtest: the daily StatArbBacktester and its BacktestResult, a bar-event loop,
 * walk-forward optimisation with out-of-sample stitching, and block-bootstrap Monte Carlo.
 */
export * from "./backtester.js";
export * from "./event-engine.js";
export * from "./monte-carlo.js";
export * from "./walk-forward.js";
export type { ParallelMap } from "./parallel.js";
export { scoresToWeights } from "./construct.js";
export type { BuiltinConstructionOptions } from "./construct.js";
export { computeMetrics as backtestMetrics } from "./metrics.js";
export type { BacktestMetrics } from "./metrics.js";
export type { TradeTable } from "./trade-log.js";
export type { AlphaModelLike } from "./view.js";
export { backtestWeights } from "./weight-path.js";
export type { WeightBacktestOptions, WeightBacktestResult } from "./weight-path.js";
export { periodSummaries } from "./period-summary.js";
export type { PeriodSummary, ReturnStats } from "./period-summary.js";
export { runAvellanedaLee, VARIANT_LABELS, describeRebalancer } from "./avellaneda-lee.js";
export type { RoundTrip, RoundTripStats, AvellanedaLeeOptions, AvellanedaLeeRun, AvellanedaLeeStudy, AvellanedaLeeVariant } from "./avellaneda-lee.js";
