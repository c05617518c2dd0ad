import { describe, expect, it } from "vitest";
import {
  ORDER_TRANSITIONS,
  Order,
  OrderManager,
  Price,
  Quantity,
  TestClock,
  type OrderStatus,
  type TransitionKind,
} from "../../lib/execution/index.js";

describe("Price and Quantity", () => {
  it("hold integers with a precision and refuse what they cannot hold", () => {
    const p = new Price(101.25, 2);
    expect(p.raw).toBe(10125);
    expect(p.toString()).toBe("101.25");
    expect(() => new Price(101.255, 2)).toThrow(/more decimals than precision 2/);
    expect(() => new Price(Number.NaN, 2)).toThrow(/finite/);
    expect(() => new Price(1, 12)).toThrow(/precision must be an integer in 0..9/);
    expect(Price.checked(1.005, 2).ok).toBe(false);
    const c = Price.checked(1.5, 1);
    expect(c.ok && c.value.raw).toBe(15);
    expect(() => new Quantity(-1)).toThrow(/≥ 0/);
    expect(() => new Quantity(1.5)).toThrow(/more decimals/);
    const q = new Quantity(0.3, 1).add(new Quantity(0.6, 1));
    expect(q.raw).toBe(9); // exact, unlike 0.3 + 0.6 in floats
    expect(q.equals(new Quantity(0.9, 1))).toBe(true);
    expect(() => new Quantity(1, 0).add(new Quantity(1, 2))).toThrow(/precisions differ/);
    expect(() => new Quantity(1).sub(new Quantity(2))).toThrow(/exceeds/);
  });
});

describe("Order transition table", () => {
  const statuses = Object.keys(ORDER_TRANSITIONS) as OrderStatus[];
  const kinds = Object.keys(ORDER_TRANSITIONS.initialized) as TransitionKind[];

  it("is exhaustive: every (status, event) pair is spelled out", () => {
    expect(statuses).toHaveLength(9);
    for (const s of statuses) expect(Object.keys(ORDER_TRANSITIONS[s]).sort()).toEqual([...kinds].sort());
  });

  it("has terminal statuses with no way out", () => {
    for (const s of ["rejected", "filled", "canceled", "expired"] as const) {
      for (const k of kinds) expect(ORDER_TRANSITIONS[s][k]).toBeNull();
    }
  });

  const make = () => new Order({ id: 1, instrument: "KO", side: "buy", quantity: new Quantity(100), type: "market", ts: 0 });
  const fill = (q: number, px = 50) => ({ kind: "filled" as const, ts: 1, quantity: new Quantity(q), price: new Price(px, 2), cost: 1 });

  it("walks submit → accept → partial fills → filled, with exact leaves and VWAP", () => {
    const o = make();
    o.apply({ kind: "submitted", ts: 0 });
    o.apply({ kind: "accepted", ts: 0 });
    expect(o.apply(fill(30, 50))).toBe("partiallyFilled");
    expect(o.leavesQuantity.value).toBe(70);
    expect(o.apply(fill(70, 51))).toBe("filled");
    expect(o.averagePrice).toBeCloseTo((30 * 50 + 70 * 51) / 100, 12);
    expect(o.totalCost).toBe(2);
    expect(o.events).toHaveLength(4);
    expect(() => o.apply({ kind: "canceled", ts: 2 })).toThrow(/invalid transition from "filled" on event "canceled"/);
  });

  it("refuses overfills and invalid transitions", () => {
    const o = make();
    expect(() => o.apply(fill(10))).toThrow(/invalid transition from "initialized" on event "partiallyFilled"/);
    o.apply({ kind: "submitted", ts: 0 });
    expect(() => o.apply(fill(101))).toThrow(/overfill/);
    expect(() => o.apply({ kind: "submitted", ts: 0 })).toThrow(/invalid transition/);
  });

  it("returns to the previous status when a cancel is rejected", () => {
    const o = make();
    o.apply({ kind: "submitted", ts: 0 });
    o.apply({ kind: "accepted", ts: 0 });
    o.apply(fill(40));
    expect(o.apply({ kind: "cancelRequested", ts: 1 })).toBe("pendingCancel");
    expect(o.apply(fill(10))).toBe("pendingCancel");
    expect(o.apply({ kind: "cancelRejected", ts: 2, reason: "too late" })).toBe("partiallyFilled");
    expect(o.apply(fill(50))).toBe("filled");
  });

  it("checks its spec", () => {
    expect(() => new Order({ id: 2, instrument: "X", side: "hold" as never, quantity: new Quantity(1), type: "market", ts: 0 })).toThrow(/side must be "buy" or "sell"/);
    expect(() => new Order({ id: 2, instrument: "X", side: "buy", quantity: new Quantity(1), type: "limit", ts: 0 })).toThrow(/needs limitPrice/);
    expect(() => new Order({ id: 2, instrument: "X", side: "buy", quantity: new Quantity(0), type: "market", ts: 0 })).toThrow(/quantity must be > 0/);
  });
});

describe("OrderManager", () => {
  it("stamps events with the clock passed in and tracks open orders", () => {
    const clock = new TestClock(100);
    const seen: string[] = [];
    const om = new OrderManager({ clock, onEvent: (_o, e) => seen.push(e.kind) });
    const a = om.submit({ instrument: "KO", side: "buy", quantity: new Quantity(10) });
    const b = om.submit({ instrument: "PEP", side: "sell", quantity: new Quantity(5), type: "limit", limitPrice: new Price(170.5, 2) });
    expect(a.id).not.toBe(b.id);
    om.accept(a.id);
    clock.advanceTo(105);
    om.fill(a.id, new Quantity(10), new Price(60, 2));
    expect(om.get(a.id).events.at(-1)?.ts).toBe(105);
    expect(om.openCount).toBe(1);
    om.cancel(b.id);
    expect(om.get(b.id).status).toBe("canceled");
    expect(om.openCount).toBe(0);
    expect(seen).toEqual(["submitted", "submitted", "accepted", "filled", "cancelRequested", "canceled"]);
    expect(() => om.get(99)).toThrow(/no order with id 99/);
    expect(() => new OrderManager({} as never)).toThrow(/clock is required/);
    // two managers share nothing
    const other = new OrderManager({ clock: new TestClock() });
    expect(other.submit({ instrument: "KO", side: "buy", quantity: new Quantity(1) }).id).toBe(1);
    expect(() => clock.advanceTo(1)).toThrow(/earlier than now/);
  });
});
