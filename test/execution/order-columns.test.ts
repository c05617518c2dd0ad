import { describe, expect, it } from "vitest";
import {
  BpsCommission,
  COST_KINDS,
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
});
