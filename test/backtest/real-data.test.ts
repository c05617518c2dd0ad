/**
 * The backtester on real data (skfolio's S&P 500 sample, loaded through lib/data) with real models
 * from lib/signals: the accounting invariants hold, and the seed's sample-session path runs with a
 * tiny transformer.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { StatArbBacktester } from "../../lib/backtest/index.js";
import { loadDataset } from "../../lib/data/index.js";
import type { Panel } from "../../lib/data/panel.js";
import { RiskManager, VaRAnalyzer } from "../../lib/risk/index.js";
import { ReversalModel } from "../../lib/signals/reversal.js";
import { TransformerModel } from "../../lib/signals/transformer.js";

import { checkInvariants } from "./invariants.js";

describe("StatArbBacktester on skfolio-sp500", () => {
  let data: Panel;
  let index: Panel;
  beforeAll(async () => {
    data = await loadDataset("skfolio-sp500");
    index = await loadDataset("skfolio-sp500-index");
  });

  it("reversal with costs, impact, borrow and limits keeps every invariant", async () => {
    const rm = new RiskManager({ maxLeverage: 2, maxPosition: 0.2, maxNet: 0.05 });
    const bt = new StatArbBacktester({ data, startDate: "2018-01-01", endDate: "2020-12-31", initialCapital: 10_000_000, transactionCosts: 0.0015, marketImpactModel: "sqrt", borrowCost: 0.005, benchmark: index });
    const r = await bt.runBacktest({ alphaModel: new ReversalModel(), riskManager: rm, rebalanceFrequency: "weekly", portfolio: { method: "zscore", gross: 3 } });
    checkInvariants(r, data, { maxLeverage: 2, maxPosition: 0.2 });
    expect(r.dates.length).toBeGreaterThan(700);
    expect(r.interventions.some((x) => x.rule === "maxLeverage")).toBe(true);
    expect(Number.isFinite(r.sharpeRatio) && Number.isFinite(r.informationRatio)).toBe(true);
    expect(r.costs.total).toBeGreaterThan(0);
  });

  it("the seed's sample session path runs (tiny transformer, two months)", async () => {
    const alphaModel = new TransformerModel({ sequenceLength: 20, attentionHeads: 2, hiddenDim: 8, epochs: 1, maxTrainSamples: 64 });
    const backtester = new StatArbBacktester({ data, startDate: "2022-10-01", endDate: "2022-12-28", initialCapital: 10_000_000, transactionCosts: 0.0015, marketImpactModel: "sqrt" });
    const results = await backtester.runBacktest({ alphaModel, riskManager: new RiskManager({ maxLeverage: 3.0 }), rebalanceFrequency: "daily" });
    checkInvariants(results, data, { maxLeverage: 3 });
    expect(results.fits).toBe(3);
    expect(Number.isFinite(results.sharpeRatio)).toBe(true);
    expect(results.maxDrawdown).toBeLessThanOrEqual(0);
    expect(Number.isFinite(results.informationRatio)).toBe(true);
  });

  it("VaR of a real book: components add up, Cornish-Fisher sees the fat tails", () => {
    const rets = data.returns().slice({ start: "2018-01-01" });
    const va = new VaRAnalyzer({ confidenceLevel: 0.99 });
    const pos = { AAPL: 2e6, MSFT: -1e6, XOM: 1e6, CVX: -1e6, KO: 5e5, PEP: -5e5 };
    const g = va.calculateComponentVaR({ positions: pos, returnsData: rets, method: "gaussian" });
    const cf = va.calculateComponentVaR({ positions: pos, returnsData: rets, method: "cornish-fisher" });
    expect(g.byAsset.reduce((s, x) => s + x.componentVaR, 0) / g.totalVaR).toBeCloseTo(1, 10);
    expect(cf.totalVaR).toBeGreaterThan(g.totalVaR);
  });
});
