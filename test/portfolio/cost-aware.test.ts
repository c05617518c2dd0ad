/** Cost-aware construction (issue 17 item 6): no-trade band, turnover penalty, minimum holding period. */
import { describe, expect, it } from "vitest";
import { MinimumHolding, NoTradeBand, noTradeBand, TurnoverPenalty, turnoverPenalty } from "../../lib/portfolio/index.js";

const f = (...x: number[]) => Float64Array.from(x);

describe("NoTradeBand", () => {
  it("keeps weights inside the band and trades to the target outside it", () => {
    const r = noTradeBand({ band: 0.01 }).rebalance(f(0.1, 0.1, -0.05, 0.02), f(0.105, 0.2, -0.2, 0));
    expect(Array.from(r)).toEqual([0.1, 0.2, -0.2, 0]);
  });
  it("trades to the band's edge with tradeTo 'edge', and closes a zero target fully", () => {
    const r = noTradeBand({ band: 0.01, tradeTo: "edge" }).rebalance(f(0.1, 0.1, 0.05), f(0.105, 0.2, 0));
    expect(r[0]).toBe(0.1);
    expect(r[1]).toBeCloseTo(0.19, 15);
    expect(r[2]).toBe(0);
    const keep = noTradeBand({ band: 0.01, tradeTo: "edge", closeFully: false }).rebalance(f(0.05), f(0));
    expect(keep[0]).toBeCloseTo(0.01, 15);
  });
  it("never changes its inputs and refuses bad input with the argument named", () => {
    const c = f(0.1, 0.2);
    const t = f(0.3, 0.2);
    new NoTradeBand({ band: 0.05 }).rebalance(c, t);
    expect(Array.from(c)).toEqual([0.1, 0.2]);
    expect(Array.from(t)).toEqual([0.3, 0.2]);
    expect(() => new NoTradeBand({ band: -1 })).toThrow(RangeError);
    expect(() => new NoTradeBand({ bnd: 0.1 } as never)).toThrow(/did you mean "band"/);
    expect(() => new NoTradeBand().rebalance(f(0), f(Number.NaN))).toThrow(/target\[0\] is NaN/);
    expect(() => new NoTradeBand().rebalance(f(0), f(0, 1))).toThrow(/current has 1 weights, target 2/);
  });
});

describe("TurnoverPenalty", () => {
  it("solves min ½‖w − target‖² + λ‖w − current‖₁ (checked against a grid search per asset)", () => {
    const lambda = 0.03;
    const cur = f(0.1, -0.2, 0.0, 0.05);
    const tgt = f(0.25, -0.21, -0.1, 0.05);
    const w = new TurnoverPenalty({ penalty: lambda, closeFully: false }).rebalance(cur, tgt);
    for (let i = 0; i < w.length; i++) {
      let best = Number.NaN;
      let bestV = Infinity;
      for (let k = -40000; k <= 40000; k++) {
        const x = k / 100000;
        const v = 0.5 * (x - tgt[i]!) ** 2 + lambda * Math.abs(x - cur[i]!);
        if (v < bestV) (bestV = v), (best = x);
      }
      expect(Math.abs(w[i]! - best)).toBeLessThan(2e-5);
    }
    expect(turnoverPenalty().params).toEqual({ penalty: 0.005, closeFully: true });
  });
});

describe("MinimumHolding", () => {
  it("holds a position at least `days` rebalances, opens freely, reads NaN as flat", () => {
    const h = new MinimumHolding({ days: 3 });
    const seq = [f(1, 0), f(0, -1), f(0, 0), f(-1, Number.NaN), f(0, 0)];
    const out = seq.map((p) => Array.from(h.step(p)));
    expect(out).toEqual([[1, 0], [1, -1], [1, -1], [-1, -1], [-1, 0]]);
    expect(() => h.step(f(1))).toThrow(/call reset\(\)/);
    h.reset();
    expect(Array.from(h.step(f(1)))).toEqual([1]);
    expect(() => new MinimumHolding({ days: -1 })).toThrow(RangeError);
  });
});
