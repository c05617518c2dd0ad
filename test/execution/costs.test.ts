import { describe, expect, it } from "vitest";
import {
  AlmgrenImpact,
  BpsCommission,
  HalfSpreadCost,
  LatencyModel,
  OrderManager,
  PerShareCommission,
  Price,
  Quantity,
  SimulatedVenue,
  SquareRootImpact,
  TestClock,
  VolumeParticipationCap,
} from "../../lib/execution/index.js";

describe("cost models (formulas as documented)", () => {
  it("per-share commission with minimum and cap", () => {
    const c = new PerShareCommission({ perShare: 0.005, minimum: 1, maxFraction: 0.01 });
    expect(c.cost(100, 50)).toBe(1); // 0.5 → minimum 1
    expect(c.cost(-1000, 50)).toBeCloseTo(5, 12);
    expect(c.cost(100, 0.5)).toBeCloseTo(0.5, 12); // cap 1% of $50
    expect(c.cost(0, 50)).toBe(0);
    expect(() => new PerShareCommission({ perShare: -1 })).toThrow(/option perShare/);
  });

  it("bps commission and half spread", () => {
    expect(new BpsCommission({ bps: 15 }).cost(-200, 100)).toBeCloseTo(200 * 100 * 0.0015, 10);
    expect(new BpsCommission({ rate: 0.0015 }).cost(200, 100)).toBeCloseTo(30, 10);
    expect(() => new BpsCommission({ bps: 1, rate: 1 })).toThrow(/either option bps or option rate/);
    expect(new HalfSpreadCost({ spreadBps: 10 }).cost(1000, 20)).toBeCloseTo(1000 * 20 * 0.0005, 10);
  });

  it("square-root impact η·σ·√(Q/ADV) on the notional, with the stated ADV assumption", () => {
    const m = new SquareRootImpact({ eta: 0.5 });
    expect(m.cost(10_000, 50, 1_000_000, 0.02)).toBeCloseTo(10_000 * 50 * 0.5 * 0.02 * Math.sqrt(0.01), 8);
    // no ADV: $500M/day at $50 = 10M shares
    expect(m.cost(10_000, 50, Number.NaN, 0.02)).toBeCloseTo(10_000 * 50 * 0.5 * 0.02 * Math.sqrt(10_000 / 1e7), 8);
    // quadrupling size doubles the per-share impact
    expect(m.cost(40_000, 50, 1e6, 0.02) / m.cost(10_000, 50, 1e6, 0.02)).toBeCloseTo(8, 10);
  });

  it("Almgren et al. (2005) with the published exponents", () => {
    const m = new AlmgrenImpact();
    const X = 50_000;
    const V = 1_000_000;
    const s = 0.015;
    const I = 0.314 * s * (X / V) * (1 / 0.005) ** 0.25;
    const K = 0.142 * s * (X / V) ** 0.6;
    expect(m.permanent(X, V, s)).toBeCloseTo(I, 14);
    expect(m.temporary(X, V, s)).toBeCloseTo(K, 14);
    expect(m.cost(-X, 40, V, s)).toBeCloseTo(X * 40 * (I / 2 + K), 8);
    const half = new AlmgrenImpact({ horizon: 0.5 });
    expect(half.temporary(X, V, s) / m.temporary(X, V, s)).toBeCloseTo(2 ** 0.6, 12);
  });

  it("participation cap gives partial fills; latency counts bars", () => {
    const cap = new VolumeParticipationCap({ maxParticipation: 0.1 });
    expect(cap.fillable(5000, 20_000)).toBe(2000);
    expect(cap.fillable(-5000, 20_000)).toBe(-2000);
    expect(cap.fillable(1500, 20_000)).toBe(1500);
    expect(cap.fillable(1500, Number.NaN)).toBe(1500);
    expect(() => new VolumeParticipationCap({ maxParticipation: 2 })).toThrow(/\[0, 1\]/);
    expect(new LatencyModel().fillBar(10)).toBe(11);
    expect(new LatencyModel({ bars: 0 }).fillBar(10)).toBe(10);
    expect(() => new LatencyModel({ bars: -1 })).toThrow(/option bars/);
  });

  it("the venue fills inside the bar, partially under the cap, through the order manager", () => {
    const venue = new SimulatedVenue({ costs: [new BpsCommission({ bps: 10 })], participation: new VolumeParticipationCap({ maxParticipation: 0.1 }) });
    const om = new OrderManager({ clock: new TestClock() });
    const o = om.submit({ instrument: "KO", side: "buy", quantity: new Quantity(3000) });
    om.accept(o.id);
    expect(venue.matchBar(om, o, 50.123456, 51, 49, 50.5, 20_000)).toBe(2000);
    expect(o.status).toBe("partiallyFilled");
    expect(venue.matchBar(om, o, 50.2, 51, 49, 50.5, 20_000)).toBe(1000);
    expect(o.status).toBe("filled");
    expect(o.averagePrice).toBeCloseTo((2000 * 50.1235 + 1000 * 50.2) / 3000, 10);
    expect(o.totalCost).toBeCloseTo(0.001 * (2000 * 50.1235 + 1000 * 50.2), 8);
    const lim = om.submit({ instrument: "KO", side: "sell", quantity: new Quantity(10), type: "limit", limitPrice: new Price(52, 2) });
    om.accept(lim.id);
    expect(venue.matchBar(om, lim, 50, 51, 49, 50.5, 20_000)).toBe(0); // high below the limit
    expect(venue.matchBar(om, lim, 50, 53, 49, 50.5, 20_000)).toBe(10);
    expect((lim.events.at(-1) as { price: { value: number } }).price.value).toBe(52);
  });
});
