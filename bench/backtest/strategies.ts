/**
 * Runs the seed's sample session and the classical strategies (reversal, PCA residuals, pairs) on
 * real datasets with stated costs, and writes their metrics to bench/results/strategies.md (the
 * README copies that table; no number in it is typed by hand).
 * Command: npx tsx bench/backtest/strategies.ts [--skip-transformer]
 */
import { execSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BacktestMetrics, type BacktestResult, backtestMetrics, StatArbBacktester } from "../../lib/backtest/index.js";
import { fromEpochDay } from "../../lib/data/dates.js";
import type { Panel } from "../../lib/data/panel.js";
import { RiskManager } from "../../lib/risk/index.js";
import type { AlphaModel } from "../../lib/signals/alpha-model.js";
import { PairsModel } from "../../lib/signals/pairs.js";
import { PCAResidualModel } from "../../lib/signals/pca-residual.js";
import { ReversalModel } from "../../lib/signals/reversal.js";
import { TransformerModel } from "../../lib/signals/transformer.js";
import { loadPrices } from "./datasets.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const skipTransformer = process.argv.includes("--skip-transformer");
// first line of the section: bench/backtest/run.sh does not run this script, so say when and where it ran
const stamp = `Not run by \`npm run bench\` (run \`npx tsx bench/backtest/strategies.ts${skipTransformer ? " --skip-transformer" : ""}\` for it); generated ${new Date().toISOString().slice(0, 16).replace("T", " ")}Z, commit ${execSync("git rev-parse --short HEAD").toString().trim()}, load ${loadavg()[0]!.toFixed(1)}.`;

interface Row {
  strategy: string;
  dataset: string;
  period: string;
  rebalance: string;
  costs: string;
  net: BacktestResult;
  gross: BacktestMetrics;
  seconds: number;
}

async function run(
  strategy: string,
  dataset: string,
  data: Panel,
  benchmark: Panel | undefined,
  makeModel: () => AlphaModel,
  opts: { start: string; end: string; rebalance: "daily" | "weekly" | "monthly"; tc: number; impact: "sqrt" | "none" | "almgren"; maxLeverage: number; retrainEvery?: number; portfolio?: "rank" | "proportional" },
): Promise<Row> {
  const t0 = performance.now();
  const common = { data, startDate: opts.start, endDate: opts.end, initialCapital: 10_000_000, ...(benchmark ? { benchmark } : {}) };
  const runOpts = { riskManager: new RiskManager({ maxLeverage: opts.maxLeverage }), rebalanceFrequency: opts.rebalance, portfolio: { method: opts.portfolio ?? "rank", gross: 1 }, ...(opts.retrainEvery ? { retrainEvery: opts.retrainEvery } : {}) };
  const net = await new StatArbBacktester({ ...common, transactionCosts: opts.tc, marketImpactModel: opts.impact }).runBacktest({ alphaModel: makeModel(), ...runOpts });
  const gross = backtestMetrics(net.returnsBeforeCosts, net.benchmarkReturns);
  const seconds = (performance.now() - t0) / 1000;
  const period = `${fromEpochDay(net.dates[0]!)} … ${fromEpochDay(net.dates[net.dates.length - 1]!)}`;
  const costs = `${(opts.tc * 1e4).toFixed(0)} bps${opts.impact === "none" ? "" : ` + ${opts.impact} impact`}`;
  console.log(`${strategy} on ${dataset}: Sharpe ${net.sharpeRatio.toFixed(3)} (gross ${gross.sharpeRatio.toFixed(3)}), ${seconds.toFixed(1)} s`);
  return { strategy, dataset, period, rebalance: opts.rebalance, costs, net, gross, seconds };
}

const f = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : "n/a");
const p = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : "n/a");

const sp = await loadPrices("skfolio-sp500");
const spx = await loadPrices("skfolio-sp500-index");
const notes: string[] = [];
let dj: Panel | undefined;
try {
  dj = await loadPrices("dowjones30");
} catch (e) {
  notes.push(`dowjones30 not run: ${(e as Error).message}`);
}
const rows: Row[] = [];
const seed = { start: "2015-01-01", end: "2022-12-28", rebalance: "daily" as const, tc: 0.0015, impact: "sqrt" as const, maxLeverage: 3 };

