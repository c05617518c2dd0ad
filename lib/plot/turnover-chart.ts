/** Daily turnover (bars) and cumulative transaction costs (a line), two small charts. */
import * as Plot from "@observablehq/plot";
import { PlotFigure } from "./figure.js";
import { opt, readOptions } from "../data/index.js";
import { aligned, type ChartSizeOptions, DATES, epochDaysToMs, required, SERIES, sizeRules } from "./internal.js";
import { renderPlot } from "./render.js";

/** Options of {@link turnoverChart}. */
export interface TurnoverChartOptions extends ChartSizeOptions {
  dates: Int32Array | readonly number[];
  /** Σ|traded notional| / equity, per day. */
  turnover: Float64Array | readonly number[];
}

/** Turnover per day (percent of equity), an SVG. */
export function turnoverChart(options: TurnoverChartOptions): PlotFigure {
  const where = "turnoverChart";
  const o = readOptions(where, options, { ...sizeRules(180), dates: DATES, turnover: SERIES });
  const dates = required(where, "dates", o.dates, "an Int32Array of epoch days");
  const t = aligned(where, "turnover", o.turnover, dates.length);
  return renderPlot({
    width: o.width,
    height: o.height,
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

/** Cumulative costs over time, an SVG. */
export function costsChart(options: CostsChartOptions): PlotFigure {
  const where = "costsChart";
  const o = readOptions(where, options, { ...sizeRules(180), dates: DATES, dailyCosts: SERIES, scale: opt.number(1, { min: 0, open: "min" }), label: opt.string("cumulative costs") });
  const dates = required(where, "dates", o.dates, "an Int32Array of epoch days");
  const c = aligned(where, "dailyCosts", o.dailyCosts, dates.length);
  const scale = o.scale;
  const cum = new Float64Array(c.length);
  let s = 0;
  for (let i = 0; i < c.length; i++) {
    const v = c[i]!;
    s += v === v ? v : 0;
    cum[i] = s / scale;
  }
  return renderPlot({
    width: o.width,
    height: o.height,
    x: { type: "utc", label: null },
    y: { label: o.label, grid: true },
    marks: [Plot.areaY(cum, { x: epochDaysToMs(dates), fill: "#edae49", fillOpacity: 0.35 }), Plot.lineY(cum, { x: epochDaysToMs(dates), stroke: "#b07d1a" }), Plot.ruleY([0])],
  });
}
