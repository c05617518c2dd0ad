import { describe, expect, it } from "vitest";
import {
  AlmgrenImpact,
  BpsCommission,
  CloseFills,
  COST_KINDS,
  type CostModel,
  FillCostError,
  HalfSpreadCost,
  PerShareCommission,
  SquareRootImpact,
  ORDER_STATUSES,
  ORDER_TRANSITIONS,
  OrderColumns,
  SimulatedVenue,
  TRANSITION_KINDS,
  VolumeParticipationCap,
} from "../../lib/execution/index.js";

describe("OrderColumns (columnar orders on the one transition table)", () => {
  it("walks submit → accept → partial fill → expire, with leaves, VWAP and cost", () => {
    const o = new OrderColumns(1);
    const a = o.submit(3, -100);
    const b = o.submit(4, 10); // grows past the initial capacity
    expect(o.length).toBe(2);
    expect(o.status(a)).toBe("submitted");
    o.accept(a);
    expect(o.fill(a, 30, 50, 1.5)).toBe("partiallyFilled");
    expect(o.fill(a, 20, 51, 0.5)).toBe("partiallyFilled");
    expect([o.asset(a), o.side(a), o.quantity(a), o.filledQuantity(a), o.leavesQuantity(a)]).toEqual([3, -1, 100, 50, 50]);
    expect(o.averagePrice(a)).toBeCloseTo((30 * 50 + 20 * 51) / 50, 12);
    expect(o.totalCost(a)).toBe(2);
    o.expire(a);
    expect(o.isTerminal(a)).toBe(true);
    expect(() => o.fill(a, 1, 50, 0)).toThrow(/invalid transition from "expired" on event "partiallyFilled"/);
    o.accept(b);
    expect(() => o.fill(b, 11, 50, 0)).toThrow(/fill of 11 exceeds leaves 10 \(overfill\)/);
    expect(o.status(b)).toBe("accepted"); // unchanged by the refused fill
    expect(o.fill(b, 10, 50, 0)).toBe("filled");
    expect(() => o.status(7)).toThrow(/no order with id 7/);
    expect(() => o.submit(0, Number.NaN)).toThrow(/non-zero finite/);
    o.clear();
    expect(o.length).toBe(0);
  });

  it("follows ORDER_TRANSITIONS for every cancel path, as Order does", () => {
    expect(ORDER_STATUSES).toEqual(Object.keys(ORDER_TRANSITIONS));
    expect(TRANSITION_KINDS).toHaveLength(9);
    const o = new OrderColumns();
    const id = o.submit(0, 5);
    o.cancel(id);
    expect(o.status(id)).toBe("canceled");
    expect(() => o.accept(id)).toThrow(/invalid transition from "canceled" on event "accepted"/);
  });
});

