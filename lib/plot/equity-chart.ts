/** Growth of 1 of a strategy against its benchmark (compounded daily returns), one line each. */
import * as Plot from "@observablehq/plot";
import { PlotFigure } from "./figure.js";
import { opt, readOptions } from "../data/index.js";
import { aligned, type ChartSizeOptions, DATES, epochDaysToMs, longSeries, PALETTE, required, SERIES, sizeRules } from "./internal.js";
import { renderPlot } from "./render.js";

/** Options of {@link equityChart}. */
export interface EquityChartOptions extends ChartSizeOptions {
  /** Epoch days of the returns. */
  dates: Int32Array | readonly number[];
  /** Daily simple returns of the strategy (NaN counts as 0). */
  returns: Float64Array | readonly number[];
  /** Benchmark daily returns on the same dates (default: none). */
  benchmark?: Float64Array | readonly number[];
  /** Legend names (default "strategy", "benchmark"). */
  names?: readonly [string, string];
  /** Log y scale (default false). */
  logScale?: boolean;
}

function growth(r: Float64Array): Float64Array {
  const out = new Float64Array(r.length);
  let w = 1;
  for (let i = 0; i < r.length; i++) {
    const v = r[i]!;
    w *= 1 + (v === v ? v : 0);
    out[i] = w;
  }
  return out;
}

/** Equity curves (growth of 1) with a legend: an HTML figure. */
export function equityChart(options: EquityChartOptions): PlotFigure {
  const where = "equityChart";
  const o = readOptions(where, options, {
    ...sizeRules(300),
    dates: DATES,
    returns: SERIES,
    benchmark: SERIES,
    names: opt.custom<readonly [string, string]>("two legend names", () => ["strategy", "benchmark"], (v): v is readonly [string, string] => Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === "string")),
    logScale: opt.boolean(false),
  });
  const dates = required(where, "dates", o.dates, "an Int32Array of epoch days");
  const r = aligned(where, "returns", o.returns, dates.length);
  const names = o.names;
  const series: [string, Float64Array][] = [[names[0], growth(r)]];
  if (o.benchmark !== undefined) series.push([names[1], growth(aligned(where, "benchmark", o.benchmark, dates.length))]);
  const { x, y, z } = longSeries(epochDaysToMs(dates), series);
  return renderPlot({
    width: o.width,
    height: o.height,
    x: { type: "utc", label: null },
    y: { type: o.logScale ? "log" : "linear", label: "growth of 1", grid: true },
    color: { domain: series.map((s) => s[0]), range: PALETTE.slice(0, series.length), legend: true },
    marks: [Plot.ruleY([1], { stroke: "#999" }), Plot.lineY(y, { x, z, stroke: z, strokeWidth: 1.5 })],
  });
}
