/** Daily turnover (bars) and cumulative transaction costs (a line), two small charts. */
import * as Plot from "@observablehq/plot";
import { opt } from "../data/index.js";
import { PlotFigure } from "./figure.js";
import { type ChartSizeOptions, checkDates, checkSeries, epochDaysToMs, size } from "./internal.js";
import { renderPlot } from "./render.js";

/** Options of {@link turnoverChart}. */
export interface TurnoverChartOptions extends ChartSizeOptions {
  dates: Int32Array | readonly number[];
  /** Σ|traded notional| / equity, per day. */
  turnover: Float64Array | readonly number[];
}

const TURNOVER_CHART_KEYS = opt.optionKeys<TurnoverChartOptions>()(["dates", "turnover", "width", "height"]);

/** Turnover per day (percent of equity), an SVG. */
export function turnoverChart(options: TurnoverChartOptions): PlotFigure {
  const where = "turnoverChart";
  const given = opt.knownKeys(where, options, TURNOVER_CHART_KEYS);
  const dates = checkDates(where, given.dates);
  const t = checkSeries(where, "turnover", given.turnover, dates.length);
  return renderPlot({
    ...size(where, given, 180),
    x: { type: "utc", label: null },
    y: { label: "turnover (% of equity)", percent: true, grid: true },
    marks: [Plot.ruleX(t, { x: epochDaysToMs(dates), y: t, stroke: "#1f5fa8", strokeOpacity: 0.7 }), Plot.ruleY([0])],
  });
}

/** Options of {@link costsChart}. */
export interface CostsChartOptions extends ChartSizeOptions {
  dates: Int32Array | readonly number[];
  /** Costs charged each day, currency. */
  dailyCosts: Float64Array | readonly number[];
  /** Divide by this (e.g. the initial capital) to show a fraction (default 1: currency). */
  scale?: number;
  /** y-axis label (default "cumulative costs"). */
  label?: string;
}

const COSTS_CHART_KEYS = opt.optionKeys<CostsChartOptions>()(["dates", "dailyCosts", "scale", "label", "width", "height"]);

/** Cumulative costs over time, an SVG. */
export function costsChart(options: CostsChartOptions): PlotFigure {
  const where = "costsChart";
  const given = opt.knownKeys(where, options, COSTS_CHART_KEYS);
  const dates = checkDates(where, given.dates);
  const c = checkSeries(where, "dailyCosts", given.dailyCosts, dates.length);
  const scale = given.scale ?? 1;
  if (!(scale > 0)) throw new RangeError(`${where}: option scale must be > 0, got ${scale}`);
  const cum = new Float64Array(c.length);
  let s = 0;
  for (let i = 0; i < c.length; i++) {
    const v = c[i]!;
    s += v === v ? v : 0;
    cum[i] = s / scale;
  }
  return renderPlot({
    ...size(where, given, 180),
    x: { type: "utc", label: null },
    y: { label: given.label ?? "cumulative costs", grid: true },
    marks: [Plot.areaY(cum, { x: epochDaysToMs(dates), fill: "#edae49", fillOpacity: 0.35 }), Plot.lineY(cum, { x: epochDaysToMs(dates), stroke: "#b07d1a" }), Plot.ruleY([0])],
  });
}
