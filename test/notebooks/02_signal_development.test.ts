/**
 * notebooks/02_signal_development under papermill with two parameter sets (ridge and gradient-boosted
 * trees): clean run, plots and tables, ICs in a sane range, and the pairs it selects are the ones
 * lib/signals selects here on the same data.
 */
import { describe, expect, it } from "vitest";
import { loadDataset, PairsModel, PanelView, pcaResidualScores, rankIC } from "../../lib/index.js";
import { assertClean, chartCount, keyNumbers, NOTEBOOK_TIMEOUT_MS, notebookEnvironment, removeRun, runNotebook, tableCount } from "./harness.js";

const env = notebookEnvironment();
const ALL = ["AAPL", "AMD", "BAC", "BBY", "CVX", "GE", "HD", "JNJ", "JPM", "KO", "LLY", "MRK", "MSFT", "PEP", "PFE", "PG", "RRC", "UNH", "WMT", "XOM"];
const DEFAULTS = { universe: ALL, start: "2015-01-01", end: "2018-12-31", mlModel: "ridge", nPairs: 5, icHorizons: [1, 5, 10, 21], pcaFactors: 3 };
const PARAMETER_SETS: Record<string, unknown>[] = [
  {},
  { universe: ["BAC", "JPM", "CVX", "XOM", "KO", "PEP", "PG", "WMT", "JNJ", "PFE", "MRK", "LLY"], start: "2011-01-01", end: "2014-12-31", mlModel: "gbt", pcaFactors: 2, nPairs: 3, icHorizons: [1, 5] },
];

interface Key02 {
  nDates: number;
  pairs: { distance: string[]; cointegration: string[]; topHalfLife: number };
  pca: Record<string, number>;
  pcaDates: number;
  pcaIC1: number;
  ml: { model: string; ic5: number; tStat: number; dates: number };
  reversal: { ic5: number };
  books: Record<string, { sharpe: number; days: number }>;
}

describe.skipIf(!env.ok)(`notebook 02_signal_development${env.ok ? "" : ` (skipped: ${env.reason})`}`, () => {
  it.each(PARAMETER_SETS.map((p, i) => [i, p] as const))("parameter set %i runs and matches lib", async (_i, params) => {
    const p = { ...DEFAULTS, ...params } as typeof DEFAULTS;
    const run = await runNotebook("02_signal_development", params);
    assertClean(run);
    const charts = chartCount(run.notebook);
    expect(charts.svg + charts.htmlFigures).toBeGreaterThanOrEqual(4);
    expect(charts.svg).toBeGreaterThanOrEqual(1); // the IC-decay bars
    expect(tableCount(run.notebook)).toBeGreaterThanOrEqual(3);

    const k = keyNumbers<Key02>(run.notebook);
    expect(k.pairs.distance.length).toBe(p.nPairs);
    expect(Object.keys(k.pca).sort()).toEqual(p.icHorizons.map((h) => `ic${h}`).sort());
    for (const ic of [...Object.values(k.pca), k.ml.ic5, k.reversal.ic5]) {
      expect(Number.isFinite(ic)).toBe(true);
      expect(Math.abs(ic)).toBeLessThan(0.3); // daily cross-sectional ICs of real signals are small
    }
    expect(k.pcaDates).toBeGreaterThan(400);
    expect(k.ml.model).toBe(p.mlModel);
    expect(k.ml.dates).toBeGreaterThan(200);
    expect(Object.keys(k.books).sort()).toEqual(["pca-residual", "reversal", p.mlModel].sort());
    for (const b of Object.values(k.books)) {
      expect(b.days).toBeGreaterThan(200);
      expect(Math.abs(b.sharpe)).toBeLessThan(5); // a 10-name daily book before costs
    }

    // The distance pairs straight from lib/signals on the same formation window.
    const prices = (await loadDataset("skfolio-sp500")).slice({ start: p.start, end: p.end, assets: p.universe });
    const model = new PairsModel({ method: "distance", pairs: p.nPairs, formationDays: 252 });
    model.fit(new PanelView(prices, prices.dates[252] as number));
    expect(k.pairs.distance).toEqual(model.pairs.map((x) => `${x.a}/${x.b}`));
    expect(k.pairs.topHalfLife).toBeCloseTo(model.pairs[0]?.halfLife ?? Number.NaN, 10);

    // The PCA-residual signal's 1-day rank IC straight from lib/signals.
    const pca = pcaResidualScores(prices, { factors: p.pcaFactors, correlationWindow: 252, ouWindow: 60 });
    const ic = rankIC(pca.sScore.mapColumns((c) => c.map((v) => -v)), prices, { horizon: 1 });
    expect(k.pcaDates).toBe(ic.count);
    expect(k.pcaIC1).toBeCloseTo(ic.mean, 12);
    removeRun(run);
  }, NOTEBOOK_TIMEOUT_MS);
});
