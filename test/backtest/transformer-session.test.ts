/**
 * The seed's sample-session path with a real (tiny) TransformerModel from lib/signals: the
 * backtester refits it on views that end at the decision date and keeps every invariant.
 */
import { describe, expect, it } from "vitest";
import { StatArbBacktester } from "../../lib/backtest/index.js";
import { RiskManager } from "../../lib/risk/index.js";
import { TransformerModel } from "../../lib/signals/transformer.js";
import { checkInvariants } from "./invariants.js";
import { syntheticMarket } from "./market.js";

describe("seed session path", () => {
  it("runs a tiny transformer through runBacktest", async () => {
    const mkt = syntheticMarket(8, 160, 2);
    const alphaModel = new TransformerModel({ sequenceLength: 20, attentionHeads: 2, hiddenDim: 8, epochs: 1, maxTrainSamples: 64 });
    const backtester = new StatArbBacktester({ data: mkt.prices, startDate: "2010-05-03", initialCapital: 10_000_000, transactionCosts: 0.0015, marketImpactModel: "sqrt" });
    const results = await backtester.runBacktest({ alphaModel, riskManager: new RiskManager({ maxLeverage: 3.0 }), rebalanceFrequency: "daily" });
    checkInvariants(results, mkt.prices, { maxLeverage: 3 });
    expect(results.fits).toBe(Math.ceil((results.dates.length - 1) / 21));
    expect(Number.isFinite(results.sharpeRatio)).toBe(true);
    expect(results.maxDrawdown).toBeLessThanOrEqual(0);
    expect(Number.isFinite(results.informationRatio)).toBe(true);
    expect(results.trades.length).toBeGreaterThan(0);
  });
});
