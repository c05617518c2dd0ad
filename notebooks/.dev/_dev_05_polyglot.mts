const display = { html: (s: string) => console.log("[html]", s.length), svg: (s: string) => console.log("[svg]", s.length), markdown: (s: string) => console.log("[md]", s), json: (o: unknown) => console.log("[json]", JSON.stringify(o)) } as any;
(globalThis as any).display = display;
let pairA = "KO";
let pairB = "PEP";
let start = "2015-01-01";
let end = "2019-12-31";
let zWindow = 60;
let simulations = 1000;
let blockSize = 20;
let seed = 7;
// ----
import * as Plot from "@observablehq/plot";
import { hedgeRatio, johansen, loadDataset, monteCarloStrategy, Panel, renderPlot, rollingZ, sharpeRatio } from "./statarb-shim.mjs";

function htmlTable(rows: readonly Record<string, unknown>[], digits = 4): string {
  const keys = Object.keys(rows[0] ?? {});
  const cell = (v: unknown) => (typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toFixed(digits)) : String(v ?? ""));
  return `<table><thead><tr>${keys.map((k) => `<th>${k}</th>`).join("")}</tr></thead><tbody>${rows
    .map((r) => `<tr>${keys.map((k) => `<td>${cell(r[k])}</td>`).join("")}</tr>`)
    .join("")}</tbody></table>`;
}

const prices = (await loadDataset("skfolio-sp500")).slice({ start, end, assets: [pairA, pairB] });
const logPrices = prices.mapColumns((c) => c.map(Math.log));
const jo = johansen(logPrices, { detOrder: 0, kArDiff: 1 });
display.html(htmlTable(["r = 0", "r ≤ 1"].map((h, r) => ({
  "H0": h, trace: jo.trace[r] as number, "95% crit": jo.traceCrit.get(r, 1), "max-eig": jo.maxEig[r] as number, eigenvalue: jo.eigenvalues[r] as number,
}))));
logPrices
// ----

// ----

// ----
const asArray = (v: unknown): number[] => (typeof v === "number" ? [v] : Array.from(v as ArrayLike<number>));
const tsBeta = [1, (jo.eigenvectors.get(1, 0)) / (jo.eigenvectors.get(0, 0))];
const johansenComparison = [0, 1].map((r) => ({
  H0: r === 0 ? "r = 0" : "r ≤ 1",
  "trace (TS)": jo.trace[r] as number, "trace (R)": asArray(rTrace)[r] as number,
  "max-eig (TS)": jo.maxEig[r] as number, "max-eig (R)": asArray(rMaxEig)[r] as number,
}));
const vectorComparison = [pairA, pairB].map((asset, k) => ({ "cointegrating vector": asset, "TypeScript": tsBeta[k] as number, "R (urca)": asArray(rBeta)[k] as number }));
const maxJohansenDiff = Math.max(...johansenComparison.flatMap((c) => [Math.abs(c["trace (TS)"] - c["trace (R)"]), Math.abs(c["max-eig (TS)"] - c["max-eig (R)"])]));
display.html(htmlTable(johansenComparison, 6));
display.html(htmlTable(vectorComparison, 6));
console.log(`largest |TS − R| difference of the statistics: ${maxJohansenDiff.toExponential(2)}`);
// ----
const la = logPrices.column(pairA), lb = logPrices.column(pairB);
const beta = hedgeRatio(la, lb);
const spread = la.map((v, i) => v - beta * (lb[i] as number));
const z = rollingZ(spread, zWindow);
const ra = prices.returns().column(pairA), rb = prices.returns().column(pairB);
const strategyReturns = new Float64Array(prices.nDates - zWindow - 1);
for (let i = zWindow + 1; i < prices.nDates; i++) {
  const zi = z[i - 1] as number;
  const pos = Number.isFinite(zi) ? Math.max(-1, Math.min(1, -zi / 2)) : 0;
  strategyReturns[i - zWindow - 1] = (pos * ((ra[i] as number) - beta * (rb[i] as number))) / (1 + Math.abs(beta));
}
console.log(`β = ${beta.toFixed(3)}; ${strategyReturns.length} days, Sharpe ${sharpeRatio(strategyReturns).toFixed(2)}`);
// ----

