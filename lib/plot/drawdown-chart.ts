/** Underwater chart: drawdown from the running peak of compounded wealth (≤ 0). */
import * as Plot from "@observablehq/plot";
import { PlotFigure } from "./figure.js";
import { readOptions } from "../data/index.js";
import { aligned, type ChartSizeOptions, DATES, epochDaysToMs, required, SERIES, sizeRules } from "./internal.js";
import { renderPlot } from "./render.js";

/** Options of {@link drawdownChart}. */
export interface DrawdownChartOptions extends ChartSizeOptions {
  dates: Int32Array | readonly number[];
  /** Daily simple returns (NaN counts as 0, as empyrical). */
  returns: Float64Array | readonly number[];
}

function drawdowns(r: Float64Array): Float64Array {
  const out = new Float64Array(r.length);
  let w = 1;
  let peak = 1;
  for (let i = 0; i < r.length; i++) {
    const v = r[i]!;
    w *= 1 + (v === v ? v : 0);
    if (w > peak) peak = w;
    out[i] = w / peak - 1;
  }
  return out;
}

/** Drawdown area (percent), an SVG. */
export function drawdownChart(options: DrawdownChartOptions): PlotFigure {
  const where = "drawdownChart";
  const o = readOptions(where, options, { ...sizeRules(200), dates: DATES, returns: SERIES });
  const dates = required(where, "dates", o.dates, "an Int32Array of epoch days");
  const dd = drawdowns(aligned(where, "returns", o.returns, dates.length));
  return renderPlot({
    width: o.width,
    height: o.height,
    x: { type: "utc", label: null },
    y: { label: "drawdown (%)", percent: true, grid: true },
    marks: [Plot.areaY(dd, { x: epochDaysToMs(dates), fill: "#d1495b", fillOpacity: 0.35 }), Plot.lineY(dd, { x: epochDaysToMs(dates), stroke: "#d1495b", strokeWidth: 1 }), Plot.ruleY([0])],
  });
}
