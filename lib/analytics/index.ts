/**
 * lib/analytics: performance metrics (empyrical definitions), attribution (factor, Brinson-Fachler
 * with Carino/Menchero linking, returns-based style, sector hierarchies, time decomposition) and
 * reports (the self-contained HTML tearsheet, PDF/PNG export in headless Chromium).
 */
export * from "./metrics.js";
export * from "./performance-summary.js";
export * from "./time-decomposition.js";
export * from "./factor-attribution.js";
export * from "./brinson.js";
export * from "./sector-attribution.js";
export { styleAnalysis, rollingStyleAnalysis } from "./style-analysis.js";
export type { StyleAnalysisOptions, StyleAnalysisResult, RollingStyleAnalysisOptions, RollingStyleAnalysisResult } from "./style-analysis.js";
export { tearsheet, writeTearsheet } from "./tearsheet.js";
export type { TearsheetOptions, TearsheetSource } from "./tearsheet.js";
export { exportPDF, exportPNG, findChromium } from "./browser-export.js";
export type { BrowserOptions } from "./browser-export.js";
export { avellanedaLeeSummary, avellanedaLeeDailyCsv, avellanedaLeeReport, avellanedaLeePaperTable, writeAvellanedaLee, PAPER_FIGURES, DIFFERENCES } from "./avellaneda-lee.js";
export type { AvellanedaLeeSummary, AvellanedaLeeRunSummary, AvellanedaLeeReportOptions, PaperFigure, PaperTableColumn } from "./avellaneda-lee.js";
export { weightTearsheetSource } from "./weight-tearsheet.js";
export type { WeightTearsheetOptions } from "./weight-tearsheet.js";
export { reproduceAvellanedaLee, REPRODUCTION_REBALANCERS } from "./reproduce-avellaneda-lee.js";
export type { ReproduceAvellanedaLeeOptions, ReproduceAvellanedaLeeResult } from "./reproduce-avellaneda-lee.js";
export { factorReport, icStats } from "./factor-report.js";
export type { FactorReport, FactorReportOptions, FactorReportPeriod, ICStats } from "./factor-report.js";
export { factorReportHtml, quantileBarsSvg } from "./factor-report-html.js";
export type { FactorReportHtmlOptions } from "./factor-report-html.js";
export { quantstatsMetrics, drawdownSeries } from "./quantstats-metrics.js";
export type { QuantstatsMetrics, QuantstatsOptions, QuantstatsReport, DrawdownPeriod } from "./quantstats-metrics.js";
export { quantstatsHtml, quantstatsMetricsTable } from "./quantstats-html.js";
export type { QuantstatsHtmlOptions } from "./quantstats-html.js";
