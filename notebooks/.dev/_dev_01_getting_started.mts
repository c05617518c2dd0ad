const display = { html: (s: string) => console.log("[html]", s.length), svg: (s: string) => console.log("[svg]", s.length), markdown: (s: string) => console.log("[md]", s), json: (o: unknown) => console.log("[json]", JSON.stringify(o)) } as any;
(globalThis as any).display = display;
let dataset = "skfolio-sp500";
let universe: string[] = ["AAPL", "MSFT", "JPM", "XOM", "KO", "PEP"];
let start = "2018-01-01";
let end = "2022-12-28";
let pairA = "KO";
let pairB = "PEP";
// ----
import * as Plot from "@observablehq/plot";
import {
  adf, coint, corrMatrix, datasetInfo, halfLife, hedgeRatio, listDatasets, loadDataset, ols, ouFit,
  performanceSummary, renderPlot, sharpeRatio, type Panel,
} from "./statarb-shim.mjs";

function htmlTable(rows: readonly Record<string, unknown>[], digits = 4): string {
  const keys = Object.keys(rows[0] ?? {});
  const cell = (v: unknown) => (typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toFixed(digits)) : String(v ?? ""));
  return `<table><thead><tr>${keys.map((k) => `<th>${k}</th>`).join("")}</tr></thead><tbody>${rows
    .map((r) => `<tr>${keys.map((k) => `<td>${cell(r[k])}</td>`).join("")}</tr>`)
    .join("")}</tbody></table>`;
}

display.html(htmlTable(listDatasets().map((d) => ({
  name: d.name, kind: d.kind, frequency: d.frequency, from: d.dateRange?.[0] ?? "", to: d.dateRange?.[1] ?? "",
  source: `${d.source.registry}:${d.source.package}@${d.source.version}`,
}))));
// ----
const info = datasetInfo(dataset);
const all = await loadDataset(dataset);
const prices: Panel = all.slice({ start, end, assets: universe });
console.log(`${info.description}`);
console.log(`${prices.nDates} trading days × ${prices.nAssets} assets, ${prices.dateRange?.join(" … ")}`);
prices
// ----
const returns = prices.returns().sliceRows(1, prices.nDates);
returns
// ----
const growth = prices.assets.flatMap((a) => {
  const c = prices.column(a);
  const p0 = c[0] as number;
  return Array.from(c, (p, i) => ({ date: new Date((prices.dates[i] as number) * 86_400_000), asset: a, value: p / p0 }));
});
renderPlot({
  width: 760, height: 320, y: { type: "log", grid: true, label: "growth of $1", tickFormat: "~g" }, x: { label: null },
  color: { legend: true },
  marks: [Plot.lineY(growth, { x: "date", y: "value", stroke: "asset" }), Plot.ruleY([1])],
})
// ----
const summaries = prices.assets.map((a) => {
  const s = performanceSummary(returns.column(a));
  return { asset: a, annualReturn: s.annualReturn, annualVolatility: s.annualVolatility, sharpe: s.sharpeRatio, maxDrawdown: s.maxDrawdown, sortino: s.sortinoRatio };
});
display.html(htmlTable(summaries, 3));
// ----
const corr = corrMatrix(returns);
const cells = prices.assets.flatMap((a, i) => prices.assets.map((b, j) => ({ a, b, rho: corr.get(i, j) })));
renderPlot({
  width: 420, height: 380, padding: 0, x: { label: null, domain: prices.assets }, y: { label: null, domain: prices.assets },
  color: { type: "linear", scheme: "rdbu", domain: [-1, 1] },
  marks: [Plot.cell(cells, { x: "a", y: "b", fill: "rho" }), Plot.text(cells, { x: "a", y: "b", text: (d: { rho: number }) => d.rho.toFixed(2), fill: (d: { rho: number }) => (Math.abs(d.rho) > 0.6 ? "white" : "black"), fontSize: 10 })],
})
// ----
const la = Float64Array.from(all.slice({ start, end }).column(pairA), Math.log);
const lb = Float64Array.from(all.slice({ start, end }).column(pairB), Math.log);
const beta = hedgeRatio(la, lb);
const spread = la.map((v, i) => v - beta * (lb[i] as number));
const tests = {
  adfPriceA: adf(la), adfReturnsA: adf(returns.column(universe.includes(pairA) ? pairA : universe[0] as string)),
  eg: coint(la, lb), hl: halfLife(spread), ou: ouFit(spread),
};
const regression = ols(la, lb);
display.html(htmlTable([
  { test: `ADF log price ${pairA}`, statistic: tests.adfPriceA.statistic, pValue: tests.adfPriceA.pValue },
  { test: `ADF returns`, statistic: tests.adfReturnsA.statistic, pValue: tests.adfReturnsA.pValue },
  { test: `Engle–Granger ${pairA}~${pairB}`, statistic: tests.eg.statistic, pValue: tests.eg.pValue },
]));
console.log(`hedge ratio β = ${beta.toFixed(3)} (OLS R² ${regression.rsquared.toFixed(3)}), spread half-life ${tests.hl.toFixed(1)} days, OU κ = ${tests.ou.kappa.toFixed(2)}/yr`);
// ----
const spreadRows = Array.from(spread, (s, i) => ({ date: new Date((prices.dates[i] as number) * 86_400_000), s }));
const mu = spread.reduce((x, y) => x + y, 0) / spread.length;
renderPlot({
  width: 760, height: 240, y: { label: `log ${pairA} − β·log ${pairB}`, grid: true }, x: { label: null },
  marks: [Plot.lineY(spreadRows, { x: "date", y: "s", stroke: "#1f5fa8" }), Plot.ruleY([mu], { stroke: "#999", strokeDasharray: "4 3" })],
})
// ----
const first = universe[0] as string;
display.json({
  notebook: "01_getting_started",
  dataset, start, end, universe,
  nDates: prices.nDates, nAssets: prices.nAssets,
  sharpe: Object.fromEntries(summaries.map((s) => [s.asset, s.sharpe])),
  firstAssetSharpe: sharpeRatio(returns.column(first)),
  pair: { a: pairA, b: pairB, hedgeRatio: beta, egStatistic: tests.eg.statistic, egPValue: tests.eg.pValue, halfLife: tests.hl },
});
export {};
