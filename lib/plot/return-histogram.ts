/** Distribution of daily returns with rules at −VaR and −ES (both given as positive losses, DESIGN.md). */
import * as Plot from "@observablehq/plot";
import { PlotFigure } from "./figure.js";
import { opt, readOptions } from "../data/index.js";
import { type ChartSizeOptions, required, SERIES, sizeRules } from "./internal.js";
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

/** Histogram with VaR/ES rule marks, an SVG. */
export function returnHistogram(options: ReturnHistogramOptions): PlotFigure {
  const where = "returnHistogram";
  const o = readOptions(where, options, {
    ...sizeRules(240),
    returns: SERIES,
    valueAtRisk: opt.optional(opt.number(0)),
    expectedShortfall: opt.optional(opt.number(0)),
    confidence: opt.number(0.95, { min: 0, max: 1, open: true }),
    bins: opt.integer(60, { min: 2 }),
  });
  const all = required(where, "returns", o.returns, "a Float64Array or number[]");
  const r = all.filter((v) => Number.isFinite(v));
  if (r.length === 0) throw new RangeError(`${where}: no finite returns to plot`);
  const bins = o.bins;
  const cl = o.confidence;
  const level = `${+(cl * 100).toFixed(2)}%`;
  const rules: { x: number; label: string; color: string }[] = [];
  for (const [v, name, color] of [
    [o.valueAtRisk, "VaR", "#edae49"],
    [o.expectedShortfall, "ES", "#d1495b"],
  ] as const) {
    if (v === undefined) continue;
    rules.push({ x: -v, label: `${name} ${level}: ${(v * 100).toFixed(2)}%`, color });
  }
  return renderPlot({
    width: o.width,
    height: o.height,
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
