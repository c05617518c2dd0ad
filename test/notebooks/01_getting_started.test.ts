/**
 * notebooks/01_getting_started under papermill with two parameter sets: it runs clean, shows its
 * tables and plots, and its key numbers agree with lib/ recomputed here on the same data.
 */
import { describe, expect, it } from "vitest";
import { coint, loadDataset, sharpeRatio } from "../../lib/index.js";
import { assertClean, chartCount, keyNumbers, NOTEBOOK_TIMEOUT_MS, notebookEnvironment, removeRun, runNotebook, tableCount } from "./harness.js";

const env = notebookEnvironment();
const PARAMETER_SETS: Record<string, unknown>[] = [
  {},
  { universe: ["JPM", "BAC", "XOM", "CVX"], start: "2010-01-01", end: "2014-12-31", pairA: "XOM", pairB: "CVX" },
];
const DEFAULTS = { universe: ["AAPL", "MSFT", "JPM", "XOM", "KO", "PEP"], start: "2018-01-01", end: "2022-12-28", pairA: "KO", pairB: "PEP" };

interface Key01 {
  nDates: number;
  nAssets: number;
  universe: string[];
  sharpe: Record<string, number>;
  firstAssetSharpe: number;
  pair: { a: string; b: string; hedgeRatio: number; egStatistic: number; egPValue: number; halfLife: number };
}

describe.skipIf(!env.ok)(`notebook 01_getting_started${env.ok ? "" : ` (skipped: ${env.reason})`}`, () => {
  it.each(PARAMETER_SETS.map((p, i) => [i, p] as const))("parameter set %i runs and matches lib", async (_i, params) => {
    const p = { ...DEFAULTS, ...params } as typeof DEFAULTS;
    const run = await runNotebook("01_getting_started", params);
    assertClean(run);
    const charts = chartCount(run.notebook);
    expect(charts.svg).toBeGreaterThanOrEqual(2); // correlation heatmap, spread
    expect(charts.htmlFigures).toBeGreaterThanOrEqual(1); // growth of $1 with its legend
    expect(tableCount(run.notebook)).toBeGreaterThanOrEqual(4); // datasets, prices, returns, summaries, tests

    const k = keyNumbers<Key01>(run.notebook);
    expect(k.universe).toEqual(p.universe);
    expect(k.nAssets).toBe(p.universe.length);
    expect(k.nDates).toBeGreaterThan(900);
    for (const s of Object.values(k.sharpe)) expect(Math.abs(s)).toBeLessThan(3);
    expect(k.pair.halfLife).toBeGreaterThan(1);
    expect(k.pair.halfLife).toBeLessThan(500);

    // The same numbers straight from the library.
    const prices = (await loadDataset("skfolio-sp500")).slice({ start: p.start, end: p.end });
    const first = p.universe[0] as string;
    const r = prices.column(first);
    const rets = Float64Array.from({ length: r.length - 1 }, (_, i) => (r[i + 1] as number) / (r[i] as number) - 1);
    expect(k.firstAssetSharpe).toBeCloseTo(sharpeRatio(rets), 10);
    const eg = coint(Array.from(prices.column(p.pairA), Math.log), Array.from(prices.column(p.pairB), Math.log));
    expect(k.pair.egStatistic).toBeCloseTo(eg.statistic, 10);
    expect(k.pair.egPValue).toBeCloseTo(eg.pValue, 10);
    removeRun(run);
  }, NOTEBOOK_TIMEOUT_MS);
});