describe("SimulatedVenue", () => {
  it("refuses a cost model of an unknown kind, naming it and the allowed kinds", () => {
    const fee = { kind: "fee", name: "exchange fee", cost: () => 1 };
    expect(() => new SimulatedVenue({ costs: [fee as never] })).toThrow(TypeError);
    expect(() => new SimulatedVenue({ costs: [fee as never] })).toThrow(/"exchange fee" has unknown kind "fee"; allowed kinds: "commission", "spread", "impact"/);
    expect(COST_KINDS).toEqual(["commission", "spread", "impact"]);
  });

  it("fills a columnar market-on-close order at the close under the cap and books costs by kind", () => {
    const venue = new SimulatedVenue({ costs: [new BpsCommission({ bps: 10 }), new BpsCommission({ bps: 20, kind: "spread" })], participation: new VolumeParticipationCap({ maxParticipation: 0.1 }) });
    const orders = new OrderColumns();
    const id = orders.submit(0, -500);
    orders.accept(id);
    const byKind = new Float64Array(COST_KINDS.length);
    expect(venue.fillOnClose(orders, id, 20, 3_000, 1, Number.NaN, Number.NaN, byKind)).toBe(-300);
    expect(orders.status(id)).toBe("partiallyFilled");
    expect(byKind[0]).toBeCloseTo(300 * 20 * 0.001, 12);
    expect(byKind[1]).toBeCloseTo(300 * 20 * 0.002, 12);
    expect(orders.totalCost(id)).toBeCloseTo(byKind[0]! + byKind[1]!, 12);
  });

  it("fills a day's orders in one batch exactly as fillOnClose one by one (quantities, costs, sums, statuses)", () => {
    // A plain-object model without costMany goes through the per-fill fallback.
    const fee: CostModel = { kind: "commission", name: "ticket fee", cost: (q) => (q === 0 ? 0 : 0.35 + Math.abs(q) * 1e-3) };
    const costs = [new BpsCommission({ bps: 7 }), new PerShareCommission(), new HalfSpreadCost({ spreadBps: 3 }), new SquareRootImpact({ eta: 0.7 }), new AlmgrenImpact(), fee];
    const venue = new SimulatedVenue({ costs, participation: new VolumeParticipationCap({ maxParticipation: 0.05 }) });
    const nA = 40;
    let seed = 7;
    const u = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const close = Float64Array.from({ length: nA }, (_, j) => (j % 9 === 4 ? Number.NaN : 5 + 200 * u()));
    const volume = Float64Array.from({ length: nA }, (_, j) => (j % 7 === 1 ? Number.NaN : 5_000 * u()));
    const adv = Float64Array.from({ length: nA }, (_, j) => (j % 5 === 2 ? Number.NaN : 1e4 + 1e6 * u()));
    const sigma = Float64Array.from({ length: nA }, (_, j) => (j % 6 === 3 ? Number.NaN : 0.03 * u()));
    const asset = Int32Array.from({ length: 30 }, (_, k) => (k * 7) % nA);
    const leaves = Float64Array.from({ length: 30 }, (_, k) => (k % 2 === 0 ? 1 : -1) * Math.ceil(1 + 800 * u()));
    for (const lot of [1, 1e-9]) {
      const one = new OrderColumns();
      const all = new OrderColumns();
      for (let k = 0; k < asset.length; k++) one.accept(one.submit(asset[k]!, leaves[k]!));
      all.submitAll(asset, leaves, asset.length);
      const byOne = new Float64Array(COST_KINDS.length);
      const byAll = new Float64Array(COST_KINDS.length);
      const fills = new CloseFills(1); // grows
      venue.fillOnCloseAll(asset, leaves, asset.length, close, volume, adv, sigma, lot, byAll, fills);
      const completed = all.fillAll(fills.order, fills.quantity, fills.price, fills.cost, fills.n);
      let f = 0;
      for (let k = 0; k < asset.length; k++) {
        const j = asset[k]!;
        const dq = venue.fillOnClose(one, k, close[j]!, volume[j]!, lot, adv[j]!, sigma[j]!, byOne);
        if (dq === 0) continue;
        expect([fills.order[f], fills.asset[f], fills.quantity[f], fills.price[f], fills.cost[f]]).toEqual([k, j, dq, close[j], one.totalCost(k)]);
        f++;
      }
      expect(fills.n).toBe(f);
      expect(f).toBeGreaterThan(10);
      expect(f).toBeLessThan(asset.length); // some orders unpriced or capped to nothing
      expect(Array.from(byAll)).toEqual(Array.from(byOne));
      expect(completed).toBe(Array.from(asset, (_, k) => one.status(k)).filter((st) => st === "filled").length);
      expect(all.expireOpen()).toBe(asset.length - completed);
      for (let k = 0; k < asset.length; k++) {
        if (!one.isTerminal(k)) one.expire(k);
        expect([all.status(k), all.filledQuantity(k), all.totalCost(k), all.averagePrice(k)]).toEqual([one.status(k), one.filledQuantity(k), one.totalCost(k), one.averagePrice(k)]);
      }
    }
    const bad: CostModel = { kind: "spread", name: "BrokenSpread", cost: (q) => (Math.abs(q) > 300 ? Number.NaN : 1) };
    const badVenue = new SimulatedVenue({ costs: [new BpsCommission(), bad], participation: null });
    const first = leaves.findIndex((q, k) => Math.abs(q) > 300 && close[asset[k]!]! > 0);
    const err = (() => {
      try {
        badVenue.fillOnCloseAll(asset, leaves, asset.length, close, undefined, undefined, undefined, 1, new Float64Array(3), new CloseFills());
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(FillCostError);
    expect(err).toBeInstanceOf(RangeError);
    expect((err as FillCostError).order).toBe(first);
    expect((err as Error).message).toMatch(/cost model BrokenSpread \(kind spread\) returned NaN for -?\d+ shares/);
    const o = new OrderColumns();
    expect(() => o.submitAll(Int32Array.of(0, 1), Float64Array.of(5, 0), 2)).toThrow(/non-zero finite/);
    expect(o.length).toBe(0); // nothing submitted
  });
});
