/** Horizontal bars of signed contributions (factor contributions, Brinson effects), green up, red down. */
import * as Plot from "@observablehq/plot";
import { PlotFigure } from "./figure.js";
import { opt, readOptions } from "../data/index.js";
import { aligned, type ChartSizeOptions, SERIES, SIZE_AUTO_HEIGHT } from "./internal.js";
import { renderPlot } from "./render.js";

/** Options of {@link contributionChart}. */
export interface ContributionChartOptions extends ChartSizeOptions {
  /** Bar labels, top to bottom. */
  labels: readonly string[];
  /** Contribution of each label (fractions; shown in percent). */
  values: Float64Array | readonly number[];
  /** x-axis label (default "contribution (%)"). */
  label?: string;
}

/** Signed contribution bars with their values printed, an SVG. */
export function contributionChart(options: ContributionChartOptions): PlotFigure {
  const where = "contributionChart";
  const o = readOptions(where, options, {
    ...SIZE_AUTO_HEIGHT,
    labels: opt.custom<readonly string[]>("an array of bar labels", () => [], (v): v is readonly string[] => Array.isArray(v) && v.every((x) => typeof x === "string")),
    values: SERIES,
    label: opt.string("contribution (%)"),
  });
  if (o.labels.length === 0) throw new RangeError(`${where}: option labels must name at least one bar`);
  const v = aligned(where, "values", o.values, o.labels.length);
  if (new Set(o.labels).size !== o.labels.length) throw new RangeError(`${where}: option labels must be unique`);
  const labels = [...o.labels];
  const fill = Array.from(v, (x) => (x >= 0 ? "#2e8b57" : "#d1495b"));
  const text = Array.from(v, (x) => `${(x * 100).toFixed(2)}%`);
  // room beyond the longest bars for the printed values
  let lo = 0;
  let hi = 0;
  for (const x of v) if (Number.isFinite(x)) (lo = Math.min(lo, x)), (hi = Math.max(hi, x));
  const pad = (hi - lo || 0.01) * 0.16;
  return renderPlot({
    width: o.width,
    height: o.height ?? 44 + 24 * labels.length,
    marginLeft: Math.min(260, 12 + 6.2 * Math.max(...labels.map((l) => l.length))),
    marginRight: 60,
    x: { label: o.label, percent: true, grid: true, domain: [lo < 0 ? (lo - pad) * 100 : 0, hi > 0 ? (hi + pad) * 100 : 0], nice: true /* percent: the domain is in transformed (×100) units */ },
    y: { domain: labels, label: null },
    marks: [
      Plot.barX(v, { x: v, y: labels, fill }),
      Plot.ruleX([0]),
      Plot.text(v, { x: v, y: labels, text, filter: Array.from(v, (x) => x >= 0), textAnchor: "start", dx: 4, fill: "#333" }),
      Plot.text(v, { x: v, y: labels, text, filter: Array.from(v, (x) => x < 0), textAnchor: "end", dx: -4, fill: "#333" }),
    ],
  });
}
