/**
 * The as-of join against a reference written the simple way (for each trade, scan every quote; BigInt
 * time arithmetic) on seeded random ticks with heavy ties (several trades and quotes at one
 * nanosecond, quotes at a trade's exact time), timestamps around the 2^32 boundary of their low half
 * and before 1970, one-sided quotes (NaN on a missing side), symbols never quoted, and empty sides —
 * every output column compared, for the native pass (native/linalg/asof.cc), the TypeScript pass, and
 * the store path. Invalid prices (NaN, ±Infinity, a quote with no side) are refused naming the row;
 * hostile values (throwing getters, proxies, buffers transferred away, codes out of range) give
 * JavaScript errors, never a crash or a wrong table.
 */
import { describe, expect, it } from "vitest";
import v8 from "node:v8";
import vm from "node:vm";
import type { Table } from "apache-arrow";
import { asofJoin, openTickStore, tickColumns, type AsofJoinOptions, type QuoteBatch, type TickColumns, type TradeBatch } from "../../lib/ticks/index.js";
import { joinColumns } from "../../lib/ticks/asof.js";
import { nativeAsofJoin, nativeDuckRead } from "../../lib/stats/index.js";
import { libduckdbPath, readNotNullColumns } from "../../lib/ticks/duck.js";
import { linalgAddon } from "../../lib/stats/native-linalg.js";

const SYMS = ["AAA", "BBB", "CCC", "DDD", "EEE"];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

/** Seeded ticks: `span` distinct instants from `t0` (few: many ties), `nSym` symbols (the last never quoted). */
function ticks(seed: number, nt: number, nq: number, t0: bigint, span: number, nSym: number, floatSizes = false): { trades: TradeBatch; quotes: QuoteBatch } {
  const r = rng(seed);
  const times = (n: number) => BigInt64Array.from(Array.from({ length: n }, () => Math.floor(r() * span)).sort((a, b) => a - b), (o) => t0 + BigInt(o) * 7n);
  const tsT = times(nt), tsQ = times(nq);
  const qSyms = Math.max(1, nSym - 1);
  const bid = Float64Array.from({ length: nq }, (_, k) => 100 + k * 0.01);
  const ask = Float64Array.from(bid, (b) => b + 0.02);
  for (let k = 0; k < nq; k++) {
    const u = r();
    if (u < 0.1) bid[k] = Number.NaN; // one-sided quotes: NaN marks the missing side
    else if (u < 0.2) ask[k] = Number.NaN;
  }
  const sizes = (n: number) => (floatSizes ? Float64Array.from({ length: n }, () => Math.floor(r() * 900) + 100) : Int32Array.from({ length: n }, () => Math.floor(r() * 900) + 100));
  return {
    trades: { ts: tsT, sym: Array.from({ length: nt }, () => SYMS[Math.floor(r() * nSym)]!), price: Float64Array.from({ length: nt }, () => 100 + Math.floor(r() * 60) * 0.005), size: sizes(nt), side: Int8Array.from({ length: nt }, () => Math.floor(r() * 3) - 1) },
    quotes: { ts: tsQ, sym: { codes: Uint32Array.from({ length: nq }, () => Math.floor(r() * qSyms)), dictionary: SYMS.slice(0, qSyms) }, bid, ask, bidSize: sizes(nq), askSize: sizes(nq) },
  };
}

function symOf(c: QuoteBatch["sym"] | TradeBatch["sym"], i: number): string {
  if (Array.isArray(c)) return c[i] as string;
  const { codes, dictionary } = c as unknown as { codes: ArrayLike<number>; dictionary: readonly string[] };
  return dictionary[codes[i]!]!;
}

/** The reference: for each trade, the last quote (in arrival order) of its symbol at or before it (strictly before without exact matches), dropped when older than tol. */
function reference(t: TradeBatch, q: QuoteBatch, exact: boolean, tol: bigint | undefined): number[] {
  return Array.from(t.ts, (tt, i) => {
    let best = -1;
    for (let k = 0; k < q.ts.length; k++) if (symOf(q.sym, k) === symOf(t.sym, i) && (exact ? q.ts[k]! <= tt : q.ts[k]! < tt)) best = k;
    return best >= 0 && tol !== undefined && tt - q.ts[best]! > tol ? -1 : best;
  });
}

