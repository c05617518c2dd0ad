/**
 * lib/plot: Plot options render to SVG in Node through one lazily created jsdom document; figures
 * carry the Jupyter display bundle; the chart helpers draw what they say (checked on the markup).
 */
import * as Plot from "@observablehq/plot";
import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { formatValueSync } from "../../kernel/display/format.js";
import { contributionChart, costsChart, drawdownChart, equityChart, exposureChart, monthlyReturnsHeatmap, PlotFigure, plotDocument, renderPlot, renderPlotToString, returnHistogram, rollingChart, turnoverChart } from "../../lib/plot/index.js";

const display = (x: object): Record<string, string> => (x as unknown as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")]!();
const parse = (markup: string) => new JSDOM(`<!DOCTYPE html><body>${markup}</body>`).window.document;

// 1990-01-02 … two years of weekdays, deterministic returns
const dates = Int32Array.from({ length: 520 }, (_, i) => 7306 + Math.floor(i / 5) * 7 + (i % 5));
const r = Float64Array.from(dates, (_, i) => 0.01 * Math.sin(i * 0.37) + 0.0004);
const b = Float64Array.from(dates, (_, i) => 0.008 * Math.cos(i * 0.21) + 0.0002);

describe("renderPlot", () => {
  it("renders any Plot options to an SVG string, reusing one document", () => {
    const fig = renderPlot({ marks: [Plot.lineY([1, 3, 2, 5])], width: 300, height: 150 });
    expect(fig).toBeInstanceOf(PlotFigure);
    expect(fig.kind).toBe("svg");
    expect(fig.markup.startsWith("<svg")).toBe(true);
    expect(fig.svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    const doc = parse(fig.markup);
    expect(doc.querySelectorAll("svg path").length).toBeGreaterThan(0);
    expect(doc.querySelector("svg")?.getAttribute("width")).toBe("300");
    expect(plotDocument()).toBe(plotDocument());
    expect(renderPlotToString({ marks: [Plot.dot([[1, 2]])] })).toMatch(/^<svg[^>]*>.*<circle/s);
  });

  it("displays as image/svg+xml, or text/html when the figure has a legend", () => {
    const svg = renderPlot({ marks: [Plot.lineY([1, 2])] });
    const bundle = display(svg);
    expect(Object.keys(bundle)).toContain("image/svg+xml");
    expect(bundle["image/svg+xml"]).toContain("<svg");
    const legend = renderPlot({ color: { legend: true }, marks: [Plot.dot([{ x: 1, s: "a" }, { x: 2, s: "b" }], { x: "x", fill: "s" })] });
    expect(legend.kind).toBe("html");
    const hb = display(legend);
    expect(hb["text/html"]).toMatch(/^<figure/);
    expect(hb["image/svg+xml"]).toBeUndefined();
    expect(() => legend.svg).toThrow(/legends/);
    // the statarb kernel's formatter picks the bundle up as is
    const f = formatValueSync(svg) as { data: Record<string, string> };
    expect(f.data["image/svg+xml"]).toBe(bundle["image/svg+xml"]);
  });

  it("refuses a continuous color legend with an error naming the fix", () => {
    expect(() => renderPlot({ color: { type: "linear", legend: true }, marks: [Plot.cell([{ x: 1, v: 1 }], { x: "x", fill: "v" })] })).toThrow(/quantize|threshold/);
    expect(() => renderPlot(null as never)).toThrow(/options must be an object/);
  });
});

describe("chart helpers", () => {
  it("equityChart: growth-of-1 lines for strategy and benchmark with a legend", () => {
    const fig = equityChart({ dates, returns: r, benchmark: b, names: ["alpha", "SPX"] });
    expect(fig.kind).toBe("html");
    const doc = parse(fig.markup);
    expect(doc.body.textContent).toContain("alpha");
    expect(doc.body.textContent).toContain("SPX");
    // one path per series in the line mark
    const lines = doc.querySelectorAll('g[aria-label="line"] path');
    expect(lines.length).toBe(2);
    expect(() => equityChart({ dates, returns: r.subarray(1) })).toThrow(/align/);
  });

  it("drawdownChart, rollingChart, turnoverChart, costsChart, exposureChart render SVG charts", () => {
    const figs = [drawdownChart({ dates, returns: r }), rollingChart({ dates, series: { sharpe: r } }), turnoverChart({ dates, turnover: r.map(Math.abs) }), costsChart({ dates, dailyCosts: r.map(Math.abs) })];
    for (const f of figs) {
      expect(f.kind).toBe("svg");
      expect(parse(f.markup).querySelectorAll("svg").length).toBe(1);
    }
    expect(parse(drawdownChart({ dates, returns: r }).markup).querySelector('g[aria-label="area"] path')).not.toBeNull();
    expect(exposureChart({ dates, gross: r.map(Math.abs), net: r }).kind).toBe("html");
    expect(() => rollingChart({ dates, series: {} })).toThrow(/at least one series/);
  });

  it("monthlyReturnsHeatmap: one labelled cell per calendar month, compounded", () => {
    const fig = monthlyReturnsHeatmap({ dates, returns: r });
    const doc = parse(fig.markup);
    const cells = doc.querySelectorAll('g[aria-label="cell"] rect');
    const months = new Set(Array.from(dates, (d) => new Date(d * 864e5).toISOString().slice(0, 7)));
    expect(cells.length).toBe(months.size);
    // the first month's label is its compounded return in percent
    let g = 1;
    for (let i = 0; i < dates.length && new Date((dates[i] as number) * 864e5).getUTCMonth() === 0; i++) g *= 1 + (r[i] as number);
    const first = doc.querySelector('g[aria-label="text"] text')?.textContent;
    expect(first).toBe(((g - 1) * 100).toFixed(1));
  });

  it("contributionChart: one signed bar per label, values printed", () => {
    const doc = parse(contributionChart({ labels: ["MktRF", "SMB", "selection"], values: [0.012, -0.004, 0.001] }).markup);
    const bars = doc.querySelectorAll('g[aria-label="bar"] rect');
    expect(bars.length).toBe(3);
    expect(bars[1]?.getAttribute("fill")).toBe("#d1495b");
    expect(doc.body.textContent).toContain("-0.40%");
    expect(() => contributionChart({ labels: ["a", "a"], values: [1, 2] })).toThrow(/unique/);
  });

  it("returnHistogram: bins plus VaR and ES rules at −VaR and −ES", () => {
    const fig = returnHistogram({ returns: r, valueAtRisk: 0.009, expectedShortfall: 0.0095, confidence: 0.99 });
    const doc = parse(fig.markup);
    expect(doc.querySelectorAll('g[aria-label="rect"] rect').length).toBeGreaterThan(5);
    expect(doc.querySelectorAll('g[aria-label="rule"] line').length).toBeGreaterThanOrEqual(2);
    expect(doc.body.textContent).toContain("VaR 99%: 0.90%");
    expect(doc.body.textContent).toContain("ES 99%: 0.95%");
    expect(() => returnHistogram({ returns: [Number.NaN] })).toThrow(/no finite returns/);
  });
});
