const display = { html: (s: string) => console.log("[html]", s.length), svg: (s: string) => console.log("[svg]", s.length), markdown: (s: string) => console.log("[md]", s), json: (o: unknown) => console.log("[json]", JSON.stringify(o)) } as any;
(globalThis as any).display = display;
let universe: string[] = ["AAPL", "AMD", "BAC", "BBY", "CVX", "GE", "HD", "JNJ", "JPM", "KO", "LLY", "MRK", "MSFT", "PEP", "PFE", "PG", "RRC", "UNH", "WMT", "XOM"];
let start = "2015-01-01";
let end = "2018-12-31";
let pcaFactors = 3;
let icHorizons: number[] = [1, 5, 10, 21];
let mlModel = "ridge";
let trainWindow = 504;
let retrainEvery = 63;
let embargo = 5;
let nPairs = 5;
// ----
import * as Plot from "@observablehq/plot";
import {
  coint, fromEpochDay, gradientBoostingAlphaModel, icDecay, loadDataset, PairsModel, PanelView, pcaResidualScores,
  Panel, rankIC, renderPlot, reversalModel, ridgeAlphaModel, walkForward,
} from "./statarb-shim.mjs";

function htmlTable(rows: readonly Record<string, unknown>[], digits = 4): string {
  const keys = Object.keys(rows[0] ?? {});
  const cell = (v: unknown) => (typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toFixed(digits)) : String(v ?? ""));
  return `<table><thead><tr>${keys.map((k) => `<th>${k}</th>`).join("")}</tr></thead><tbody>${rows
    .map((r) => `<tr>${keys.map((k) => `<td>${cell(r[k])}</td>`).join("")}</tr>`)
    .join("")}</tbody></table>`;
}
const toDate = (d: number) => new Date(d * 86_400_000);

