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
  "β (TS)": tsBeta[r] as number, "β (R)": asArray(rBeta)[r] as number,
}));
const maxJohansenDiff = Math.max(...johansenComparison.flatMap((c) => [Math.abs(c["trace (TS)"] - c["trace (R)"]), Math.abs(c["max-eig (TS)"] - c["max-eig (R)"])]));
display.html(htmlTable(johansenComparison, 6));
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
renderPlot({
  width: 560, height: 240, fx: { label: "percentile of final wealth" }, x: { axis: null }, y: { label: "final wealth per $1", grid: true }, color: { legend: true },
  marks: [
    Plot.barY(mcComparison.flatMap((c) => [{ p: c.percentile, engine: "Octave", w: c["final wealth (Octave)"] }, { p: c.percentile, engine: "TypeScript", w: c["final wealth (TS)"] }]), { fx: "p", x: "engine", y: "w", fill: "engine" }),
    Plot.ruleY([1]),
  ],
})
// ----
import { QSession } from "statarb/bridges";
const qProbe = await QSession.probe();
const monthlyPnl = Panel.fromColumns(prices.dates.subarray(zWindow + 1), { pnl: strategyReturns });
if (!qProbe.available) display.markdown(`**q skipped:** ${qProbe.reason}`);
let qMonthly: unknown = null;
if (qProbe.available) {
  const q = new QSession();
  try {
    await q.put("pnl", monthlyPnl);
    const r = await q.eval("select ret: -1 + prod 1 + pnl, days: count i by month: `month$date from pnl");
    qMonthly = r.value;
    display.html(htmlTable(Object.entries(r.value as Record<string, unknown>).map(([k, v]) => ({ k, v: String(v) }))));
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
  q: { available: qProbe.available, reason: qProbe.available ? "" : qProbe.reason, ran: qMonthly !== null },
});
export {};
