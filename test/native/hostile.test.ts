/**
 * Hostile JavaScript values at the addon boundary (issue 15): throwing getters, getters that give
 * a valid value once and throw on the second read, proxies, detached and shrunk buffers. Each
 * case asserts the error's type and message and that the book is exactly as it was.
 */
import { describe, expect, it } from "vitest";
import { BATCH_OP, BATCH_STATUS, OrderBook, isEngineBuilt, type BatchOps, type BookOrder } from "../../native/ts/index.js";

const MAX = Number.MAX_SAFE_INTEGER;
/** ES2024's resizable ArrayBuffer (Node ≥ 20), typed here because the project's lib is older. */
const ResizableArrayBuffer = ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer & { resize(n: number): void };

/** Everything observable about the book: resting orders in priority order and the checksum. */
function state(b: OrderBook): string {
  const s = b.snapshot();
  return JSON.stringify([b.orderCount, b.checksum(), [...s.id], [...s.side], [...s.price], [...s.quantity], [...s.open]]);
}

function book(): OrderBook {
  const b = new OrderBook({ tickSize: 0.01 });
  b.submit({ id: 7, side: "buy", price: 10, quantity: 5 });
  b.submit({ id: 8, side: "sell", price: 10.5, quantity: 3 });
  return b;
}

