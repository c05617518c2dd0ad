/**
 * statarb/bridges: live R, Octave and kdb+/q sessions from TypeScript, their language scripts with
 * typed wrappers, the q IPC codec, and the %%R / %%octave / %%q / %put / %get kernel magics.
 */
export { BridgeError, BridgeNotInstalledError, BridgeTimeoutError, BridgeCrashError } from "./core/errors.js";
export type { BridgeLanguage } from "./core/errors.js";
export { NA, R_NA_REAL, isRNA, isRNAAt } from "./core/values.js";
export type { BridgeValue, NAValue, EncodeOptions } from "./core/values.js";
export { tableHtml, tableText, tableDisplay } from "./core/table.js";
export type { BridgeTable, TableColumn, ColumnType, TableRequest } from "./core/table.js";
export { StdioBridgeSession } from "./core/session.js";
export type { SessionOptions, CallOptions, EvalOptions, EvalResult, PlotCapture, SessionImpl, TransportStarter } from "./core/session.js";
export type { BridgeTransport, TransportEvents, ProcessSpec } from "./core/transport.js";
export { RSession, rSession } from "./r/session.js";
export { rJohansen, rAdf, rGarch, rPerformance } from "./r/stats.js";
export type { RJohansenOptions, RJohansenResult, RAdfOptions, RAdfResult, RGarchResult, RPerformanceResult } from "./r/stats.js";
export { OctaveSession, octaveSession } from "./octave/session.js";
export { octaveMonteCarlo, octaveMeanVariance } from "./octave/models.js";
export type { OctaveMonteCarloOptions, OctaveMonteCarloResult, OctaveMeanVarianceOptions, OctaveMeanVarianceResult } from "./octave/models.js";
export { QSession, qSession, hasKdb, findQBinary, qStatements, Q_NOT_INSTALLED } from "./q/session.js";
export { tradeTable, quoteTable, loadTicks, qVwap, qAsofJoin } from "./q/queries.js";
export type { TradeColumns, QuoteColumns } from "./q/queries.js";
export type { QSessionOptions, QEvalResult } from "./q/session.js";
export * as qipc from "./q/ipc/index.js";
export { bridgeMagics, bridgeSessions, parseCellArgs } from "./magics.js";
export type { BridgeCellMagic, BridgeLineMagic, BridgeMagicContext, BridgeSessions, BridgeMagicsOptions, CellArgs } from "./magics.js";
