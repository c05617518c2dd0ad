/**
 * Renders Observable Plot options to markup in Node. Plot builds real DOM nodes, so it gets a jsdom
 * document, created once on first use and reused (the only module-level state: a lazily built,
 * never mutated cache; figures hold strings, not nodes, so nothing leaks between plots).
 *
 * A continuous color legend is a canvas ramp, which jsdom cannot paint; it is refused with a clear
 * error naming the fix (a quantize/threshold/ordinal scale, or no legend).
 */
import { createRequire } from "node:module";
import * as Plot from "@observablehq/plot";
import { PlotFigure } from "./figure.js";

let documentCache: Document | undefined;

/**
 * The shared jsdom document Plot renders into (created on first call). jsdom (CommonJS only, so no
 * dual-package hazard) is required here rather than imported at the top: it takes 1–2 s to load,
 * and every `import "statarb"` reaches this module through lib/analytics' tearsheet.
 */
export function plotDocument(): Document {
  if (documentCache === undefined) {
    const { JSDOM } = createRequire(import.meta.url)("jsdom") as typeof import("jsdom");
    documentCache = new JSDOM("<!DOCTYPE html><html><body></body></html>").window.document;
  }
  return documentCache;
}

const CONTINUOUS = new Set(["linear", "log", "pow", "sqrt", "symlog", "sequential", "diverging", "diverging-log", "diverging-pow", "diverging-sqrt", "diverging-symlog", "cyclical"]);

function checkLegend(options: Plot.PlotOptions): void {
  const c = options.color as (Plot.ScaleOptions & { legend?: unknown }) | undefined;
  if (c === undefined || !c.legend) return;
  const t = c.type;
  if (t !== undefined && CONTINUOUS.has(String(t))) {
    throw new RangeError(
      `renderPlot: a continuous color legend (color.type ${JSON.stringify(t)}) needs a canvas, which server-side rendering lacks; use color.type "quantize", "threshold" or "ordinal", or color.legend false`,
    );
  }
}

/**
 * Observable Plot options (`Plot.PlotOptions` of @observablehq/plot) as {@link renderPlot} takes
 * them. statarb's published types do not name Plot's (they need d3's types, which Plot does not
 * ship), so outside this repository any object is accepted and Plot checks it when it renders.
 */
export type PlotSpec = object;

/** @internal the precise signature, for statarb's own sources (stripped from the published types) */
export function renderPlot(options: Plot.PlotOptions): PlotFigure;
/** Renders Plot options (any `Plot.plot` options; `document` is supplied) to a {@link PlotFigure}. */
export function renderPlot(options: PlotSpec): PlotFigure;
export function renderPlot(options: Plot.PlotOptions): PlotFigure {
  if (options === null || typeof options !== "object") throw new TypeError("renderPlot: options must be an object of Observable Plot options (marks, x, y, …)");
  checkLegend(options);
  let node: Element;
  try {
    node = Plot.plot({ ...options, document: plotDocument() }) as unknown as Element;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (/fillStyle|getContext/.test(msg)) {
      throw new RangeError("renderPlot: this plot needs a canvas (a continuous color legend or raster mark); use a quantize/threshold/ordinal color scale or drop the legend");
    }
    throw e;
  }
  const markup = node.outerHTML;
  return new PlotFigure(markup, node.tagName.toLowerCase() === "svg" ? "svg" : "html");
}

/** @internal */
export function renderPlotToString(options: Plot.PlotOptions): string;
/** Renders Plot options straight to markup (an `<svg>`, or a `<figure>` when there are legends or a title). */
export function renderPlotToString(options: PlotSpec): string;
export function renderPlotToString(options: Plot.PlotOptions): string {
  return renderPlot(options).markup;
}
