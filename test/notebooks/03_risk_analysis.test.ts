/**
 * notebooks/03_risk_analysis under papermill with two books: clean run, plots and tables, VaR/ES
 * ordered as they must be, component VaR adding up, and the historical VaR equal to lib/risk's on
 * the same book recomputed here.
 */
import { describe, expect, it } from "vitest";
import { expectedShortfall, loadDataset, valueAtRisk } from "../../lib/index.js";
import { assertClean, chartCount, keyNumbers, NOTEBOOK_TIMEOUT_MS, notebookEnvironment, removeRun, runNotebook, tableCount } from "./harness.js";

const env = notebookEnvironment();
const DEFAULTS = {
  positions: { AAPL: 2_000_000, MSFT: -1_000_000, XOM: 1_000_000, CVX: -1_000_000, KO: 500_000, PEP: -500_000, JPM: 750_000, BAC: -750_000 } as Record<string, number>,
  start: "2015-01-01",
  end: "2022-12-28",
  confidence: 0.99,
};
const PARAMETER_SETS: Record<string, unknown>[] = [
  {},
  { positions: { JNJ: 1_000_000, PFE: -1_000_000, WMT: 600_000, PG: -400_000 }, start: "2010-01-01", end: "2019-12-31", confidence: 0.975, simulations: 5000, rollingWindow: 500 },
];

interface Key03 {
  gross: number;
  nDays: number;
  var: Record<string, number>;
  es: Record<string, number>;
  componentVaR: { total: number; sumComponents: number; undiversified: number };
  backtest: { breaches: number; days: number; kupiecP: number };
  stress: { factorShockPnl: number; covered: string[]; breakdownRatio0: number };
}

describe.skipIf(!env.ok)(`notebook 03_risk_analysis${env.ok ? "" : ` (skipped: ${env.reason})`}`, () => {
  it.each(PARAMETER_SETS.map((p, i) => [i, p] as const))("parameter set %i runs and matches lib", async (_i, params) => {
    const p = { ...DEFAULTS, ...params } as typeof DEFAULTS;
    const run = await runNotebook("03_risk_analysis", params);
    assertClean(run);
    const charts = chartCount(run.notebook);
    expect(charts.svg + charts.htmlFigures).toBeGreaterThanOrEqual(3); // histogram, rolling VaR, component bars
    expect(tableCount(run.notebook)).toBeGreaterThanOrEqual(5);

    const k = keyNumbers<Key03>(run.notebook);
    for (const m of ["historical", "gaussian", "cornish-fisher", "monte-carlo"]) {
      const v = k.var[m] as number;
      expect(v).toBeGreaterThan(0.0005); // a daily 97.5–99 % VaR of a hedged book: a fraction of a percent to a few percent
      expect(v).toBeLessThan(0.1);
      expect(k.es[m] as number).toBeGreaterThanOrEqual(v);
    }
    expect(k.componentVaR.sumComponents / k.componentVaR.total).toBeCloseTo(1, 9);
    expect(k.componentVaR.undiversified).toBeGreaterThan(k.componentVaR.total);
    expect(k.backtest.breaches).toBeGreaterThan(0);
    expect(k.backtest.breaches / k.backtest.days).toBeLessThan(0.1);
    expect(k.stress.breakdownRatio0).toBeGreaterThan(1); // vol ×1.5 alone raises the VaR

    // The book's historical VaR/ES recomputed from the dataset with lib/risk.
    const assets = Object.keys(p.positions);
    const prices = (await loadDataset("skfolio-sp500")).slice({ start: p.start, end: p.end, assets });
    const gross = assets.reduce((s, a) => s + Math.abs(p.positions[a] as number), 0);
    expect(k.gross).toBe(gross);
    const n = prices.nDates - 1;
    const book = new Float64Array(n);
    for (const a of assets) {
      const c = prices.column(a);
      for (let i = 0; i < n; i++) book[i] = (book[i] as number) + ((p.positions[a] as number) * ((c[i + 1] as number) / (c[i] as number) - 1)) / gross;
    }
    expect(k.nDays).toBe(n);
    expect(k.var.historical).toBeCloseTo(valueAtRisk(book, { confidence: p.confidence }), 12);
    expect(k.es.historical).toBeCloseTo(expectedShortfall(book, { confidence: p.confidence }), 12);
    removeRun(run);
  }, NOTEBOOK_TIMEOUT_MS);
});
