/**
 * Strategy runs through the native engine: marketable and resting strategy orders fill as the book says
 * (queue and price priority against the market's quote and trade prints); the store, arrays and paced
 * mode give the same run; the risk monitor's figures equal lib/risk's on the same inputs, and limit
 * breaches are events on entering and on clearing.
 */
import { describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { componentVaR, covariance, valueAtRisk } from "../../lib/index.js";
import {
  arraySource, batchesFromColumns, meanReversionStrategy, openTickStore, riskMonitor, runStrategy, simulateMarket, storeSource, toEpochNs,
  type LimitBreach, type TickBatch, type TickFill, type TickStrategy,
} from "../../lib/ticks/index.js";
import { isEngineBuilt } from "../../native/ts/index.js";

const T0 = toEpochNs("2024-01-02T14:30:00Z");

describe.skipIf(!isEngineBuilt())("runStrategy", () => {
  it("a resting bid ahead of the market's fills from trade prints in price priority", async () => {
    const trades = { ts: BigInt64Array.from([T0 + 2n, T0 + 3n]), sym: ["X", "X"], price: Float64Array.from([10.01, 10.0]), size: Int32Array.from([50, 100]), side: Int8Array.from([-1, -1]) };
    const quotes = { ts: BigInt64Array.from([T0 + 1n]), sym: ["X"], bid: Float64Array.from([10.0]), ask: Float64Array.from([10.02]), bidSize: Int32Array.from([100]), askSize: Int32Array.from([100]) };
    const fills: TickFill[] = [];
    let sent = false;
    const strategy: TickStrategy = {
      onTick(tick, ctx) {
        if (!sent && tick.kind === "quote") {
          ctx.submit({ sym: tick.sym, side: 1, quantity: 100, price: 10.01 });
          sent = true;
        }
      },
      onFill: (f) => void fills.push({ ...f }),
    };
    const stats = await runStrategy(arraySource(batchesFromColumns(trades, quotes)), strategy);
    expect(fills.map((f) => [f.side, f.quantity, f.price])).toEqual([[1, 50, 10.01], [1, 50, 10.01]]);
    expect(stats.positions).toEqual({ X: 100 });
    expect(stats.cash).toBeCloseTo(-1001, 9);
    expect(stats).toMatchObject({ events: 3, trades: 2, quotes: 1, orders: 1, fills: 2, rejected: 0 });
  });

  it("store, arrays and paced mode replay the same run; bad input is refused", async () => {
    const sim = simulateMarket({ symbols: ["SA", "SB"], seconds: 30, mu: 80, alpha: 40, beta: 80, seed: 11 });
    const store = await openTickStore();
    try {
      await store.ingestTrades(sim.trades);
      await store.ingestQuotes(sim.quotes);
      const a = await runStrategy(storeSource(store, { rowsPerBatch: 1000 }), meanReversionStrategy({ halfLife: 20, threshold: 0.5 }));
      const b = await runStrategy(arraySource(batchesFromColumns(sim.trades, sim.quotes)), meanReversionStrategy({ halfLife: 20, threshold: 0.5 }));
      const c = await runStrategy(storeSource(store), meanReversionStrategy({ halfLife: 20, threshold: 0.5 }), { mode: "paced", speed: 1e6 });
      expect(a.orders).toBeGreaterThan(0);
      for (const r of [b, c]) {
        expect({ ...r, wallMs: 0, eventsPerSecond: 0 }).toEqual({ ...a, wallMs: 0, eventsPerSecond: 0 });
      }
      expect(a.events).toBe(sim.trades.ts.length + sim.quotes.ts.length);
      // a store whose symbol codes are not in name order (ZZ ingested first), filtered to SA and SB: the same run
      const other = await openTickStore();
      try {
        await other.ingestQuotes({ ts: BigInt64Array.of(sim.quotes.ts[0]!), sym: ["ZZ"], bid: Float64Array.of(1), ask: Float64Array.of(1.01), bidSize: Int32Array.of(1), askSize: Int32Array.of(1) });
        await other.ingestTrades(sim.trades);
        await other.ingestQuotes(sim.quotes);
        const d = await runStrategy(storeSource(other, { symbols: ["SB", "SA"], rowsPerBatch: 777 }), meanReversionStrategy({ halfLife: 20, threshold: 0.5 }));
        expect({ ...d, wallMs: 0, eventsPerSecond: 0 }).toEqual({ ...a, wallMs: 0, eventsPerSecond: 0 });
      } finally {
        other.close();
      }
      await expect(runStrategy(storeSource(store), meanReversionStrategy(), { mode: "slow" as never })).rejects.toThrow(/mode must be one of "fast", "paced"/);
      await expect(runStrategy(storeSource(store), {} as never)).rejects.toThrow(/onTick/);
      const bad: TickStrategy = { onTick: (t, ctx) => void ctx.submit({ sym: t.sym, side: 2 as never, quantity: 1 }) };
      await expect(runStrategy(storeSource(store), bad)).rejects.toThrow(/side ±1/);
    } finally {
      store.close();
    }
  });
});

describe.skipIf(!isEngineBuilt())("storeSource", () => {
  /** All batches of a source as one set of plain columns. */
  async function collect(src: AsyncIterable<TickBatch>): Promise<{ columns: Record<string, number[]>; symbols: string[] }> {
    const out: Record<string, number[]> = {};
    let symbols: readonly string[] = [];
    for await (const b of src) {
      symbols = b.symbols;
      for (const k of ["t", "kind", "sym", "price", "size", "side", "bid", "ask", "bidSize", "askSize"] as const) (out[k] ??= []).push(...Array.from(b[k] as ArrayLike<number>));
    }
    return { columns: out, symbols: [...symbols] };
  }

  it("reads time-ordered tables in storage order exactly as DuckDB's sort gives them, and knows the order of a reopened file", async () => {
    const sim = simulateMarket({ symbols: ["SB", "SA"], seconds: 10, mu: 60, alpha: 30, beta: 60, seed: 5 });
    const dir = mkdtempSync(join(tmpdir(), "statarb-ticks-src-"));
    const ordered = await openTickStore({ path: join(dir, "ordered.duckdb") });
    const shuffled = await openTickStore();
    try {
      await ordered.ingestQuotes(sim.quotes);
      await ordered.ingestTrades(sim.trades);
      // the same ticks with the quotes' halves stored in reverse: the store must fall back to DuckDB's sort
      const q = sim.quotes;
      const h = q.ts.length >> 1;
      const part = (lo: number, hi: number) => ({ ts: q.ts.subarray(lo, hi), sym: { codes: (q.sym as { codes: Uint32Array }).codes.subarray(lo, hi), dictionary: (q.sym as { dictionary: readonly string[] }).dictionary }, bid: q.bid.subarray(lo, hi), ask: q.ask.subarray(lo, hi), bidSize: q.bidSize.subarray(lo, hi), askSize: q.askSize.subarray(lo, hi) });
      await shuffled.ingestQuotes(part(h, q.ts.length));
      await shuffled.ingestQuotes(part(0, h));
      await shuffled.ingestTrades(sim.trades);
      expect(await ordered.storedInTimeOrder()).toBe(true);
      expect(await shuffled.storedInTimeOrder()).toBe(false);
      const a = await collect(storeSource(ordered, { rowsPerBatch: 333 }));
      const b = await collect(storeSource(shuffled));
      expect(a.columns.t!.length).toBe(sim.trades.ts.length + sim.quotes.ts.length);
      expect(a).toEqual(b);
      const start = sim.trades.ts[10]!;
      const c = await collect(storeSource(ordered, { symbols: ["SA"], start, end: start + 2_000_000_000n }));
      const d = await collect(storeSource(shuffled, { symbols: ["SA"], start, end: start + 2_000_000_000n }));
      expect(c.columns.t!.length).toBeGreaterThan(10);
      expect(c).toEqual(d);
      ordered.close();
      const again = await openTickStore({ path: join(dir, "ordered.duckdb") });
      try {
        expect(await again.storedInTimeOrder()).toBe(true); // checked by one query on reopening
        expect(await collect(storeSource(again))).toEqual(a);
        await again.ingestTrades({ ts: BigInt64Array.of(sim.trades.ts[0]!), sym: ["SA"], price: Float64Array.of(1), size: Int32Array.of(1) });
        expect(await again.storedInTimeOrder()).toBe(false); // a tick older than the last stored one
      } finally {
        again.close();
      }
    } finally {
      ordered.close();
      shuffled.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("RiskMonitor", () => {
  it("matches lib/risk on the same exposures and returns, and raises breaches on entering and clearing", () => {
    const breaches: LimitBreach[] = [];
    const m = riskMonitor({ sampleInterval: 1000, window: 50, minSamples: 5, confidence: 0.95, limits: { maxPosition: 150, maxLoss: 1e9 } });
    m.on("breach", (b) => void breaches.push(b));
    const mids = [[100, 50]];
    for (let i = 1; i <= 60; i++) mids.push([100 * (1 + 0.01 * Math.sin(i)), 50 * (1 + 0.02 * Math.cos(1.7 * i))]);
    mids.forEach(([a, b], i) => {
      m.onQuote(0, "A", a! - 0.01, a! + 0.01, i * 1000);
      m.onQuote(1, "B", b! - 0.01, b! + 0.01, i * 1000);
    });
    m.onFill({ id: 1, sym: 0, symbol: "A", side: 1, quantity: 200, price: 100, t: 0 });
    m.onFill({ id: 2, sym: 1, symbol: "B", side: -1, quantity: 100, price: 50, t: 0 });
    const s = m.update();
    const midA = mids[60]![0]!;
    const midB = mids[60]![1]!;
    expect(s.exposures).toEqual({ A: 200 * midA, B: -100 * midB });
    expect(s.pnl).toBeCloseTo(-200 * 100 + 100 * 50 + 200 * midA - 100 * midB, 9);
    // samples at t = 1000·k take the mids before t: the last 50 are mids[10..59] over mids[9..58]
    const ret = (j: number) => Float64Array.from({ length: 50 }, (_, k) => {
      const i = 10 + k;
      return mids[i]![j]! / mids[i - 1]![j]! - 1;
    });
    const ra = ret(0);
    const rb = ret(1);
    const w = [200 * midA, -100 * midB];
    const cov = [Float64Array.from([covariance(ra, ra), covariance(rb, ra)]), Float64Array.from([covariance(ra, rb), covariance(rb, rb)])];
    expect(s.varParametric).toBeCloseTo(componentVaR(w, cov, { confidence: 0.95 }).total, 6);
    expect(s.varHistorical).toBeCloseTo(valueAtRisk(Float64Array.from(ra, (x, i) => w[0]! * x + w[1]! * rb[i]!), { confidence: 0.95 }), 6);
    expect(breaches.map((b) => [b.limit, b.symbol, b.cleared])).toEqual([["maxPosition", "A", false]]);
    m.onFill({ id: 3, sym: 0, symbol: "A", side: -1, quantity: 100, price: 100, t: 0 });
    m.update();
    m.update();
    expect(breaches.map((b) => [b.limit, b.symbol, b.cleared])).toEqual([["maxPosition", "A", false], ["maxPosition", "A", true]]);
    expect(m.latency().count).toBe(3);
    expect(m.toHTML()).toContain("Risk monitor");
  });

  it("updates incrementally to the same figures as a fresh recomputation, once per slot of a fixed wall-clock grid", () => {
    const opts = { sampleInterval: 1000, window: 40, minSamples: 5, confidence: 0.99 } as const;
    const live = riskMonitor(opts);
    // A, B and C quoted, fills in A and B; from event 200 on only C (not held) is quoted: the exposures
    // stay, the samples move on (a cache keyed on exposures alone would go stale)
    const at = (m: ReturnType<typeof riskMonitor>) => (i: number) => {
      const t = i * 250;
      const s = i < 200 ? i % 3 : 2;
      m.onQuote(s, ["A", "B", "C"][s]!, 100 + Math.sin(i) - 0.01, 100 + Math.sin(i) + 0.01, t);
      if (i < 200 && i % 17 === 0) m.onFill({ id: i, sym: i % 2, symbol: ["A", "B"][i % 2]!, side: i % 4 === 0 ? 1 : -1, quantity: 10 + i, price: 100, t });
    };
    const freshAt = (n: number) => {
      const m = riskMonitor(opts);
      for (let i = 0; i < n; i++) at(m)(i);
      return m.update();
    };
    let compared = 0;
    for (let i = 0; i < 400; i++) {
      at(live)(i);
      if (i % 7 !== 0) continue;
      live.update(); // between samples, fills and quotes
      const a = live.update(); // nothing changed: the cached figures
      if (i % 21 !== 0) continue;
      expect({ ...a, update: 0 }, `after event ${i}`).toEqual({ ...freshAt(i + 1), update: 0 }); // bit for bit
      if (a.varParametric > 0) compared++;
    }
    expect(compared).toBeGreaterThan(5);
    const g = riskMonitor({ intervalMs: 10 });
    for (const ms of [0, 3, 9.9, 10, 10.5, 25, 29, 30]) g.onClock(ms, 0);
    expect(g.latency().count).toBe(4); // slots [0,10), [10,20), [20,30), [30,40): 0, 10, 25, 30
  });

  it("refreshes a display handle in place and refuses bad options", () => {
    const shown: string[] = [];
    const m = riskMonitor({ display: { html: (h: string) => void shown.push(h) }, displayEveryMs: 0 });
    m.update();
    m.update();
    expect(shown.length).toBe(2);
    expect(() => riskMonitor({ limits: { maxGros: 1 } as never })).toThrow(/limits must be an object of maxGross/);
    expect(() => riskMonitor({ intervalMS: 5 } as never)).toThrow(/unknown option "intervalMS" \(did you mean "intervalMs"\?\)/);
    expect(() => m.on("tick" as never, () => {})).toThrow(/event must be "breach" or "update"/);
  });
});