/** Runs fn on a fresh book; it must throw `type` with a message matching `re`, book unchanged. */
function refused(fn: (b: OrderBook) => unknown, type: new (...a: never[]) => Error, re: RegExp | string, b = book()): Error {
  const before = state(b);
  let caught: unknown;
  try {
    fn(b);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(type);
  expect((caught as Error).message).toMatch(re);
  expect(state(b)).toBe(before);
  return caught as Error;
}

/** An object whose `key` reads as `first` once, then throws. */
function flaky<T extends object>(base: T, key: string, first: unknown): T {
  let reads = 0;
  return Object.defineProperty({ ...base }, key, {
    enumerable: true,
    get() {
      if (reads++ > 0) throw new Error(`second read of ${key}`);
      return first;
    },
  });
}

function throwing<T extends object>(base: T, key: string): T {
  return Object.defineProperty({ ...base }, key, {
    enumerable: true,
    get() {
      throw new SyntaxError(`getter ${key} threw`);
    },
  });
}

function ops(n: number, fill: Partial<Record<keyof BatchOps, number>> = {}): BatchOps {
  return {
    type: new Uint8Array(n).fill(fill.type ?? BATCH_OP.limit),
    id: Float64Array.from({ length: n }, (_, i) => 100 + i),
    side: new Uint8Array(n).fill(fill.side ?? 0),
    price: new Float64Array(n).fill(fill.price ?? 9.5),
    quantity: new Float64Array(n).fill(fill.quantity ?? 1),
  };
}

describe.skipIf(!isEngineBuilt())("hostile values never crash the addon and never change the book", () => {
  const order = { id: 7, side: "buy", price: 10, quantity: 1 } as const;

  for (const field of ["id", "side", "quantity", "price"]) {
    it(`submit: ${field} valid on the first read, throwing on the second (duplicate id) → the named error`, () => {
      refused((b) => b.submit(flaky(order, field, (order as Record<string, unknown>)[field])), RangeError, /OrderBook\.submit: id 7 is already resting/);
    });
  }

  for (const field of ["id", "side", "type", "price", "quantity", "timeInForce", "postOnly", "timestamp"]) {
    it(`submit: a throwing ${field} getter → that error`, () => {
      refused((b) => b.submit(throwing({ ...order, id: 9 }, field)), SyntaxError, `getter ${field} threw`);
    });
  }

  it("submit reads each field of a proxy once; a throwing trap's error propagates", () => {
    const reads: Record<string, number> = {};
    const p = new Proxy<BookOrder>({ id: 9, side: "sell", price: 10, quantity: 2 }, {
      get(t, k) {
        reads[String(k)] = (reads[String(k)] ?? 0) + 1;
        return Reflect.get(t, k);
      },
    });
    const b = book();
    expect(b.submit(p).filled).toBe(2);
    expect(Math.max(...Object.values(reads))).toBe(1);
    refused((bk) => bk.submit(new Proxy({}, { get: () => { throw new EvalError("trap"); } }) as never), EvalError, "trap");
    const revocable = Proxy.revocable({ ...order }, {});
    revocable.revoke();
    refused((bk) => bk.submit(revocable.proxy), TypeError, /revoked/);
  });

  for (const field of ["quantity", "price", "timestamp"]) {
    it(`modify: a throwing change.${field} getter → that error, nothing applied`, () => {
      refused((b) => b.modify(7, throwing({ quantity: 3, price: 10.01, timestamp: 5 }, field)), SyntaxError, `getter ${field} threw`);
    });
  }

  it("modify: change fields valid once then throwing are read once; a bad value changes nothing", () => {
    const b = book();
    b.modify(7, flaky({ price: 10 }, "quantity", 4));
    expect(b.orderState(7)).toMatchObject({ quantity: 4, open: 4 });
    refused((bk) => bk.modify(7, flaky({ quantity: 2 }, "price", -3)), RangeError, /OrderBook\.modify: price must be positive/);
    refused((bk) => bk.modify(7, { quantity: 2, timestamp: 1.5 }), RangeError, /OrderBook\.modify: timestamp must be a safe integer/);
  });

  it("constructor: throwing tickSize / expectedOrders getters → that error", () => {
    expect(() => new OrderBook(throwing({ tickSize: 0.01 }, "tickSize"))).toThrow(SyntaxError);
    expect(() => new OrderBook(throwing({ tickSize: 0.01, expectedOrders: 10 }, "expectedOrders"))).toThrow(/getter expectedOrders threw/);
    expect(() => new OrderBook(new Proxy({ tickSize: 0.01 }, { get: () => { throw new URIError("opts"); } }))).toThrow(URIError);
  });

  for (const field of ["type", "id", "side", "price", "quantity", "timestamp"]) {
    it(`submitBatch: a throwing ops.${field} getter → that error, nothing applied`, () => {
      refused((b) => b.submitBatch(throwing({ ...ops(3), timestamp: new Float64Array(3) }, field)), SyntaxError, `getter ${field} threw`);
    });
  }

  it("submitBatch: a throwing options.checksums getter, or a non-boolean one → an error, nothing applied", () => {
    refused((b) => b.submitBatch(ops(2), throwing({ checksums: true }, "checksums")), SyntaxError, "getter checksums threw");
    refused((b) => b.submitBatch(ops(2), { checksums: 1 as never }), TypeError, /options\.checksums must be a boolean/);
    refused((b) => b.submitBatch(ops(2), 5 as never), TypeError, /options must be an object/);
  });

  it("submitBatch: a getter that detaches another column mid-call → RangeError naming it, nothing applied", () => {
    const o = ops(4);
    const id = o.id;
    const hostile = Object.defineProperty({ ...o }, "price", {
      get() {
        (structuredClone as (v: unknown, o: { transfer: ArrayBuffer[] }) => unknown)(id.buffer, { transfer: [id.buffer] });
        return o.price;
      },
    });
    refused((b) => b.submitBatch(hostile), RangeError, /OrderBook\.submitBatch: ops\.id is a view of a detached ArrayBuffer/);
  });

  it("submitBatch: a getter that shrinks a resizable ArrayBuffer mid-call → RangeError naming the column, nothing applied", () => {
    const rab = new ResizableArrayBuffer(8 * 4, { maxByteLength: 8 * 4 });
    const tracking = new Float64Array(rab); // follows the buffer's length
    tracking.set([100, 101, 102, 103]);
    const o = { ...ops(4), id: tracking };
    const shrink = Object.defineProperty({ ...o }, "quantity", {
      get() {
        rab.resize(8);
        return o.quantity;
      },
    });
    refused((b) => b.submitBatch(shrink), RangeError, /OrderBook\.submitBatch: ops\.id has length 1, expected 4/);
    rab.resize(32);
    const fixed = new Float64Array(rab, 0, 4); // fixed length: out of bounds once the buffer shrinks
    const o2 = { ...ops(4), price: fixed.fill(9.5) };
    const shrink2 = Object.defineProperty({ ...o2 }, "timestamp", {
      get() {
        rab.resize(16);
        return undefined;
      },
    });
    refused((b) => b.submitBatch(shrink2), RangeError, /OrderBook\.submitBatch: ops\.price has length 0, expected 4/);
  });

  it("submitBatch: proxies of typed arrays and of the ops object", () => {
    refused((b) => b.submitBatch({ ...ops(2), id: new Proxy(new Float64Array(2), {}) as never }), TypeError, /ops\.id must be a Float64Array/);
    const b = book();
    const r = b.submitBatch(new Proxy(ops(2), {}));
    expect([...r.status]).toEqual([BATCH_STATUS.ok, BATCH_STATUS.ok]);
  });

  it("prices: positive multiples of the tick up to maxPrice; quantities up to 2^53 - 1", () => {
    refused((b) => b.submit({ id: 9, side: "buy", price: -0.5, quantity: 1 }), RangeError, /OrderBook\.submit: price must be positive \(at least one tick, 0\.01\), got -0\.5/);
    refused((b) => b.submit({ id: 9, side: "buy", price: 0, quantity: 1 }), RangeError, /price must be positive/);
    const b = book();
    expect(b.maxPrice).toBe(45035996273704.95);
    refused((bk) => bk.submit({ id: 9, side: "sell", price: 45035996273705, quantity: 1 }), RangeError, /price must be at most maxPrice 45035996273704\.9/);
    refused((bk) => bk.submit({ id: 9, side: "buy", price: 1, quantity: MAX + 1 }), RangeError, /quantity must be a positive integer/);
    const r = b.submitBatch({ ...ops(3), price: Float64Array.from([-1, 0, 9.5]) });
    expect([...r.status]).toEqual([BATCH_STATUS.badPrice, BATCH_STATUS.badPrice, BATCH_STATUS.ok]);
  });

  it("level totals never wrap: an order that would take its level past 2^53 - 1 is refused", () => {
    const b = book();
    b.submit({ id: 20, side: "buy", price: 9, quantity: MAX - 10 });
    refused((bk) => bk.submit({ id: 21, side: "buy", price: 9, quantity: 11 }), RangeError, /quantity would take its price level's total above 2\^53 - 1/, b);
    b.submit({ id: 22, side: "buy", price: 9, quantity: 10 }); // exactly fills the level
    expect(b.depth(5).bids.find((l) => l.price === 9)!.quantity).toBe(MAX);
    refused((bk) => bk.modify(7, { price: 9 }), RangeError, /level's total/, b);
    const r = b.submitBatch({ ...ops(1), price: Float64Array.of(9) });
    expect([...r.status]).toEqual([BATCH_STATUS.levelFull]);
    // the other side takes it first: a sell of MAX at 9 fills against the full level
    expect(b.submit({ id: 30, side: "sell", price: 9, quantity: MAX }).filled).toBe(MAX);
  });

  it("the first submit of a new book that produces more than 64 fills reports every fill", () => {
    const b = new OrderBook({ tickSize: 0.01 });
    for (let i = 1; i <= 300; i++) b.submit({ id: i, side: "sell", price: 10 + (i % 3) / 100, quantity: 2 });
    const r = b.submit({ id: 1000, side: "buy", price: 10.02, quantity: 500 });
    expect([r.status, r.filled, r.resting, r.fills.length]).toEqual(["accepted", 500, 0, 250]);
    expect(r.fills.reduce((s, f) => s + f.quantity, 0)).toBe(500);
    expect(new Set(r.fills.map((f) => f.maker)).size).toBe(250);
    const again = b.submit({ id: 1001, side: "buy", price: 10.02, quantity: 100 }); // after growth
    expect([again.filled, again.fills.length]).toEqual([100, 50]);
  });
});
