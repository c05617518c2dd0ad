/**
 * As-of join of trades to the prevailing quote: for each trade, the latest quote of the same symbol at
 * or before the trade's timestamp (pandas `merge_asof(trades, quotes, on="time", by="ticker")`
 * semantics, kdb+'s `aj`), computed by DuckDB's ASOF JOIN. A trade with no quote before it, or whose
 * quote is older than `tolerance`, keeps NULL/NaN quote fields. Among quotes of one timestamp the last to
 * arrive (highest `seq`) prevails.
 */
import { type Data, Dictionary, Int32, makeData, makeVector, Table, TimestampNanosecond, Utf8, vectorFromArray, type Vector } from "apache-arrow";
import { checkKeys, describeValue } from "../data/index.js";
import { FILTER_KEYS, filterSql, type TickFilter } from "./filters.js";
import type { TickStore } from "./store.js";
import { parseSpan } from "./time.js";

/** Options of {@link asofJoin}. */
export interface AsofJoinOptions extends TickFilter {
  /** Oldest quote still used, as a span ("2s", "500ms", ns) (default: any age). */
  tolerance?: string | number | bigint;
  /** Match a quote with the trade's exact timestamp (default true, as pandas' allow_exact_matches). */
  allowExactMatches?: boolean;
}

/**
 * Trades with their prevailing quote, in arrival order (ts, seq): columns ts, sym, price, size, side, seq,
 * quote_ts, bid, ask, bid_size, ask_size, mid, spread, and `sign` (+1 above the mid, −1 below,
 * 0 at the mid or without a quote: the quote rule of Lee & Ready, 1991). DuckDB selects and orders the
 * two tables; the join itself is one linear merge over them (both are in time order), as pandas'
 * merge_asof does, rather than DuckDB's sort-based ASOF JOIN.
 */
export async function asofJoin(store: TickStore, options?: AsofJoinOptions): Promise<Table> {
  const where = "asofJoin";
  const o = checkKeys(where, options, [...FILTER_KEYS, "tolerance", "allowExactMatches"]);
  const exact = o.get("allowExactMatches") ?? true;
  if (typeof exact !== "boolean") throw new TypeError(`${where}: allowExactMatches must be true or false, got ${describeValue(exact)}`);
  const tol = o.get("tolerance") === undefined ? Infinity : Number(parseSpan(where, "tolerance", o.get("tolerance")));
  const tp: (string | bigint)[] = [];
  const qp: (string | bigint)[] = [];
  const f = { symbols: o.get("symbols"), start: o.get("start"), end: o.get("end") };
  const dict = store.symbolDictionary();
  const tc = filterSql(where, "t", f, tp, dict);
  const qc = filterSql(where, "q", { symbols: f.symbols, end: f.end }, qp, dict); // quotes before start still prevail
  // the raw tables (integer symbol codes) when the store has them, else the views
  const [trades, quotes, sym, seq] = dict ? ["trades_raw", "quotes_raw", "sid", "rowid"] : ["trades", "quotes", "sym", "seq"];
  const tSql = `SELECT ts, ${sym} AS sym, price, size, side, ${seq} AS seq FROM ${trades} t WHERE ${tc}`;
  const qSql = `SELECT ts, ${sym} AS sym, bid, ask, bid_size, ask_size, ${seq} AS seq FROM ${quotes} q WHERE ${qc}`;
  const t = await timeOrdered(store, tSql, tp, seq, dict !== undefined);
  const q = await timeOrdered(store, qSql, qp, seq, dict !== undefined);
  return joinColumns(t, q, exact, tol, dict);
}

/**
 * The rows of `sql` in (ts, seq) order. The raw tables are usually stored in time order already (ticks
 * arrive in time order), so they are read in storage order — DuckDB keeps insertion order without an
 * ORDER BY — and only checked here (rowid rising, ts not falling: one pass); DuckDB sorts them when the
 * check fails. The views (a Parquet store) are always sorted by DuckDB.
 */
async function timeOrdered(store: TickStore, sql: string, params: (string | bigint)[], seq: string, raw: boolean): Promise<Table> {
  if (raw) {
    const t = await store.query(sql, params);
    if (inTimeOrder(t.getChild("ts")?.toArray() as BigInt64Array | undefined, t.getChild("seq")?.toArray() as BigInt64Array | undefined)) return t;
  }
  return store.query(`${sql} ORDER BY ts, ${seq}`, params);
}

/** True when ts never falls and seq always rises (compared on 32-bit halves: no BigInt arithmetic). */
function inTimeOrder(ts: BigInt64Array | undefined, seq: BigInt64Array | undefined): boolean {
  if (ts === undefined || seq === undefined || ts.length !== seq.length) return false;
  const a = halves(ts);
  const b = halves(seq);
  for (let i = 1, n = ts.length; i < n; i++) {
    const h0 = a.hi[2 * i - 1] as number, h1 = a.hi[2 * i + 1] as number;
    if (h1 < h0 || (h1 === h0 && (a.lo[2 * i] as number) < (a.lo[2 * i - 2] as number))) return false;
    const s0 = b.hi[2 * i - 1] as number, s1 = b.hi[2 * i + 1] as number;
    if (s1 < s0 || (s1 === s0 && (b.lo[2 * i] as number) <= (b.lo[2 * i - 2] as number))) return false;
  }
  return true;
}

