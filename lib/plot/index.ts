/**
 * lib/plot: Observable Plot rendered to SVG in Node (a lazily created jsdom document), and the chart
 * helpers of the tearsheet. Every figure displays itself in the statarb kernel
 * (`[Symbol.for("Jupyter.display")]` → image/svg+xml, or text/html when it carries a legend).
 */
export { renderPlot, renderPlotToString, plotDocument } from "./render.js";
export type { PlotSpec } from "./render.js";
export { PlotFigure } from "./figure.js";
export type { PlotFigureKind } from "./figure.js";
export type { ChartSizeOptions } from "./internal.js";
export { equityChart } from "./equity-chart.js";
export type { EquityChartOptions } from "./equity-chart.js";
export { drawdownChart } from "./drawdown-chart.js";
export type { DrawdownChartOptions } from "./drawdown-chart.js";
export { rollingChart } from "./rolling-chart.js";
export type { RollingChartOptions } from "./rolling-chart.js";
export { monthlyReturnsHeatmap } from "./monthly-heatmap.js";
export type { MonthlyHeatmapOptions } from "./monthly-heatmap.js";
export { returnHistogram } from "./return-histogram.js";
export type { ReturnHistogramOptions } from "./return-histogram.js";
export { exposureChart } from "./exposure-chart.js";
export type { ExposureChartOptions } from "./exposure-chart.js";
export { turnoverChart, costsChart } from "./turnover-chart.js";
export type { TurnoverChartOptions, CostsChartOptions } from "./turnover-chart.js";
export { contributionChart } from "./contribution-chart.js";
export type { ContributionChartOptions } from "./contribution-chart.js";
export { parameterHeatmap } from "./parameter-heatmap.js";
export type { ParameterHeatmapOptions } from "./parameter-heatmap.js";
