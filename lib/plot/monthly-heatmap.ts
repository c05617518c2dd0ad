/**
 * Monthly returns heatmap: years × months, each cell the month's compounded return, labelled in
 * percent, on a diverging red–green scale centred at 0 (no ramp legend: the labels carry the values,
 * and a continuous ramp would need a canvas).
 */
import * as Plot from "@observablehq/plot";
import { PlotFigure } from "./figure.js";
import { readOptions } from "../data/index.js";
import { aligned, type ChartSizeOptions, DATES, required, SERIES, SIZE_AUTO_HEIGHT } from "./internal.js";
import { renderPlot } from "./render.js";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

/** Options of {@link monthlyReturnsHeatmap}. */
export interface MonthlyHeatmapOptions extends ChartSizeOptions {
  dates: Int32Array | readonly number[];
  /** Daily simple returns, compounded within each calendar month (NaN counts as 0). */
  returns: Float64Array | readonly number[];
}

/** Compounded return of each calendar month present: parallel arrays of year, month (0–11), return. */
export function monthlyTable(dates: Int32Array, r: Float64Array): { year: Int32Array; month: Int32Array; value: Float64Array } {
  const year: number[] = [];
  const month: number[] = [];
  const value: number[] = [];
  let key = -1;
  let g = 1;
  for (let i = 0; i < dates.length; i++) {
    const d = new Date(dates[i]! * 86_400_000);
    const k = d.getUTCFullYear() * 12 + d.getUTCMonth();
    if (k !== key) {
      if (key >= 0) value.push(g - 1);
      key = k;
      g = 1;
      year.push(d.getUTCFullYear());
      month.push(d.getUTCMonth());
    }
    const v = r[i]!;
    g *= 1 + (v === v ? v : 0);
  }
  if (key >= 0) value.push(g - 1);
  return { year: Int32Array.from(year), month: Int32Array.from(month), value: Float64Array.from(value) };
}

/** The heatmap, an SVG. */
export function monthlyReturnsHeatmap(options: MonthlyHeatmapOptions): PlotFigure {
  const where = "monthlyReturnsHeatmap";
  // the default height depends on the years shown
  const o = readOptions(where, options, { ...SIZE_AUTO_HEIGHT, dates: DATES, returns: SERIES });
  const dates = required(where, "dates", o.dates, "an Int32Array of epoch days");
  const r = aligned(where, "returns", o.returns, dates.length);
  if (dates.length === 0) throw new RangeError(`${where}: no returns to plot`);
  const t = monthlyTable(dates, r);
  const years = String(t.year.length ? new Set(t.year).size : 0);
  const ys = Array.from(t.year, String);
  const ms = Array.from(t.month, (m) => MONTHS[m] as string);
  let maxAbs = 0;
  for (const v of t.value) maxAbs = Math.max(maxAbs, Math.abs(v));
  const labels = Array.from(t.value, (v) => (v * 100).toFixed(1));
  return renderPlot({
    width: o.width,
    height: o.height ?? 40 + 22 * Number(years),
    marginLeft: 48,
    x: { domain: MONTHS as unknown as string[], label: null, axis: "top" },
    y: { domain: [...new Set(ys)], label: null },
    color: { type: "diverging", scheme: "rdylgn", pivot: 0, domain: [-maxAbs || -0.01, maxAbs || 0.01] },
    marks: [
      Plot.cell(t.value, { x: ms, y: ys, fill: t.value, inset: 0.5 }),
      Plot.text(t.value, { x: ms, y: ys, text: labels, fill: "#111", fontSize: 9 }),
    ],
  });
}
