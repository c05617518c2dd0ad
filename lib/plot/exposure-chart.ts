/** Gross and net exposure (leverage) over time. */
import * as Plot from "@observablehq/plot";
import { PlotFigure } from "./figure.js";
import { readOptions } from "../data/index.js";
import { aligned, type ChartSizeOptions, DATES, epochDaysToMs, longSeries, required, SERIES, sizeRules } from "./internal.js";
import { renderPlot } from "./render.js";

/** Options of {@link exposureChart}. */
export interface ExposureChartOptions extends ChartSizeOptions {
  dates: Int32Array | readonly number[];
  /** Σ|position value| / equity at each close. */
  gross: Float64Array | readonly number[];
  /** Σ position value / equity at each close. */
  net: Float64Array | readonly number[];
}

/** Gross and net exposure lines with a legend (HTML). */
export function exposureChart(options: ExposureChartOptions): PlotFigure {
  const where = "exposureChart";
  const o = readOptions(where, options, { ...sizeRules(200), dates: DATES, gross: SERIES, net: SERIES });
  const dates = required(where, "dates", o.dates, "an Int32Array of epoch days");
  const gross = aligned(where, "gross", o.gross, dates.length);
  const net = aligned(where, "net", o.net, dates.length);
  const { x, y, z } = longSeries(epochDaysToMs(dates), [
    ["gross", gross],
    ["net", net],
  ]);
  return renderPlot({
    width: o.width,
    height: o.height,
    x: { type: "utc", label: null },
    y: { label: "exposure (× equity)", grid: true },
    color: { domain: ["gross", "net"], range: ["#1f5fa8", "#2e8b57"], legend: true },
    marks: [Plot.ruleY([0], { stroke: "#999" }), Plot.lineY(y, { x, z, stroke: z, strokeWidth: 1.2 })],
  });
}
