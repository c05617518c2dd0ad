/** backtestWeights: the daily accounting of a target-weight path, checked by hand on a small book. */
import { describe, expect, it } from "vitest";
import { backtestWeights, periodSummaries } from "../../lib/backtest/index.js";
import { Panel } from "../../lib/data/index.js";
import { NoTradeBand } from "../../lib/portfolio/index.js";

const dates = ["2020-01-02", "2020-01-03", "2020-01-06", "2020-01-07"];
const P = new Panel(dates, ["A", "B"], [Float64Array.of(100, 110, 99, 99), Float64Array.of(50, 50, 55, 44)]);
const T = new Panel(dates, ["A", "B"], [Float64Array.of(0.5, 0.5, 0.5, 0), Float64Array.of(-0.5, -0.5, -0.5, 0)]);

describe("backtestWeights", () => {
  it("same close: trades the target of t at the close of t; gross, drift, turnover and cost by hand", () => {
    const r = backtestWeights(P, T, { fillAt: "close", costs: 0.001 });
    // day 0: no holdings, trade to ±0.5: turnover 1, cost 0.001
    expect(r.gross[0]).toBe(0);
    expect(r.turnover[0]).toBeCloseTo(1, 15);
    expect(r.net[0]).toBeCloseTo(-0.001, 15);
    // day 1: A +10 %, B 0 %: gross 0.05; drifted A = 0.55/1.05, B = −0.5/1.05
    expect(r.gross[1]).toBeCloseTo(0.05, 15);
    const dA = 0.55 / 1.05;
    const dB = -0.5 / 1.05;
    expect(r.turnover[1]).toBeCloseTo(Math.abs(0.5 - dA) + Math.abs(-0.5 - dB), 14);
    expect(r.net[1]).toBeCloseTo(1.05 * (1 - 0.001 * r.turnover[1]!) - 1, 14);
    // day 2: A −10 %, B +10 %: gross −0.05 − 0.05
    expect(r.gross[2]).toBeCloseTo(-0.1, 14);
    // day 3: flat target: everything closes
    expect(r.long[3]).toBe(0);
    expect(r.short[3]).toBe(0);
    expect(r.long[2]).toBeCloseTo(0.5, 15);
    expect(r.short[2]).toBeCloseTo(0.5, 15);
    expect(r.costs.commission[1]).toBeCloseTo(r.costs.total[1]!, 18);
  });

  it("next close: the target of t is traded at the close of t + 1", () => {
    const r = backtestWeights(P, T, { fillAt: "next-close" });
    expect(r.turnover[0]).toBe(0);
    expect(r.gross[1]).toBe(0);
    expect(r.turnover[1]).toBeCloseTo(1, 15);
    expect(r.gross[2]).toBeCloseTo(-0.1, 14);
    expect(r.gross[3]).not.toBe(0); // still holding on day 3: the flat target of day 3 trades a day later
    expect(r.long[3]).toBeCloseTo(0.5, 15);
  });

  it("a rebalancer decides the trade; start skips earlier rows; summaries add up", () => {
    const r = backtestWeights(P, T, { fillAt: "close", rebalancer: new NoTradeBand({ band: 0.1 }) });
    expect(r.turnover[1]).toBe(0); // drift stays inside the band
    const s = backtestWeights(P, T, { fillAt: "close", start: "2020-01-06" });
    expect(s.dates.length).toBe(2);
    const { whole, years } = periodSummaries(backtestWeights(P, T, { fillAt: "close", costs: 0.001 }));
    expect(whole.days).toBe(4);
    expect(years.map((y) => y.period)).toEqual(["2020"]);
    expect(whole.net.totalReturn).toBeLessThan(whole.gross.totalReturn);
  });

  it("keepHoldings: the weights held each day give the gross return; the trades give turnover and cost", () => {
    const r = backtestWeights(P, T, { fillAt: "close", costs: 0.001, keepHoldings: true, capital: 1e6 });
    const plain = backtestWeights(P, T, { fillAt: "close", costs: 0.001, capital: 1e6 });
    expect(Array.from(r.net)).toEqual(Array.from(plain.net)); // keeping them changes nothing
    expect(plain.holdings).toBeUndefined();
    const h = r.holdings!;
    expect(h.nDates).toBe(4);
    expect(h.get(0, 0)).toBe(0); // nothing held over the first day
    expect(h.get(1, 0)).toBeCloseTo(0.5, 15); // the close-0 trade is held over day 1
    for (let k = 1; k < 4; k++) {
      const g = h.get(k, 0) * (P.get(k, 0) / P.get(k - 1, 0) - 1) + h.get(k, 1) * (P.get(k, 1) / P.get(k - 1, 1) - 1);
      expect(g).toBeCloseTo(r.gross[k]!, 15);
    }
    const t = r.trades!;
    expect(t.length).toBe(8); // both assets every day: open on day 0, back to target after the drift of days 1 and 2, close on day 3
    let equity = 1e6;
    for (let k = 0; k < 4; k++) {
      const before = equity * (1 + r.gross[k]!);
      let notional = 0;
      let cost = 0;
      for (let i = 0; i < t.length; i++) if (t.date[i] === r.dates[k]) (notional += Math.abs(t.quantity[i]! * t.price[i]!)), (cost += t.cost[i]!);
      expect(notional / before).toBeCloseTo(r.turnover[k]!, 12);
      expect(cost / before).toBeCloseTo(r.costs.total[k]!, 15);
      equity *= 1 + r.net[k]!;
    }
  });

  it("refuses mismatched targets and unknown options, naming them", () => {
    const bad = new Panel(dates, ["A", "C"], [Float64Array.of(0, 0, 0, 0), Float64Array.of(0, 0, 0, 0)]);
    expect(() => backtestWeights(P, bad)).toThrow(/asset 1 is C/);
    expect(() => backtestWeights(P, T, { fill: "close" } as never)).toThrow(/did you mean "fillAt"/);
    expect(() => backtestWeights(P, T, { costs: -1 })).toThrow(/costs/);
  });
});