/** Every column the join gives, as plain values. */
function columns(j: Table): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const f of j.schema.fields) out[f.name] = Array.from(j.getChild(f.name)!.toArray() as ArrayLike<unknown>);
  return out;
}

/** The first difference between two column sets ("name[i]: a vs b", NaN equal to NaN, +0 and −0 distinct), or null. */
function firstDifference(got: Record<string, unknown[]>, want: Record<string, unknown[]>): string | null {
  const names = Object.keys(want);
  if (Object.keys(got).join() !== names.join()) return `columns ${Object.keys(got).join()} vs ${names.join()}`;
  for (const k of names) {
    const a = got[k]!, b = want[k]!;
    if (a.length !== b.length) return `${k}: ${a.length} vs ${b.length} rows`;
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return `${k}[${i}]: ${String(a[i])} vs ${String(b[i])}`;
  }
  return null;
}

function expected(t: TradeBatch, q: QuoteBatch, pick: number[]): Record<string, unknown[]> {
  const num = (a: ArrayLike<number>) => pick.map((k) => (k < 0 ? Number.NaN : a[k]!));
  const bid = num(q.bid), ask = num(q.ask);
  const mid = bid.map((b, i) => (b + ask[i]!) / 2);
  const missing = pick.includes(-1);
  return {
    ts: Array.from(t.ts),
    sym: pick.map((_, i) => symOf(t.sym, i)),
    price: Array.from(t.price),
    size: Array.from(t.size),
    side: Array.from(t.side ?? new Int8Array(t.ts.length)),
    seq: pick.map((_, i) => BigInt(i)),
    quote_ts: pick.map((k) => (k < 0 ? Number.NaN : missing ? Number(q.ts[k]!) : q.ts[k]!)),
    bid, ask, bid_size: num(q.bidSize), ask_size: num(q.askSize), mid,
    spread: bid.map((b, i) => ask[i]! - b),
    sign: mid.map((m, i) => (t.price[i]! > m ? 1 : t.price[i]! < m ? -1 : 0)),
  };
}

const OPTIONS: { options: AsofJoinOptions; exact: boolean; tol?: bigint }[] = [
  { options: {}, exact: true },
  { options: { allowExactMatches: false }, exact: false },
  { options: { tolerance: 1 }, exact: true, tol: 0n }, // the kernels get 0 (asofJoin takes spans ≥ 1 ns)
  { options: { tolerance: "20ns" }, exact: true, tol: 20n },
  { options: { tolerance: 14, allowExactMatches: false }, exact: false, tol: 14n },
];

const native = nativeAsofJoin();
const PATHS: [string, (c: TickColumns, o: { exact: boolean; tol: number }) => Table][] = [["TypeScript", (c, o) => joinColumns(c, o.exact, o.tol, null)]];
if (native !== null) PATHS.push(["native", (c, o) => joinColumns(c, o.exact, o.tol, native)]);

