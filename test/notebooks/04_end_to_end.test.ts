/**
 * notebooks/04_end_to_end (the demo notebook) under papermill with two parameter sets: clean run,
 * charts and tables, a self-contained tearsheet written where `output_dir` says, and metrics and
 * factor attribution that lib/analytics reproduces from the daily returns the notebook emits.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fromEpochDay, informationRatio, loadDataset, maxDrawdown, sharpeRatio } from "../../lib/index.js";
import { FactorAttributor } from "../../lib/analytics/factor-attribution.js";
import { assertClean, chartCount, keyNumbers, notebookEnvironment, runNotebook, tableCount } from "./harness.js";

const env = notebookEnvironment();
const DEFAULTS = { start: "2007-07-01", end: "2008-12-31", rebalance: "daily", title: "Transformer stat-arb: S&P 500 large caps" };
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
  dates: number[];
  returns: number[];
  benchmarkReturns: number[];
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
    expect(html).toContain(p.title);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(8);

    // the window and sane magnitudes
    expect(fromEpochDay(k.dates[0] as number) >= p.start).toBe(true);
    expect(fromEpochDay(k.dates[k.dates.length - 1] as number) <= p.end).toBe(true);
    expect(k.days).toBe(k.dates.length);
    expect(k.days).toBeGreaterThan(200);
    expect(k.fits).toBeGreaterThanOrEqual(Math.floor(k.days / 21) - 1);
    expect(k.trades).toBeGreaterThan(0);
    expect(k.costs).toBeGreaterThan(0);
    expect(k.sharpeBeforeCosts).toBeGreaterThan(k.sharpeRatio); // costs can only hurt
    expect(Math.abs(k.sharpeRatio)).toBeLessThan(10);
    expect(k.maxDrawdown).toBeLessThanOrEqual(0);
    expect(k.maxDrawdown).toBeGreaterThan(-1);

    // metrics recomputed by lib/analytics from the emitted daily returns
    const r = Float64Array.from(k.returns);
    const b = Float64Array.from(k.benchmarkReturns);
    expect(k.sharpeRatio).toBeCloseTo(sharpeRatio(r), 9);
    expect(k.maxDrawdown).toBeCloseTo(maxDrawdown(r), 9);
    expect(k.informationRatio).toBeCloseTo(informationRatio(r, b), 9);

    // factor attribution: contributions + selection = active, and lib reproduces it
    const a = k.attribution;
    expect(a.factorTotal + a.selectionTotal).toBeCloseTo(a.activeTotal, 9);
    expect(a.models).toContain("ff3");
    const factors = (await loadDataset("gmm-finance")).slice({ assets: ["rf", "rm", "smb", "hml"] });
    const again = new FactorAttributor({ factors, benchmark: b, columns: { market: "rm" }, units: "percent" }).analyzePerformance({ portfolioReturns: r, dates: Int32Array.from(k.dates), startDate: p.start, endDate: p.end });
    expect(again.activeTotal).toBeCloseTo(a.activeTotal, 9);
    const primary = again.models.find((m) => m.model === again.primary);
    expect(primary?.exposures.betas[0]).toBeCloseTo(a.marketBeta, 9);
    expect(Math.abs(a.marketBeta)).toBeLessThan(2); // a dollar-neutral book
  });
});
