/** lib/execution intraday fill simulation on the native engine: queue position, partial fills, latency. */
import { describe, expect, it } from "vitest";
import { IntradayFillSimulator, type QuoteTradeTape } from "../../lib/execution/intraday-fill.js";
import { createNativeOrderBook, nativeEngineAvailable } from "../../lib/execution/native-adapter.js";

const f = (xs: number[]) => Float64Array.from(xs);
// quotes: t=0 100.00 x 500 / 100.02 x 200; t=10 bid size drops to 400; t=20 bid 100.01 x 100
const tape: QuoteTradeTape = {
  quotes: {
    time: f([0, 10, 20, 40]),
    bidPrice: f([100.0, 100.0, 100.01, 100.0]),
    bidSize: f([500, 400, 100, 50]),
    askPrice: f([100.02, 100.02, 100.02, 100.02]),
    askSize: f([200, 200, 300, 300]),
  },
  trades: {
    time: f([5, 12, 15, 30, 50]),
    price: f([100.0, 100.0, 100.0, 100.02, 99.99]),
    size: f([100, 250, 100, 10, 5]),
  },
};

describe.skipIf(!nativeEngineAvailable())("IntradayFillSimulator", () => {
  it("fills a passive order by queue position, partially, then on a trade-through", () => {
    const sim = new IntradayFillSimulator(tape, { tickSize: 0.01, latency: 1 });
    const r = sim.simulate({ side: "buy", price: 100.0, quantity: 300, time: 0 });
    expect(r.arrivalTime).toBe(1);
    expect(r.queueAheadAtArrival).toBe(500);
    // t=5 trade 100 → ahead 400; t=10 quote 400 → ahead 400 (no change); t=12 trade 250 → ahead 150;
    // t=15 trade 100 → ahead 50; t=20 best bid moves above us (no info); t=40 bid back at 100 x 50 → ahead ≤ 50;
    // t=50 trade through at 99.99 fills all 300 at 100.00.
    expect([...r.fillTime]).toEqual([50]);
    expect([...r.fillQuantity]).toEqual([300]);
    expect(r.filled).toBe(300);
    expect(r.averagePrice).toBe(100);
  });

  it("a trade at our price fills the queue ahead first, then us partially", () => {
    const t2: QuoteTradeTape = {
      quotes: { time: f([0]), bidPrice: f([10]), bidSize: f([100]), askPrice: f([10.05]), askSize: f([100]) },
      trades: { time: f([1, 2, 3]), price: f([10, 10, 10]), size: f([80, 50, 40]) },
    };
    const r = new IntradayFillSimulator(t2, { tickSize: 0.01 }).simulate({ side: "buy", price: 10, quantity: 60, time: 0 });
    expect(r.queueAheadAtArrival).toBe(100);
    expect([...r.fillTime]).toEqual([2, 3]);
    expect([...r.fillQuantity]).toEqual([30, 30]);
    expect(r.remaining).toBe(0);
  });

  it("latency changes the queue the order joins", () => {
    const sim = new IntradayFillSimulator(tape, { tickSize: 0.01, latency: 10 });
    const r = sim.simulate({ side: "buy", price: 100.0, quantity: 300, time: 0, cancelAt: 45 });
    expect(r.queueAheadAtArrival).toBe(400); // the t=10 quote
    expect(r.filled).toBe(0);
    expect(r.remaining).toBe(300);
  });

  it("a marketable limit takes the displayed ask and rests the rest; a market order walks later quotes", () => {
    const sim = new IntradayFillSimulator(tape, { tickSize: 0.01 });
    const r = sim.simulate({ side: "buy", price: 100.02, quantity: 250, time: 0 });
    // 200 at arrival from the displayed ask; the 50 left rest at 100.02, so the t=5 trade at 100.00
    // traded through them: filled
    expect([...r.fillTime]).toEqual([0, 5]);
    expect([...r.fillQuantity]).toEqual([200, 50]);
    expect(r.queueAheadAtArrival).toBe(0);
    expect(r.fillPrice[0]).toBe(100.02);
    const m = sim.simulate({ side: "sell", quantity: 600, time: 0 });
    expect([...m.fillQuantity]).toEqual([500, 100]); // bid 500 at t=0, then the next quote's 400 covers the rest
    expect([...m.fillPrice]).toEqual([100, 100]);
  });

  it("rejects bad options and inputs with named errors", () => {
    expect(() => new IntradayFillSimulator(tape, { tickSize: 0 })).toThrow(/tickSize/);
    expect(() => new IntradayFillSimulator(tape, { tickSize: 0.01, latency: -1 })).toThrow(/latency/);
    const sim = new IntradayFillSimulator(tape, { tickSize: 0.01 });
    expect(() => sim.simulate({ side: "buy", price: 100, quantity: 0, time: 0 })).toThrow(/quantity/);
    expect(() => sim.simulate({ side: "buy", price: 100, quantity: 1, time: -5 })).toThrow(/no quote/);
    expect(() => sim.simulate({ side: "buy", price: 100.005, quantity: 1, time: 0 })).toThrow(/tick grid/);
  });

  it("the adapter builds a native book", () => {
    const b = createNativeOrderBook({ tickSize: 0.5 });
    b.submit({ id: 1, side: "buy", price: 1.5, quantity: 2 });
    expect(b.bestBid()).toEqual({ price: 1.5, quantity: 2 });
  });
});