const prices = (await loadDataset("skfolio-sp500")).slice({ start, end, assets: universe });
console.log(`${prices.nAssets} stocks, ${prices.nDates} days (${prices.dateRange?.join(" … ")})`);
// ----
const formationEnd = prices.dates[252] as number;
const distancePairs = new PairsModel({ method: "distance", pairs: nPairs, formationDays: 252 });
distancePairs.fit(new PanelView(prices, formationEnd));
const cointPairs = new PairsModel({ method: "cointegration", pairs: nPairs, formationDays: 252 });
cointPairs.fit(new PanelView(prices, formationEnd));
display.html("<h4>Distance method</h4>" + htmlTable(distancePairs.pairs.map((p) => ({ pair: `${p.a}/${p.b}`, distance: p.distance, sigma: p.sigma, halfLife: p.halfLife }))));
display.html("<h4>Cointegration method (Engle–Granger on the closest 200)</h4>" + htmlTable(cointPairs.pairs.map((p) => ({ pair: `${p.a}/${p.b}`, beta: p.beta, adf: p.adfStat, halfLife: p.halfLife }))));
// ----
const top = distancePairs.pairs[0];
if (top === undefined) throw new Error("no pair passed the formation filters; widen the universe or the half-life filter");
const ca = prices.column(top.a), cb = prices.column(top.b);
const i0 = 252 - 252, i1 = Math.min(prices.nDates - 1, 252 + 126);
const spreadRows: { date: Date; spread: number; phase: string }[] = [];
for (let i = i0; i <= i1; i++) {
  spreadRows.push({ date: toDate(prices.dates[i] as number), spread: ((ca[i] as number) / top.pa0 - (cb[i] as number) / top.pb0) / top.sigma, phase: i <= 252 ? "formation" : "trading" });
}
const eg = coint(Array.from(ca.subarray(0, 253), Math.log), Array.from(cb.subarray(0, 253), Math.log));
console.log(`top pair ${top.a}/${top.b}: Engle–Granger t = ${eg.statistic.toFixed(2)} (p = ${eg.pValue.toFixed(3)}), half-life ${top.halfLife.toFixed(1)} days`);
renderPlot({
  width: 760, height: 260, x: { label: null }, y: { label: "normalised spread / σ", grid: true }, color: { legend: true },
  marks: [
    Plot.ruleY([-2, 2], { stroke: "#d1495b", strokeDasharray: "4 3" }), Plot.ruleY([0], { stroke: "#999" }),
    Plot.ruleX([toDate(formationEnd)], { stroke: "#333" }),
    Plot.lineY(spreadRows, { x: "date", y: "spread", stroke: "phase" }),
  ],
})
// ----
const pairScoreCols = prices.assets.map(() => new Float64Array(prices.nDates).fill(Number.NaN));
for (let i = 253; i <= i1; i++) {
  const sc = distancePairs.predict(new PanelView(prices, prices.dates[i] as number), prices.dates[i] as number);
  sc.forEach((v, j) => ((pairScoreCols[j] as Float64Array)[i] = v === 0 ? Number.NaN : v));
}
const pairScores = new Panel(prices.dates, prices.assets, pairScoreCols, { validate: false });
const pairIC = rankIC(pairScores, prices, { horizon: 5 });
console.log(`pairs (trading window): mean 5-day IC ${pairIC.mean.toFixed(4)} over ${pairIC.count} dates with open pairs`);
// ----
const pca = pcaResidualScores(prices, { factors: pcaFactors, correlationWindow: 252, ouWindow: 60 });
const pcaScore = pca.sScore.mapColumns((c) => c.map((v) => -v));
const shown = prices.assets.slice(0, 3);
const sRows = shown.flatMap((a) => Array.from(pca.sScore.column(a), (s, i) => ({ date: toDate(prices.dates[i] as number), asset: a, s }))).filter((d) => Number.isFinite(d.s));
renderPlot({
  width: 760, height: 260, x: { label: null }, y: { label: "s-score", grid: true }, color: { legend: true },
  marks: [Plot.ruleY([-1.25, 1.25], { stroke: "#d1495b", strokeDasharray: "4 3" }), Plot.lineY(sRows, { x: "date", y: "s", stroke: "asset", strokeWidth: 1 })],
})
// ----
const decay = icDecay(pcaScore, prices, icHorizons);
const pcaDecay = icHorizons.map((h, k) => ({ horizon: h, meanIC: decay.meanIC[k] as number, tStat: decay.tStat[k] as number, tStatOverlapAdjusted: (decay.tStat[k] as number) / Math.sqrt(h) }));
const pcaIC1 = rankIC(pcaScore, prices, { horizon: 1 });
display.html(htmlTable(pcaDecay));
renderPlot({
  width: 420, height: 220, x: { label: "horizon (days)", type: "band" }, y: { label: "mean rank IC", grid: true },
  marks: [Plot.barY(pcaDecay, { x: "horizon", y: "meanIC", fill: "#1f5fa8" }), Plot.ruleY([0])],
})
// ----
const makeML = () => (mlModel === "gbt" ? gradientBoostingAlphaModel({ nEstimators: 40, maxDepth: 3, seed: 7, horizon: 5 }) : ridgeAlphaModel({ alpha: 10, horizon: 5 }));
const wfOptions = { trainWindow, retrainEvery, embargo };
const ml = await walkForward(makeML(), prices, wfOptions);
const rev = await walkForward(reversalModel({ lookback: 5 }), prices, { ...wfOptions, start: prices.dates[ml.firstRow] as number });
const mlIC = rankIC(ml.scores, prices, { horizon: 5 }), revIC = rankIC(rev.scores, prices, { horizon: 5 });
display.html(htmlTable(ml.fits.map((f) => ({ trainStart: f.trainStart, trainEnd: f.trainEnd, firstScored: f.firstScored, lastScored: f.lastScored }))));
console.log(`out-of-sample from ${fromEpochDay(prices.dates[ml.firstRow] as number)} (${ml.fits.length} fits): ${mlModel} 5-day IC ${mlIC.mean.toFixed(4)} (t ${mlIC.tStat.toFixed(2)}), reversal ${revIC.mean.toFixed(4)} (t ${revIC.tStat.toFixed(2)})`);
// ----
function cumulative(ic: Float64Array, name: string) {
  let c = 0;
  const out: { date: Date; cumIC: number; model: string }[] = [];
  ic.forEach((v, i) => { if (!Number.isNaN(v)) { c += v; out.push({ date: toDate(prices.dates[i] as number), cumIC: c, model: name }); } });
  return out;
}
renderPlot({
  width: 760, height: 260, x: { label: null }, y: { label: "cumulative 5-day rank IC", grid: true }, color: { legend: true },
  marks: [Plot.lineY([...cumulative(mlIC.ic, mlModel), ...cumulative(revIC.ic, "reversal"), ...cumulative(rankIC(pcaScore, prices, { horizon: 5 }).ic, "pca-residual")], { x: "date", y: "cumIC", stroke: "model" }), Plot.ruleY([0])],
})
// ----
display.json({
  notebook: "02_signal_development",
  universe, start, end, nDates: prices.nDates,
  pairs: { distance: distancePairs.pairs.map((p) => `${p.a}/${p.b}`), cointegration: cointPairs.pairs.map((p) => `${p.a}/${p.b}`), topHalfLife: top.halfLife, tradingIC5: pairIC.mean },
  pca: Object.fromEntries(pcaDecay.map((d) => [`ic${d.horizon}`, d.meanIC])),
  pcaDates: pcaIC1.count, pcaIC1: pcaIC1.mean,
  ml: { model: mlModel, ic5: mlIC.mean, tStat: mlIC.tStat, dates: mlIC.count, fits: ml.fits.length },
  reversal: { ic5: revIC.mean, tStat: revIC.tStat },
});
export {};
