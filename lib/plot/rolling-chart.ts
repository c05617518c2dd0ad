/** Rolling statistics over time (rolling Sharpe, rolling beta, …): one or more lines and a reference rule. */
import * as Plot from "@observablehq/plot";
import { PlotFigure } from "./figure.js";
import { type ChartSizeOptions, checkDates, checkSeries, epochDaysToMs, longSeries, PALETTE, size } from "./internal.js";
import { renderPlot } from "./render.js";

/** Options of {@link rollingChart}. */
export interface RollingChartOptions extends ChartSizeOptions {
  dates: Int32Array | readonly number[];
  /** Named series on `dates` (NaN = not enough history yet, drawn as a gap). */
  series: Readonly<Record<string, Float64Array | readonly number[]>>;
  /** y-axis label (default "value"). */
  label?: string;
  /** Horizontal reference line (default 0; `null` = none). */
  reference?: number | null;
}

/** Rolling lines; with more than one series a legend (HTML), else an SVG. */
export function rollingChart(options: RollingChartOptions): PlotFigure {
  const where = "rollingChart";
  const dates = checkDates(where, options.dates);
  const entries = Object.entries(options.series ?? {});
  if (entries.length === 0) throw new RangeError(`${where}: option series must name at least one series`);
  const series = entries.map(([k, v]) => [k, checkSeries(where, `series.${k}`, v, dates.length)] as const);
  const { x, y, z } = longSeries(epochDaysToMs(dates), series);
  const ref = options.reference === undefined ? 0 : options.reference;
  return renderPlot({
    ...size(where, options, 200),
    x: { type: "utc", label: null },
    y: { label: options.label ?? "value", grid: true },
    color: { domain: series.map((s) => s[0]), range: PALETTE.slice(0, series.length), legend: series.length > 1 },
    marks: [...(ref === null ? [] : [Plot.ruleY([ref], { stroke: "#999" })]), Plot.lineY(y, { x, z, stroke: z, strokeWidth: 1.3 })],
  });
}