describe("as-of join vs a reference join", () => {
  it(`equals the reference on random ties, 2^32 crossings, pre-1970 times, one-sided quotes and empty sides (${PATHS.map((p) => p[0]).join(" and ")} paths)`, () => {
    const cases = [
      { seed: 1, nt: 300, nq: 250, t0: 1_704_205_800_000_000_000n, span: 40, nSym: 3 },
      { seed: 2, nt: 200, nq: 400, t0: 2n ** 32n * 396_800_000n - 300n, span: 90, nSym: 5, floatSizes: true }, // low halves wrap inside the data
      { seed: 3, nt: 150, nq: 150, t0: -1_000_000_000_000n - 350n, span: 100, nSym: 4 }, // before 1970
      { seed: 4, nt: 250, nq: 20, t0: 5n, span: 8, nSym: 2 }, // almost everything tied
      { seed: 8, nt: 20_000, nq: 40, t0: 1_704_205_800_000_000_000n, span: 3000, nSym: 3 }, // outputs over 1 MiB: the huge-page buffer
      { seed: 5, nt: 0, nq: 30, t0: 0n, span: 10, nSym: 3 },
      { seed: 6, nt: 30, nq: 0, t0: 0n, span: 10, nSym: 3 },
      { seed: 7, nt: 0, nq: 0, t0: 0n, span: 10, nSym: 3 },
    ];
    let matched = 0;
    for (const c of cases) {
      const d = ticks(c.seed, c.nt, c.nq, c.t0, c.span, c.nSym, c.floatSizes);
      const cols = tickColumns(d.trades, d.quotes);
      for (const o of OPTIONS) {
        const pick = reference(d.trades, d.quotes, o.exact, o.tol);
        const want = expected(d.trades, d.quotes, pick);
        matched += pick.filter((k) => k >= 0).length;
        for (const [name, join] of PATHS) {
          expect(firstDifference(columns(join(cols, { exact: o.exact, tol: o.tol === undefined ? Infinity : Number(o.tol) })), want), `${name}, seed ${c.seed}, ${JSON.stringify(o.options)}`).toBe(null);
        }
      }
    }
    expect(matched).toBeGreaterThan(2000); // not vacuous
  });

  it("the store path (DuckDB read + join) gives the same table as the columns in memory", async () => {
    const d = ticks(11, 33_000, 300, 1_704_205_800_000_000_000n, 6000, 4); // columns over 1 MiB: read into a huge-page buffer
    const store = await openTickStore();
    try {
      await store.ingestTrades(d.trades);
      await store.ingestQuotes(d.quotes);
      for (const o of OPTIONS) expect(firstDifference(columns(await asofJoin(store, o.options)), columns(await asofJoin(tickColumns(d.trades, d.quotes), o.options))), JSON.stringify(o.options)).toBe(null);
    } finally {
      store.close();
    }
    // quotes stored out of time order (the later half ingested first): the check sees it, DuckDB sorts
    let cut = 150;
    while (d.quotes.ts[cut - 1] === d.quotes.ts[cut]) cut++; // no tie across the cut (ties keep arrival order)
    const part = (a: number, b: number): QuoteBatch => ({ ts: d.quotes.ts.slice(a, b), sym: { codes: (d.quotes.sym as { codes: Uint32Array }).codes.slice(a, b), dictionary: SYMS.slice(0, 3) }, bid: d.quotes.bid.slice(a, b), ask: d.quotes.ask.slice(a, b), bidSize: d.quotes.bidSize.slice(a, b), askSize: d.quotes.askSize.slice(a, b) });
    const late = await openTickStore();
    try {
      await late.ingestTrades(d.trades);
      await late.ingestQuotes(part(cut, 300));
      await late.ingestQuotes(part(0, cut));
      expect(await late.storedInTimeOrder()).toBe(false);
      expect(firstDifference(columns(await asofJoin(late)), columns(await asofJoin(tickColumns(d.trades, d.quotes))))).toBe(null);
    } finally {
      late.close();
    }
  });

  it("refuses a NaN or infinite price and a quote with neither side, naming the row", () => {
    const d = ticks(12, 10, 10, 0n, 10, 2);
    const price = d.trades.price.slice();
    price[3] = Number.NaN;
    expect(() => tickColumns({ ...d.trades, price }, d.quotes)).toThrow(/tickColumns: trades\.price\[3\] must be a finite number > 0, got NaN/);
    price[3] = Infinity;
    expect(() => tickColumns({ ...d.trades, price }, d.quotes)).toThrow(/trades\.price\[3\] must be a finite number > 0, got Infinity/);
    const bid = d.quotes.bid.slice(), ask = d.quotes.ask.slice();
    bid[4] = ask[4] = Number.NaN;
    expect(() => tickColumns(d.trades, { ...d.quotes, bid, ask })).toThrow(/tickColumns: quotes row 4 must have a finite bid or ask \(NaN marks a missing side\), got bid NaN, ask NaN/);
    ask[4] = -Infinity;
    expect(() => tickColumns(d.trades, { ...d.quotes, bid, ask })).toThrow(/quotes row 4 must have a finite bid or ask/);
  });
});

