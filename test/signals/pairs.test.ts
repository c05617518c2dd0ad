/**
 * PairsModel on a synthetic market with one planted cointegrated pair among 30 factor-driven
 * random walks: both selection methods rank the planted pair first, and the trading rule opens at
 * ±2 formation σ and closes when the spread crosses zero.
 */
import { describe, expect, it } from "vitest";
import { Panel } from "../../lib/data/panel.js";
import { PanelView } from "../../lib/data/index.js";
import { syntheticPairsMarket } from "../../lib/stats/index.js";
import { PairsModel } from "../../lib/signals/index.js";

describe("PairsModel", () => {
  const { prices, pair } = syntheticPairsMarket({ nAssets: 30, nDays: 400, seed: 11 });
  const cut = prices.dates[300] as number;

  for (const method of ["distance", "cointegration"] as const) {
    it(`${method}: finds the planted pair first`, () => {
      const m = new PairsModel({ method, pairs: 5 });
      m.fit(new PanelView(prices, cut));
      const top = m.pairs[0];
      expect(top).toBeDefined();
      expect([top?.a, top?.b].sort()).toEqual([...pair].sort());
      expect(top?.halfLife).toBeLessThan(20);
      if (method === "cointegration") expect(top?.adfStat).toBeLessThan(-3.34);
    });
  }

  it("uses Gatev-Goetzmann-Rouwenhorst defaults", () => {
    const p = new PairsModel().params;
    expect(p).toMatchObject({ method: "distance", formationDays: 252, tradingDays: 126, openThreshold: 2, pairs: 20 });
  });

  it("opens at 2σ and closes when the normalised prices cross", () => {
    // A flat; B oscillates around it with a known spread path
    const T = 80;
    const a = new Float64Array(T).fill(100);
    const spread = Float64Array.from({ length: T }, (_, t) => (t < 61 ? 0.01 * Math.sin(t) : [0, 0.05, 0.03, 0.001, -0.002, -0.05, -0.01, 0.002, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0][t - 61] ?? 0));
    const b = spread.map((s) => 100 * (1 - s));
    const dates = Int32Array.from({ length: T }, (_, t) => 16000 + t);
    const panel = new Panel(dates, ["A", "B"], [a, b]);
    const m = new PairsModel({ formationDays: 60, tradingDays: 15, pairs: 1, maxHalfLife: 0 });
    m.fit(new PanelView(panel, dates[60] as number));
    const sigma = m.pairs[0]?.sigma as number;
    expect(sigma).toBeGreaterThan(0);
    const at = (t: number) => Array.from(m.predict(PanelView.of(panel), dates[t] as number));
    // spread = nA − nB = s: +0.05 ≫ 2σ → short A, long B
    expect(at(62)).toEqual([-1, 1]);
    expect(at(63)).toEqual([-1, 1]); // still above 0
    expect(at(65)).toEqual([0, 0]); // crossed zero at t = 65 (−0.002)
    expect(at(66)).toEqual([1, -1]); // −0.05: long A, short B
    expect(at(68)).toEqual([0, 0]);
    // after the trading window: no view
    expect(at(79).every(Number.isNaN)).toBe(true);
  });

  it("checks its options where they enter", () => {
    expect(() => new PairsModel({ method: "copula" as never })).toThrow(/method must be one of "distance", "cointegration"/);
    expect(() => new PairsModel({ formationDays: 0 })).toThrow(/formationDays must be a positive integer/);
  });
});
