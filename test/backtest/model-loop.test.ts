import { describe, expect, it } from "vitest";
import { StatArbBacktester } from "../../lib/backtest/index.js";
import { RiskManager } from "../../lib/risk/index.js";
import type { Panel } from "../../lib/data/panel.js";
import { checkInvariants } from "./invariants.js";
import { reversalScores, syntheticMarket } from "./market.js";
import { ReversalModel } from "../../lib/signals/reversal.js";
import { DollarNeutral } from "../../lib/portfolio/dollar-neutral.js";

/** A real (small) model: 5-day reversal read from the view, recording what it was shown. */
class ViewReversal {
  readonly name = "view-reversal";
  fits = 0;
  lastSeen: number[] = [];
  fit(view: Panel): void {
    this.fits++;
    this.lastSeen.push(view.dates[view.nDates - 1]!);
  }
  predict(view: Panel, at: number): Float64Array {
    const last = view.dates[view.nDates - 1]!;
    if (last > at) throw new Error("look-ahead: the view ends after the decision date");
    this.lastSeen.push(last);
    const i = view.nDates - 1;
    return Float64Array.from(view.columns, (c) => (i >= 5 ? -(c[i]! / c[i - 5]! - 1) : Number.NaN));
  }
}

describe("StatArbBacktester with an alpha model", () => {
  it("shows the model data up to the decision date only, refits every N days, predicts at each rebalance", async () => {
    const mkt = syntheticMarket(15, 300, 4);
    const model = new ViewReversal();
    const bt = new StatArbBacktester({ data: mkt.prices, startDate: "2010-04-01", transactionCosts: 0.0015, marketImpactModel: "almgren" });
    const r = await bt.runBacktest({ alphaModel: model, riskManager: new RiskManager({ maxLeverage: 3 }), rebalanceFrequency: "daily", retrainEvery: 21 });
    const days = r.dates.length;
    // decisions on every day but the last (its fill would be after the end)
    expect(r.fits).toBe(Math.ceil((days - 1) / 21));
    expect(model.fits).toBe(r.fits);
    // every view ended exactly on a date of the backtest, never later than the decision
    const decisionDates = new Set(Array.from(r.dates));
    for (const d of model.lastSeen) expect(decisionDates.has(d)).toBe(true);
    checkInvariants(r, mkt.prices, { maxLeverage: 3 });
    expect(r.costs.impact).toBeGreaterThan(0);
    expect(r.assumptions.some((a) => a.includes("refit every 21"))).toBe(true);
  });

  it("rejects a model without fit/predict and a wrong score length", async () => {
    const mkt = syntheticMarket(4, 60, 4);
    const bt = new StatArbBacktester({ data: mkt.prices, startDate: "2010-02-01" });
    await expect(bt.runBacktest({ alphaModel: {} as never })).rejects.toThrow(/fit\(view\) and predict/);
    await expect(bt.runBacktest({ alphaModel: { fit() {}, predict: () => new Float64Array(2) } })).rejects.toThrow(/Float64Array of 4 scores/);
  });

  it("lib/signals' ReversalModel with a lib/portfolio construction trades exactly like the precomputed reversal scores", async () => {
    const mkt = syntheticMarket(10, 200, 5);
    const bt = new StatArbBacktester({ data: mkt.prices, startDate: "2010-03-01", transactionCosts: 0.001 });
    const book = new DollarNeutral({ gross: 1 });
    const portfolio = (s: Float64Array) => book.weights(s);
    const viaModel = await bt.runBacktest({ alphaModel: new ReversalModel({ lookback: 5 }), portfolio, retrainEvery: 50 });
    const viaScores = await bt.runBacktest({ scores: reversalScores(mkt.prices, 5), portfolio });
    expect(Array.from(viaModel.returns)).toEqual(Array.from(viaScores.returns));
    expect(viaModel.trades.length).toBeGreaterThan(0);
  });
});
