const display = { html: (s: string) => console.log("[html]", s.length), svg: (s: string) => console.log("[svg]", s.length), markdown: (s: string) => console.log("[md]", s), json: (o: unknown) => console.log("[json]", JSON.stringify(o)) } as any;
(globalThis as any).display = display;
let output_dir = "../out";
let start = "2007-07-01";
let end = "2008-12-31";
let model = "transformer";
let rebalance = "daily";
let sequenceLength = 20;
let attentionHeads = 2;
let hiddenDim = 8;
let epochs = 1;
let maxTrainSamples = 64;
let seed = 7;
let maxLeverage = 3.0;
let transactionCosts = 0.0015;
let title = "Transformer stat-arb: S&P 500 large caps";
// ----
import {
  backtestHoldings, brinsonFromHoldings, costsChart, drawdownChart, equityChart, FactorAttributor, fromEpochDay, loadDataset,
  LSTMAlphaModel, ReversalModel, RiskManager, sharpeRatio, SKFOLIO_SP500_SECTORS, StatArbBacktester,
  TransformerAlphaModel, writeTearsheet, type AlphaModel,
} from "./statarb-shim.mjs";

function htmlTable(rows: readonly Record<string, unknown>[], digits = 4): string {
  const keys = Object.keys(rows[0] ?? {});
  const cell = (v: unknown) => (typeof v === "number" ? (Number.isInteger(v) ? v.toLocaleString("en-US") : v.toFixed(digits)) : String(v ?? ""));
  return `<table><thead><tr>${keys.map((k) => `<th>${k}</th>`).join("")}</tr></thead><tbody>${rows
    .map((r) => `<tr>${keys.map((k) => `<td>${cell(r[k])}</td>`).join("")}</tr>`)
    .join("")}</tbody></table>`;
}

const data = await loadDataset("skfolio-sp500");
const index = await loadDataset("skfolio-sp500-index");
const factors = (await loadDataset("gmm-finance")).slice({ assets: ["rf", "rm", "smb", "hml"] });
console.log(`prices ${data.nDates} × ${data.nAssets} (${data.dateRange?.join(" … ")}), daily factors to ${factors.dateRange?.[1]}`);
// ----
const alphaModel: AlphaModel =
  model === "lstm" ? new LSTMAlphaModel({ sequenceLength, hiddenDim, epochs, maxTrainSamples, seed })
  : model === "reversal" ? new ReversalModel()
  : new TransformerAlphaModel({ sequenceLength, attentionHeads, hiddenDim, epochs, maxTrainSamples, seed });

const backtester = new StatArbBacktester({
  data, startDate: start, endDate: end, initialCapital: 10_000_000, transactionCosts, marketImpactModel: "sqrt", benchmark: index,
});
const results = await backtester.runBacktest({ alphaModel, riskManager: new RiskManager({ maxLeverage }), rebalanceFrequency: rebalance as "daily" | "weekly" | "monthly" });

console.log(`Sharpe Ratio: ${results.sharpeRatio.toFixed(2)}`);
console.log(`Max Drawdown: ${(results.maxDrawdown * 100).toFixed(2)}%`);
console.log(`Information Ratio: ${results.informationRatio.toFixed(2)}`);
results
// ----
equityChart({ dates: results.dates, returns: results.returns, benchmark: results.benchmarkReturns, names: [alphaModel.name, "S&P 500"], width: 760 })
// ----
drawdownChart({ dates: results.dates, returns: results.returns, width: 760 })
// ----
const sharpeBeforeCosts = sharpeRatio(results.returnsBeforeCosts);
display.html(htmlTable([
  { "": "after costs", sharpe: results.sharpeRatio, "total return": results.totalReturn },
  { "": "before costs", sharpe: sharpeBeforeCosts, "total return": results.returnsBeforeCosts.reduce((g, r) => g * (1 + r), 1) - 1 },
  { "": "costs (% of capital)", sharpe: Number.NaN, "total return": results.costs.total / results.initialCapital },
]));
costsChart({ dates: results.dates, dailyCosts: results.dailyCosts, scale: results.initialCapital / 100, label: "cumulative costs (% of initial capital)", width: 760 })
// ----
const attributor = new FactorAttributor({ factors, benchmark: results.benchmarkReturns, columns: { market: "rm" }, units: "percent" });
const attribution = attributor.analyzePerformance({ portfolioReturns: results.returns, dates: results.dates, startDate: start, endDate: end });
const primary = attribution.models.find((m) => m.model === attribution.primary)!;
display.html(htmlTable(attribution.models.map((m) => ({
  model: m.model, "alpha (ann.)": m.exposures.alphaAnnualized, "t(alpha)": m.exposures.alphaTValue,
  ...Object.fromEntries(m.factors.map((f, k) => [`β ${f}`, m.exposures.betas[k] as number])),
  R2: m.exposures.rsquared, n: m.exposures.nobs,
}))));
display.html(htmlTable([
  ...primary.contributions.map((c) => ({ source: c.factor, "active exposure": c.exposure, "contribution (sum)": c.total, annualised: c.annualized })),
  { source: "selection", "active exposure": Number.NaN, "contribution (sum)": primary.selectionTotal, annualised: primary.selectionAnnualized },
  { source: "active total", "active exposure": Number.NaN, "contribution (sum)": attribution.activeTotal, annualised: Number.NaN },
]));
console.log(attribution.skipped.map((s) => `${s.model}: ${s.reason}`).join("\n"));
// ----
const holdings = backtestHoldings(results, data);
const brinson = brinsonFromHoldings({ portfolioWeights: holdings.weights, assetReturns: holdings.returns, hierarchy: SKFOLIO_SP500_SECTORS, linking: "carino" });
brinson
// ----
const tearsheetPath = await writeTearsheet(`${output_dir}/tearsheet.html`, results, { title, benchmark: "S&P 500", factorAttribution: attribution, brinson });
console.log(`wrote ${tearsheetPath}`);
// ----
console.log(`before costs Sharpe ${sharpeBeforeCosts.toFixed(2)}, after ${results.sharpeRatio.toFixed(2)}; costs ${(100 * results.costs.total / results.initialCapital).toFixed(1)}% of capital; average daily turnover ${(100 * results.averageTurnover).toFixed(0)}%`);
console.log(`${attribution.primary}: market beta ${(primary.exposures.betas[0] as number).toFixed(3)}, selection ${(100 * primary.selectionTotal).toFixed(1)}% of the ${(100 * attribution.activeTotal).toFixed(1)}% active return`);
// ----
display.json({
  notebook: "04_end_to_end",
  start, end, model: alphaModel.name, rebalance,
  days: results.dates.length, fits: results.fits, trades: results.trades.length,
  sharpeRatio: results.sharpeRatio, sharpeBeforeCosts, maxDrawdown: results.maxDrawdown, informationRatio: results.informationRatio,
  totalReturn: results.totalReturn, costs: results.costs.total, interventions: results.interventions.length,
  attribution: {
    primary: attribution.primary, activeTotal: attribution.activeTotal, factorTotal: primary.factorTotal, selectionTotal: primary.selectionTotal,
    marketBeta: primary.exposures.betas[0], models: attribution.models.map((m) => m.model),
  },
  tearsheet: tearsheetPath, firstDate: fromEpochDay(results.dates[0] as number), lastDate: fromEpochDay(results.dates[results.dates.length - 1] as number),
  finalEquity: results.equityCurve[results.equityCurve.length - 1],
});
export {};
