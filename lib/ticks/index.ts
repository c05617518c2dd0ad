/**
 * lib/ticks: an embedded tick store on DuckDB (trades and quotes with nanosecond timestamps), as-of
 * joins, bars at any interval, a documented simulated market driven through the native matching
 * engine, replay of stored or live ticks through the engine and a strategy, and a real-time risk monitor.
 */
export { TickStore, openTickStore, toEpochNs, TICK_STORE } from "./store.js";
export type { TickStoreOptions } from "./store.js";
export type { TradeBatch, QuoteBatch, LabelColumn } from "./schema.js";
export { asofJoin, asofRows } from "./asof.js";
export { loadTickColumns, tickColumns } from "./columns.js";
export type { TickColumns, TradeColumns, QuoteColumns } from "./columns.js";
export type { AsofJoinOptions } from "./asof.js";
export { bars, barsToPanel } from "./bars.js";
export type { BarOptions } from "./bars.js";
export type { TickFilter } from "./filters.js";
export { parseSpan } from "./time.js";
export { simulateMarket, hawkesTimes } from "./simulate.js";
export type { SimulatedMarket, SimulatedMarketOptions } from "./simulate.js";
export { loadTaqSample } from "./sample.js";
export type { TaqSample } from "./sample.js";
export { arraySource, batchesFromColumns } from "./source.js";
export { storeSource } from "./store-source.js";
export type { TickBatch, TickSource } from "./source.js";
export { runStrategy } from "./runner.js";
export type { Strategy as TickStrategy, StrategyContext as TickStrategyContext, StrategyFill as TickFill, TickView, RunObserver as TickRunObserver, RunOptions as TickRunOptions, RunStats as TickRunStats } from "./runner.js";
export { RiskMonitor, riskMonitor } from "./risk-monitor.js";
export type { RiskMonitorOptions, RiskLimits, RiskSnapshot, LimitBreach, LatencySummary } from "./risk-monitor.js";
export { meanReversionStrategy } from "./mean-reversion.js";
export type { MeanReversionOptions } from "./mean-reversion.js";
export { kafkaSource, kafkaSourceFromEnv, parseTickMessage, tickMessage } from "./kafka-source.js";
export type { KafkaSourceOptions, KafkaSourceStats, KafkaTickSource } from "./kafka-source.js";
export { qTickColumns } from "./q-columns.js";
export type { QTradeColumns, QQuoteColumns } from "./q-columns.js";
