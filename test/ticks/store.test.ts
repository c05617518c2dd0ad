/**
 * lib/ticks store, as-of join and bars: ingest through the appender round-trips exactly; bad batches are
 * refused with nothing stored; the as-of join on pandas' real TAQ fixture equals the join pandas
 * expects of it; bars agree with the same figures computed here from the raw ticks; Parquet export
 * reads back; the simulated market is deterministic and labelled simulated.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { asofJoin, bars, barsToPanel, loadTaqSample, openTickStore, simulateMarket, toEpochNs, type TickStore } from "../../lib/ticks/index.js";
import { isEngineBuilt } from "../../native/ts/index.js";

const T0 = toEpochNs("2024-01-02T14:30:00Z");

describe("TickStore ingest and query", () => {
  let store: TickStore;
  beforeAll(async () => {
    store = await openTickStore();
  });
  afterAll(() => store.close());

  it("round-trips trades exactly (ns timestamps, labels, sizes, sides)", async () => {
    const ts = BigInt64Array.from([T0, T0 + 1n, T0 + 1_000_000_001n]);
    await store.ingestTrades({ ts, sym: ["AAA", "BBB", "AAA"], price: Float64Array.from([10.01, 20.5, 10.02]), size: Int32Array.from([100, 5, 300]), side: Int8Array.from([1, -1, 0]), venue: { codes: Uint8Array.from([0, 1, 0]), dictionary: ["XNAS", "ARCX"] } });
    const t = await store.query("SELECT ts, sym, price, size, side, venue, cond FROM trades ORDER BY ts");
    expect(Array.from(t.getChild("ts")!.toArray() as BigInt64Array)).toEqual(Array.from(ts));
    expect(t.getChild("sym")!.toArray()).toEqual(["AAA", "BBB", "AAA"]);
    expect(Array.from(t.getChild("price")!.toArray() as Float64Array)).toEqual([10.01, 20.5, 10.02]);
    expect(Array.from(t.getChild("size")!.toArray() as Int32Array)).toEqual([100, 5, 300]);
    expect(Array.from(t.getChild("side")!.toArray() as Int8Array)).toEqual([1, -1, 0]);
    expect(t.getChild("venue")!.toArray()).toEqual(["XNAS", "ARCX", "XNAS"]);
    expect(t.getChild("cond")!.toArray()).toEqual([null, null, null]);
    expect(await store.symbols()).toEqual(["AAA", "BBB"]);
  });

  it("refuses bad batches with a named error and stores nothing", async () => {
    const before = await store.counts();
    const good = { ts: BigInt64Array.from([T0]), sym: ["AAA"], price: Float64Array.from([1]), size: Int32Array.from([1]) };
    await expect(async () => store.ingestTrades({ ...good, price: Float64Array.from([Number.NaN]) })).rejects.toThrow(/price\[0\] must be a finite number > 0, got NaN/);
    await expect(async () => store.ingestTrades({ ...good, size: Float64Array.from([1.5]) })).rejects.toThrow(/size\[0\] must be an integer/);
    await expect(async () => store.ingestTrades({ ...good, sym: ["AAA", "BBB"] })).rejects.toThrow(/column sym has 2 rows but ts has 1/);
    await expect(async () => store.ingestTrades({ ...good, ts: [1n] as unknown as BigInt64Array })).rejects.toThrow(/ts must be a BigInt64Array/);
    await expect(async () => store.ingestQuotes({ ts: good.ts, sym: ["X"], bid: Float64Array.from([Number.NaN]), ask: Float64Array.from([Number.NaN]), bidSize: Int32Array.from([1]), askSize: Int32Array.from([1]) })).rejects.toThrow(/finite bid or ask/);
    await expect(async () => store.ingestTrades({ ...good, sym: { codes: Uint8Array.from([3]), dictionary: ["A"] } })).rejects.toThrow(/outside its dictionary/);
    expect(await store.counts()).toEqual(before);
    expect(await store.symbols()).toEqual(["AAA", "BBB"]); // no label of a refused batch
    await expect(openTickStore({ pth: "x" } as never)).rejects.toThrow(/unknown option "pth" \(did you mean "path"\?\)/);
  });

  it("a SQL error names DuckDB's message", async () => {
    await expect(store.query("SELECT nope FROM trades")).rejects.toThrow(/nope/);
  });
});

describe("as-of join on the real pandas TAQ sample", () => {
  it("equals pandas' expected merge_asof(trades, quotes, on=time, by=ticker)", async () => {
    const s = loadTaqSample();
    expect(s.provenance).toBe("real");
    const store = await openTickStore();
    try {
      await store.ingestTrades(s.trades);
      await store.ingestQuotes(s.quotes);
      const j = await asofJoin(store);
      expect(j.numRows).toBe(s.expectedAsof.bid.length);
      // pandas keeps the trades' order (stable within equal times); ours is by (ts, sym): compare as multisets of rows
      const key = (ts: bigint, sym: string, price: number, bid: number, ask: number) => `${ts}|${sym}|${price}|${bid}|${ask}`;
      const jts = j.getChild("ts")!.toArray() as BigInt64Array;
      const ours = Array.from({ length: j.numRows }, (_, i) => key(jts[i]!, j.getChild("sym")!.get(i) as string, j.getChild("price")!.get(i) as number, (j.getChild("bid")!.get(i) as number | null) ?? Number.NaN, (j.getChild("ask")!.get(i) as number | null) ?? Number.NaN)).sort();
      const e = s.expectedAsof;
      const theirs = Array.from(e.bid, (_, i) => key(e.ts[i]!, e.sym[i]!, e.price[i]!, e.bid[i]!, e.ask[i]!)).sort();
      expect(ours).toEqual(theirs);
      // a 1 ms tolerance drops the quotes older than that
      const tol = await asofJoin(store, { tolerance: "1ms", symbols: ["MSFT"] });
      const qts = tol.getChild("quote_ts")!.toArray() as BigInt64Array | Float64Array;
      const tts = tol.getChild("ts")!.toArray() as BigInt64Array;
      for (let i = 0; i < tol.numRows; i++) {
        const q = qts[i];
        if (typeof q === "bigint") expect(tts[i]! - q <= 1_000_000n).toBe(true);
      }
    } finally {
      store.close();
    }
  });

  it("gives the same join when the ticks were stored out of time order (DuckDB sorts them then)", async () => {
    const s = loadTaqSample();
    const half = <T extends { subarray(a: number, b?: number): T }>(a: T, n: number, first: boolean): T => (first ? a.subarray(n >> 1) : a.subarray(0, n >> 1));
    const sym = (c: unknown, lo: number, hi: number) => (Array.isArray(c) ? c.slice(lo, hi) : c);
    const inOrder = await openTickStore();
    const reversed = await openTickStore();
    try {
      await inOrder.ingestTrades(s.trades);
      await inOrder.ingestQuotes(s.quotes);
      const q = s.quotes;
      const n = q.ts.length;
      expect(Array.isArray(q.sym)).toBe(true); // (the halves below slice it as an array)
      for (const first of [true, false]) {
        const [lo, hi] = first ? [n >> 1, n] : [0, n >> 1];
        await reversed.ingestQuotes({ ts: half(q.ts, n, first), sym: sym(q.sym, lo, hi) as string[], bid: half(q.bid, n, first), ask: half(q.ask, n, first), bidSize: half(q.bidSize as Int32Array, n, first), askSize: half(q.askSize as Int32Array, n, first) });
      }
      await reversed.ingestTrades(s.trades);
      const a = await asofJoin(inOrder);
      const b = await asofJoin(reversed);
      for (const c of ["ts", "price", "bid", "ask", "bid_size", "ask_size", "quote_ts", "sign"]) expect([...b.getChild(c)!.toArray()]).toEqual([...a.getChild(c)!.toArray()]);
    } finally {
      inOrder.close();
      reversed.close();
    }
  });

  it("refuses bad options", async () => {
    const store = await openTickStore();
    try {
      await expect(asofJoin(store, { tolerance: "5 parsecs" })).rejects.toThrow(/tolerance must be a positive whole number of nanoseconds or a span/);
      await expect(asofJoin(store, { symbol: ["A"] } as never)).rejects.toThrow(/unknown option "symbol" \(did you mean "symbols"\?\)/);
      await expect(bars(store, {} as never)).rejects.toThrow(/interval is required/);
      await expect(bars(store, { interval: "1min", start: "2024-01-02T10:00:00Z", end: "2024-01-02T09:00:00Z" })).rejects.toThrow(/end must be after start/);
    } finally {
      store.close();
    }
  });
});

describe.skipIf(!isEngineBuilt())("simulated market → store → bars", () => {
  let store: TickStore;
  const sim = isEngineBuilt() ? simulateMarket({ symbols: ["SIMA", "SIMB"], seconds: 20, mu: 50, alpha: 20, beta: 40, seed: 3 }) : undefined;
  beforeAll(async () => {
    store = await openTickStore();
    await store.ingestTrades(sim!.trades);
    await store.ingestQuotes(sim!.quotes);
  });
  afterAll(() => store.close());

  it("is deterministic for a seed, time-ordered, and says it is simulated", () => {
    const again = simulateMarket({ symbols: ["SIMA", "SIMB"], seconds: 20, mu: 50, alpha: 20, beta: 40, seed: 3 });
    expect(again.provenance).toBe("simulated");
    expect(Array.from(again.trades.price)).toEqual(Array.from(sim!.trades.price));
    expect(sim!.trades.ts.length).toBeGreaterThan(50);
    for (let i = 1; i < sim!.quotes.ts.length; i++) expect(sim!.quotes.ts[i]! >= sim!.quotes.ts[i - 1]!).toBe(true);
    for (let i = 0; i < sim!.quotes.ts.length; i++) if (sim!.quotes.bid[i] === sim!.quotes.bid[i] && sim!.quotes.ask[i] === sim!.quotes.ask[i]) expect(sim!.quotes.bid[i]!).toBeLessThan(sim!.quotes.ask[i]!);
  });

  it("1-second bars match OHLCV and VWAP recomputed from the raw trades", async () => {
    const b = await bars(store, { interval: "1s", symbols: ["SIMA"] });
    const tr = sim!.trades;
    const codes = (tr.sym as { codes: Uint32Array }).codes;
    const want = new Map<bigint, { o: number; h: number; l: number; c: number; v: number; pv: number; n: number }>();
    for (let i = 0; i < tr.ts.length; i++) {
      if (codes[i] !== 0) continue;
      const k = (tr.ts[i]! / 1_000_000_000n) * 1_000_000_000n;
      const p = tr.price[i]!;
      const q = tr.size[i]!;
      const w = want.get(k);
      if (!w) want.set(k, { o: p, h: p, l: p, c: p, v: q, pv: p * q, n: 1 });
      else Object.assign(w, { h: Math.max(w.h, p), l: Math.min(w.l, p), c: p, v: w.v + q, pv: w.pv + p * q, n: w.n + 1 });
    }
    let seen = 0;
    const bts = b.getChild("ts")!.toArray() as BigInt64Array;
    for (let i = 0; i < b.numRows; i++) {
      const w = want.get(bts[i]!);
      if (!w) {
        expect(b.getChild("trades")!.get(i)).toBe(0);
        continue;
      }
      seen++;
      expect(b.getChild("open")!.get(i)).toBe(w.o);
      expect(b.getChild("close")!.get(i)).toBe(w.c);
      expect(b.getChild("high")!.get(i)).toBe(w.h);
      expect(b.getChild("low")!.get(i)).toBe(w.l);
      expect(b.getChild("volume")!.get(i)).toBe(w.v);
      expect(b.getChild("trades")!.get(i)).toBe(w.n);
      expect(b.getChild("vwap")!.get(i)).toBeCloseTo(w.pv / w.v, 9);
      expect(b.getChild("spread_min")!.get(i) as number).toBeGreaterThan(0);
    }
    expect(seen).toBe(want.size);
  });

  it("daily bars become a Panel; intraday bars are refused as Panels", async () => {
    const d = await bars(store, { interval: "1d" });
    const p = barsToPanel(d, "close");
    expect(p.assets).toEqual(["SIMA", "SIMB"]);
    expect(p.nDates).toBe(1);
    const m = await bars(store, { interval: "1min" });
    expect(() => barsToPanel(m, "close")).toThrow(/Panels hold days/);
  });

  it("exports date-partitioned Parquet that reads back the same", async () => {
    const dir = mkdtempSync(join(tmpdir(), "statarb-ticks-pq-"));
    try {
      await store.exportParquet(dir);
      const p = await openTickStore({ parquet: dir });
      try {
        expect(await p.counts()).toEqual(await store.counts());
        const a = await bars(p, { interval: "5s" });
        const b = await bars(store, { interval: "5s" });
        expect(Array.from(a.getChild("vwap")!.toArray() as Float64Array)).toEqual(Array.from(b.getChild("vwap")!.toArray() as Float64Array));
        await expect(async () => p.ingestTrades(sim!.trades)).rejects.toThrow(/read-only/);
      } finally {
        p.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