// ----

// ----
const tsMC = monteCarloStrategy(strategyReturns, { simulations, blockSize, method: "moving", seed, percentiles: [5, 25, 50, 75, 95] });
const octWealth = asArray(mcWealth);
const mcComparison = [5, 25, 50, 75, 95].map((p, k) => ({ percentile: p, "final wealth (Octave)": octWealth[k] as number, "final wealth (TS)": tsMC.finalWealth.percentiles[p] as number }));
display.html(htmlTable(mcComparison));
console.log(`P(loss): Octave ${asArray(mcLoss)[0]!.toFixed(3)}, TypeScript ${tsMC.probabilityOfLoss.toFixed(3)}; median max drawdown (Octave) ${(asArray(mcMaxDrawdown)[1]! * 100).toFixed(2)}%`);
const tsBands = [5, 50, 95].map((p) => ({ p, w: tsMC.finalWealth.percentiles[p] as number }));
renderPlot({
  width: 640, height: 260, x: { label: "final wealth per $1 invested", grid: true }, y: { label: "Octave paths" },
  marks: [
    Plot.rectY(Array.from(asArray(wealth)), Plot.binX({ y: "count" }, { x: (w: number) => w, fill: "#1f5fa8", fillOpacity: 0.7, thresholds: 40 })),
    Plot.ruleX(tsBands, { x: "w", stroke: "#d1495b", strokeWidth: 1.5, strokeDasharray: "5 3" }),
    Plot.text(tsBands, { x: "w", text: (d: { p: number }) => `TS p${d.p}`, frameAnchor: "top", dy: -2, fill: "#d1495b" }),
    Plot.ruleY([0]),
  ],
})
// ----
import { hasKdb, Q_NOT_INSTALLED, QSession } from "statarb/bridges";
const qAvailable = hasKdb();
const qReason = qAvailable ? "" : Q_NOT_INSTALLED;
let qMonthly: Record<string, unknown>[] | null = null;
if (!qAvailable) display.markdown(`**q skipped:** ${qReason}`);
else {
  const q = new QSession();
  try {
    await q.put("pnl", Panel.fromColumns(prices.dates.subarray(zWindow + 1), { pnl: strategyReturns }));
    const r = await q.eval("0!select ret: -1 + prod 1 + pnl, days: count i by month: `month$date from pnl");
    const cols = r.value as Record<string, ArrayLike<unknown>>;
    const names = Object.keys(cols);
    qMonthly = Array.from({ length: cols[names[0] as string]?.length ?? 0 }, (_, i) => Object.fromEntries(names.map((n) => [n, (cols[n] as ArrayLike<unknown>)[i]])));
    display.html(htmlTable(qMonthly));
  } finally {
    await q.close();
  }
}
// ----
display.json({
  notebook: "05_polyglot",
  pairA, pairB, start, end, simulations, blockSize,
  johansen: { traceTS: Array.from(jo.trace), traceR: asArray(rTrace), maxEigTS: Array.from(jo.maxEig), maxEigR: asArray(rMaxEig), maxAbsDiff: maxJohansenDiff },
  strategy: { days: strategyReturns.length, sharpe: sharpeRatio(strategyReturns), beta },
  monteCarlo: { wealthOctave: octWealth, wealthTS: [5, 25, 50, 75, 95].map((p) => tsMC.finalWealth.percentiles[p]), lossOctave: asArray(mcLoss)[0], lossTS: tsMC.probabilityOfLoss },
  q: { available: qAvailable, reason: qReason, ran: qMonthly !== null, months: qMonthly?.length ?? 0 },
});
export {};
