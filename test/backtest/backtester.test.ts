import { describe, expect, it } from "vitest";
import { StatArbBacktester, type BacktestResult } from "../../lib/backtest/index.js";
import { HalfSpreadCost, PerShareCommission } from "../../lib/execution/index.js";
import { RiskManager } from "../../lib/risk/index.js";
import { Panel } from "../../lib/data/panel.js";
import { checkInvariants } from "./invariants.js";
import { reversalScores, syntheticMarket } from "./market.js";

const mkt = syntheticMarket(30, 400, 11);
const scores = reversalScores(mkt.prices);

describe("StatArbBacktester with precomputed scores", () => {
  it("keeps the accounting invariants with costs, impact, borrow and a risk manager", async () => {
    const rm = new RiskManager({ maxLeverage: 1.5, maxPosition: 0.08 });
    const bt = new StatArbBacktester({
      data: mkt.prices,
      startDate: "2010-03-01",
      initialCapital: 1e7,
      transactionCosts: [new PerShareCommission(), new HalfSpreadCost({ spreadBps: 4 })],
      marketImpactModel: "sqrt",
      borrowCost: 0.01,
    });
    const r = await bt.runBacktest({ scores, riskManager: rm, portfolio: { method: "zscore", gross: 2 } });
    checkInvariants(r, mkt.prices, { maxLeverage: 1.5, maxPosition: 0.08 }, { high: mkt.high, low: mkt.low });
    expect(r.costs.commission).toBeGreaterThan(0);
    expect(r.costs.spread).toBeGreaterThan(0);
    expect(r.costs.impact).toBeGreaterThan(0);
    expect(r.costs.borrow).toBeGreaterThan(0);
    expect(r.costs.total).toBeCloseTo(r.costs.commission + r.costs.spread + r.costs.impact + r.costs.borrow, 6);
    let daily = 0;
    for (const c of r.dailyCosts) daily += c;
    expect(daily).toBeCloseTo(r.costs.total, 4);
    let tradeCost = 0;
    for (const c of r.trades.cost) tradeCost += c;
    expect(tradeCost + r.costs.borrow).toBeCloseTo(r.costs.total, 4);
    let prev = r.initialCapital;
    for (let k = 0; k < r.returns.length; k++) {
      expect(r.returnsBeforeCosts[k]! - r.returns[k]!).toBeCloseTo(r.dailyCosts[k]! / prev, 12);
      prev = r.equityCurve[k]!;
    }
    // gross 2 asked, leverage 1.5 allowed: every decision was scaled
    expect(r.interventions.some((x) => x.rule === "maxLeverage" && x.before > 1.5 && x.after === 1.5)).toBe(true);
    expect(r.interventions.every((x) => typeof x.date === "string" && x.reason.length > 0)).toBe(true);
    // reversal has an edge on this market
    expect(r.sharpeRatio).toBeGreaterThan(0.5);
    expect(r.maxDrawdown).toBeLessThan(0);
    expect(Number.isFinite(r.informationRatio)).toBe(true);
    expect(r.assumptions.join(" ")).toMatch(/ADV = \$500M\/day/);
    const shown = (r as unknown as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")]!();
    expect(shown["text/html"]).toMatch(/<th[^>]*>Sharpe<\/th><td>\d/);
    expect(shown["text/plain"]).toMatch(/max drawdown: -/);
  });

  it("never trades on information after the decision date (next-close fills)", async () => {
    const bt = new StatArbBacktester({ data: mkt.prices, startDate: "2010-03-01", initialCapital: 1e6 });
    const base = await bt.runBacktest({ scores });
    // Change the scores of the last row: nothing before the last day may change.
    const cols = scores.columns.map((c) => {
      const d = Float64Array.from(c);
      d[d.length - 2] = Math.random();
      d[d.length - 1] = Math.random();
      return d;
    });
    const moved = await bt.runBacktest({ scores: new Panel(scores.dates, scores.assets, cols) });
    const T = base.equityCurve.length;
    expect(Array.from(moved.equityCurve.subarray(0, T - 1))).toEqual(Array.from(base.equityCurve.subarray(0, T - 1)));
  });

  it("fills at the next close, so the first day after the start has no position", async () => {
    const bt = new StatArbBacktester({ data: mkt.prices, startDate: "2010-03-01" });
    const r = await bt.runBacktest({ scores });
    expect(r.turnover[0]).toBe(0);
    expect(r.turnover[1]).toBeGreaterThan(0);
    const same = await new StatArbBacktester({ data: mkt.prices, startDate: "2010-03-01", fillAt: "close" }).runBacktest({ scores });
    expect(same.turnover[0]).toBeGreaterThan(0);
    checkInvariants(same, mkt.prices);
  });

  it("caps participation with volume data and leaves the rest for later days", async () => {
    const small = mkt.volume.mapColumns((c) => c.map((v) => v / 200));
    const bt = new StatArbBacktester({ data: mkt.prices, volume: small, startDate: "2010-03-01", initialCapital: 5e7, maxParticipation: 0.1 });
    const r = await bt.runBacktest({ scores, rebalanceFrequency: "weekly" });
    checkInvariants(r, mkt.prices, { partialFills: true });
    for (let t = 0; t < r.trades.length; t++) {
      const row = mkt.prices.indexOfDate(r.trades.date[t]!);
      expect(Math.abs(r.trades.quantity[t]!)).toBeLessThanOrEqual(0.1 * small.columns[r.trades.asset[t]!]![row]! + 1e-9);
    }
    expect(r.assumptions.join(" ")).toMatch(/participation/);
  });

  it("rebalances weekly and monthly only on the first trading day of the period", async () => {
    for (const freq of ["weekly", "monthly"] as const) {
      const r: BacktestResult = await new StatArbBacktester({ data: mkt.prices, startDate: "2010-03-01" }).runBacktest({ scores, rebalanceFrequency: freq });
      const tradeDays = new Set(Array.from(r.trades.date));
      for (const d of tradeDays) {
        const prev = r.dates[r.dates.indexOf(d) - 1]!;
        const prev2 = r.dates[r.dates.indexOf(d) - 2];
        // decision day is `prev` (next-close fills); it must open a new period vs prev2
        if (prev2 === undefined) continue;
        const a = new Date(prev * 864e5);
        const b = new Date(prev2 * 864e5);
        if (freq === "monthly") expect(a.getUTCMonth() !== b.getUTCMonth()).toBe(true);
        else expect(Math.floor((prev + 3) / 7) !== Math.floor((prev2 + 3) / 7)).toBe(true);
      }
      checkInvariants(r, mkt.prices);
    }
  });

  it("flattens the book on a drawdown stop and records it", async () => {
    const bad = scores.mapColumns((c) => c.map((v) => -v)); // momentum on a mean-reverting market loses
    const rm = new RiskManager({ maxDrawdown: 0.02 });
    const r = await new StatArbBacktester({ data: mkt.prices, startDate: "2010-03-01", transactionCosts: 0.001 }).runBacktest({ scores: bad, riskManager: rm });
    const stop = r.interventions.find((x) => x.rule === "maxDrawdown");
    expect(stop).toBeDefined();
    expect(stop!.before).toBeLessThan(-0.02);
    expect(r.grossLeverage[r.grossLeverage.length - 1]).toBe(0);
    checkInvariants(r, mkt.prices);
  });

  it("checks its options with errors that name them", () => {
    expect(() => new StatArbBacktester({ data: mkt.prices, marketImpactModel: "linear" as never })).toThrow(/marketImpactModel/);
    expect(() => new StatArbBacktester({ data: mkt.prices, transactionCosts: 15 })).toThrow(/transactionCosts/);
    expect(() => new StatArbBacktester({ data: mkt.prices, startDate: "2030-01-01" })).toThrow(/startDate/);
    expect(() => new StatArbBacktester({ data: {} as never })).toThrow(/close\/prices/);
    const bt = new StatArbBacktester({ data: mkt.prices });
    return expect(bt.runBacktest({ scores, rebalanceFrequency: "hourly" as never })).rejects.toThrow(/rebalanceFrequency/);
  });
});
