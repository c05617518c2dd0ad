/**
 * Ridge and gradient-boosted trees against scikit-learn on the same features: the cross-sectional
 * feature set of lib/signals built from real prices (fBasics' DowJones30), the same labels, the same
 * hyper-parameters (exact splits, no subsampling). Predictions on held-out rows must agree.
 */
import { describe, expect, it } from "vitest";
import { loadDataset, PanelView } from "../../lib/data/index.js";
import { buildTrainingSet, GradientBoostingRegressor, resolveFeatureOptions, ridgeFit, ridgePredict } from "../../lib/signals/index.js";
import { hasVenv, runPython } from "../helpers/python.js";

let cached: Promise<{ x: Float64Array; y: Float64Array; n: number; p: number }> | undefined;
function dataset(): Promise<{ x: Float64Array; y: Float64Array; n: number; p: number }> {
  cached ??= build();
  return cached;
}

async function build(): Promise<{ x: Float64Array; y: Float64Array; n: number; p: number }> {
  const prices = await loadDataset("dowjones30");
  const view = new PanelView(prices, prices.dates[700] as number);
  const features = resolveFeatureOptions({ horizons: [1, 2, 5, 10, 20, 60], volatilityWindow: 21, zWindow: 20, rsiPeriod: 14 });
  const ts = buildTrainingSet(view, features, { horizon: 1, target: "excess", maxSamples: 3000, seed: 4 });
  return { x: ts.x, y: ts.y, n: ts.nSamples, p: ts.nFeatures };
}

describe.skipIf(!hasVenv())("ML models vs scikit-learn (DowJones30 features)", () => {
  it("ridge: coefficients and predictions match sklearn Ridge(alpha=10)", async () => {
    const { x, y, n, p } = await dataset();
    const fit = ridgeFit(x, y, n, p, 10);
    const py = await runPython<{ coef: number[]; intercept: number }>(
      `import numpy as np
from sklearn.linear_model import Ridge
X = np.array(data["x"]).reshape(-1, data["p"]); y = np.array(data["y"])
m = Ridge(alpha=10.0, fit_intercept=True).fit(X, y)
emit({"coef": m.coef_, "intercept": float(m.intercept_)})`,
      { x, y, p },
    );
    py.coef.forEach((c, f) => expect(Math.abs((fit.coef[f] as number) - c)).toBeLessThan(1e-10 + 1e-8 * Math.abs(c)));
    expect(Math.abs(fit.intercept - py.intercept)).toBeLessThan(1e-12);
    const pred = ridgePredict(fit, x, n);
    expect(pred.length).toBe(n);
  });

  it("gradient boosting: held-out predictions match sklearn GradientBoostingRegressor", async () => {
    const { x, y, n, p } = await dataset();
    const nTrain = 2400;
    const opts = { nEstimators: 30, learningRate: 0.1, maxDepth: 3, minSamplesLeaf: 25, subsample: 1, splitter: "exact" as const };
    const g = new GradientBoostingRegressor(opts).fit(x.subarray(0, nTrain * p), y.subarray(0, nTrain), nTrain, p);
    const ours = g.predict(x.subarray(nTrain * p), n - nTrain);
    const py = await runPython<{ pred: number[]; train: number[] }>(
      `import numpy as np
from sklearn.ensemble import GradientBoostingRegressor
X = np.array(data["x"]).reshape(-1, data["p"]); y = np.array(data["y"]); k = data["k"]
m = GradientBoostingRegressor(n_estimators=30, learning_rate=0.1, max_depth=3, min_samples_leaf=25, subsample=1.0, random_state=0).fit(X[:k], y[:k])
emit({"pred": m.predict(X[k:]), "train": m.predict(X[:k])})`,
      { x, y, p, k: nTrain },
    );
    let worst = 0;
    py.pred.forEach((v, i) => (worst = Math.max(worst, Math.abs((ours[i] as number) - v))));
    const scale = Math.max(...py.pred.map(Math.abs));
    expect(worst).toBeLessThan(1e-9 + 1e-7 * scale);
    const train = g.predict(x.subarray(0, nTrain * p), nTrain);
    py.train.forEach((v, i) => expect(Math.abs((train[i] as number) - v)).toBeLessThan(1e-9 + 1e-7 * scale));
  });

  it("gradient boosting: with fewer distinct values than bins, histogram splits equal exact splits", async () => {
    const { x, y, p } = await dataset();
    const n = 200;
    const xs = x.subarray(0, n * p);
    const ys = y.subarray(0, n);
    const o = { nEstimators: 20, maxDepth: 3, minSamplesLeaf: 5 };
    const exact = new GradientBoostingRegressor(o).fit(xs, ys, n, p).predict(xs, n);
    const hist = new GradientBoostingRegressor({ ...o, splitter: "histogram" }).fit(xs, ys, n, p).predict(xs, n);
    for (let i = 0; i < n; i++) expect(Math.abs((exact[i] as number) - (hist[i] as number))).toBeLessThan(1e-12);
  });
});