/** Symbol codes of a (dictionary-encoded) string column in a shared code space. */
function codes(v: Vector | null, space: Map<string, number>, raw: boolean): Int32Array {
  const n = v?.length ?? 0;
  if (raw) return Int32Array.from(v?.toArray() as Uint32Array);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const s = v?.get(i) as string;
    let k = space.get(s);
    if (k === undefined) space.set(s, (k = space.size));
    out[i] = k;
  }
  return out;
}

/** ts as (high, low) 32-bit halves, for exact comparisons without BigInt arithmetic. */
function halves(ts: BigInt64Array): { hi: Int32Array; lo: Uint32Array } {
  return { hi: new Int32Array(ts.buffer, ts.byteOffset, ts.length * 2), lo: new Uint32Array(ts.buffer, ts.byteOffset, ts.length * 2) };
}

function joinColumns(t: Table, q: Table, exact: boolean, tol: number, dict: readonly string[] | undefined): Table {
  const space = new Map<string, number>();
  if (dict) dict.forEach((s, i) => space.set(s, i));
  const ts = t.getChild("ts")?.toArray() as BigInt64Array;
  const qts = (q.getChild("ts")?.toArray() as BigInt64Array | undefined) ?? new BigInt64Array(0);
  const ts2 = halves(ts);
  const qs2 = halves(qts);
  const tsym = codes(t.getChild("sym"), space, dict !== undefined);
  const qsym = codes(q.getChild("sym"), space, dict !== undefined);
  const n = ts.length;
  const m = qts.length;
  const last = new Int32Array(space.size).fill(-1);
  const pick = new Int32Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const hi = ts2.hi[2 * i + 1] as number;
    const lo = ts2.lo[2 * i] as number;
    for (; k < m; k++) {
      const qh = qs2.hi[2 * k + 1] as number;
      const ql = qs2.lo[2 * k] as number;
      const before = qh < hi || (qh === hi && (exact ? ql <= lo : ql < lo));
      if (!before) break;
      last[qsym[k] as number] = k;
    }
    const j = last[tsym[i] as number] as number;
    pick[i] = j >= 0 && ((hi - (qs2.hi[2 * j + 1] as number)) * 4294967296 + (lo - (qs2.lo[2 * j] as number))) <= tol ? j : -1;
  }
  return assemble(t, q, pick, dict ? symbolVector(tsym, dict) : (t.getChild("sym") as Vector));
}

/** Codes into `dict` as a dictionary-encoded string vector. */
function symbolVector(codes: Int32Array, dict: readonly string[]): Vector {
  const type = new Dictionary(new Utf8(), new Int32());
  return makeVector(makeData({ type, length: codes.length, data: codes, dictionary: vectorFromArray([...dict], new Utf8()) } as never) as Data);
}

function assemble(t: Table, q: Table, pick: Int32Array, sym: Vector): Table {
  const n = pick.length;
  const col = (tb: Table, name: string) => (tb.getChild(name)?.toArray() as ArrayLike<number> | undefined) ?? [];
  const qb = col(q, "bid"), qa = col(q, "ask"), qbs = col(q, "bid_size"), qas = col(q, "ask_size");
  const qts = (q.getChild("ts")?.toArray() as BigInt64Array | undefined) ?? new BigInt64Array(0);
  const price = col(t, "price");
  const bid = new Float64Array(n), ask = new Float64Array(n), bidSize = new Float64Array(n), askSize = new Float64Array(n);
  const mid = new Float64Array(n), spread = new Float64Array(n), sign = new Int8Array(n);
  const quoteTs = new BigInt64Array(n);
  const qw = new Int32Array(qts.buffer, qts.byteOffset, qts.length * 2), tw = new Int32Array(quoteTs.buffer); // copied as 32-bit halves (no BigInt per row)
  let missing = false;
  for (let i = 0; i < n; i++) {
    const j = pick[i] as number;
    if (j < 0) {
      missing = true;
      bid[i] = ask[i] = bidSize[i] = askSize[i] = mid[i] = spread[i] = Number.NaN;
      continue;
    }
    const b = qb[j] as number, a = qa[j] as number, m = (b + a) / 2, p = price[i] as number;
    bid[i] = b;
    ask[i] = a;
    bidSize[i] = qbs[j] as number;
    askSize[i] = qas[j] as number;
    mid[i] = m;
    spread[i] = a - b;
    sign[i] = p > m ? 1 : p < m ? -1 : 0;
    tw[2 * i] = qw[2 * j] as number;
    tw[2 * i + 1] = qw[2 * j + 1] as number;
  }
  const f64 = (a: Float64Array) => makeVector(a);
  return new Table({
    ts: t.getChild("ts") as Vector, sym, price: t.getChild("price") as Vector, size: t.getChild("size") as Vector,
    side: t.getChild("side") as Vector, seq: t.getChild("seq") as Vector,
    quote_ts: missing ? f64(Float64Array.from(pick, (j) => (j < 0 ? Number.NaN : Number(qts[j])))) : makeVector(makeData({ type: new TimestampNanosecond(), length: n, data: quoteTs } as never) as Data),
    bid: f64(bid), ask: f64(ask), bid_size: f64(bidSize), ask_size: f64(askSize), mid: f64(mid), spread: f64(spread), sign: makeVector(sign),
  });
}
