/**
 * notebooks/04_end_to_end (the demo notebook) under papermill with two parameter sets: clean run,
 * charts and tables, a self-contained tearsheet written where `output_dir` says, and the same
 * session rerun here with lib directly (seeded transformer, same options) giving the same backtest
 * and the same factor attribution.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FactorAttributor, loadDataset, RiskManager, sharpeRatio, StatArbBacktester, TransformerModel } from "../../lib/index.js";
import { assertClean, chartCount, keyNumbers, NOTEBOOK_TIMEOUT_MS, notebookEnvironment, removeRun, runNotebook, tableCount } from "./harness.js";

const env = notebookEnvironment();
const DEFAULTS = {
  start: "2007-07-01", end: "2008-12-31", rebalance: "daily" as "daily" | "weekly" | "monthly", title: "Transformer stat-arb: S&P 500 large caps",
  sequenceLength: 20, attentionHeads: 2, hiddenDim: 8, epochs: 1, maxTrainSamples: 64, seed: 7, maxLeverage: 3, transactionCosts: 0.0015,
};
const PARAMETER_SETS: Record<string, unknown>[] = [
  {},
  { start: "2005-01-01", end: "2006-06-30", rebalance: "weekly", hiddenDim: 16, epochs: 2, maxTrainSamples: 256, title: "Weekly transformer book 2005-06" },
];

interface Key04 {
  days: number;
  fits: number;
  trades: number;
  sharpeRatio: number;
  sharpeBeforeCosts: number;
  maxDrawdown: number;
  informationRatio: number;
  costs: number;
  attribution: { primary: string; activeTotal: number; factorTotal: number; selectionTotal: number; marketBeta: number; models: string[] };
  tearsheet: string;
  firstDate: string;
  lastDate: string;
  finalEquity: number;
}

describe.skipIf(!env.ok)(`notebook 04_end_to_end${env.ok ? "" : ` (skipped: ${env.reason})`}`, () => {
  it.each(PARAMETER_SETS.map((p, i) => [i, p] as const))("parameter set %i runs, writes the tearsheet and matches lib", async (_i, params) => {
    const p = { ...DEFAULTS, ...params } as typeof DEFAULTS;
    const run = await runNotebook("04_end_to_end", (dir) => ({ ...params, output_dir: dir }));
    assertClean(run);
    const charts = chartCount(run.notebook);
    expect(charts.svg + charts.htmlFigures).toBeGreaterThanOrEqual(3); // equity, drawdown, costs
    expect(tableCount(run.notebook)).toBeGreaterThanOrEqual(3); // backtest summary, costs, attribution

    const k = keyNumbers<Key04>(run.notebook);
    // the tearsheet: where output_dir said, self-contained, every chart inline
    expect(k.tearsheet).toBe(join(run.dir, "tearsheet.html"));
    expect(existsSync(k.tearsheet)).toBe(true);
    const html = readFileSync(k.tearsheet, "utf8");
    const escapedTitle = p.title.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    expect(html.includes(escapedTitle), `tearsheet title "${p.title}"`).toBe(true);
    expect(html.match(/<script|https?:\/\/(?!www\.w3\.org)[^"'\s]*/)?.[0] ?? null).toBeNull(); // no scripts, no links out
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(8);

    // the window and sane magnitudes
    expect(k.firstDate >= p.start && k.lastDate <= p.end).toBe(true);
    expect(k.days).toBeGreaterThan(200);
    expect(k.fits).toBeGreaterThanOrEqual(Math.floor(k.days / 21) - 1);
    expect(k.trades).toBeGreaterThan(0);
    expect(k.costs).toBeGreaterThan(0);
    expect(k.sharpeBeforeCosts).toBeGreaterThan(k.sharpeRatio); // costs can only hurt
    expect(Math.abs(k.sharpeRatio)).toBeLessThan(10);
    expect(k.maxDrawdown).toBeLessThanOrEqual(0);
    expect(k.maxDrawdown).toBeGreaterThan(-1);
    const a = k.attribution;
    expect(a.factorTotal + a.selectionTotal).toBeCloseTo(a.activeTotal, 9); // contributions + selection = active
    expect(a.models).toContain("ff3");
    expect(Math.abs(a.marketBeta)).toBeLessThan(2); // a dollar-neutral book

    // the same session straight from the library: seeded, so the same backtest and attribution
    const data = await loadDataset("skfolio-sp500");
    const index = await loadDataset("skfolio-sp500-index");
    const alphaModel = new TransformerModel({ sequenceLength: p.sequenceLength, attentionHeads: p.attentionHeads, hiddenDim: p.hiddenDim, epochs: p.epochs, maxTrainSamples: p.maxTrainSamples, seed: p.seed });
    const backtester = new StatArbBacktester({ data, startDate: p.start, endDate: p.end, initialCapital: 10_000_000, transactionCosts: p.transactionCosts, marketImpactModel: "sqrt", benchmark: index });
    const lib = await backtester.runBacktest({ alphaModel, riskManager: new RiskManager({ maxLeverage: p.maxLeverage }), rebalanceFrequency: p.rebalance });
    expect(lib.dates.length).toBe(k.days);
    expect(lib.fits).toBe(k.fits);
    expect(lib.trades.length).toBe(k.trades);
    expect(k.sharpeRatio).toBeCloseTo(lib.sharpeRatio, 6);
    expect(k.sharpeBeforeCosts).toBeCloseTo(sharpeRatio(lib.returnsBeforeCosts), 6);
    expect(k.maxDrawdown).toBeCloseTo(lib.maxDrawdown, 6);
    expect(k.informationRatio).toBeCloseTo(lib.informationRatio, 6);
    expect(k.finalEquity / (lib.equityCurve[lib.equityCurve.length - 1] as number)).toBeCloseTo(1, 6);
    const factors = (await loadDataset("gmm-finance")).slice({ assets: ["rf", "rm", "smb", "hml"] });
    const again = new FactorAttributor({ factors, benchmark: lib.benchmarkReturns, columns: { market: "rm" }, units: "percent" }).analyzePerformance({ portfolioReturns: lib.returns, dates: lib.dates, startDate: p.start, endDate: p.end });
    expect(again.primary).toBe(a.primary);
    expect(again.activeTotal).toBeCloseTo(a.activeTotal, 6);
    expect(again.models.find((m) => m.model === again.primary)?.exposures.betas[0]).toBeCloseTo(a.marketBeta, 6);
    removeRun(run);
  }, NOTEBOOK_TIMEOUT_MS);
});
