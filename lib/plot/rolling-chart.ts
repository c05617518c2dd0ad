/** Rolling statistics over time (rolling Sharpe, rolling beta, …): one or more lines and a reference rule. */
import * as Plot from "@observablehq/plot";
import { opt } from "../data/index.js";
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

const ROLLING_CHART_KEYS = opt.optionKeys<RollingChartOptions>()(["dates", "series", "label", "reference", "width", "height"]);

/** Rolling lines; with more than one series a legend (HTML), else an SVG. */
export function rollingChart(options: RollingChartOptions): PlotFigure {
  const where = "rollingChart";
  const given = opt.knownKeys(where, options, ROLLING_CHART_KEYS);
  const dates = checkDates(where, given.dates);
  const entries = Object.entries(given.series ?? {});
  if (entries.length === 0) throw new RangeError(`${where}: option series must name at least one series`);
  const series = entries.map(([k, v]) => [k, checkSeries(where, `series.${k}`, v, dates.length)] as const);
  const { x, y, z } = longSeries(epochDaysToMs(dates), series);
  const ref = given.reference === undefined ? 0 : given.reference;
  return renderPlot({
    ...size(where, given, 200),
    x: { type: "utc", label: null },
    y: { label: given.label ?? "value", grid: true },
    color: { domain: series.map((s) => s[0]), range: PALETTE.slice(0, series.length), legend: series.length > 1 },
    marks: [...(ref === null ? [] : [Plot.ruleY([ref], { stroke: "#999" })]), Plot.lineY(y, { x, z, stroke: z, strokeWidth: 1.3 })],
  });
}
