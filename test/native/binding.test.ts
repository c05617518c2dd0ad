/** The node-addon-api binding: behaviour through JavaScript and every bad input → a named error. */
import { describe, expect, it } from "vitest";
import { BATCH_OP, BATCH_STATUS, MatchingEngine, OrderBook, isEngineBuilt } from "../../native/ts/index.js";

describe.skipIf(!isEngineBuilt())("OrderBook binding", () => {
  const fresh = () => new OrderBook({ tickSize: 0.01 });

  it("matches by price then time and reports fills in decimals", () => {
    const b = fresh();
    b.submit({ id: 1, side: "sell", price: 100.02, quantity: 10 });
    b.submit({ id: 2, side: "sell", price: 100.01, quantity: 10 });
    b.submit({ id: 3, side: "sell", price: 100.01, quantity: 10 });
    const r = b.submit({ id: 4, side: "buy", price: 100.02, quantity: 25, timestamp: 42 });
    expect(r.status).toBe("accepted");
    expect(r.filled).toBe(25);
    expect(r.fills.map((f) => [f.maker, f.price, f.quantity, f.timestamp])).toEqual([
      [2, 100.01, 10, 42],
      [3, 100.01, 10, 42],
      [1, 100.02, 5, 42],
    ]);
    expect(b.bestAsk()).toEqual({ price: 100.02, quantity: 5 });
    expect(b.bestBid()).toBeNull();
    expect(b.lastUpdates().map((u) => u.kind)).toEqual(["trade", "trade", "trade"]);
  });

  it("supports IOC, FOK, post-only and market orders", () => {
    const b = fresh();
    b.submit({ id: 1, side: "buy", price: 99.5, quantity: 10 });
    expect(b.submit({ id: 2, side: "sell", price: 99.5, quantity: 11, timeInForce: "fok" }).status).toBe("killed");
    expect(b.submit({ id: 3, side: "sell", price: 99.0, quantity: 1, postOnly: true }).status).toBe("rejected");
    const ioc = b.submit({ id: 4, side: "sell", price: 99.5, quantity: 4, timeInForce: "ioc" });
    expect([ioc.filled, ioc.resting]).toEqual([4, 0]);
    const m = b.submit({ id: 5, side: "sell", type: "market", quantity: 100 });
    expect([m.filled, m.resting]).toEqual([6, 0]);
    expect(b.orderCount).toBe(0);
  });

  it("modify keeps priority on a decrease and loses it otherwise; queue position and state", () => {
    const b = fresh();
    b.submit({ id: 1, side: "buy", price: 10, quantity: 10 });
    b.submit({ id: 2, side: "buy", price: 10, quantity: 20 });
    expect(b.queuePosition(2)).toBe(10);
    b.modify(1, { quantity: 4 });
    expect(b.queuePosition(1)).toBe(0);
    expect(b.queuePosition(2)).toBe(4);
    b.modify(1, { quantity: 5 });
    expect(b.queuePosition(1)).toBe(20);
    b.modify(2, { price: 10.01 });
    expect(b.bestBid()).toEqual({ price: 10.01, quantity: 20 });
    expect(b.orderState(1)).toMatchObject({ status: "resting", side: "buy", price: 10, open: 5, queuePosition: 0 });
    expect(b.orderState(99)).toBeNull();
    expect(b.depth(5)).toEqual({ bids: [{ price: 10.01, quantity: 20, orders: 1 }, { price: 10, quantity: 5, orders: 1 }], asks: [] });
  });

  it("routes by symbol", () => {
    const e = new MatchingEngine({ tickSize: 0.5 });
    e.submit("A", { id: 1, side: "sell", price: 10.5, quantity: 3 });
    e.submit("B", { id: 1, side: "sell", price: 11, quantity: 3 });
    expect(e.submit("A", { id: 2, side: "buy", price: 11, quantity: 3 }).fills[0]!.price).toBe(10.5);
    expect(e.book("B").bestAsk()).toEqual({ price: 11, quantity: 3 });
    expect(e.symbols).toEqual(["A", "B"]);
  });

  it("batch path: one call, fills as typed arrays, per-op status codes", () => {
    const b = fresh();
    const n = 5;
    const ops = {
      type: Uint8Array.from([BATCH_OP.limit, BATCH_OP.limit, BATCH_OP.ioc, BATCH_OP.cancel, BATCH_OP.limit]),
      id: Float64Array.from([1, 2, 3, 1, 5]),
      side: Uint8Array.from([1, 1, 0, 0, 0]),
      price: Float64Array.from([100, 100.01, 100.01, 0, 100.005]),
      quantity: Float64Array.from([5, 5, 7, 0, 1]),
    };
    const r = b.submitBatch(ops);
    expect(r.status.length).toBe(n);
    expect([...r.status]).toEqual([0, 0, 0, BATCH_STATUS.unknownId, BATCH_STATUS.badPrice]);
    expect([...r.fillOp]).toEqual([2, 2]);
    expect([...r.maker]).toEqual([1, 2]);
    expect([...r.price]).toEqual([100, 100.01]);
    expect([...r.quantity]).toEqual([5, 2]);
  });

  describe("bad input never crashes and names the field", () => {
    const b = fresh();
    b.submit({ id: 7, side: "buy", price: 1, quantity: 1 });
    const cases: [string, () => unknown, RegExp][] = [
      ["options missing", () => new OrderBook(undefined as never), /tickSize/],
      ["tickSize zero", () => new OrderBook({ tickSize: 0 }), /tickSize/],
      ["tickSize NaN", () => new OrderBook({ tickSize: Number.NaN }), /tickSize/],
      ["order not an object", () => b.submit(5 as never), /order must be an object/],
      ["quantity NaN", () => b.submit({ id: 1, side: "buy", price: 1, quantity: Number.NaN }), /quantity.*NaN/],
      ["quantity negative", () => b.submit({ id: 1, side: "buy", price: 1, quantity: -3 }), /quantity/],
      ["quantity zero", () => b.submit({ id: 1, side: "buy", price: 1, quantity: 0 }), /quantity/],
      ["quantity fractional", () => b.submit({ id: 1, side: "buy", price: 1, quantity: 1.5 }), /quantity/],
      ["quantity string", () => b.submit({ id: 1, side: "buy", price: 1, quantity: "3" as never }), /quantity must be a number/],
      ["price off grid", () => b.submit({ id: 1, side: "buy", price: 1.005, quantity: 1 }), /price 1.005 is off the tick grid/],
      ["price NaN", () => b.submit({ id: 1, side: "buy", price: Number.NaN, quantity: 1 }), /price/],
      ["price missing", () => b.submit({ id: 1, side: "buy", quantity: 1 }), /price is required/],
      ["price on market", () => b.submit({ id: 1, side: "buy", type: "market", price: 1, quantity: 1 }), /price must be omitted/],
      ["price string", () => b.submit({ id: 1, side: "buy", price: "1" as never, quantity: 1 }), /price must be a number/],
      ["side", () => b.submit({ id: 1, side: "long" as never, price: 1, quantity: 1 }), /side/],
      ["type", () => b.submit({ id: 1, side: "buy", type: "stop" as never, price: 1, quantity: 1 }), /type/],
      ["timeInForce", () => b.submit({ id: 1, side: "buy", timeInForce: "day" as never, price: 1, quantity: 1 }), /timeInForce/],
      ["postOnly type", () => b.submit({ id: 1, side: "buy", postOnly: 1 as never, price: 1, quantity: 1 }), /postOnly/],
      ["id negative", () => b.submit({ id: -1, side: "buy", price: 1, quantity: 1 }), /id/],
      ["id fractional", () => b.submit({ id: 1.5, side: "buy", price: 1, quantity: 1 }), /id/],
      ["id string", () => b.submit({ id: "x" as never, side: "buy", price: 1, quantity: 1 }), /id must be a number/],
      ["duplicate id", () => b.submit({ id: 7, side: "sell", price: 5, quantity: 1 }), /id 7 .*duplicate/],
      ["cancel unknown id", () => b.cancel(12345), /id 12345 .*unknown/],
      ["cancel no id", () => (b.cancel as (...a: unknown[]) => void)(), /id/],
      ["modify unknown id", () => b.modify(999, { quantity: 1 }), /unknown id/],
      ["modify bad quantity", () => b.modify(7, { quantity: Number.NaN }), /quantity/],
      ["modify off-grid price", () => b.modify(7, { price: 0.001 }), /off the tick grid/],
      ["modify nothing", () => b.modify(7, {}), /quantity and\/or price/],
      ["queuePosition unknown", () => b.queuePosition(404), /unknown id/],
      ["depth bad n", () => b.depth(-1), /n must be/],
      ["batch not typed", () => b.submitBatch({ type: [0] } as never), /ops.type must be a Uint8Array/],
      [
        "batch wrong length",
        () => b.submitBatch({ type: new Uint8Array(2), id: new Float64Array(1), side: new Uint8Array(2), price: new Float64Array(2), quantity: new Float64Array(2) }),
        /ops.id has length 1, expected 2/,
      ],
      [
        "batch wrong array type",
        () => b.submitBatch({ type: new Uint8Array(1), id: new Float64Array(1), side: new Uint8Array(1), price: new Float32Array(1) as never, quantity: new Float64Array(1) }),
        /ops.price must be a Float64Array/,
      ],
    ];
    for (const [name, fn, re] of cases) it(name, () => expect(fn).toThrow(re));

    it("batch rows with bad values get status codes and leave the book intact", () => {
      const r = b.submitBatch({
        type: Uint8Array.from([0, 0, 0, 0, 0, 42, 6]),
        id: Float64Array.from([100, 101, -1, 103, 7, 104, 7]),
        side: Uint8Array.from([0, 3, 0, 0, 1, 0, 0]),
        price: Float64Array.from([Number.NaN, 1, 1, 1, 2, 1, Number.NaN]),
        quantity: Float64Array.from([1, 1, 1, 0, 1, 1, Number.POSITIVE_INFINITY]),
      });
      expect([...r.status]).toEqual([
        BATCH_STATUS.badPrice,
        BATCH_STATUS.badSide,
        BATCH_STATUS.badId,
        BATCH_STATUS.badQuantity,
        BATCH_STATUS.duplicateId,
        BATCH_STATUS.badType,
        BATCH_STATUS.badQuantity,
      ]);
      expect(r.fillOp.length).toBe(0);
      expect(b.orderCount).toBe(1);
      expect(b.bestBid()).toEqual({ price: 1, quantity: 1 });
    });
  });
});
