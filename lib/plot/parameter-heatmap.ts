/**
 * A metric over two parameters of a sweep: one cell per (x, y) pair of parameter values, coloured on a
 * diverging red–green scale (centred at 0 when the values straddle it, else at their midpoint) and
 * labelled with the value. Several points with the same (x, y) — other parameters varied too — are
 * averaged, and the cell says how many it holds. Missing pairs (failed runs) stay blank.
 */
import * as Plot from "@observablehq/plot";
import { opt, readOptions } from "../data/index.js";
import { PlotFigure } from "./figure.js";
import type { ChartSizeOptions } from "./internal.js";
import { renderPlot } from "./render.js";

/** Options of {@link parameterHeatmap}. */
export interface ParameterHeatmapOptions extends ChartSizeOptions {
  /** Value of the x parameter at each point (numbers or strings; shown in first-seen order, numbers sorted). */
  x: readonly (number | string | boolean)[];
  /** Value of the y parameter at each point. */
  y: readonly (number | string | boolean)[];
  /** The metric at each point (NaN = missing). */
  value: readonly number[] | Float64Array;
  /** Axis label of x (default "x"). */
  xLabel?: string;
  /** Axis label of y (default "y"). */
  yLabel?: string;
  /** Digits of the cell labels (default 2). */
  digits?: number;
}

const isKey = (v: unknown): v is number | string | boolean => typeof v === "number" || typeof v === "string" || typeof v === "boolean";
const keysRule = opt.custom<readonly (number | string | boolean)[]>("an array of numbers, strings or booleans", () => [], (v): v is readonly (number | string | boolean)[] => Array.isArray(v) && v.every(isKey));
const valuesRule = opt.custom<readonly number[] | Float64Array>("a Float64Array or number[]", () => [], (v): v is readonly number[] | Float64Array => v instanceof Float64Array || (Array.isArray(v) && v.every((x) => typeof x === "number")));

function domain(values: readonly (number | string | boolean)[]): string[] {
  const seen = [...new Set(values.map(String))];
  return values.every((v) => typeof v === "number") ? seen.sort((a, b) => Number(a) - Number(b)) : seen;
}

/** Mean of `value` per (x, y) cell, skipping NaN. */
function cells(x: readonly unknown[], y: readonly unknown[], value: ArrayLike<number>): { x: string[]; y: string[]; mean: number[]; n: number[] } {
  const sums = new Map<string, { x: string; y: string; s: number; n: number }>();
  for (let i = 0; i < value.length; i++) {
    const v = value[i] as number;
    const k = JSON.stringify([String(x[i]), String(y[i])]);
    const c = sums.get(k) ?? { x: String(x[i]), y: String(y[i]), s: 0, n: 0 };
    if (v === v) {
      c.s += v;
      c.n += 1;
    }
    sums.set(k, c);
  }
  const out = { x: [] as string[], y: [] as string[], mean: [] as number[], n: [] as number[] };
  for (const c of sums.values()) {
    out.x.push(c.x);
    out.y.push(c.y);
    out.mean.push(c.n > 0 ? c.s / c.n : Number.NaN);
    out.n.push(c.n);
  }
  return out;
}

/** The heatmap, an SVG. */
export function parameterHeatmap(options: ParameterHeatmapOptions): PlotFigure {
  const where = "parameterHeatmap";
  const o = readOptions(where, options, {
    x: keysRule, y: keysRule, value: valuesRule, xLabel: opt.string("x"), yLabel: opt.string("y"), digits: opt.integer(2, { min: 0, max: 12 }),
    width: opt.optional(opt.number(720, { min: 100, max: 4000 })), height: opt.optional(opt.number(300, { min: 60, max: 4000 })),
  });
  if (o.x.length === 0) throw new RangeError(`${where}: no points to plot (x is empty)`);
  if (o.y.length !== o.x.length || o.value.length !== o.x.length) throw new RangeError(`${where}: x, y and value must have one entry per point, got ${o.x.length}, ${o.y.length}, ${o.value.length}`);
  const c = cells(o.x, o.y, o.value);
  const xs = domain(o.x);
  const ys = domain(o.y);
  const finite = c.mean.filter((v) => Number.isFinite(v));
  const lo = finite.length ? Math.min(...finite) : 0;
  const hi = finite.length ? Math.max(...finite) : 1;
  const pivot = lo < 0 && hi > 0 ? 0 : (lo + hi) / 2;
  const labels = c.mean.map((v, i) => (Number.isFinite(v) ? v.toFixed(o.digits) + ((c.n[i] as number) > 1 ? ` (n=${c.n[i]})` : "") : ""));
  const sizeOptions: Required<ChartSizeOptions> = { width: o.width ?? Math.min(1200, 120 + 90 * xs.length), height: o.height ?? Math.min(4000, 60 + 34 * ys.length) };
  return renderPlot({
    ...sizeOptions,
    marginLeft: 70,
    x: { domain: xs, label: o.xLabel, axis: "top" },
    y: { domain: ys, label: o.yLabel },
    color: { type: "diverging", scheme: "rdylgn", pivot, domain: [lo === hi ? lo - 1 : lo, lo === hi ? hi + 1 : hi] },
    marks: [
      Plot.cell(c.mean, { x: c.x, y: c.y, fill: c.mean.map((v) => (Number.isFinite(v) ? v : null)), inset: 0.5 }),
      Plot.text(c.mean, { x: c.x, y: c.y, text: labels, fill: "#111", fontSize: 10 }),
    ],
  });
}
