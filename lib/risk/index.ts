/**
 * lib/risk: the risk manager applied to every target book, VaR decomposition by asset and sector,
 * and stress tests. `var.ts` is the one VaR/ES implementation; `VaRAnalyzer` (books) and the
 * risk manager's VaR limit compute through it. `component-var.ts` decomposes a parametric VaR
 * given a covariance matrix.
 */
export * from "./risk-manager.js";
export * from "./stress.js";
export { VaRAnalyzer, varAnalyzer } from "./var-analyzer.js";
export type { AssetVaRContribution, ComponentVaRInput, ComponentVaRResult, SectorVaRContribution, VaRAnalyzerOptions, ComponentVaRMethod } from "./var-analyzer.js";
export { valueAtRisk, expectedShortfall, cornishFisherQuantile } from "./var.js";
export type { CornishFisherMoments, VaRMethod, VaROptions } from "./var.js";
export * from "./component-var.js";
