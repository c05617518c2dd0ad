/**
 * lib/risk: the risk manager applied to every target book, VaR decomposition by asset and sector,
 * and stress tests. (`var.ts` and `component-var.ts` hold the VaR/ES family of lib/stats' owner.)
 */
export * from "./risk-manager.js";
export * from "./stress.js";
export { VaRAnalyzer, varAnalyzer } from "./var-analyzer.js";
export type { AssetVaRContribution, ComponentVaRInput, ComponentVaRResult, SectorVaRContribution, VaRAnalyzerOptions, ComponentVaRMethod } from "./var-analyzer.js";
export * from "./var.js";
export * from "./component-var.js";
