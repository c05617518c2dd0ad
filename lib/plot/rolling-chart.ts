/** Rolling statistics over time (rolling Sharpe, rolling beta, …): one or more lines and a reference rule. */
import * as Plot from "@observablehq/plot";
import { PlotFigure } from "./figure.js";
import { opt, readOptions } from "../data/index.js";
import { type ChartSizeOptions, checkSeries, DATES, epochDaysToMs, longSeries, PALETTE, required, sizeRules } from "./internal.js";
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
  const o = readOptions(where, options, {
    ...sizeRules(200),
    dates: DATES,
    series: opt.custom<Readonly<Record<string, unknown>>>("an object of named series", () => ({}), (v): v is Readonly<Record<string, unknown>> => typeof v === "object" && v !== null && !Array.isArray(v)),
    label: opt.string("value"),
    reference: opt.custom<number | null>("a finite number or null", () => 0, (v): v is number | null => v === null || Number.isFinite(v)),
  });
  const dates = required(where, "dates", o.dates, "an Int32Array of epoch days");
  const entries = Object.entries(o.series);
  if (entries.length === 0) throw new RangeError(`${where}: option series must name at least one series`);
  const series = entries.map(([k, v]) => [k, checkSeries(where, `series.${k}`, v, dates.length)] as const);
  const { x, y, z } = longSeries(epochDaysToMs(dates), series);
  const ref = o.reference;
  return renderPlot({
    width: o.width,
    height: o.height,
    x: { type: "utc", label: null },
    y: { label: o.label, grid: true },
    color: { domain: series.map((s) => s[0]), range: PALETTE.slice(0, series.length), legend: series.length > 1 },
    marks: [...(ref === null ? [] : [Plot.ruleY([ref], { stroke: "#999" })]), Plot.lineY(y, { x, z, stroke: z, strokeWidth: 1.3 })],
  });
}
