/** Gross and net exposure (leverage) over time. */
import * as Plot from "@observablehq/plot";
import { opt } from "../data/index.js";
import { PlotFigure } from "./figure.js";
import { type ChartSizeOptions, checkDates, checkSeries, epochDaysToMs, longSeries, size } from "./internal.js";
import { renderPlot } from "./render.js";

/** Options of {@link exposureChart}. */
export interface ExposureChartOptions extends ChartSizeOptions {
  dates: Int32Array | readonly number[];
  /** Σ|position value| / equity at each close. */
  gross: Float64Array | readonly number[];
  /** Σ position value / equity at each close. */
  net: Float64Array | readonly number[];
}

const EXPOSURE_CHART_KEYS = opt.optionKeys<ExposureChartOptions>()(["dates", "gross", "net", "width", "height"]);

/** Gross and net exposure lines with a legend (HTML). */
export function exposureChart(options: ExposureChartOptions): PlotFigure {
  const where = "exposureChart";
  const given = opt.knownKeys(where, options, EXPOSURE_CHART_KEYS);
  const dates = checkDates(where, given.dates);
  const gross = checkSeries(where, "gross", given.gross, dates.length);
  const net = checkSeries(where, "net", given.net, dates.length);
  const { x, y, z } = longSeries(epochDaysToMs(dates), [
    ["gross", gross],
    ["net", net],
  ]);
  return renderPlot({
    ...size(where, given, 200),
    x: { type: "utc", label: null },
    y: { label: "exposure (× equity)", grid: true },
    color: { domain: ["gross", "net"], range: ["#1f5fa8", "#2e8b57"], legend: true },
    marks: [Plot.ruleY([0], { stroke: "#999" }), Plot.lineY(y, { x, z, stroke: z, strokeWidth: 1.2 })],
  });
}
