/**
 * Look-ahead: for every model, replacing every price after the cut-off (by spikes, crashes and
 * NaNs) leaves the scores at the cut-off bit-identical — through a single fit/predict on views cut
 * at that date, and through walkForward, whose scores at every date ≤ the cut-off must not move.
 */
import { describe, expect, it } from "vitest";
import { type Panel, PanelView } from "../../lib/data/index.js";
import { syntheticPairsMarket } from "../../lib/stats/index.js";
import { type AlphaModel, GradientBoostingModel, LSTMModel, PairsModel, PCAResidualModel, ReversalModel, RidgeModel, TransformerModel, walkForward } from "../../lib/signals/index.js";
import { bitDiff, scrambleAfter } from "./helpers.js";

const market = syntheticPairsMarket({ nAssets: 12, nDays: 360, seed: 5 });
const base = market.prices;
const cut = 300;
const changed = scrambleAfter(base, cut);
const cutDate = base.dates[cut] as number;

const small = { horizons: [1, 5, 20], volatilityWindow: 10, zWindow: 10, rsiPeriod: 14 };
const models: [string, () => AlphaModel][] = [
  ["reversal", () => new ReversalModel({ lookback: 5, volatilityWindow: 20 })],
  ["pairs (distance)", () => new PairsModel({ formationDays: 120, tradingDays: 60, pairs: 3 })],
  ["pairs (cointegration)", () => new PairsModel({ method: "cointegration", formationDays: 120, tradingDays: 60, pairs: 3, criticalValue: -2 })],
  ["pca-residual (positions, exact)", () => new PCAResidualModel({ correlationWindow: 60, factors: 3, ouWindow: 30 })],
  ["pca-residual (scores, subspace tracking)", () => new PCAResidualModel({ correlationWindow: 60, factors: 3, ouWindow: 30, exactLimit: 4, output: "score" })],
  ["ridge", () => new RidgeModel({ ...small, alpha: 1 })],
  ["gbt", () => new GradientBoostingModel({ ...small, nEstimators: 10, minSamplesLeaf: 20 })],
  ["lstm", () => new LSTMModel({ sequenceLength: 10, hiddenDim: 4, epochs: 1, maxTrainSamples: 64, batchSize: 32, seed: 3 })],
  ["transformer", () => new TransformerModel({ sequenceLength: 10, hiddenDim: 4, attentionHeads: 2, epochs: 1, maxTrainSamples: 64, batchSize: 32, seed: 3 })],
];

async function scoreAtCut(make: () => AlphaModel, prices: Panel): Promise<Float64Array> {
  const m = make();
  await m.fit(new PanelView(prices, cutDate));
  return m.predict(new PanelView(prices, cutDate), cutDate);
}

describe("no model reads the future", () => {
  for (const [name, make] of models) {
    it(`${name}: fit + predict at the cut-off ignore every later row`, async () => {
      const a = await scoreAtCut(make, base);
      const b = await scoreAtCut(make, changed);
      expect(bitDiff(a, b)).toEqual([]);
      expect(a.some((x) => Number.isFinite(x))).toBe(true);
    });
  }

  for (const [name, make] of models.filter(([n]) => !/lstm|transformer/.test(n))) {
    it(`${name}: walk-forward scores up to the cut-off ignore every later row`, async () => {
      const opts = { trainWindow: 200, retrainEvery: 30, embargo: 1, end: base.dates[cut + 40] as number };
      const a = await walkForward(make(), base, opts);
      const b = await walkForward(make(), changed, opts);
      for (let j = 0; j < base.nAssets; j++) {
        const ca = (a.scores.columns[j] as Float64Array).subarray(0, cut + 1);
        const cb = (b.scores.columns[j] as Float64Array).subarray(0, cut + 1);
        expect(bitDiff(ca, cb)).toEqual([]);
      }
      // and the later scores did see the change (the test can fail)
      let moved = false;
      for (let j = 0; j < base.nAssets && !moved; j++) moved = bitDiff((a.scores.columns[j] as Float64Array).subarray(cut + 2), (b.scores.columns[j] as Float64Array).subarray(cut + 2)).length > 0;
      expect(moved).toBe(true);
    });
  }

  it("a view refuses a date after its cut-off", () => {
    const v = new PanelView(base, cutDate);
    expect(v.nDates).toBe(cut + 1);
    expect(() => v.rowAt((base.dates[cut + 1] as number))).toThrow(/after the cut-off/);
    expect(() => new ReversalModel().predict(v, base.dates[cut + 5] as number)).toThrow(/after the cut-off/);
  });
});