describe("as-of join: hostile values", () => {
  it("a throwing getter's error comes through; a getter read twice is read once; a proxied column is refused", () => {
    const d = ticks(13, 20, 20, 0n, 10, 2);
    const boom = new Error("boom");
    expect(() => tickColumns({ ...d.trades, get price(): Float64Array { throw boom; } }, d.quotes)).toThrow(boom);
    let reads = 0;
    const flip = { ...d.trades, get price(): Float64Array { return reads++ === 0 ? d.trades.price : (new Float64Array(1) as Float64Array); } };
    const j = joinColumns(tickColumns(flip, d.quotes), true, Infinity);
    expect(reads).toBe(1);
    expect(j.numRows).toBe(20);
    expect(() => tickColumns({ ...d.trades, ts: new Proxy(d.trades.ts, {}) }, d.quotes)).toThrow(/tickColumns: trades\.ts must be a column of the TradeBatch type, got/);
  });

  it("a column whose buffer was transferred away after the columns were made is a RangeError naming it (both paths)", () => {
    const d = ticks(14, 20, 20, 0n, 10, 2);
    for (const [name, join] of PATHS) {
      const t = { ...d.trades, price: d.trades.price.slice() };
      const cols = tickColumns(t, d.quotes);
      structuredClone(t.price.buffer, { transfer: [t.price.buffer] });
      expect(() => join(cols, { exact: true, tol: Infinity }), name).toThrow(/asofJoin: trades\.price has 0 rows but trades\.ts has 20/);
    }
  });

  it.skipIf(native === null)("the native kernel refuses bad arguments with TypeError/RangeError naming them", () => {
    const k = native!;
    const n = 4, m = 3;
    const args = () => [new BigInt64Array(n), new Int32Array(n), new Float64Array(n).fill(1), BigInt64Array.from([0n, 0n, 0n]), new Int32Array(m), new Float64Array(m), new Float64Array(m), new Int32Array(m), new Float64Array(m), 1, true, Infinity, new Int32Array(n), new BigInt64Array(n), new Float64Array(6 * n), new Int8Array(n)] as unknown[];
    const call = (a: unknown[]) => (k as unknown as (...x: unknown[]) => number)(...a);
    expect(call(args())).toBe(0);
    const bad = (i: number, v: unknown, re: RegExp, type: ErrorConstructor) => {
      const a = args();
      a[i] = typeof v === "function" ? (v as (x: unknown) => unknown)(a[i]) : v;
      expect(() => call(a)).toThrow(type);
      expect(() => call(a)).toThrow(re);
    };
    bad(0, new Float64Array(n), /asofJoin: trades\.ts must be a BigInt64Array/, TypeError);
    bad(5, (x: Float64Array) => new Proxy(x, {}), /asofJoin: quotes\.bid must be a Float64Array/, TypeError);
    bad(7, new Uint32Array(m), /quotes\.bidSize must be an Int32Array or Float64Array/, TypeError);
    bad(2, (x: Float64Array) => (structuredClone(x.buffer, { transfer: [x.buffer] }), x), /trades\.price is a view of a detached ArrayBuffer/, RangeError);
    bad(14, new Float64Array(6 * n - 1), /asofJoin: out has 23 values, expected 24/, RangeError);
    bad(4, Int32Array.from([0, 1, 0]), /asofJoin: quotes\.sym\[1\] = 1 is outside the 1 symbols/, RangeError);
    bad(1, Int32Array.from([0, 0, -1, 0]), /asofJoin: trades\.sym\[2\] = -1 is outside the 1 symbols/, RangeError);
    bad(9, Number.NaN, /nSymbols must be an integer/, RangeError);
    bad(11, -1, /tol ≥ 0/, RangeError);
    bad(10, 1, /exact a boolean/, TypeError);
    expect(() => call(args().slice(0, 15))).toThrow(/16 arguments/);
  });

  it.skipIf(native === null)("the native kernel refuses outputs over inputs, disordered times, and bounds its symbol table by the codes present", () => {
    const call = (a: unknown[]) => (native as unknown as (...x: unknown[]) => number)(...a);
    const n = 2, m = 3;
    // quotes of symbol 0 at 1, 2, 3 ns (bid 9, 10, 11); trades at 2 and 4 ns
    const args = () => [BigInt64Array.from([2n, 4n]), new Int32Array(n), Float64Array.from([10, 10]), BigInt64Array.from([1n, 2n, 3n]), new Int32Array(m), Float64Array.from([9, 10, 11]), Float64Array.from([9.5, 10.5, 11.5]), new Int32Array(m), new Int32Array(m), 1, false, Infinity, new Int32Array(n), new BigInt64Array(n), new Float64Array(6 * n), new Int8Array(n)] as unknown[];
    const good = args();
    expect(call(good)).toBe(0);
    expect(Array.from(good[12] as Int32Array)).toEqual([0, 2]);
    expect(Array.from((good[14] as Float64Array).subarray(0, n))).toEqual([9, 11]);
    // out viewing quotes.bid: refused naming both (was: the trade at 4 ns got a bid written over its quote's)
    const shared = new Float64Array(6 * n + m);
    const overBid = args();
    shared.set([9, 10, 11], 0);
    overBid[5] = shared.subarray(0, m);
    overBid[14] = shared.subarray(0, 6 * n);
    expect(() => call(overBid)).toThrow(RangeError);
    expect(() => call(overBid)).toThrow(/asofJoin: out must not share memory with quotes\.bid/);
    const pickOverSym = args();
    pickOverSym[12] = pickOverSym[1];
    expect(() => call(pickOverSym)).toThrow(/asofJoin: pick must not share memory with trades\.sym/);
    const quoteTsOverTs = args();
    quoteTsOverTs[13] = quoteTsOverTs[0];
    expect(() => call(quoteTsOverTs)).toThrow(/asofJoin: quoteTs must not share memory with trades\.ts/);
    // quotes or trades out of time order: a RangeError naming the row (was: wrong picks, silently)
    const late = args();
    late[3] = BigInt64Array.from([1n, 3n, 2n]);
    expect(() => call(late)).toThrow(RangeError);
    expect(() => call(late)).toThrow(/asofJoin: quotes\.ts\[2\] = 2 is before quotes\.ts\[1\] = 3 \(quotes must be in time order\)/);
    const tail = args();
    tail[3] = BigInt64Array.from([1n, 6n, 5n]); // after the last trade: still refused
    expect(() => call(tail)).toThrow(/quotes\.ts\[2\] = 5 is before quotes\.ts\[1\] = 6/);
    const backwards = args();
    backwards[0] = BigInt64Array.from([4n, 2n]);
    expect(() => call(backwards)).toThrow(/asofJoin: trades\.ts\[1\] = 2 is before trades\.ts\[0\] = 4 \(trades must be in time order\)/);
    // nSymbols 2^31 − 1 for 2 trades: the table is sized by the codes present, not 8 GB (was: the OOM killer)
    const many = args();
    many[9] = 2 ** 31 - 1;
    expect(call(many)).toBe(0);
    expect(Array.from(many[12] as Int32Array)).toEqual([0, 2]);
    const unquoted = args();
    unquoted[9] = 2 ** 31 - 1;
    unquoted[1] = Int32Array.from([0, 2 ** 31 - 2]); // a code no quote has: no quote
    expect(call(unquoted)).toBe(1);
    expect(Array.from(unquoted[12] as Int32Array)).toEqual([0, -1]);
    unquoted[1] = Int32Array.from([0, -1]);
    expect(() => call(unquoted)).toThrow(/asofJoin: trades\.sym\[1\] = -1 is outside the 2147483647 symbols/);
  });

  it.skipIf(nativeDuckRead() === null || libduckdbPath() === null)("the native DuckDB reader equals the bindings' path, refuses bad arrays, and answers false for what it does not recognise", async () => {
    const read = nativeDuckRead()!;
    const lib = libduckdbPath()!;
    const store = await openTickStore();
    try {
      const d = ticks(15, 5000, 10, 0n, 100, 3);
      await store.ingestTrades(d.trades);
      const sql = "SELECT ts, sid, price, size, side, rowid FROM trades_raw";
      const raw = async () => ((await store.materialize(sql)) as unknown as { result: unknown }).result;
      const fresh = () => [new BigInt64Array(5000), new Uint32Array(5000), new Float64Array(5000), new Int32Array(5000), new Int8Array(5000), new BigInt64Array(5000)] as ArrayBufferView[];
      const got = fresh();
      expect(read(await raw(), lib, got)).toBe(1);
      expect(read(await raw(), lib, fresh(), true)).toBe(1); // in (ts, rowid) order
      expect(read(((await store.materialize(`${sql} ORDER BY price, rowid`)) as unknown as { result: unknown }).result, lib, fresh(), true)).toBe(2);
      expect(Array.from(got[0] as BigInt64Array)).toEqual(Array.from(d.trades.ts));
      expect(Array.from(got[2] as Float64Array)).toEqual(Array.from(d.trades.price));
      expect(Array.from(got[5] as BigInt64Array)).toEqual(Array.from({ length: 5000 }, (_, i) => BigInt(i)));
      const viaBindings = readNotNullColumns(await store.materialize(sql), null).columns; // through the bindings, chunk by chunk
      expect(readNotNullColumns(await store.materialize(`${sql} ORDER BY price, rowid`), null, true).ordered).toBe(false);
      viaBindings.forEach((c, j) => expect(Buffer.compare(Buffer.from(c.buffer, c.byteOffset, c.byteLength), Buffer.from((got[j] as ArrayBufferView).buffer))).toBe(0));
      // not recognised: false, nothing thrown (the caller reads through the bindings)
      expect(read({}, lib, fresh())).toBe(0);
      expect(read(await raw(), "/nonexistent/libduckdb.so", fresh())).toBe(1); // the library found once is kept
      const r = await raw();
      const bad = async (out: unknown, re: RegExp, type: ErrorConstructor) => {
        expect(() => read(r, lib, out as ArrayBufferView[])).toThrow(type);
        expect(() => read(r, lib, out as ArrayBufferView[])).toThrow(re);
      };
      await bad(fresh().slice(0, 5), /out has 5 arrays for 6 columns/, RangeError);
      await bad(Object.assign(fresh(), { 2: new Float32Array(5000) }), /out\[2\] is not of the column's type/, TypeError);
      await bad(Object.assign(fresh(), { 3: new Proxy(new Int32Array(5000), {}) }), /out\[3\] must be a typed array/, TypeError);
      await bad(Object.assign(fresh(), { 4: new Int8Array(4999) }), /out\[4\] must hold the result's 5000 rows/, RangeError);
      const gone = fresh();
      structuredClone(gone[1]!.buffer, { transfer: [gone[1]!.buffer as ArrayBuffer] });
      await bad(gone, /out\[1\] must hold the result's 5000 rows \(attached\), has 0/, RangeError);
      const boom = new Error("boom");
      const throwing = fresh();
      Object.defineProperty(throwing, 0, { get: () => { throw boom; } });
      expect(() => read(r, lib, throwing)).toThrow(boom);
      const sneaky = fresh();
      const first = sneaky[0]!;
      Object.defineProperty(sneaky, 1, { get: () => (structuredClone(first.buffer, { transfer: [first.buffer as ArrayBuffer] }), new Uint32Array(5000)) });
      await bad(sneaky, /out\[0\] must hold the result's 5000 rows \(attached\)/, RangeError); // every element is read before any is resolved
      const nulls = ((await store.materialize("SELECT CASE WHEN range = 3 THEN NULL ELSE range END::BIGINT AS x FROM range(5)")) as unknown as { result: unknown }).result;
      expect(() => read(nulls, lib, [new BigInt64Array(5)])).toThrow(/duckReadColumns: column 0 has a NULL at row 3/);
      // release: the result is destroyed after the read; the bindings' finalizer later finds it empty
      const released = fresh();
      expect(read(await raw(), lib, released, true, true)).toBe(1);
      expect(Array.from(released[0] as BigInt64Array)).toEqual(Array.from(d.trades.ts));
      v8.setFlagsFromString("--expose-gc");
      const gc = vm.runInNewContext("gc") as () => void;
      gc();
      await new Promise((resolve) => setTimeout(resolve, 20));
      gc();
      expect((await store.query("SELECT count(*)::INTEGER AS n FROM trades_raw")).getChild("n")!.get(0)).toBe(5000);
      expect(() => (read as unknown as (...a: unknown[]) => boolean)(r, lib)).toThrow(/duckReadColumns\(result: External, libduckdb: string, out: TypedArray\[\], order\?: boolean, release\?: boolean\)/);
    } finally {
      store.close();
    }
  });

  it.skipIf(nativeDuckRead() === null || libduckdbPath() === null)("the native DuckDB reader refuses a released result (again, or released by a getter partway) and out arrays sharing memory", async () => {
    const read = nativeDuckRead()!;
    const lib = libduckdbPath()!;
    const store = await openTickStore();
    try {
      await store.ingestTrades(ticks(16, 300, 10, 0n, 100, 3).trades);
      const sql = "SELECT ts, sid, price, size, side, rowid FROM trades_raw";
      const raw = async () => ((await store.materialize(sql)) as unknown as { result: unknown }).result;
      const fresh = () => [new BigInt64Array(300), new Uint32Array(300), new Float64Array(300), new Int32Array(300), new Int8Array(300), new BigInt64Array(300)] as ArrayBufferView[];
      const released = /duckReadColumns: this DuckDB result was already released/;
      // read with release, then read again (was: a segfault, exit 139)
      const r = await raw();
      expect(read(r, lib, fresh(), false, true)).toBe(1);
      expect(() => read(r, lib, fresh())).toThrow(RangeError);
      expect(() => read(r, lib, fresh(), true, true)).toThrow(released);
      // a getter on out releasing the result partway through the call
      const r2 = await raw();
      const sneaky = fresh();
      const second = sneaky[1]!;
      Object.defineProperty(sneaky, 1, { get: () => (read(r2, lib, fresh(), false, true), second) });
      expect(() => read(r2, lib, sneaky)).toThrow(released);
      // out arrays over each other: refused naming both (the copy would write one column over another)
      const r3 = await raw();
      const twice = fresh();
      twice[5] = twice[0]!;
      expect(() => read(r3, lib, twice)).toThrow(RangeError);
      expect(() => read(r3, lib, twice)).toThrow(/duckReadColumns: out\[0\] must not share memory with out\[5\]/);
      const ok = fresh();
      expect(read(r3, lib, ok, true)).toBe(1); // the refusals left the result readable
      expect(Array.from(ok[5] as BigInt64Array)).toEqual(Array.from({ length: 300 }, (_, i) => BigInt(i)));
    } finally {
      store.close();
    }
  });

  it.skipIf(typeof linalgAddon()?.hugeBuffer !== "function")("hugeBuffer: an ArrayBuffer of the size asked (undefined below 1 MiB), bad sizes refused", () => {
    const huge = linalgAddon()!.hugeBuffer as unknown as (...a: unknown[]) => ArrayBuffer | undefined;
    const b = huge(3 << 20)!;
    expect(b).toBeInstanceOf(ArrayBuffer);
    expect(b.byteLength).toBe(3 << 20);
    const f = new Float64Array(b);
    f[f.length - 1] = 1.5;
    expect(f[f.length - 1]).toBe(1.5);
    expect(huge(1000)).toBeUndefined();
    expect(() => huge({ valueOf: () => { throw new Error("boom"); } })).toThrow(TypeError);
    for (const bad of [-1, 1.5, Number.NaN, Infinity]) expect(() => huge(bad)).toThrow(/hugeBuffer: bytes must be a whole number/);
    expect(() => huge()).toThrow(/hugeBuffer\(bytes: number\)/);
  });
});
