/** Growth of 1 of a strategy against its benchmark (compounded daily returns), one line each. */
import * as Plot from "@observablehq/plot";
import { opt } from "../data/index.js";
import { PlotFigure } from "./figure.js";
import { type ChartSizeOptions, checkDates, checkSeries, epochDaysToMs, longSeries, PALETTE, size } from "./internal.js";
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

const EQUITY_CHART_KEYS = opt.optionKeys<EquityChartOptions>()(["dates", "returns", "benchmark", "names", "logScale", "width", "height"]);

/** Equity curves (growth of 1) with a legend: an HTML figure. */
export function equityChart(options: EquityChartOptions): PlotFigure {
  const where = "equityChart";
  const given = opt.knownKeys(where, options, EQUITY_CHART_KEYS);
  const dates = checkDates(where, given.dates);
  const r = checkSeries(where, "returns", given.returns, dates.length);
  const names = given.names ?? ["strategy", "benchmark"];
  const series: [string, Float64Array][] = [[names[0], growth(r)]];
  if (given.benchmark !== undefined) series.push([names[1], growth(checkSeries(where, "benchmark", given.benchmark, dates.length))]);
  const { x, y, z } = longSeries(epochDaysToMs(dates), series);
  return renderPlot({
    ...size(where, given, 300),
    x: { type: "utc", label: null },
    y: { type: given.logScale ? "log" : "linear", label: "growth of 1", grid: true },
    color: { domain: series.map((s) => s[0]), range: PALETTE.slice(0, series.length), legend: true },
    marks: [Plot.ruleY([1], { stroke: "#999" }), Plot.lineY(y, { x, z, stroke: z, strokeWidth: 1.5 })],
  });
}
