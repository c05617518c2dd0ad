const display = { html: (s: string) => console.log("[html]", s.length), svg: (s: string) => console.log("[svg]", s.length), markdown: (s: string) => console.log("[md]", s), json: (o: unknown) => console.log("[json]", JSON.stringify(o)) } as any;
(globalThis as any).display = display;
let positions: Record<string, number> = { AAPL: 2_000_000, MSFT: -1_000_000, XOM: 1_000_000, CVX: -1_000_000, KO: 500_000, PEP: -500_000, JPM: 750_000, BAC: -750_000 };
let start = "2015-01-01";
let end = "2022-12-28";
let confidence = 0.99;
let simulations = 20_000;
let rollingWindow = 250;
// ----
import * as Plot from "@observablehq/plot";
import {
  DEFAULT_STRESS_WINDOWS, expectedShortfall, loadDataset, normalCdf, Panel, renderPlot, returnHistogram,
  SKFOLIO_SP500_SECTORS, StressTester, valueAtRisk, VaRAnalyzer, type VaRMethod,
} from "./statarb-shim.mjs";

function htmlTable(rows: readonly Record<string, unknown>[], digits = 4): string {
  const keys = Object.keys(rows[0] ?? {});
  const cell = (v: unknown) => (typeof v === "number" ? (Number.isInteger(v) ? v.toLocaleString("en-US") : Math.abs(v) >= 1000 ? v.toLocaleString("en-US", { maximumFractionDigits: 0 }) : v.toFixed(digits)) : String(v ?? ""));
  return `<table><thead><tr>${keys.map((k) => `<th>${k}</th>`).join("")}</tr></thead><tbody>${rows
    .map((r) => `<tr>${keys.map((k) => `<td>${cell(r[k])}</td>`).join("")}</tr>`)
    .join("")}</tbody></table>`;
}
const toDate = (d: number) => new Date(d * 86_400_000);

