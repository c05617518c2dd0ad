/**
 * What results print in a terminal (`console.log` → util.inspect.custom, and `String(x)`): pandas-like
 * head and tail rows, ISO dates, the shape, at most about 30 lines whatever the size.
 */
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { monteCarloStrategy, StatArbBacktester, walkForwardOptimize } from "../../lib/backtest/index.js";
import { Panel, textTable } from "../../lib/data/index.js";
import { performanceSummary } from "../../lib/analytics/index.js";
import { reversalScores, syntheticMarket } from "./market.js";

const lines = (s: string) => s.split("\n").length;

describe("terminal text of public results", () => {
  it("a 250 × 4 panel: shape, ISO dates, head and tail, not its typed arrays", () => {
    const dates = Array.from({ length: 250 }, (_, i) => new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString().slice(0, 10));
    const p = Panel.fromColumns(dates, { AAPL: dates.map((_, i) => 185.64 + i / 8), MSFT: dates.map(() => 370.87), GOOG: dates.map(() => NaN), AMZN: dates.map((_, i) => i) });
    const text = inspect(p);
    expect(text).toBe(String(p));
    expect(lines(text)).toBeLessThanOrEqual(30);
    const rows = text.split("\n");
    expect(rows[0]).toBe("Panel 250 dates × 4 assets (2024-01-01 … 2024-09-06)");
    expect(rows[1]).toMatch(/^date\s+AAPL\s+MSFT\s+GOOG\s+AMZN$/);
    expect(rows[2]).toMatch(/^2024-01-01\s+185\.6400\s+370\.8700\s+NaN\s+0$/);
    expect(text).toContain("2024-09-06");
    expect(text).toMatch(/\n…\s+…/);
    expect(rows.at(-1)).toBe("[250 rows × 4 columns]");
    expect(text).not.toMatch(/Float64Array|Int32Array|19724/);
    // a console.log of an object holding the panel shows the same text inside
    expect(inspect({ p })).toContain("Panel 250 dates × 4 assets");
  });

  it("wide tables keep the first and last columns around a … column", () => {
    const t = textTable({ title: "t", rows: 3, index: (i) => `r${i}`, columns: Array.from({ length: 20 }, (_, j) => ({ name: `c${j}`, cell: (i: number) => i * j })) });
    expect(t.split("\n")[1]).toMatch(/^date\s+c0\s+c1\s+c2\s+c3\s+…\s+c16\s+c17\s+c18\s+c19$/);
  });

  const mkt = syntheticMarket(20, 500, 21);
  it("a BacktestResult, its trades, a walk-forward and a Monte Carlo result stay short and readable", async () => {
    const evaluate = async (p: Record<string, unknown>, w: { start: string; end: string }) =>
      new StatArbBacktester({ data: mkt.prices, startDate: w.start, endDate: w.end }).runBacktest({ scores: reversalScores(mkt.prices, p.lookback as number) });
    const r = await evaluate({ lookback: 5 }, { start: "2010-03-01", end: "2011-06-30" });
    const text = inspect(r);
    expect(text).toBe(String(r));
    expect(lines(text)).toBeLessThanOrEqual(30);
    expect(text).toMatch(/^BacktestResult: \d+ days × 20 assets\n/);
    expect(text).toMatch(/Sharpe\s+-?\d+\.\d{3}/);
    expect(text).toMatch(/\n2010-03-01\s+1000000\s/);
    expect(text).not.toMatch(/Float64Array|Int32Array/);
    expect(Object.keys(r)).not.toContain("toString"); // non-enumerable: equality and JSON unchanged
    const trades = inspect(r.trades);
    expect(lines(trades)).toBeLessThanOrEqual(30);
    expect(trades).toMatch(/^TradeTable: \d+ fills of 20 assets\ndate\s+asset\s+quantity\s+price\s+cost\n2010-03-02\s+A0/);

    const wf = await walkForwardOptimize({ dates: mkt.prices.dates, grid: { lookback: [2, 5] }, evaluate, trainDays: 200, testDays: 100, startRow: 10 });
    const wfText = inspect(wf);
    expect(lines(wfText)).toBeLessThanOrEqual(30);
    expect(wfText).toMatch(/^WalkForwardOptimizeResult: \d+ folds, \d+ out-of-sample days/);
    expect(wfText).toMatch(/\d{4}-\d\d-\d\d … \d{4}-\d\d-\d\d\s+\{"lookback":[25]\}/);

    const mc = monteCarloStrategy(r, { simulations: 50, seed: 1 });
    const mcText = inspect(mc);
    expect(lines(mcText)).toBeLessThanOrEqual(30);
    expect(mcText).toMatch(/^MonteCarloResult: 50 stationary block-bootstrap paths/);
    expect(mcText).toMatch(/\nsharpeRatio\s+-?\d/);
    expect(mcText).toMatch(/\bp5\s+p25\s+p50\s+p75\s+p95$/m);

    const ps = performanceSummary(r.returns);
    expect(inspect(ps)).toMatch(/^PerformanceSummary\n\s+Periods\s+\d+\n\s+Cumulative return\s+-?\d/);
  });
});