if (!skipTransformer) {
  rows.push(await run("TransformerModel (seed session: sequenceLength 252, 8 heads, hiddenDim 256)", "skfolio-sp500", sp, spx, () => new TransformerModel({ sequenceLength: 252, attentionHeads: 8, hiddenDim: 256 }), seed));
}
rows.push(await run("ReversalModel (5-day)", "skfolio-sp500", sp, spx, () => new ReversalModel(), seed));
rows.push(await run("ReversalModel (5-day)", "skfolio-sp500", sp, spx, () => new ReversalModel(), { ...seed, rebalance: "weekly" }));
rows.push(await run("PCAResidualModel (Avellaneda-Lee, 3 factors on 20 names)", "skfolio-sp500", sp, spx, () => new PCAResidualModel({ factors: 3 }), { ...seed, portfolio: "proportional" }));
rows.push(await run("PairsModel (Gatev et al.)", "skfolio-sp500", sp, spx, () => new PairsModel(), { ...seed, retrainEvery: 126, portfolio: "proportional" }));
if (dj !== undefined) {
  const djSeed = { ...seed, start: "1993-01-01", end: fromEpochDay(dj.dates[dj.nDates - 1]!) };
  rows.push(await run("ReversalModel (5-day)", "dowjones30", dj, undefined, () => new ReversalModel(), djSeed));
  rows.push(await run("PCAResidualModel (Avellaneda-Lee, 5 factors on 30 names)", "dowjones30", dj, undefined, () => new PCAResidualModel({ factors: 5 }), { ...djSeed, portfolio: "proportional" }));
  rows.push(await run("PairsModel (Gatev et al.)", "dowjones30", dj, undefined, () => new PairsModel(), { ...djSeed, retrainEvery: 126, portfolio: "proportional" }));
}

const cpu = execSync("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").toString().trim();
const md = `## strategies

${stamp}

Written by \`npx tsx bench/backtest/strategies.ts\` (machine: ${execSync("nproc").toString().trim()} cores, ${cpu}, Node ${process.version}).
Every run: \`StatArbBacktester\` with 10,000,000 initial capital, \`RiskManager({ maxLeverage: 3 })\`, the model refit every 21 trading
days (pairs: every 126, Gatev et al.'s 6-month trading window) on data up to the decision date and predicting at each rebalance;
scores → a rank-weighted dollar-neutral book of gross 1 (pairs and PCA residuals, whose scores already are ±1 positions: those
positions scaled to gross 1), traded at the next day's close. "Costs" = proportional fees on traded notional plus square-root impact
(η = 1, daily σ over 20 days; the price-only datasets have no volume, so ADV = $500M/day per name is assumed). "Sharpe before costs"
is the same run with each day's costs added back to its return (same trades). Information ratio against the S&P 500 index
(skfolio-sp500-index) for skfolio-sp500, against the equal-weighted universe for dowjones30. Nothing here is tuned on the test period.

| strategy | dataset | period | rebalance | costs | Sharpe | Sharpe before costs | annual return | annual vol | max drawdown | IR | avg daily turnover | costs paid / capital | run time |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
${rows
  .map(
    (r) =>
      `| ${r.strategy} | ${r.dataset} | ${r.period} | ${r.rebalance} | ${r.costs} | ${f(r.net.sharpeRatio)} | ${f(r.gross.sharpeRatio)} | ${p(r.net.annualReturn)} | ${p(r.net.annualVolatility)} | ${p(r.net.maxDrawdown)} | ${f(r.net.informationRatio)} | ${p(r.net.averageTurnover)} | ${p(r.net.costs.total / r.net.initialCapital)} | ${r.seconds.toFixed(0)} s |`,
  )
  .join("\n")}
${skipTransformer ? "\n(The transformer session was skipped with --skip-transformer.)\n" : ""}${notes.map((n) => `\n${n}`).join("")}
`;
mkdirSync(join(root, "bench/results"), { recursive: true });
writeFileSync(join(root, "bench/results/strategies.md"), md);
console.log(md);
