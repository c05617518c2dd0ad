/** lib/execution intraday fill simulation on the native engine: queue position, partial fills, latency. */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
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

  it("on random tapes: quantities add up, fills respect the limit and come after arrival", () => {
    let seed = 99;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0), seed / 4294967296);
    for (let k = 0; k < 40; k++) {
      const n = 200;
      const qt = new Float64Array(n), bp = new Float64Array(n), bs = new Float64Array(n), ap = new Float64Array(n), as = new Float64Array(n);
      const tt = new Float64Array(n), tp = new Float64Array(n), ts = new Float64Array(n);
      let mid = 10_000; // ticks of 0.01
      for (let i = 0; i < n; i++) {
        mid += Math.floor(rnd() * 3) - 1;
        qt[i] = i * 10;
        bp[i] = (mid - 1) / 100;
        ap[i] = (mid + 1) / 100;
        bs[i] = 100 * (1 + Math.floor(rnd() * 9));
        as[i] = 100 * (1 + Math.floor(rnd() * 9));
        tt[i] = i * 10 + 5;
        tp[i] = (mid + (rnd() < 0.5 ? -1 : 1)) / 100;
        ts[i] = 10 * (1 + Math.floor(rnd() * 50));
      }
      const sim = new IntradayFillSimulator(
        { quotes: { time: qt, bidPrice: bp, bidSize: bs, askPrice: ap, askSize: as }, trades: { time: tt, price: tp, size: ts } },
        { tickSize: 0.01, latency: Math.floor(rnd() * 30) },
      );
      const buy = rnd() < 0.5;
      const limit = (10_000 + Math.floor(rnd() * 7) - 3) / 100;
      const quantity = 50 + Math.floor(rnd() * 500);
      const r = sim.simulate({ side: buy ? "buy" : "sell", price: limit, quantity, time: 100 });
      expect(r.filled + r.remaining).toBe(quantity);
      expect(r.fillQuantity.reduce((a, b) => a + b, 0)).toBe(r.filled);
      for (let i = 0; i < r.fillTime.length; i++) {
        expect(r.fillTime[i]!).toBeGreaterThanOrEqual(r.arrivalTime);
        expect(r.fillQuantity[i]!).toBeGreaterThan(0);
        if (buy) expect(r.fillPrice[i]!).toBeLessThanOrEqual(limit);
        else expect(r.fillPrice[i]!).toBeGreaterThanOrEqual(limit);
        if (i > 0) expect(r.fillTime[i]!).toBeGreaterThanOrEqual(r.fillTime[i - 1]!);
      }
    }
  });

  it("a passive order fills only once the volume traded at its price has cleared the queue ahead", () => {
    const t: QuoteTradeTape = {
      quotes: { time: f([0]), bidPrice: f([50]), bidSize: f([1000]), askPrice: f([50.01]), askSize: f([500]) },
      trades: { time: f([1, 2, 3, 4, 5]), price: f([50, 50, 50, 50, 50]), size: f([400, 400, 150, 100, 500]) },
    };
    const r = new IntradayFillSimulator(t, { tickSize: 0.01 }).simulate({ side: "buy", price: 50, quantity: 200, time: 0 });
    // 1000 ahead: 400 + 400 + 150 = 950 clears most; the 100 at t=4 takes the last 50 ahead and 50 of ours
    expect([...r.fillTime]).toEqual([4, 5]);
    expect([...r.fillQuantity]).toEqual([50, 150]);
    // arriving 3.5 later it meets the same displayed 1000 ahead (no newer quote) and only 600 trade after it
    const late = new IntradayFillSimulator(t, { tickSize: 0.01, latency: 3.5 }).simulate({ side: "buy", price: 50, quantity: 200, time: 0 });
    expect(late.queueAheadAtArrival).toBe(1000);
    expect([...late.fillQuantity]).toEqual([]);
  });

  it("the adapter builds a native book", () => {
    const b = createNativeOrderBook({ tickSize: 0.5 });
    b.submit({ id: 1, side: "buy", price: 1.5, quantity: 2 });
    expect(b.bestBid()).toEqual({ price: 1.5, quantity: 2 });
  });
});

describe("native adapter without the addon", () => {
  it("says in one line that the engine is not built and how to build it", () => {
    const adapter = fileURLToPath(new URL("../../lib/execution/native-adapter.ts", import.meta.url));
    const script = `import { createNativeOrderBook, nativeEngineAvailable } from ${JSON.stringify(adapter)};
      console.log(String(nativeEngineAvailable()));
      try { createNativeOrderBook({ tickSize: 0.01 }); } catch (e) { console.log(e.message); }`;
    const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      encoding: "utf8",
      env: { ...process.env, STATARB_ENGINE_ADDON: "/nonexistent/statarb_engine.node" },
    });
    const [available, message] = r.stdout.trim().split("\n");
    expect(available).toBe("false");
    expect(message).toBe("statarb execution: the native matching engine is not built; run `node native/build.mjs` (or `npm run setup`)");
  });
});