const assets = Object.keys(positions);
const history = (await loadDataset("skfolio-sp500")).slice({ assets });
const prices = history.slice({ start, end });
const rets = prices.returns().sliceRows(1, prices.nDates);
const gross = assets.reduce((s, a) => s + Math.abs(positions[a] as number), 0);
const net = assets.reduce((s, a) => s + (positions[a] as number), 0);
// Daily P&L of the book held at constant dollar positions, as a return on gross.
const bookReturns = new Float64Array(rets.nDates);
for (let i = 0; i < rets.nDates; i++) bookReturns[i] = assets.reduce((s, a) => s + (positions[a] as number) * rets.column(a)[i]!, 0) / gross;
console.log(`book: ${assets.length} positions, gross $${(gross / 1e6).toFixed(2)}M, net $${(net / 1e6).toFixed(2)}M; ${rets.nDates} days of returns`);
// ----
const methods: VaRMethod[] = ["historical", "gaussian", "cornish-fisher", "monte-carlo"];
const varTable = methods.flatMap((method) => [0.95, confidence].map((c) => ({
  method, confidence: c,
  VaR: valueAtRisk(bookReturns, { method, confidence: c, simulations, seed: 7 }),
  ES: expectedShortfall(bookReturns, { method, confidence: c, simulations, seed: 7 }),
})));
display.html(htmlTable(varTable.map((r) => ({ ...r, "VaR $": r.VaR * gross, "ES $": r.ES * gross }))));
// ----
const v = varTable.find((r) => r.method === "historical" && r.confidence === confidence)!;
returnHistogram({ returns: bookReturns, valueAtRisk: v.VaR, expectedShortfall: v.ES, confidence, width: 760, height: 280 })
// ----
const rollRows: { date: Date; loss: number; VaR: number; breach: boolean }[] = [];
let breaches = 0;
for (let i = rollingWindow; i < bookReturns.length; i++) {
  const vi = valueAtRisk(bookReturns.subarray(i - rollingWindow, i), { confidence });
  const loss = -(bookReturns[i] as number);
  if (loss > vi) breaches++;
  rollRows.push({ date: toDate(rets.dates[i] as number), loss, VaR: vi, breach: loss > vi });
}
const nTest = rollRows.length, p = 1 - confidence, phat = breaches / nTest;
const lr = -2 * ((nTest - breaches) * Math.log(1 - p) + breaches * Math.log(p) - ((nTest - breaches) * Math.log(1 - phat || 1) + (breaches > 0 ? breaches * Math.log(phat) : 0)));
const kupiecP = 2 * (1 - normalCdf(Math.sqrt(Math.max(lr, 0)))); // χ²(1) tail = two-sided normal tail of √LR
console.log(`${breaches} breaches in ${nTest} days (expected ${(p * nTest).toFixed(1)}); Kupiec LR ${lr.toFixed(2)}, p = ${kupiecP.toFixed(3)}`);
renderPlot({
  width: 760, height: 260, x: { label: null }, y: { label: "daily loss (fraction of gross)", grid: true },
  marks: [
    Plot.lineY(rollRows, { x: "date", y: "loss", stroke: "#bbb", strokeWidth: 0.7 }),
    Plot.lineY(rollRows, { x: "date", y: "VaR", stroke: "#1f5fa8" }),
    Plot.dot(rollRows.filter((r) => r.breach), { x: "date", y: "loss", fill: "#d1495b", r: 2.5 }),
  ],
})
// ----
// GICS sectors of the dataset's 20 names (lib/analytics); anything else is "other".
const sectors: Record<string, string> = Object.fromEntries(assets.map((a) => [a, SKFOLIO_SP500_SECTORS.assets[a]?.[0] ?? "other"]));
const analyzer = new VaRAnalyzer({ confidenceLevel: confidence, sectors, simulations, seed: 7 });
const cvar = { gaussian: analyzer.calculateComponentVaR({ positions, returnsData: rets, method: "gaussian" }), historical: analyzer.calculateComponentVaR({ positions, returnsData: rets, method: "historical" }), "cornish-fisher": analyzer.calculateComponentVaR({ positions, returnsData: rets, method: "cornish-fisher" }) };
display.html(htmlTable(cvar.gaussian.byAsset.map((x) => ({ asset: x.asset, position: x.position, marginal: x.marginalVaR, component: x.componentVaR, "share %": 100 * x.percentContribution, standalone: x.standaloneVaR }))));
display.html(htmlTable(cvar.gaussian.bySector.map((x) => ({ sector: x.sector, "net position": x.position, component: x.componentVaR, "share %": 100 * x.percentContribution }))));
display.html(htmlTable(Object.entries(cvar).map(([m, r]) => ({ method: m, totalVaR: r.totalVaR, undiversified: r.undiversifiedVaR, "Σ components": r.byAsset.reduce((s, x) => s + x.componentVaR, 0) }))));
// ----
renderPlot({
  width: 760, height: 260, marginLeft: 60, x: { label: "component VaR ($)", grid: true }, y: { label: null },
  color: { type: "ordinal", legend: true },
  marks: [Plot.barX(cvar.gaussian.byAsset.map((x) => ({ ...x, sector: sectors[x.asset] ?? "other" })), { y: "asset", x: "componentVaR", fill: "sector", sort: { y: "x", reverse: true } }), Plot.ruleX([0])],
})
// ----
const stress = new StressTester({ confidence });
const replay = stress.historical(positions, history, DEFAULT_STRESS_WINDOWS);
display.html(htmlTable(replay.map((r) => ({ window: r.name, covered: String(r.covered), "P&L $": r.pnl, "worst day $": r.worstDay, "max DD $": r.maxDrawdown, note: r.note }))));
// ----
const index = (await loadDataset("skfolio-sp500-index")).slice({ start, end });
const indexRets = new Panel(index.dates, ["Mkt"], [index.returns().column(0)]).sliceRows(1, index.nDates);
const shock = stress.factorShock({ positions, shocks: { Mkt: -0.1 }, assetReturns: rets, factorReturns: indexRets });
const breakdown = [0, 0.5, 0.9].map((rho) => stress.correlationBreakdown({ positions, returnsData: rets, targetCorrelation: rho, volMultiplier: 1.5 }));
display.html(htmlTable([
  { scenario: "S&P 500 −10 % (OLS betas)", "P&L $": shock.pnl },
  ...breakdown.map((b) => ({ scenario: `correlations → ${b.targetCorrelation}, vol ×${b.volMultiplier}`, "P&L $": -b.stressedVaR })),
]));
console.log(`base Gaussian ${confidence * 100}% VaR $${breakdown[0]!.baseVaR.toFixed(0)}; stressed ×${breakdown.map((b) => b.ratio.toFixed(2)).join(", ×")}`);
// ----
const pick = (m: string, c: number) => varTable.find((r) => r.method === m && r.confidence === c)!;
display.json({
  notebook: "03_risk_analysis",
  positions, start, end, confidence, gross, nDays: rets.nDates,
  var: Object.fromEntries(methods.map((m) => [m, pick(m, confidence).VaR])),
  es: Object.fromEntries(methods.map((m) => [m, pick(m, confidence).ES])),
  componentVaR: { total: cvar.gaussian.totalVaR, sumComponents: cvar.gaussian.byAsset.reduce((s, x) => s + x.componentVaR, 0), undiversified: cvar.gaussian.undiversifiedVaR },
  backtest: { breaches, days: nTest, kupiecP },
  stress: { factorShockPnl: shock.pnl, covered: replay.filter((r) => r.covered).map((r) => r.name), breakdownRatio0: breakdown[0]!.ratio },
});
export {};
