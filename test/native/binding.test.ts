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

  it("listeners get fills and L2/L3 updates after matching; re-entry is refused", () => {
    const b = fresh();
    b.submit({ id: 1, side: "sell", price: 5, quantity: 4 });
    b.submit({ id: 2, side: "sell", price: 5.01, quantity: 4 });
    const seen: string[] = [];
    let reentry = "";
    const stop = b.subscribe({
      onFill: (f) => {
        // delivered after the match: the whole sweep is already reflected in the book
        seen.push(`fill ${f.maker}@${f.price}x${f.quantity} ask=${b.bestAsk()?.price ?? "none"}`);
        try {
          b.submit({ id: 50, side: "buy", price: 1, quantity: 1 });
        } catch (e) {
          reentry = (e as Error).message;
        }
      },
      onBookUpdate: (u) => seen.push(`${u.kind} ${u.id} q=${u.quantity} level=${u.levelQuantity}`),
    });
    b.submit({ id: 3, side: "buy", price: 5.01, quantity: 6, timestamp: 77 });
    expect(seen).toEqual([
      "fill 1@5x4 ask=5.01",
      "fill 2@5.01x2 ask=5.01",
      "trade 1 q=0 level=0",
      "trade 2 q=2 level=2",
    ]);
    expect(reentry).toMatch(/inside an event listener/);
    expect(b.orderState(50)).toBeNull();
    seen.length = 0;
    b.modify(2, { quantity: 3 }); // total 3 of which 2 filled: 1 open, keeps its place
    b.cancel(2);
    b.submit({ id: 4, side: "buy", price: 4, quantity: 9 });
    expect(seen).toEqual(["modify 2 q=1 level=1", "cancel 2 q=0 level=0", "add 4 q=9 level=9"]);
    stop();
    b.submit({ id: 5, side: "buy", price: 4, quantity: 1 });
    expect(seen.length).toBe(3);
  });

  it("a throwing listener's error reaches the caller and the book stays usable", () => {
    const b = fresh();
    b.subscribe({
      onBookUpdate: () => {
        throw new Error("listener broke");
      },
    });
    expect(() => b.submit({ id: 1, side: "buy", price: 1, quantity: 1 })).toThrow(/listener broke/);
    expect(b.bestBid()).toEqual({ price: 1, quantity: 1 }); // the operation stands
    b.subscribe(null as never);
    expect(b.submit({ id: 2, side: "sell", price: 1, quantity: 1 }).filled).toBe(1);
  });

  it("converts decimal prices exactly and rejects off-grid ones naming the field", () => {
    const b = new OrderBook({ tickSize: 0.05 });
    b.submit({ id: 1, side: "buy", price: 0.1 + 0.2 - 0.15, quantity: 1 }); // 0.15000000000000002 → 3 ticks
    expect(b.bestBid()).toEqual({ price: 0.15, quantity: 1 });
    expect(() => b.submit({ id: 2, side: "buy", price: 0.17, quantity: 1 })).toThrow(/price 0.17 is off the tick grid \(tickSize 0.05\)/);
    const big = new OrderBook({ tickSize: 0.01 });
    big.submit({ id: 1, side: "sell", price: 12345678901.23, quantity: 1 });
    expect(big.bestAsk()!.price).toBe(12345678901.23);
    expect(() => big.modify(1, { price: 12345678901.235 })).toThrow(/price .* is off the tick grid/);
  });

  it("dispose empties the book and it stays usable", () => {
    const b = fresh();
    for (let i = 1; i <= 50; i++) b.submit({ id: i, side: "buy", price: 1 + i / 100, quantity: 5 });
    b.dispose();
    expect([b.orderCount, b.bestBid(), b.depth().bids.length]).toEqual([0, null, 0]);
    expect(() => b.cancel(3)).toThrow(/unknown id/);
    b.submit({ id: 1, side: "sell", price: 2, quantity: 1 });
    expect(b.bestAsk()).toEqual({ price: 2, quantity: 1 });
  });

  it("expectedOrders preallocates; the book grows past it", () => {
    const b = new OrderBook({ tickSize: 1, expectedOrders: 4 });
    for (let i = 1; i <= 100; i++) b.submit({ id: i, side: "buy", price: i, quantity: 1 });
    expect(b.orderCount).toBe(100);
    expect(b.depth(2).bids).toEqual([{ price: 100, quantity: 1, orders: 1 }, { price: 99, quantity: 1, orders: 1 }]);
  });

  it("per-call and batch paths agree with each other", () => {
    const a = fresh(), c = fresh();
    const n = 2000;
    const ops = { type: new Uint8Array(n), id: new Float64Array(n), side: new Uint8Array(n), price: new Float64Array(n), quantity: new Float64Array(n) };
    for (let i = 0; i < n; i++) {
      ops.type[i] = i % 7 === 3 ? BATCH_OP.ioc : BATCH_OP.limit;
      ops.id[i] = i + 1;
      ops.side[i] = (i * 7919) % 2;
      ops.price[i] = (1000 + ((i * 31) % 13)) / 100;
      ops.quantity[i] = 1 + ((i * 17) % 50);
    }
    const batch = a.submitBatch(ops);
    let k = 0;
    for (let i = 0; i < n; i++) {
      const r = c.submit({
        id: ops.id[i]!, side: ops.side[i] === 0 ? "buy" : "sell", price: ops.price[i]!, quantity: ops.quantity[i]!,
        timeInForce: ops.type[i] === BATCH_OP.ioc ? "ioc" : "gtc",
      });
      for (const f of r.fills) {
        expect([batch.fillOp[k], batch.maker[k], batch.price[k], batch.quantity[k]]).toEqual([i, f.maker, f.price, f.quantity]);
        k++;
      }
    }
    expect(k).toBe(batch.fillOp.length);
    expect(a.checksum()).toBe(c.checksum());
  });

  it("random garbage through every method: a result or an Error naming a field, never a crash", () => {
    let seed = 7;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0), seed / 4294967296);
    const junk = (): unknown => {
      const pool: unknown[] = [
        undefined, null, Number.NaN, Number.POSITIVE_INFINITY, -1, 0, 0.5, 1, 3, 2 ** 53, 2 ** 64, -0, 1e300, "1", "buy", "sell",
        "market", "ioc", "fok", "gtc", true, false, {}, [], [1], () => 1, Symbol("s"), 10n, new Float64Array(1), new Uint8Array(2),
        100.01, 100.015, 99.99,
      ];
      return pool[Math.floor(rnd() * pool.length)];
    };
    const fields = ["id", "side", "type", "price", "quantity", "timeInForce", "postOnly", "timestamp"];
    const b = fresh();
    let errors = 0, results = 0;
    for (let i = 0; i < 3000; i++) {
      const order: Record<string, unknown> = { id: i, side: rnd() < 0.5 ? "buy" : "sell", price: 100 + Math.floor(rnd() * 5) / 100, quantity: 1 + Math.floor(rnd() * 9) };
      for (const f of fields) if (rnd() < 0.25) order[f] = junk();
      const k = Math.floor(rnd() * 7);
      try {
        if (k === 0 || k === 1) b.submit(order as never);
        else if (k === 2) b.cancel(junk() as never, junk() as never);
        else if (k === 3) b.modify((rnd() < 0.5 ? Math.floor(rnd() * i) : junk()) as never, { quantity: junk(), price: junk() } as never);
        else if (k === 4) b.queuePosition(junk() as never);
        else if (k === 5) b.depth(junk() as never);
        else
          b.submitBatch({
            type: rnd() < 0.8 ? Uint8Array.from([Math.floor(rnd() * 14)]) : junk(),
            id: rnd() < 0.8 ? Float64Array.from([junk() as number]) : junk(),
            side: rnd() < 0.8 ? Uint8Array.from([Math.floor(rnd() * 3)]) : junk(),
            price: rnd() < 0.8 ? Float64Array.from([rnd() < 0.5 ? 100.01 : (junk() as number)]) : junk(),
            quantity: rnd() < 0.8 ? Float64Array.from([junk() as number]) : junk(),
          } as never);
        results++;
      } catch (e) {
        expect(e).toBeInstanceOf(Error);
        expect((e as Error).message).toMatch(/^(OrderBook\.\w+: |Cannot convert)/);
        errors++;
      }
      if (b.bestBid() && b.bestAsk()) expect(b.bestBid()!.price).toBeLessThan(b.bestAsk()!.price);
    }
    expect(errors).toBeGreaterThan(300);
    expect(results).toBeGreaterThan(300);
  });

  describe("bad input never crashes and names the field", () => {
    const b = fresh();
    b.submit({ id: 7, side: "buy", price: 1, quantity: 1 });
    const cases: [string, () => unknown, RegExp][] = [
      ["options missing", () => new OrderBook(undefined as never), /tickSize/],
      ["tickSize zero", () => new OrderBook({ tickSize: 0 }), /tickSize/],
      ["tickSize NaN", () => new OrderBook({ tickSize: Number.NaN }), /tickSize/],
      ["order not an object", () => b.submit(5 as never), /order must be an object/],
      ["order null", () => b.submit(null as never), /order must be an object/],
      ["order missing", () => (b.submit as (...a: unknown[]) => unknown)(), /order must be an object/],
      ["order an array", () => b.submit([1, "buy", 1, 1] as never), /order must be an object/],
      ["tickSize string", () => new OrderBook({ tickSize: "0.01" as never }), /tickSize/],
      ["tickSize negative", () => new OrderBook({ tickSize: -0.01 }), /tickSize/],
      ["expectedOrders zero", () => new OrderBook({ tickSize: 0.01, expectedOrders: 0 }), /expectedOrders/],
      ["expectedOrders fractional", () => new OrderBook({ tickSize: 0.01, expectedOrders: 10.5 }), /expectedOrders/],
      ["expectedOrders too large", () => new OrderBook({ tickSize: 0.01, expectedOrders: 1e9 }), /expectedOrders/],
      ["quantity Infinity", () => b.submit({ id: 1, side: "buy", price: 1, quantity: Number.POSITIVE_INFINITY }), /quantity.*Infinity/],
      ["quantity above 2^53", () => b.submit({ id: 1, side: "buy", price: 1, quantity: 2 ** 60 }), /quantity/],
      ["quantity missing", () => b.submit({ id: 1, side: "buy", price: 1 } as never), /quantity must be a number/],
      ["price Infinity", () => b.submit({ id: 1, side: "buy", price: Number.POSITIVE_INFINITY, quantity: 1 }), /price/],
      ["price huge", () => b.submit({ id: 1, side: "buy", price: 1e300, quantity: 1 }), /price/],
      ["price too far from the book", () => b.submit({ id: 1, side: "sell", price: 1e6, quantity: 1 }), /price is too far/],
      ["side missing", () => b.submit({ id: 1, price: 1, quantity: 1 } as never), /side/],
      ["id missing", () => b.submit({ side: "buy", price: 1, quantity: 1 } as never), /id must be a number/],
      ["id NaN", () => b.submit({ id: Number.NaN, side: "buy", price: 1, quantity: 1 }), /id/],
      ["id above 2^53", () => b.submit({ id: 2 ** 60, side: "buy", price: 1, quantity: 1 }), /id/],
      ["postOnly market", () => b.submit({ id: 1, side: "buy", type: "market", quantity: 1, postOnly: true }), /postOnly/],
      ["postOnly ioc", () => b.submit({ id: 1, side: "buy", price: 1, quantity: 1, postOnly: true, timeInForce: "ioc" }), /postOnly requires/],
      ["timestamp string", () => b.submit({ id: 1, side: "buy", price: 1, quantity: 1, timestamp: "now" as never }), /timestamp must be a number/],
      ["timestamp fractional", () => b.submit({ id: 1, side: "buy", price: 1, quantity: 1, timestamp: 1.5 }), /timestamp must be a safe integer/],
      ["timestamp huge", () => b.submit({ id: 1, side: "buy", price: 1, quantity: 1, timestamp: 1e300 }), /timestamp/],
      ["cancel id string", () => b.cancel("7" as never), /id must be a number/],
      ["cancel bad timestamp", () => b.cancel(7, Number.NaN), /timestamp/],
      ["modify change not an object", () => b.modify(7, 5 as never), /expected \(id, \{ quantity, price \}\)/],
      ["modify quantity zero", () => b.modify(7, { quantity: 0 }), /quantity/],
      ["modify quantity negative", () => b.modify(7, { quantity: -1 }), /quantity/],
      ["modify price string", () => b.modify(7, { price: "1" as never }), /price must be a number/],
      ["modify id fractional", () => b.modify(7.5, { quantity: 1 }), /id/],
      ["queuePosition no id", () => (b.queuePosition as (...a: unknown[]) => number)(), /id/],
      ["orderState bad id", () => b.orderState(-3), /id/],
      ["depth fractional n", () => b.depth(2.5), /n must be/],
      ["depth string n", () => b.depth("3" as never), /n must be a number/],
      ["subscribe not an object", () => b.subscribe(5 as never), /listener must be an object/],
      ["subscribe onFill not a function", () => b.subscribe({ onFill: 3 as never }), /onFill must be a function/],
      ["batch ops missing", () => (b.submitBatch as (...a: unknown[]) => unknown)(), /ops must be an object/],
      [
        "batch side missing",
        () => b.submitBatch({ type: new Uint8Array(1), id: new Float64Array(1), price: new Float64Array(1), quantity: new Float64Array(1) } as never),
        /ops.side must be a Uint8Array/,
      ],
      [
        "batch timestamp wrong type",
        () => b.submitBatch({ type: new Uint8Array(1), id: new Float64Array(1), side: new Uint8Array(1), price: new Float64Array(1), quantity: new Float64Array(1), timestamp: [1] as never }),
        /ops.timestamp must be a Float64Array/,
      ],
      ["engine symbol empty", () => new MatchingEngine().submit("", { id: 1, side: "buy", price: 1, quantity: 1 }), /symbol/],
      ["engine cancel unknown symbol", () => new MatchingEngine().cancel("ZZZ", 1), /ZZZ.*no book/],
      ["engine tickSize", () => new MatchingEngine({ tickSize: 0 }), /tickSize/],
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
      const t = b.submitBatch({
        type: Uint8Array.from([0, 0, BATCH_OP.cancel, BATCH_OP.modify]),
        id: Float64Array.from([200, 201, 999, 998]),
        side: Uint8Array.from([0, 0, 0, 0]),
        price: Float64Array.from([1, 1, 0, Number.NaN]),
        quantity: Float64Array.from([1, 1, 0, 5]),
        timestamp: Float64Array.from([1.5, Number.NaN, 0, 0]),
      });
      expect([...t.status]).toEqual([BATCH_STATUS.badTimestamp, BATCH_STATUS.badTimestamp, BATCH_STATUS.unknownId, BATCH_STATUS.unknownId]);
      expect(b.orderCount).toBe(1);
    });

    it("the book still works after every bad input above", () => {
      const r = b.submit({ id: 8, side: "sell", price: 1, quantity: 3 });
      expect(r.fills).toEqual([{ taker: 8, maker: 7, price: 1, quantity: 1, timestamp: 0, takerSide: "sell" }]);
      expect(b.bestAsk()).toEqual({ price: 1, quantity: 2 });
    });
  });
});
