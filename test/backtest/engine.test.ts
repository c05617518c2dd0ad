import { describe, expect, it } from "vitest";
import { BarEventEngine, type BarEvents, type BarStrategy, monteCarloAssets, monteCarloStrategy, StatArbBacktester, walkForwardOptimize } from "../../lib/backtest/index.js";
import { BpsCommission, SimulatedVenue, TestClock, VolumeParticipationCap } from "../../lib/execution/index.js";
import { checkInvariants } from "./invariants.js";
import { reversalScores, syntheticMarket } from "./market.js";

/** Interleaves a synthetic market into bar events (open = previous close). */
function toBars(nAssets: number, nDays: number): BarEvents {
  const m = syntheticMarket(nAssets, nDays, 3);
  const N = nAssets * nDays;
  const bars: BarEvents = {
    time: new Float64Array(N),
    asset: new Int32Array(N),
    open: new Float64Array(N),
    high: new Float64Array(N),
    low: new Float64Array(N),
    close: new Float64Array(N),
    volume: new Float64Array(N),
    assets: m.prices.assets,
  };
  let k = 0;
  for (let i = 0; i < nDays; i++) {
    for (let j = 0; j < nAssets; j++, k++) {
      const c = m.prices.columns[j]![i]!;
      const o = i > 0 ? m.prices.columns[j]![i - 1]! : c;
      bars.time[k] = m.prices.dates[i]!;
      bars.asset[k] = j;
      bars.open[k] = o;
      bars.close[k] = c;
      bars.high[k] = Math.max(o, c) * 1.002;
      bars.low[k] = Math.min(o, c) * 0.998;
      bars.volume[k] = m.volume.columns[j]![i]!;
    }
  }
  return bars;
}

describe("BarEventEngine", () => {
  it("runs orders through the state table, fills after the latency inside the bar's range, and accounts for cash", () => {
    const bars = toBars(5, 200);
    const submittedAt: number[] = [];
    const strategy: BarStrategy = {
      onBar(ctx, k) {
        const a = bars.asset[k]!;
        if (ctx.barCount[a]! % 20 === 1 && ctx.openOrders(a).length === 0) {
          ctx.submit(a, ctx.positions[a]! > 0 ? -50_000 : 50_000);
          submittedAt.push(k);
        }
      },
    };
    const venue = new SimulatedVenue({ costs: [new BpsCommission({ bps: 5 })], participation: new VolumeParticipationCap({ maxParticipation: 0.1 }) });
    const engine = new BarEventEngine({ venue, initialCash: 1e7, clock: new TestClock(0) });
    const r = engine.run(bars, strategy);
    expect(r.events).toBe(1000);
    expect(r.orders).toBe(submittedAt.length);
    expect(r.fills).toBeGreaterThan(r.orders); // partial fills under the 10% cap
    expect(r.pricesInRange).toBe(true);
    expect(r.costs).toBeGreaterThan(0);
    // equity = cash + positions at last close
    let mkt = 0;
    for (let j = 0; j < 5; j++) mkt += r.positions[j]! * bars.close[bars.close.length - 5 + j]!;
    expect(r.equity).toBeCloseTo(r.cash + mkt, 6);
  });

  it("limit orders never fill outside the bar's range", () => {
    const bars = toBars(2, 100);
    const r = new BarEventEngine({ venue: new SimulatedVenue({ participation: null }) }).run(bars, {
      onBar(ctx, k) {
        const a = bars.asset[k]!;
        if (ctx.openOrders(a).length === 0) ctx.submit(a, 10, "limit", bars.close[k]! * 0.99);
      },
    });
    expect(r.pricesInRange).toBe(true);
    expect(r.fills).toBeGreaterThan(0);
  });
});

describe("walk-forward optimisation and Monte Carlo", () => {
  const mkt = syntheticMarket(20, 700, 21);

  it("picks parameters in sample and stitches the out-of-sample windows", async () => {
    const scoreCache = new Map<number, ReturnType<typeof reversalScores>>();
    const evaluate = async (p: Record<string, unknown>, w: { start: string; end: string }) => {
      const lb = p.lookback as number;
      if (!scoreCache.has(lb)) scoreCache.set(lb, reversalScores(mkt.prices, lb));
      const bt = new StatArbBacktester({ data: mkt.prices, startDate: w.start, endDate: w.end, transactionCosts: 0.0005 });
      const r = await bt.runBacktest({ scores: scoreCache.get(lb)!, portfolio: { method: p.method as "rank" } });
      checkInvariants(r, mkt.prices);
      return r;
    };
    const wf = await walkForwardOptimize({ dates: mkt.prices.dates, grid: { lookback: [2, 5, 60], method: ["rank", "zscore"] }, evaluate, trainDays: 250, testDays: 100, startRow: 10 });
    expect(wf.folds.length).toBe(5);
    for (let f = 1; f < wf.folds.length; f++) expect(wf.folds[f]!.testStart > wf.folds[f - 1]!.testEnd).toBe(true);
    expect(wf.dates.length).toBe(700 - 260);
    for (let k = 1; k < wf.dates.length; k++) expect(wf.dates[k]!).toBeGreaterThan(wf.dates[k - 1]!);
    expect(wf.folds.every((f) => f.scores.length === 6)).toBe(true);
    expect(Number.isFinite(wf.metrics.sharpeRatio)).toBe(true);
    expect(wf.folds.some((f) => f.bestParams.lookback !== 60)).toBe(true);
    await expect(walkForwardOptimize({ dates: mkt.prices.dates, grid: { x: [] }, evaluate })).rejects.toThrow(/grid.x must be a non-empty array/);
  });

  it("bootstraps strategy returns and asset returns deterministically with a seed", async () => {
    const scores = reversalScores(mkt.prices);
    const bt = new StatArbBacktester({ data: mkt.prices, startDate: "2010-02-01", transactionCosts: 0.0005 });
    const r = await bt.runBacktest({ scores });
    const a = monteCarloStrategy(r, { simulations: 300, seed: 1 });
    const b = monteCarloStrategy(r, { simulations: 300, seed: 1 });
    const c = monteCarloStrategy(r, { simulations: 300, seed: 2 });
    expect(a.metrics.sharpeRatio.percentiles[50]).toBe(b.metrics.sharpeRatio.percentiles[50]);
    expect(a.metrics.sharpeRatio.percentiles[50]).not.toBe(c.metrics.sharpeRatio.percentiles[50]);
    expect(a.metrics.sharpeRatio.percentiles[5]!).toBeLessThan(r.sharpeRatio);
    expect(a.metrics.sharpeRatio.percentiles[95]!).toBeGreaterThan(r.sharpeRatio);
    expect(a.metrics.maxDrawdown.percentiles[5]!).toBeLessThanOrEqual(a.metrics.maxDrawdown.percentiles[95]!);
    const moving = monteCarloStrategy(r.returns, { simulations: 50, method: "moving", seed: 1 });
    expect(moving.method).toBe("moving");

    const run = (path: typeof mkt.prices) => new StatArbBacktester({ data: path, startDate: "2010-02-01", transactionCosts: 0.0005 }).runBacktest({ scores: reversalScores(path) });
    const x = await monteCarloAssets(mkt.prices, run, { simulations: 6, seed: 3 });
    const y = await monteCarloAssets(mkt.prices, run, { simulations: 6, seed: 3 });
    expect(x.metrics.sharpeRatio.percentiles[50]).toBe(y.metrics.sharpeRatio.percentiles[50]);
    expect(x.simulations).toBe(6);
    expect(() => monteCarloStrategy(r, { blockSize: 0 })).toThrow(/blockSize/);
  });
});
