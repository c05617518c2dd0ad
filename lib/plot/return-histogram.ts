/** Distribution of daily returns with rules at −VaR and −ES (both given as positive losses, DESIGN.md). */
import * as Plot from "@observablehq/plot";
import { opt } from "../data/index.js";
import { PlotFigure } from "./figure.js";
import { type ChartSizeOptions, checkSeries, size } from "./internal.js";
import { renderPlot } from "./render.js";

/** Options of {@link returnHistogram}. */
export interface ReturnHistogramOptions extends ChartSizeOptions {
  /** Daily simple returns (NaN skipped). */
  returns: Float64Array | readonly number[];
  /** Value at risk as a positive loss (default: none); drawn at −var. */
  valueAtRisk?: number;
  /** Expected shortfall as a positive loss (default: none); drawn at −es. */
  expectedShortfall?: number;
  /** Confidence level for the labels (default 0.95). */
  confidence?: number;
  /** Number of bins (default 60). */
  bins?: number;
}

const RETURN_HISTOGRAM_KEYS = opt.optionKeys<ReturnHistogramOptions>()(["returns", "valueAtRisk", "expectedShortfall", "confidence", "bins", "width", "height"]);

/** Histogram with VaR/ES rule marks, an SVG. */
export function returnHistogram(options: ReturnHistogramOptions): PlotFigure {
  const where = "returnHistogram";
  const given = opt.knownKeys(where, options, RETURN_HISTOGRAM_KEYS);
  const all = checkSeries(where, "returns", given.returns);
  const r = all.filter((v) => Number.isFinite(v));
  if (r.length === 0) throw new RangeError(`${where}: no finite returns to plot`);
  const bins = given.bins ?? 60;
  if (!Number.isInteger(bins) || bins < 2) throw new RangeError(`${where}: option bins must be an integer ≥ 2, got ${bins}`);
  const cl = given.confidence ?? 0.95;
  const level = `${+(cl * 100).toFixed(2)}%`;
  const rules: { x: number; label: string; color: string }[] = [];
  for (const [v, name, color] of [
    [given.valueAtRisk, "VaR", "#edae49"],
    [given.expectedShortfall, "ES", "#d1495b"],
  ] as const) {
    if (v === undefined) continue;
    if (!Number.isFinite(v)) throw new RangeError(`${where}: option ${name === "VaR" ? "valueAtRisk" : "expectedShortfall"} must be finite, got ${v}`);
    rules.push({ x: -v, label: `${name} ${level}: ${(v * 100).toFixed(2)}%`, color });
  }
  return renderPlot({
    ...size(where, given, 240),
    x: { label: "daily return (%)", percent: true },
    y: { label: "days", grid: true },
    marks: [
      Plot.rectY(r, Plot.binX<Plot.RectYOptions>({ y: "count" }, { thresholds: bins, fill: "#1f5fa8", fillOpacity: 0.7, inset: 0.5 })),
      Plot.ruleY([0]),
      Plot.ruleX(rules, { x: "x", stroke: "color", strokeWidth: 2, strokeDasharray: "4,3" }),
      ...rules.map((rule, i) => Plot.text([rule], { x: "x", text: "label", frameAnchor: "top", textAnchor: "start", dx: 4, dy: 4 + 12 * i, fill: rule.color })),
    ],
  });
}
